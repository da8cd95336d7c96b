"""``agesh copier --vers``: a whole base (users, secrets, journal, messages,
preferences, aggregates) into an empty one of either engine — the README's
way from SQLite to a shared PostgreSQL server."""

from __future__ import annotations

from agesh_tui.cli import main
from agesh_tui.engine.stockage import ouvrir
from monde import contenu

JOUR = "2026-11-22"


def _lire(url) -> dict[str, list[tuple]]:
    store = ouvrir(url)
    try:
        tout = contenu(store)
    finally:
        store.fermer()
    # The change counter and the schema version belong to a base, not to its data.
    tout["meta"] = [r for r in tout["meta"] if r[0] not in ("changements", "version_schema")]
    return tout


def _fichiers(dossier) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dossier.iterdir())}


def test_copier_moves_everything_and_the_users_keep_their_code(url_base, tmp_path, capsys, cle_temporaire):
    source = tmp_path / "source.sqlite3"
    assert main(["demo", "--taille", "S", "--seed", "7", "--db", str(source), "--today", JOUR]) == 0
    avant = _lire(source)
    assert avant["utilisateur"] and avant["journal"], "the demo must carry users and a journal"
    capsys.readouterr()

    assert main(["copier", "--db", str(source), "--vers", url_base, "--json"]) == 0
    assert '"utilisateur": 2' in capsys.readouterr().out
    assert _lire(url_base) == avant

    # Same key file: the same code on both bases, so nobody re-enrols (read
    # twice in a row at most twice: a 30 s step may fall between them once).
    codes = []
    for _ in range(2):
        for url in (str(source), url_base):
            assert main(["otp", "demo.gestionnaire", "--db", url, "--today", JOUR]) == 0
        codes = capsys.readouterr().out.split()
        if codes[0] == codes[1]:
            break
    assert len(codes) == 2 and codes[0] == codes[1] and codes[0].isdigit()

    # The interchange export reads the same from either.
    for url, dossier in ((str(source), tmp_path / "export-source"), (url_base, tmp_path / "export-cible")):
        assert main(["export", str(dossier), "--db", url, "--today", JOUR]) == 0
    assert _fichiers(tmp_path / "export-source") == _fichiers(tmp_path / "export-cible")


def test_copier_into_a_base_that_holds_data_writes_nothing(url_base, tmp_path, capsys, cle_temporaire):
    source = tmp_path / "source.sqlite3"
    assert main(["demo", "--taille", "S", "--seed", "7", "--db", str(source), "--today", JOUR]) == 0
    assert main(["copier", "--db", str(source), "--vers", url_base]) == 0
    cible_avant = _lire(url_base)
    capsys.readouterr()

    assert main(["copier", "--db", str(source), "--vers", url_base]) == 1
    err = capsys.readouterr().err
    assert "n'est pas vide" in err and "rien n'a été écrit" in err and "Traceback" not in err
    assert _lire(url_base) == cible_avant
