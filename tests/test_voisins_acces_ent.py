"""``agesh acces-ent`` (SPEC §6): between two days, one AESH starts, one
ends, one changes classe — the « ajouter » and « retirer » lines exact —
with the accounts CSV, the PDF procedure (its text read back) and the JSON
read again by ``--depuis``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from agesh_tui.cli import main
from agesh_tui.engine.regles.acces_ent import AccesAesh, comparer
from monde_voisins import ANNEE, AUTRE_COLLEGE, COLLEGE, monde_voisins

AVANT, APRES = date(2026, 1, 15), date(2026, 3, 16)
FIN = date(2026, 8, 31)


def monde_ent():
    m = monde_voisins()
    for ident, nom, prenom, civilite in (("A1", "MARTIN", "Anne", "Mme"), ("A2", "BERNARD", "Sophie", "Mme"),
                                         ("A3", "ROBERT", "Luc", "M."), ("A4", "PETIT", "Marie", "Mme")):
        m.aesh(ident, nom, prenom, civilite=civilite, date_naissance=date(1980, 1, int(ident[1:])))
        m.mission(f"M{ident[1:]}", ident, "HI2D", 41.0, date(2020, 9, 1))
    m.accompagnement("AC1", "M1", ["D1"], COLLEGE, ANNEE, FIN, 6)  # A1: all year, classe 301
    m.accompagnement("AC2", "M2", ["D2"], COLLEGE, date(2026, 2, 1), FIN, 6)  # A2 starts (401)
    m.accompagnement("AC3", "M3", ["D3"], COLLEGE, ANNEE, date(2026, 1, 31), 6)  # A3 ends (501)
    m.accompagnement("AC4", "M4", ["D4"], COLLEGE, ANNEE, date(2026, 1, 31), 6)  # A4: 502…
    m.accompagnement("AC5", "M4", ["D1"], COLLEGE, date(2026, 2, 1), FIN, 6)  # … then 301
    return m


def _run(url_base, sortie, jour, capsys, *extra):
    assert main(["acces-ent", COLLEGE, "--date", jour.isoformat(), "-o", str(sortie), "--db", url_base,
                 "--today", "2026-03-16", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _lignes(doc, quoi):
    return [(c["aesh_id"], c["groupes"], c["classes"], c["motif"]) for c in doc[quoi]]


def test_two_runs_across_a_start_an_end_and_a_change_of_classe(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    sortie = tmp_path / "ent"
    premier = _run(url_base, sortie, AVANT, capsys)
    assert premier["depuis"] is None and premier["retirer"] == []
    assert _lignes(premier, "ajouter") == [
        ("A1", ["GD_AESH (AVS)"], ["301"], "nouvel accompagnement"),
        ("A4", ["GD_AESH (AVS)"], ["502"], "nouvel accompagnement"),
        ("A3", ["GD_AESH (AVS)"], ["501"], "nouvel accompagnement"),
    ]  # by nom: MARTIN, PETIT, ROBERT
    second = _run(url_base, sortie, APRES, capsys, "--depuis", str(sortie))
    assert second["depuis"] == AVANT.isoformat()
    assert _lignes(second, "ajouter") == [
        ("A2", ["GD_AESH (AVS)"], ["401"], "nouvel accompagnement"),
        ("A4", [], ["301"], "nouvelle classe"),
    ]
    assert _lignes(second, "retirer") == [
        ("A4", [], ["502"], "classe quittée"),
        ("A3", ["GD_AESH (AVS)"], ["501"], "fin d'accompagnement"),
    ]
    assert second["espaces_classes"] == {"ouvrir": ["401"], "fermer": ["501", "502"]}
    assert [(a["aesh_id"], a["classes"]) for a in second["acces"]] == [("A2", ["401"]), ("A1", ["301"]),
                                                                       ("A4", ["301"])]
    noms = sorted(p.name for p in sortie.iterdir())
    assert noms == [f"acces-ent-{COLLEGE}-{j}.{x}" for j in ("2026-01-15", "2026-03-16")
                    for x in ("csv", "json", "pdf")]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in sortie.iterdir())
    # The JSON written is what was printed: the next --depuis reads it.
    assert json.loads((sortie / f"acces-ent-{COLLEGE}-2026-03-16.json").read_text()) == second


def test_the_accounts_csv(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    _run(url_base, tmp_path, APRES, capsys)
    texte = (tmp_path / f"acces-ent-{COLLEGE}-2026-03-16.csv").read_bytes().decode("utf-8")
    assert texte.splitlines() == [
        "\ufeffnom;prenom;datedenaissance;fonction;classe;email",
        "BERNARD;Sophie;02/01/1980;ASS EDUCATION-AUXILIAIRE DE VIE SCOLAIRE;401;",
        "MARTIN;Anne;01/01/1980;ASS EDUCATION-AUXILIAIRE DE VIE SCOLAIRE;301;",
        "PETIT;Marie;04/01/1980;ASS EDUCATION-AUXILIAIRE DE VIE SCOLAIRE;301;",
    ]


def _texte_pdf(chemin) -> str:
    pages = PdfReader(chemin).pages
    return " ".join(" ".join(p.extract_text().replace("\xa0", " ").split()) for p in pages)


def test_the_entmip_procedure_names_who_and_which_classes(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    _run(url_base, tmp_path, AVANT, capsys)
    _run(url_base, tmp_path, APRES, capsys, "--depuis", str(tmp_path / f"acces-ent-{COLLEGE}-2026-01-15.json"))
    chemin = tmp_path / f"acces-ent-{COLLEGE}-2026-03-16.pdf"
    texte = _texte_pdf(chemin)
    for attendu in (
        "Accès ENT MIP des AESH",
        f"Collège Anne de Bretagne ({COLLEGE}) — situation au 16/03/2026, changements depuis le 15/01/2026",
        "Mme BERNARD Sophie GD_AESH (AVS) 401 nouvel accompagnement",
        "M. ROBERT Luc GD_AESH (AVS) 501 fin d’accompagnement",
        "Mme PETIT Marie — 502 classe quittée",
        "nom « GD_AESH (AVS) »", "rôle « CPE »", "« Messagerie interne »",
        "Classe 401 › Espace AESH 401",
        "fonction « ASS EDUCATION-AUXILIAIRE DE VIE SCOLAIRE »",
        "« S0074 - AIDE ACCUEIL INTEGRATION HANDICAPES »",
        "retirer l’accès élèves et parents",
    ):
        assert attendu in texte, attendu
    # The rights A to F of seed 001, each once (« D, E, F : » introduces the last three).
    assert re.findall(r"(?<!, )\b([A-F]) :", texte) == list("ABCDEF")
    assert re.search(r"page 1 / \d", texte) and "Document établi le 16/03/2026" in texte
    assert PdfReader(chemin).metadata.title == "Accès ENT MIP des AESH"


def test_the_toutatice_procedure_follows_seed_000(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    _run(url_base, tmp_path, AVANT, capsys, "--ent", "toutatice")
    texte = _texte_pdf(tmp_path / f"acces-ent-{COLLEGE}-2026-01-15.pdf")
    for attendu in ("Accès Toutatice des AESH", "« Gestion des groupes »",
                    "le profil « Assistants d’éducation - Soutien au Handicap »", "« Gérer les membres »",
                    "« Toute l’académie »", "au groupe « Invités Moodle »", "Mme MARTIN Anne : 301"):
        assert attendu in texte, attendu
    assert "GD_AESH" not in texte


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_a_page_renders_to_png(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    _run(url_base, tmp_path, AVANT, capsys)
    pdf = tmp_path / f"acces-ent-{COLLEGE}-2026-01-15.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    (png,) = tmp_path.glob("p*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_existing_files_are_kept_without_force(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    _run(url_base, tmp_path, AVANT, capsys)
    pdf = tmp_path / f"acces-ent-{COLLEGE}-2026-01-15.pdf"
    avant = pdf.read_bytes()
    pdf.write_bytes(b"mon annotation")
    assert main(["acces-ent", COLLEGE, "--date", "2026-01-15", "-o", str(tmp_path), "--db", url_base]) == 1
    assert "existe déjà : rien n'a été écrit (--force pour le remplacer)" in capsys.readouterr().err
    assert pdf.read_bytes() == b"mon annotation"
    _run(url_base, tmp_path, AVANT, capsys, "--force")
    assert pdf.read_bytes() == avant  # the same day and data give the same bytes


def test_a_previous_run_of_another_etablissement_is_refused(stockage, url_base, tmp_path, capsys):
    monde_ent().ecrire(stockage)
    autre = tmp_path / "autre.json"
    autre.write_text(json.dumps({"format": "agesh-acces-ent", "version": 1, "uai": "0350002B",
                                 "date": "2026-01-01", "ent": "entmip", "acces": []}))
    assert main(["acces-ent", COLLEGE, "-o", str(tmp_path / "o"), "--db", url_base, "--depuis", str(autre)]) == 1
    assert "concerne l'établissement 0350002B, pas 0350001A" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("contenu,message", [
    ('{"format": "agesh-acces-ent", "version": 1,\n "uai": ', "autre.json:2:9 : JSON invalide"),
    ("[" * 100_000, "JSON trop imbriqué"),
    ('{"format": "autre"}', "champ « format » différent"),
    ('{"format": "agesh-acces-ent", "version": 1, "uai": "0350001A", "date": "2026-01-01", "ent": "entmip",'
     ' "acces": [{"aesh_id": "A1", "nom": "X", "prenom": "Y", "classes": "301"}]}',
     "« acces[0].classes » : liste"),
])
def test_a_hostile_previous_run_is_refused(stockage, url_base, tmp_path, capsys, contenu, message):
    monde_ent().ecrire(stockage)
    autre = tmp_path / "autre.json"
    autre.write_text(contenu)
    assert main(["acces-ent", COLLEGE, "-o", str(tmp_path / "o"), "--db", url_base, "--depuis", str(autre)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_inactive_aesh_is_removed_as_such():
    avant = [AccesAesh("A1", "Mme", "MARTIN", "Anne", None, ("301",)),
             AccesAesh("A2", "Mme", "BERNARD", "Sophie", None, ("401",))]
    ajouter, retirer = comparer(avant, avant[1:], ("GD_AESH (AVS)",), inactifs={"A1"})
    assert ajouter == []
    assert [(c.aesh_id, c.groupes, c.classes, c.motif) for c in retirer] == [
        ("A1", ("GD_AESH (AVS)",), ("301",), "AESH inactif")]


def test_a_procedure_that_cannot_be_laid_out_writes_nothing(stockage, url_base, tmp_path, capsys,
                                                             monkeypatch):
    # Every procedure is laid out before the first file is written: the
    # second établissement's failure leaves nothing of the first behind.
    from agesh_tui.documents import procedure_ent

    monde_ent().ecrire(stockage)
    mise_en_page = procedure_ent.procedure_pdf

    def echoue_au_second(acces, fait_le):
        if acces.uai != COLLEGE:
            raise RuntimeError("mise en page impossible")
        return mise_en_page(acces, fait_le)

    monkeypatch.setattr(procedure_ent, "procedure_pdf", echoue_au_second)
    sortie = tmp_path / "ent"
    with pytest.raises(RuntimeError, match="mise en page impossible"):
        main(["acces-ent", COLLEGE, AUTRE_COLLEGE, "--date", AVANT.isoformat(), "-o", str(sortie),
              "--db", url_base, "--today", "2026-03-16"])
    assert not sortie.exists()
