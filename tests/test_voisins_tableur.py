"""Lists as spreadsheets (SPEC §6): a real .xlsx read back with openpyxl
(typed cells, frozen header, filters, widths), a .csv a French spreadsheet
opens, formulas never made from data, no file replaced unasked; and the
list commands' filters, search, sort and columns, the same as the screens'."""

from __future__ import annotations

import csv as csv_module
import json
import stat
from datetime import date, datetime
from types import SimpleNamespace

import openpyxl
import pytest

from agesh_tui.api.base import Base
from agesh_tui.api.tableaux import definition
from agesh_tui.cli import main
from agesh_tui.engine.echange.tableur import ColonneTableur, TableurError, ecrire_tableur
from agesh_tui.engine.fichiers import FichierExistant
from monde_voisins import AUTRE_COLLEGE, COLLEGE, JOUR, monde_voisins

COLONNES = [ColonneTableur("Nom"), ColonneTableur("Heures", "nombre"), ColonneTableur("Début", "date"),
            ColonneTableur("Couverture", "pourcent"), ColonneTableur("Décisions", "entier"),
            ColonneTableur("Prévisionnel", "booleen")]
INJECTION = '=HYPERLINK("http://example.org/?"&A1;"Cliquez")'
LIGNES = [
    [INJECTION, 12.5, date(2026, 9, 1), 75.3, 3, True],
    ["@SOMME(A1:A9)", 12, None, None, 0, False],
    ["-2+3", float("nan"), date(2027, 8, 31), 100, 1, None],
    ["DUPONT Léa\x1b[31m", None, None, 0.0, None, False],
]


def test_an_xlsx_read_back_has_types_header_filters_and_widths(tmp_path):
    chemin = tmp_path / "liste.xlsx"
    assert ecrire_tableur(chemin, COLONNES, LIGNES, feuille="Décisions") == 4
    classeur = openpyxl.load_workbook(chemin)
    f = classeur["Décisions"]
    assert [c.value for c in f[1]] == ["Nom", "Heures", "Début", "Couverture", "Décisions", "Prévisionnel"]
    assert all(c.font.b for c in f[1])
    assert f.freeze_panes == "A2"
    assert f.auto_filter.ref == "A1:F5"
    ligne = [c for c in f[2]]
    assert ligne[1].value == 12.5 and ligne[1].data_type == "n"
    assert ligne[2].value == datetime(2026, 9, 1) and ligne[2].is_date and ligne[2].number_format == "dd/mm/yyyy"
    assert ligne[3].value == pytest.approx(0.753) and ligne[3].number_format == "0.0%"
    assert (ligne[4].value, ligne[4].data_type) == (3, "n")
    assert ligne[5].value == "oui"
    assert [c.value for c in f[4]][1] is None  # NaN: an empty cell, never « nan »
    assert f["A5"].value == "DUPONT Léa[31m"  # the escape character is gone
    assert 20 < f.column_dimensions["A"].width <= 62
    assert f.column_dimensions["C"].width >= 10


@pytest.mark.parametrize("ligne", [0, 1, 2])
def test_a_formula_in_the_data_is_written_as_text(tmp_path, ligne):
    chemin = tmp_path / "liste.xlsx"
    ecrire_tableur(chemin, COLONNES, LIGNES)
    cellule = openpyxl.load_workbook(chemin).active.cell(row=ligne + 2, column=1)
    assert cellule.value == LIGNES[ligne][0]
    assert cellule.data_type == "s"  # a string, not « f »
    assert cellule.quotePrefix  # and stays text when edited in the spreadsheet
    brut = chemin.read_bytes()
    assert b"<f>" not in brut


def test_a_csv_a_french_spreadsheet_opens(tmp_path):
    chemin = tmp_path / "liste.csv"
    ecrire_tableur(chemin, COLONNES, LIGNES)
    octets = chemin.read_bytes()
    assert octets.startswith("\ufeff".encode())
    assert octets.decode("utf-8-sig").splitlines() == [
        "Nom;Heures;Début;Couverture;Décisions;Prévisionnel",
        "\"'=HYPERLINK(\"\"http://example.org/?\"\"&A1;\"\"Cliquez\"\")\";12,5;01/09/2026;75,3 %;3;oui",
        "'@SOMME(A1:A9);12;;;0;non",
        "'-2+3;;31/08/2027;100 %;1;",
        "DUPONT Léa[31m;;;0 %;;non",
    ]


