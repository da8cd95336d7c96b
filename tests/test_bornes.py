"""Dates and numbers are bounded on every entry path (interchange import,
RH extracts, command line), and a base written before the bounds — a
9999-12-31, an infinite number, written raw — still loads, lists and exports
without a traceback nor an invalid JSON document (issue 8, items 3 and 4)."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from agesh_tui.cli import main
from agesh_tui.engine import calendrier
from agesh_tui.engine.echange.extrait_rh import ExtraitInvalide, colonnes_extrait, lire_extrait
from agesh_tui.engine.echange.format import ImportEchangeError
from agesh_tui.engine.echange.lecture import importer
from monde import D, Monde, contenu
from test_echange import avec, ecrire

TODAY = date(2026, 11, 22)
HORS_PERIODE = "(attendu du 01/01/1950 au 31/12/2100)"
CENT_CHIFFRES = "9" * 400  # float() makes it infinity
MONTRE = "9" * 39 + "…"  # as an error message quotes it


def refuse(store, tmp_path, fichiers) -> list[str]:
    avant = contenu(store)
    with pytest.raises(ImportEchangeError) as exc:
        importer(store, ecrire(tmp_path / "d", fichiers), TODAY)
    assert contenu(store) == avant
    return [str(e) for e in exc.value.erreurs]


# -- the calendar never overflows --------------------------------------------------------

def test_calendar_helpers_saturate_at_the_ends_of_the_calendar():
    assert calendrier.lendemain(date.max) == date.max
    assert calendrier.veille(date.min) == date.min
    assert calendrier.lendemain(D(2026, 8, 31)) == D(2026, 9, 1)
    assert calendrier.veille(D(2026, 9, 1)) == D(2026, 8, 31)
    assert calendrier.fin_annee(calendrier.annee_scolaire(date.max)) == date.max
    assert calendrier.debut_annee(calendrier.annee_scolaire(date.min)) == date.min
    assert calendrier.debut_annee(10000) == date.max
    assert (calendrier.debut_annee(2026), calendrier.fin_annee(2026)) == (D(2026, 9, 1), D(2027, 8, 31))


# -- interchange import: dates --------------------------------------------------------------

DATES = [
    ("decisions.csv", 2, "D1;E1;individuelle;12.5;Première demande;projet cible;2026-09-01;9999-12-31",
     f"decisions.csv:2:8 (fin) : date hors limites 31/12/9999 {HORS_PERIODE}"),
    ("decisions.csv", 2, "D1;E1;individuelle;12.5;Première demande;projet cible;0001-01-01;2028-08-31",
     f"decisions.csv:2:7 (debut) : date hors limites 01/01/0001 {HORS_PERIODE}"),
    ("scolarites.csv", 2, "SC1;E1;0350001A;CM1 A;1949-12-31;",
     f"scolarites.csv:2:5 (debut) : date hors limites 31/12/1949 {HORS_PERIODE}"),
    ("missions.csv", 3, "M2;A2;CDI;HM2D;;0;2026-09-01;2101-01-01;;;previsionnel;1",
     f"missions.csv:3:8 (fin) : date hors limites 01/01/2101 {HORS_PERIODE}"),
    ("affectations_pial.csv", 2, "AF1;M1;0350002B;2026;24;2026-09-01;9999-12-31",
     f"affectations_pial.csv:2:7 (fin) : date hors limites 31/12/9999 {HORS_PERIODE}"),
    ("accompagnements.csv", 2, "AC1;M1;D1;0350001A;2026-09-01;9999-12-31;12.5;1;0;0;0",
     f"accompagnements.csv:2:6 (fin) : date hors limites 31/12/9999 {HORS_PERIODE}"),
    ("eleves.csv", 2, "E1;DUPONT;Léa;1899-12-31;actif;",
     "eleves.csv:2:4 (date_naissance) : date hors limites 31/12/1899 "
     "(attendu du 01/01/1900 au 31/12/2100)"),
    ("eleves.csv", 2, "E1;DUPONT;Léa;2026-11-23;actif;",
     "eleves.csv:2:4 (date_naissance) : date de naissance 23/11/2026 postérieure à "
     "aujourd'hui (22/11/2026)"),
    ("aesh.csv", 2, "A1;EPP;Mme;LEROY;Anne;9999-12-31;1 rue de Paris;35000;Rennes;48.1;-1.6;voiture;0;1",
     "aesh.csv:2:6 (date_naissance) : date hors limites 31/12/9999 "
     "(attendu du 01/01/1900 au 31/12/2100)"),
]  # (file, line, new text of that line, the error expected)


def position(cas) -> str:
    return cas[3].split(" : ")[0]


@pytest.mark.parametrize("fichier, numero, ligne, attendu", DATES, ids=[position(c) for c in DATES])
def test_import_refuses_a_date_out_of_the_plausible_range(stockage, tmp_path, fichier, numero,
                                                          ligne, attendu):
    assert refuse(stockage, tmp_path, avec(fichier, numero, ligne)) == [attendu]


def test_the_bounds_themselves_are_accepted(stockage, tmp_path):
    fichiers = avec("decisions.csv", 2,
                    "D1;E1;individuelle;168;Première demande;projet cible;1950-01-01;2100-12-31")
    fichiers = avec("eleves.csv", 2, "E1;DUPONT;Léa;1900-01-01;actif;", fichiers)
    fichiers = avec("eleves.csv", 3, "E2;MARTIN;Tom;2026-11-22;gele;CMPP Rennes", fichiers)
    fichiers = avec("affectations_pial.csv", 2, "AF1;M1;0350002B;2099;168;2026-09-01;2027-08-31", fichiers)
    assert importer(stockage, ecrire(tmp_path / "d", fichiers), TODAY).ajoutes["decisions.csv"] == 3


# -- interchange import: numbers ------------------------------------------------------------

NOMBRES = [
    ("decisions.csv", 2, f"D1;E1;individuelle;{CENT_CHIFFRES};Première demande;projet cible;2026-09-01;2028-08-31",
     f"decisions.csv:2:4 (heures) : nombre hors limites « {MONTRE} » (attendu entre 0 et 168)"),
    ("decisions.csv", 2, "D1;E1;individuelle;168,5;Première demande;projet cible;2026-09-01;2028-08-31",
     "decisions.csv:2:4 (heures) : nombre hors limites « 168,5 » (attendu entre 0 et 168)"),
    ("missions.csv", 2, f"M1;A1;CDD;HI1D;75;{CENT_CHIFFRES}.5;2026-09-01;2027-08-31;0350001A;0350001A;EPP;1",
     f"missions.csv:2:6 (volume) : nombre hors limites « {MONTRE} » (attendu entre 0 et 168)"),
    ("missions.csv", 2, "M1;A1;CDD;HI1D;100.01;24;2026-09-01;2027-08-31;0350001A;0350001A;EPP;1",
     "missions.csv:2:5 (quotite) : nombre hors limites « 100.01 » (attendu entre 0 et 100)"),
    ("affectations_pial.csv", 2, "AF1;M1;0350002B;2026;169;2026-09-01;2027-08-31",
     "affectations_pial.csv:2:5 (volume) : nombre hors limites « 169 » (attendu entre 0 et 168)"),
    ("affectations_pial.csv", 2, "AF1;M1;0350002B;1949;24;2026-09-01;2027-08-31",
     "affectations_pial.csv:2:4 (annee) : année hors limites 1949 (attendu de 1950 à 2099)"),
    ("accompagnements.csv", 2, f"AC1;M1;D1;0350001A;2026-09-01;2027-07-04;{CENT_CHIFFRES};1;0;0;0",
     f"accompagnements.csv:2:7 (heures) : nombre hors limites « {MONTRE} » (attendu entre 0 et 168)"),
    ("etablissements.csv", 2,
     "0350001A;École Jean Macé;Ecole;Public;35238;Rennes;35000;90.5;-1.68;Rennes Nord;1;0350002B",
     "etablissements.csv:2:8 (latitude) : nombre hors limites « 90.5 » (attendu entre -90 et 90)"),
    ("aesh.csv", 2, "A1;EPP;Mme;LEROY;Anne;1980-05-06;1 rue de Paris;35000;Rennes;48.1;-180.5;voiture;0;1",
     "aesh.csv:2:11 (longitude) : nombre hors limites « -180.5 » (attendu entre -180 et 180)"),
]



@pytest.mark.parametrize("fichier, numero, ligne, attendu", NOMBRES, ids=[position(c) for c in NOMBRES])
def test_import_refuses_a_number_out_of_bounds(stockage, tmp_path, fichier, numero, ligne, attendu):
    assert refuse(stockage, tmp_path, avec(fichier, numero, ligne)) == [attendu]


def test_import_refuses_a_text_cell_longer_than_a_thousand_characters(stockage, tmp_path):
    fichiers = avec("eleves.csv", 2, f"E1;{'D' * 1001};Léa;2015-03-02;actif;")
    assert refuse(stockage, tmp_path, fichiers) == [
        "eleves.csv:2:2 (nom) : texte trop long (1001 caractères, au plus 1000)"
    ]


# -- RH extracts -------------------------------------------------------------------------------

def extrait(tmp_path, *lignes):
    chemin = tmp_path / "epp.csv"
    chemin.write_text("\n".join([";".join(colonnes_extrait("EPP")), *lignes]) + "\n", encoding="utf-8")
    return chemin


def test_rh_extract_dates_and_numbers_are_bounded(tmp_path):
    chemin = extrait(
        tmp_path,
        "E1;Mme;LEROY;Anne;06/05/1980;;;;N;M1;CDI;HP1D;75;;01/09/2024;31/12/9999;;",
        "E2;M.;NOEL;Paul;23/11/2026;;;;N;M2;CDI;HP1D;75;;01/09/2024;;;",
        f"E3;M.;VIEUX;Léo;31/12/1899;;;;N;M3;CDI;HP1D;75;{CENT_CHIFFRES};1949-12-31;;;",
    )
    with pytest.raises(ExtraitInvalide) as exc:
        lire_extrait(chemin, "EPP", TODAY)
    assert [str(e).split(" : ", 1)[1] for e in exc.value.erreurs] == [
        f"date hors limites 31/12/9999 {HORS_PERIODE}",
        "date de naissance 23/11/2026 postérieure à aujourd'hui (22/11/2026)",
        "date hors limites 31/12/1899 (attendu du 01/01/1900 au 31/12/2100)",
        f"nombre hors limites « {MONTRE} » (attendu entre 0 et 48)",
        f"date hors limites 31/12/1949 {HORS_PERIODE}",
    ]


# -- the command line ---------------------------------------------------------------------------

@pytest.mark.parametrize("argv, attendu", [
    (["decisions", "--today", "9999-12-31"], f"argument --today : date hors limites 31/12/9999 {HORS_PERIODE}"),
    (["decisions", "--annee", "99999"], "argument --annee : année hors limites 99999 (attendu de 1950 à 2099)"),
    (["missions", "--annee", "-5"], "argument --annee : année hors limites -5 (attendu de 1950 à 2099)"),
    (["pial", "--annee", "2100"], "argument --annee : année hors limites 2100 (attendu de 1950 à 2099)"),
    (["affectation-auto", "--annee", "1900"], "argument --annee : année hors limites 1900"),
    (["besoin", "--cm", "1", "--hi", "169"],
     "argument --hi : nombre invalide « 169 » (attendu un nombre d'heures de 0 à 168)"),
    (["besoin", "--cm", "1" + "0" * 400], "argument --cm : entier invalide « 1000"),
])
def test_command_line_numbers_and_dates_are_bounded(argv, attendu, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert attendu in err and "Traceback" not in err


def test_an_implausible_today_in_the_environment_is_a_user_error(stockage, url_base, capsys, monkeypatch):
    monkeypatch.setenv("AGESH_TODAY", "9999-12-31")
    assert main(["missions", "--db", url_base]) == 1
    assert capsys.readouterr().err == (
        f"agesh : $AGESH_TODAY invalide : date hors limites 31/12/9999 {HORS_PERIODE}.\n"
    )


# -- a base written before the bounds ----------------------------------------------------------------

def monde_extreme() -> Monde:
    """9999-12-31 and 0001-01-01 wherever a date can be, written raw."""
    m = Monde()
    m.etablissement("0350001A", "Collège A", lat=48.1, lon=-1.7, pial="0350001A")
    m.eleve("E1", "DUPONT", "Léa", scolarites=[("0350001A", D(2026, 9, 1), date.max)])
    m.decision("D1", "E1", "individuelle", 12.0, D(2026, 9, 1), date.max)
    m.decision("D2", "E1", "individuelle", 12.0, date.min, D(2026, 9, 1))
    m.aesh("A1")
    m.mission("M1", "A1", "HI2D", 24.0, D(2026, 9, 1), date.max, employeur="0350001A")
    m.mission("M2", "A1", "HI2D", 24.0, date.max, None, employeur="0350001A")
    m.mission("M3", "A1", "HI2D", 24.0, date.min, None, employeur="0350001A")
    m.affectation("AF1", "M1", "0350001A", 24.0, D(2026, 9, 1), date.max)
    m.accompagnement("AC1", "M1", ["D1"], "0350001A", D(2026, 9, 1), date.max, 12.0)
    return m


def json_de(capsys, argv) -> object:
    assert main(argv) == 0
    sortie = capsys.readouterr()
    assert "Traceback" not in sortie.err
    return json.loads(sortie.out)


def test_a_base_holding_the_last_day_of_the_calendar_still_lists(stockage, url_base, capsys):
    monde_extreme().ecrire(stockage)
    commun = ["--json", "--db", url_base, "--today", "2026-11-22"]
    decisions = {d["id"]: d for d in json_de(capsys, ["decisions", *commun])}
    assert decisions["D1"]["fin"] == "9999-12-31"
    # The last day has no next one: the frise ends the day before it.
    assert decisions["D1"]["segments"][-1]["fin"] == "9999-12-30"
    assert decisions["D1"]["segments"][-1]["etat"] == "complete"
    assert decisions["D2"]["debut"] == "0001-01-01"
    missions = {m["id"]: m for m in json_de(capsys, ["missions", *commun])}
    assert missions["M1"]["occupation"][0] == {
        "debut": "2026-09-01", "fin": "9999-12-30", "heures": 12.0, "etat": "partielle"}
    assert missions["M2"]["debut"] == "9999-12-31" and missions["M3"]["debut"] == "0001-01-01"
    json_de(capsys, ["anomalies", *commun])
    assert json_de(capsys, ["recalcul", "--annee", "2026", *commun]) == {"pial": 1}
    assert json_de(capsys, ["pial", "--annee", "2026", *commun])[0]["pial_uai"] == "0350001A"
    assert json_de(capsys, ["decisions", "--annee", "2099", *commun])[0]["id"] == "D1"


def refuser_constante(constante: str):
    pytest.fail(f"{constante} dans un document JSON")


def test_infinite_numbers_already_stored_never_reach_json_as_infinity(stockage, url_base, capsys):
    m = Monde()
    m.etablissement("0350001A", "Collège A", pial="0350001A")
    m.eleve("E1", scolarites=[("0350001A", D(2026, 9, 1), None)])
    m.decision("D1", "E1", "individuelle", math.inf)
    m.aesh("A1")
    m.mission("M1", "A1", "HI2D", math.inf, D(2026, 9, 1), None)
    m.affectation("AF1", "M1", "0350001A", math.inf)
    m.accompagnement("AC1", "M1", ["D1"], "0350001A", D(2026, 9, 1), D(2027, 7, 4), math.inf)
    m.ecrire(stockage)
    commun = ["--json", "--db", url_base, "--today", "2026-11-22"]
    for argv in (["decisions"], ["missions"], ["recalcul", "--annee", "2026"], ["pial", "--annee", "2026"]):
        assert main([*argv, *commun]) == 0
        sortie = capsys.readouterr()
        json.loads(sortie.out, parse_constant=refuser_constante)  # strict JSON: no Infinity, no NaN
        if argv != ["recalcul", "--annee", "2026"]:
            assert "nombre(s) non fini(s) de la base donné(s) comme null" in sortie.err
    decision = json_de(capsys, ["decisions", *commun])[0]
    assert decision["heures"] is None


def test_export_refuses_an_infinite_number_and_writes_nothing(stockage, url_base, tmp_path, capsys):
    m = Monde()
    m.aesh("A1")
    m.mission("M1", "A1", "HI2D", math.inf, D(2026, 9, 1), None)
    m.ecrire(stockage)
    assert main(["export", str(tmp_path / "out"), "--db", url_base]) == 1
    err = capsys.readouterr().err
    assert err == (
        "agesh : export refusé, rien n'a été écrit : missions.csv, ligne « M1 », colonne volume : "
        "nombre non fini (inf) dans la base ; corrigez cette valeur (dans l'application, ou par "
        "un import du format d'échange) puis exportez de nouveau\n"
    )
    assert not (tmp_path / "out").exists()


def test_export_refuses_a_date_out_of_bounds_already_stored_and_writes_nothing(stockage, url_base, tmp_path,
                                                                               capsys):
    """What the export writes, its import reads back: a 9999-12-31 stored
    before the bounds is named, not written into a folder the import refuses."""
    monde_extreme().ecrire(stockage)
    assert main(["export", str(tmp_path / "out"), "--db", url_base]) == 1
    err = capsys.readouterr().err
    assert err.startswith("agesh : export refusé, rien n'a été écrit : scolarites.csv, ligne « ")
    assert "colonne fin : date hors limites 31/12/9999 (attendu du 01/01/1950 au 31/12/2100) dans la base" in err
    assert not (tmp_path / "out").exists()


def test_propositions_on_a_base_holding_infinite_numbers_say_so_in_french(stockage, url_base, capsys):
    m = Monde()
    m.etablissement("0350001A", "Collège A", lat=48.1, lon=-1.7, pial="0350001A")
    m.eleve("E1", scolarites=[("0350001A", D(2026, 9, 1), None)])
    m.decision("D1", "E1", "individuelle", math.inf)
    m.eleve("E2", scolarites=[("0350001A", D(2026, 9, 1), None)])
    m.decision("D2", "E2", "individuelle", 6.0)
    m.aesh("A1", lat=48.11, lon=-1.69)
    m.mission("M1", "A1", "HI2D", math.inf, D(2026, 9, 1), None, employeur="0350001A")
    m.affectation("AF1", "M1", "0350001A", math.inf)
    m.aesh("A2", lat=48.12, lon=-1.68)
    m.mission("M2", "A2", "HI2D", 24.0, D(2026, 9, 1), None, employeur="0350001A")
    m.affectation("AF2", "M2", "0350001A", 24.0)
    m.ecrire(stockage)
    code = main(["propositions", "--json", "--annee", "2026", "--db", url_base, "--today", "2026-11-22"])
    sortie = capsys.readouterr()
    assert "Traceback" not in sortie.err and "HiGHS" not in sortie.err
    assert code == 0, sortie.err
    plan = json.loads(sortie.out, parse_constant=refuser_constante)
    texte = json.dumps(plan, ensure_ascii=False)
    assert "heures notifiées invalides dans la base (inf) : corrigez la décision." in texte
    # D2 is still served, by the mission whose volume is a number.
    assert "M2" in texte and "M1" not in texte
