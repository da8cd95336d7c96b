"""Files read and written (issue 8, items 2, 7 and 11): exports private
whatever the umask and never through a planted link, all targets checked
before the first is written; inputs that are links, FIFOs or folders
refused without echoing what they point to; file names with the wrong case
refused, saying what was expected and what was found."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from agesh_tui.cli import main
from agesh_tui.commands import otp
from agesh_tui.engine.echange.extrait_rh import SynchroRHError, colonnes_extrait, lire_extrait
from agesh_tui.engine.echange.format import FICHIERS, EchangeError, ImportEchangeError
from agesh_tui.engine.echange.lecture import importer
from agesh_tui.engine.echange.referentiel import ReferentielError, chemin_demo, lire_annuaire
from agesh_tui.engine.fichiers import FichierRefuse, ecrire_prives
from monde import contenu
from test_echange import VALIDE, ecrire

pytestmark = pytest.mark.skipif(os.name != "posix", reason="droits et liens POSIX")

SECRET = "root:x:0:0:SECRET-DU-SYSTEME:/root:/bin/bash"


@pytest.fixture
def peuple(stockage, tmp_path):
    importer(stockage, ecrire(tmp_path / "valide", VALIDE))
    return stockage


@pytest.fixture
def systeme(tmp_path):
    """A file the application was never given (say /etc/passwd)."""
    chemin = tmp_path / "systeme" / "passwd"
    chemin.parent.mkdir()
    chemin.write_text(SECRET + "\n")
    return chemin


# -- the umask ---------------------------------------------------------------------------

def test_a_command_runs_under_umask_077_whatever_the_callers(monkeypatch, capsys):
    vus = []

    def noter(args):
        vus.append(os.umask(0o077))
        return 0

    monkeypatch.setattr(otp, "run", noter)
    ancien = os.umask(0o000)
    try:
        assert main(["otp", "demo.gestionnaire"]) == 0
        assert os.umask(0o000) == 0o000  # the caller's umask is given back
    finally:
        os.umask(ancien)
    assert vus == [0o077]


def test_an_export_is_private_under_umask_000(peuple, url_base, tmp_path):
    """`agesh export` in a process whose umask is 000: files 600, every
    folder it creates 700."""
    dossier = tmp_path / "partage" / "exports" / "2026"
    subprocess.run(
        [sys.executable, "-m", "agesh_tui", "export", str(dossier), "--db", url_base],
        check=True, capture_output=True, preexec_fn=lambda: os.umask(0o000),
        env={**os.environ, "AGESH_TODAY": "2026-11-22"},
    )
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in dossier.iterdir()}
    assert modes == {f.nom: 0o600 for f in FICHIERS}
    for d in (dossier, dossier.parent, dossier.parent.parent):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d


def test_help_says_where_group_sharing_is_documented(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    aide = " ".join(capsys.readouterr().out.split())
    assert "Pour partager une base SQLite au sein d'un groupe Unix, délibérément, voir docs/securite.md" in aide


# -- exports never follow a planted link ------------------------------------------------------

def test_an_export_refused_for_one_planted_link_writes_nothing(peuple, tmp_path, systeme):
    dossier = tmp_path / "out"
    dossier.mkdir()
    os.symlink(systeme, dossier / "proches.csv")  # not the first file: others come before it
    with pytest.raises(EchangeError, match="proches.csv est un lien symbolique"):
        from agesh_tui.engine.echange.ecriture import exporter

        exporter(peuple, dossier)
    assert systeme.read_text() == SECRET + "\n"
    assert sorted(p.name for p in dossier.iterdir()) == ["proches.csv"]  # nothing else written
    assert (dossier / "proches.csv").is_symlink()


def test_a_planted_temporary_link_is_never_written_through(peuple, tmp_path, systeme):
    from agesh_tui.engine.echange.ecriture import exporter

    dossier = tmp_path / "out"
    dossier.mkdir()
    for fichier in FICHIERS:
        os.symlink(systeme, dossier / f".{fichier.nom}.tmp")
    exporter(peuple, dossier)
    assert systeme.read_text() == SECRET + "\n"
    assert not any((dossier / f.nom).is_symlink() for f in FICHIERS)


def test_an_export_refuses_a_folder_in_place_of_a_file(peuple, tmp_path):
    from agesh_tui.engine.echange.ecriture import exporter

    (tmp_path / "out" / "decisions.csv").mkdir(parents=True)
    with pytest.raises(EchangeError, match="decisions.csv n'est pas un fichier ordinaire"):
        exporter(peuple, tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["decisions.csv"]


# -- inputs that are links, FIFOs, folders -------------------------------------------------------

def refus_import(store, dossier) -> str:
    avant = contenu(store)
    with pytest.raises(EchangeError) as exc:
        importer(store, dossier)
    assert contenu(store) == avant
    return str(exc.value)


def test_an_import_file_that_is_a_link_is_refused_without_echo(peuple, tmp_path, systeme):
    dossier = ecrire(tmp_path / "d", {k: v for k, v in VALIDE.items() if k != "eleves.csv"})
    os.symlink(systeme, dossier / "eleves.csv")
    message = refus_import(peuple, dossier)
    assert "eleves.csv est un lien symbolique : il n'est pas lu" in message
    assert "SECRET" not in message and "/bin/bash" not in message


def test_a_file_of_something_else_is_refused_without_echo(peuple, tmp_path, systeme):
    """A copy of a system file under an expected name: its header is not
    quoted back."""
    dossier = ecrire(tmp_path / "d", {"eleves.csv": [SECRET]})
    with pytest.raises(ImportEchangeError) as exc:
        importer(peuple, dossier)
    assert [str(e) for e in exc.value.erreurs] == [
        "eleves.csv:1 : en-tête non reconnu : aucune des colonnes attendues "
        "(id, nom, prenom, date_naissance, etat_dossier, structure_soin)"
    ]
    assert "SECRET" not in str(exc.value)


@pytest.mark.parametrize("sorte", ["fifo", "dossier"])
def test_a_fifo_or_a_folder_under_an_expected_name_is_refused(peuple, tmp_path, sorte):
    dossier = ecrire(tmp_path / "d", {k: v for k, v in VALIDE.items() if k != "eleves.csv"})
    if sorte == "fifo":
        os.mkfifo(dossier / "eleves.csv")  # reading it would never end
    else:
        (dossier / "eleves.csv").mkdir()
    assert "eleves.csv n'est pas un fichier ordinaire : il n'est pas lu" in refus_import(peuple, dossier)


def test_rh_extract_and_referentiel_that_are_links_are_refused(tmp_path, systeme):
    extrait = tmp_path / "epp.csv"
    extrait.write_text(";".join(colonnes_extrait("EPP")) + "\n")
    lien = tmp_path / "lien-epp.csv"
    os.symlink(extrait, lien)
    with pytest.raises(SynchroRHError, match="est un lien symbolique : il n'est pas lu"):
        lire_extrait(lien, "EPP")
    lien = tmp_path / "lien-annuaire.csv"
    os.symlink(chemin_demo() / "fr-en-annuaire-education-035.csv", lien)
    with pytest.raises(ReferentielError, match="est un lien symbolique : il n'est pas lu") as exc:
        lire_annuaire(lien)
    os.mkfifo(tmp_path / "fifo.csv")
    with pytest.raises(ReferentielError, match="n'est pas un fichier ordinaire"):
        lire_annuaire(tmp_path / "fifo.csv")
    assert "Identifiant" not in str(exc.value)


# -- file names --------------------------------------------------------------------------------

def test_a_name_with_the_wrong_case_is_refused_saying_what_was_expected(peuple, tmp_path):
    fichiers = dict(VALIDE)
    fichiers["Eleves.CSV"] = fichiers.pop("eleves.csv")
    fichiers["decisions.csv "] = fichiers.pop("decisions.csv")
    message = refus_import(peuple, ecrire(tmp_path / "d", fichiers))
    assert "fichier « Eleves.CSV » trouvé : le nom attendu est « eleves.csv » " in message
    assert "fichier « decisions.csv » trouvé : le nom attendu est « decisions.csv » " in message


def test_a_folder_without_any_expected_file_says_what_it_found(stockage, tmp_path):
    dossier = tmp_path / "d"
    dossier.mkdir()
    (dossier / "notes.txt").write_text("x")
    (dossier / "eleve.csv").write_text("x")
    message = refus_import(stockage, dossier)
    assert message.endswith("trouvés : eleve.csv, notes.txt)")
    assert "attendus : etablissements.csv, secteurs.csv," in message


def test_many_files_written_several_at_a_time_are_whole_and_private(tmp_path):
    fichiers = [(tmp_path / f"f{i}.bin", bytes([i % 256]) * (1000 + i)) for i in range(60)]
    ecrire_prives(iter(fichiers))
    for chemin, data in fichiers:
        assert chemin.read_bytes() == data and stat.S_IMODE(chemin.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(c.name for c, _ in fichiers)  # no temporary left


def test_many_files_stop_at_the_first_refusal_and_never_follow_a_link(tmp_path, systeme):
    piege = tmp_path / "f3.bin"
    os.symlink(systeme, piege)
    with pytest.raises(FichierRefuse, match="f3.bin est un lien symbolique"):
        ecrire_prives((tmp_path / f"f{i}.bin", b"x") for i in range(50))
    assert systeme.read_text() == SECRET + "\n" and piege.is_symlink()
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