def test_an_existing_file_is_never_replaced_unasked(tmp_path):
    chemin = tmp_path / "liste.xlsx"
    chemin.write_bytes(b"le tableur de quelqu'un")
    with pytest.raises(FichierExistant, match="existe déjà"):
        ecrire_tableur(chemin, COLONNES, LIGNES)
    assert chemin.read_bytes() == b"le tableur de quelqu'un"
    ecrire_tableur(chemin, COLONNES, LIGNES, remplacer=True)
    assert openpyxl.load_workbook(chemin).active["A1"].value == "Nom"


def test_the_file_is_private_and_a_planted_link_is_not_followed(tmp_path):
    chemin = tmp_path / "liste.csv"
    ecrire_tableur(chemin, COLONNES, LIGNES)
    assert stat.S_IMODE(chemin.stat().st_mode) == 0o600
    cible = tmp_path / "ailleurs.txt"
    cible.write_text("intact")
    lien = tmp_path / "lien.xlsx"
    lien.symlink_to(cible)
    with pytest.raises(OSError, match="lien symbolique"):
        ecrire_tableur(lien, COLONNES, LIGNES, remplacer=True)
    assert cible.read_text() == "intact"


def test_an_unknown_extension_is_refused(tmp_path):
    with pytest.raises(TableurError, match="format de tableur inconnu"):
        ecrire_tableur(tmp_path / "liste.ods", COLONNES, LIGNES)


def test_the_same_list_gives_the_same_bytes(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    ecrire_tableur(a, COLONNES, LIGNES)
    ecrire_tableur(b, COLONNES, LIGNES)
    assert a.read_bytes() == b.read_bytes()


# -- the lists of the application -----------------------------------------------------

def monde_listes():
    m = monde_voisins()
    m.eleve("E6", INJECTION, "Léo", date(2012, 1, 2), scolarites=[(AUTRE_COLLEGE, date(2025, 9, 1), None, "302")])
    m.decision("D6", "E6", "mutualisee", None, date(2025, 9, 1), date(2026, 8, 31))
    m.aesh("A1", "MARTIN", "Anne")
    m.aesh("A2", "=1+1", "Bob", actif=False)
    m.mission("M1", "A1", "HI2D", 24.0, date(2020, 9, 1), employeur=COLLEGE)
    m.mission("M2", "A2", "HI2D", 12.0, date(2020, 9, 1), actif=False)
    m.accompagnement("AC1", "M1", ["D1"], COLLEGE, date(2025, 9, 1), date(2026, 8, 31), 6)
    return m


def test_accueil_columns_are_the_screens(stockage):
    """The spreadsheet of Accueil has the screen's columns: same keys, same
    titles, same columns shown by default."""
    from agesh_tui.screens.accueil import Accueil

    monde_listes().ecrire(stockage)
    session = Base(stockage).session_lots("t", "gestionnaire", JOUR)
    session.charger()
    faux = SimpleNamespace(app=SimpleNamespace(session_ouverte=session, today=JOUR), _distance=lambda d: None)
    ecran = Accueil._colonnes(faux)
    definie, _ = definition(session, "decisions")
    assert [(c.cle, c.titre, c.visible) for c in definie.colonnes] == [(c.cle, c.titre, c.visible) for c in ecran]


def test_accueil_filtered_on_one_etablissement_as_xlsx(stockage, url_base, tmp_path, capsys):
    """As a new user would: Accueil filtered on one établissement, to .xlsx,
    opened again: the rows are the screen's rows for that filter."""
    monde_listes().ecrire(stockage)
    chemin = tmp_path / "accueil.xlsx"
    assert main(["decisions", "--db", url_base, "--today", "2026-01-15", "--filtre", f"etablissement={COLLEGE}",
                 "--tri", "nom", "--xlsx", str(chemin)]) == 0
    assert capsys.readouterr().out == f"4 lignes écrites dans {chemin}\n"
    f = openpyxl.load_workbook(chemin).active
    lignes = [[c.value for c in r] for r in f.iter_rows()]
    assert lignes[0][:5] == ["Identifiant", "Nom prénom", "Type", "Heures", "Mise en œuvre"]
    session = Base(stockage).session_lots("t", "gestionnaire", JOUR)
    session.charger()
    ecran = sorted((l for l in session.lignes_accueil() if COLLEGE in l.uais), key=lambda l: l.nom.casefold())
    assert [r[0] for r in lignes[1:]] == [l.eleve_id for l in ecran] == ["E1", "E2", "E3", "E4"]
    assert lignes[1][1:7] == ["DUPONT Léa", "individuelle", 12, "partielle", datetime(2025, 9, 1),
                              datetime(2026, 8, 31)]
    assert lignes[2][4] == "sans accompagnement"
    assert f.freeze_panes == "A2" and f.auto_filter.ref == f"A1:{chr(64 + len(lignes[0]))}5"


def test_search_sort_and_columns_of_the_command_line(stockage, url_base, capsys):
    monde_listes().ecrire(stockage)
    base = ["--db", url_base, "--today", "2026-01-15", "--json"]
    assert main(["decisions", *base, "--recherche", "Martin e3"]) == 0
    assert [d["eleve_id"] for d in json.loads(capsys.readouterr().out)] == ["E3"]
    assert main(["decisions", *base, "--tri", "mise_en_oeuvre:desc,nom", "--filtre", "type=individuelle"]) == 0
    ordre = [d["eleve_id"] for d in json.loads(capsys.readouterr().out)]
    assert ordre[-1] == "E1"  # the only one partly covered: the lowest priorité, last
    assert main(["aesh", *base, "--colonnes", "nom,actif", "--tri=-nom"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"nom": "MARTIN Anne", "actif": "oui"},
                                                  {"nom": "=1+1 Bob", "actif": "[I]"}]
    assert main(["accompagnements", *base]) == 0
    (acc,) = json.loads(capsys.readouterr().out)
    assert (acc["id"], acc["aesh"], acc["debut"], acc["type"], acc["eleves"]) == (
        "AC1", "MARTIN Anne", "2025-09-01", "individualisé", "DUPONT Léa")
    assert main(["missions", *base, "--filtre", "actif=non"]) == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)] == ["M2"]


