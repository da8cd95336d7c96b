"""The documents (SPEC F14, §2.3 rule 10, §5): ``agesh pv`` and ``agesh
synthese`` — what the PDFs say (read back with pypdf), that they render,
that they are byte-identical from one run to the next, the refusal naming
the missing cartouche fields, files never replaced without --force — and
the pure counts of Accompagnement par établissement (regles.etablissements)."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from agesh_tui.cli import main
from agesh_tui.engine.demo.ecriture import CARTOUCHE
from agesh_tui.engine.regles.etablissements import (
    comptes_etablissements,
    comptes_pial,
    eleves_notifies,
)
from agesh_tui.engine.stockage.utilisateurs import ajouter, coordonnees
from base_app import NOM_PIEGE, monde_app

TODAY = "2026-11-22"


def monde(cartouche: dict[str, str] | None = None):
    m = monde_app()
    m.cartouche = dict(CARTOUCHE if cartouche is None else cartouche)
    return m


def texte_pdf(chemin) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(chemin).pages)


def agesh(*args: str) -> int:
    return main([*args, "--today", TODAY])


def test_pv_says_who_where_when_and_the_cartouche(stockage, url_base, tmp_path):
    monde().ecrire(stockage)
    cible = tmp_path / "pv.pdf"
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base) == 0
    texte = texte_pdf(cible)
    for attendu in ("Procès-verbal d’affectation", "MOREAU Claire", "DUPONT Léa", "14/03/2013",
                    "6e B", "Collège Anne de Bretagne (0350001A)", "du 02/11/2026 au 04/07/2027",
                    "24 h", "individuelle, 24 h", "Académie de Rennes", "1 quai Dujardin",
                    "35705 Rennes Cedex 7", "Hélène Le Gall", "ce.dsden35-aesh@ac-rennes.fr"):
        assert attendu in texte, attendu
    # The sentence agrees with the AESH's civilité and the one pupil.
    assert "MOREAU Claire est affectée auprès de l’élève ci-dessus" in " ".join(texte.split())
    assert os.stat(cible).st_mode & 0o777 == 0o600


def test_pv_warns_when_affaire_suivie_par_has_no_coordonnees(stockage, url_base, tmp_path, capsys):
    """Run as a system user the base does not know, the PV names that login
    alone: said on stderr, with the way out; --auteur of a gestionnaire with
    coordonnées puts them on the PV, and nothing is said."""
    monde().ecrire(stockage)
    ajouter(stockage, "h.legall", "Hélène Le Gall", ("gestionnaire",))
    with stockage.ecriture() as tx:
        coordonnees(tx, "h.legall", "helene.le-gall@ac-rennes.fr", "02 99 00 00 01", "")
    cible = tmp_path / "pv.pdf"
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base, "--auteur", "inconnu.x") == 0
    erreur = capsys.readouterr().err
    assert "« Affaire suivie par » ne donne que « inconnu.x », sans coordonnées" in erreur
    assert "--auteur LOGIN" in erreur
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base, "--auteur", "h.legall",
                 "--force") == 0
    assert capsys.readouterr().err == ""
    texte = texte_pdf(cible)
    assert "Hélène Le Gall" in texte and "helene.le-gall@ac-rennes.fr" in texte


def test_pv_is_refused_naming_the_missing_cartouche_fields(stockage, url_base, tmp_path, capsys):
    incomplet = {k: v for k, v in CARTOUCHE.items() if k not in ("signataire", "ville")}
    monde(incomplet).ecrire(stockage)
    cible = tmp_path / "pv.pdf"
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base) == 1
    erreur = capsys.readouterr().err
    assert "cartouche courrier" in erreur and "ville, signataire" in erreur
    assert not cible.exists()


def test_an_existing_file_is_replaced_only_with_force(stockage, url_base, tmp_path, capsys):
    monde().ecrire(stockage)
    cible = tmp_path / "pv.pdf"
    cible.write_bytes(b"ancien")
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base) == 1
    assert "--force" in capsys.readouterr().err
    assert cible.read_bytes() == b"ancien"
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base, "--force") == 0
    assert cible.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("cas", ["dossier_absent", "dossier_est_un_fichier", "cible_est_un_dossier"])
def test_a_pv_that_cannot_be_written_says_why_in_french(cas, stockage, url_base, tmp_path, capsys):
    monde().ecrire(stockage)
    (tmp_path / "fichier").write_text("")
    (tmp_path / "dossier.pdf").mkdir()
    cible, raison = {
        "dossier_absent": (tmp_path / "absent" / "pv.pdf", "dossier ou fichier inexistant : vérifiez le chemin"),
        "dossier_est_un_fichier": (tmp_path / "fichier" / "pv.pdf",
                                   "une partie du chemin n'est pas un dossier : vérifiez le chemin"),
        "cible_est_un_dossier": (tmp_path / "dossier.pdf", "dossier.pdf n'est pas un fichier ordinaire"),
    }[cas]
    assert agesh("pv", "AC1", "-o", str(cible), "--db", url_base, "--force") == 1
    erreur = capsys.readouterr().err
    assert raison in erreur, erreur


def test_unknown_accompagnement(stockage, url_base, tmp_path, capsys):
    monde().ecrire(stockage)
    assert agesh("pv", "AC99", "-o", str(tmp_path / "x.pdf"), "--db", url_base) == 1
    assert "accompagnement « AC99 » introuvable" in capsys.readouterr().err
    assert agesh("pv", "", "-o", str(tmp_path / "x.pdf"), "--db", url_base) == 1
    assert capsys.readouterr().err == "agesh : accompagnement «  » introuvable.\n"
    assert agesh("synthese", "", "-o", str(tmp_path / "x.pdf"), "--db", url_base) == 1
    assert "établissement «  » inconnu de la base" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_pv_help_says_what_each_argument_is(capsys):
    with pytest.raises(SystemExit):
        main(["pv", "--help"])
    aide = " ".join(capsys.readouterr().out.split())
    assert "ACCOMPAGNEMENT_ID identifiant de l'accompagnement" in aide
    assert "FICHIER.pdf fichier PDF à écrire" in aide
    assert "--auteur LOGIN gestionnaire nommé sous « Affaire suivie par »" in aide
    assert "journal" not in aide


def test_synthese_lists_pupils_their_aesh_and_counts(stockage, url_base, tmp_path):
    monde().ecrire(stockage)
    cible = tmp_path / "s.pdf"
    assert agesh("synthese", "0350003c", "-o", str(cible), "--db", url_base) == 0
    texte = texte_pdf(cible)
    # Lycée Chateaubriand: MARTIN Hugo (individuelle 12 h), PETIT Jean 6 h (AC2).
    for attendu in ("Synthèse des accompagnements", "Lycée Chateaubriand", "0350003C", "hors PIAL",
                    "MARTIN Hugo", "2nde 3", "individuelle 12 h", "PETIT Jean (6 h)",
                    "situation au 22/11/2026"):
        assert attendu in texte, attendu


def test_data_is_printed_as_typed_never_as_markup(stockage, url_base, tmp_path):
    monde().ecrire(stockage)
    cible = tmp_path / "s.pdf"
    # École Bourg-l'Évêque holds the pupil whose name is markup and an escape sequence.
    assert agesh("synthese", "0350002B", "-o", str(cible), "--db", url_base) == 0
    texte = texte_pdf(cible)
    assert NOM_PIEGE in texte and "\x1b" not in texte


def test_documents_are_byte_identical_from_run_to_run(stockage, url_base, tmp_path):
    monde().ecrire(stockage)
    for commande, cle in (("pv", "AC1"), ("synthese", "0350001A")):
        a, b = tmp_path / f"{commande}-a.pdf", tmp_path / f"{commande}-b.pdf"
        assert agesh(commande, cle, "-o", str(a), "--db", url_base) == 0
        assert agesh(commande, cle, "-o", str(b), "--db", url_base) == 0
        assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("commande,cle", [("pv", "AC1"), ("synthese", "0350001A")])
def test_a_page_renders_to_png(stockage, url_base, tmp_path, commande, cle):
    monde().ecrire(stockage)
    pdf = tmp_path / "d.pdf"
    assert agesh(commande, cle, "-o", str(pdf), "--db", url_base) == 0
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "p")], check=True)
    (png,) = tmp_path.glob("p*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- the counts (pure) ------------------------------------------------------------------------
def test_counts_per_etablissement_and_pial():
    dep = monde().departement()
    jour = date(2026, 11, 22)
    comptes = comptes_etablissements(dep, jour, dep.decisions.values(), list(dep.etablissements))
    # 0350001A: D1 individuelle, AC1 (MOREAU). 0350002B: D2 and D4 mutualisées, AC3 not yet
    # begun (January). 0350003C: D3 individuelle, AC2 (PETIT).
    assert (comptes["0350001A"].individuelles, comptes["0350001A"].accompagnements) == (1, 1)
    assert (comptes["0350002B"].mutualisees, comptes["0350002B"].accompagnements) == (2, 0)
    assert comptes["0350003C"].aesh == frozenset({"A2"})
    pial = comptes_pial(dep, comptes)
    assert set(pial) == {"0350001A"}  # 0350003C is hors PIAL
    assert (pial["0350001A"].decisions, pial["0350001A"].aesh) == (3, frozenset({"A1"}))


def test_an_aesh_in_two_schools_of_a_pial_counts_once():
    dep = monde().departement()
    jour = date(2027, 2, 1)  # AC1 (0350001A) and AC3 (0350002B), both by MOREAU (M1)
    comptes = comptes_etablissements(dep, jour, dep.decisions.values(), list(dep.etablissements))
    assert len(comptes["0350001A"].aesh) + len(comptes["0350002B"].aesh) == 2
    assert comptes_pial(dep, comptes)["0350001A"].aesh == frozenset({"A1"})


def test_a_pupil_without_scolarite_that_day_belongs_nowhere():
    m = monde()
    m.scolarites["SE1"].fin = date(2026, 10, 31)
    dep = m.departement()
    notifies = eleves_notifies(dep, date(2026, 11, 22), dep.decisions.values())
    assert "E1" not in {e.eleve_id for eleves in notifies.values() for e in eleves}