def test_unknown_filters_and_columns_are_named(stockage, url_base, capsys):
    monde_listes().ecrire(stockage)
    assert main(["aesh", "--db", url_base, "--filtre", "couleur=bleu", "--json"]) == 1
    assert "filtre « couleur » inconnu pour aesh (filtres : source, commune, transport, actif)" in \
        capsys.readouterr().err
    assert main(["missions", "--db", url_base, "--colonnes", "nom,age", "--json"]) == 1
    assert "colonne « age » inconnue pour missions" in capsys.readouterr().err


def test_a_name_that_is_a_formula_stays_text_in_every_export(stockage, url_base, tmp_path, capsys):
    monde_listes().ecrire(stockage)
    xlsx, csv = tmp_path / "aesh.xlsx", tmp_path / "decisions.csv"
    assert main(["aesh", "--db", url_base, "--xlsx", str(xlsx)]) == 0
    assert main(["decisions", "--db", url_base, "--today", "2026-01-15", "--csv", str(csv)]) == 0
    cellule = next(c for r in openpyxl.load_workbook(xlsx).active.iter_rows() for c in r if c.value == "=1+1 Bob")
    assert cellule.data_type == "s" and cellule.quotePrefix
    lignes = list(csv_module.reader(csv.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    (e6,) = [l for l in lignes if l[0] == "E6"]
    assert e6[1] == f"'{INJECTION} Léo"  # the apostrophe: never a formula
    assert main(["aesh", "--db", url_base, "--xlsx", str(xlsx)]) == 1
    assert "existe déjà : il n'est pas remplacé (--force pour le remplacer)" in capsys.readouterr().err
    assert main(["aesh", "--db", url_base, "--xlsx", str(xlsx), "--force"]) == 0


def test_pial_as_a_spreadsheet(stockage, url_base, tmp_path, capsys):
    monde_listes().ecrire(stockage)
    assert main(["recalcul", "--annee", "2025", "--db", url_base, "--today", "2026-01-15"]) == 0
    chemin = tmp_path / "pial.xlsx"
    assert main(["pial", "--annee", "2025", "--db", url_base, "--today", "2026-01-15", "--xlsx", str(chemin)]) == 0
    lignes = [[c.value for c in r] for r in openpyxl.load_workbook(chemin).active.iter_rows()]
    assert lignes[0] == ["PIAL", "Tête de PIAL", "Déc. individuelles", "Déc. mutualisées", "Heures individuelles",
                         "Besoin (h)", "Moyens (h)", "Couverture", "À jour"]
    assert lignes[1][:4] == [COLLEGE, "Collège Anne de Bretagne", 5, 1]
