"""The command line itself: French usage errors with status 2, user errors 1."""

import pytest
from psycopg.conninfo import conninfo_to_dict

from agesh_tui.cli import main
from agesh_tui.engine.stockage import chemin_sqlite
from monde import base_absente, contenu


def test_usage_error_is_french_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["besoin"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage : agesh besoin" in err
    assert "erreur : arguments obligatoires manquants : --cm" in err


def test_invalid_choice_is_french(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--taille", "Z"])
    assert exc.value.code == 2
    assert "choix invalide : 'Z' (choisir parmi 'S', 'M', 'L', 'XL')" in capsys.readouterr().err


def test_a_seed_that_is_not_a_number_says_what_is_expected(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--seed", "abc"])
    assert exc.value.code == 2
    assert "argument --seed/--graine : graine invalide « abc » (attendu un nombre entier, ex. 1)" in (
        capsys.readouterr().err)


def test_invalid_today_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["decisions", "--db", str(tmp_path / "x.sqlite3"), "--today", "22/11/2026"])
    assert exc.value.code == 2
    assert "argument --today : date invalide « 22/11/2026 » (attendu aaaa-mm-jj)" in capsys.readouterr().err


def test_invalid_today_in_environment_is_a_user_error(stockage, url_base, capsys, monkeypatch):
    monkeypatch.setenv("AGESH_TODAY", "demain")
    code = main(["missions", "--db", url_base])
    assert code == 1
    assert "$AGESH_TODAY invalide" in capsys.readouterr().err


def test_unsupported_database_url_is_a_user_error(capsys):
    code = main(["decisions", "--db", "mysql://serveur/agesh"])
    assert code == 1
    assert "« mysql:// » non prise en charge" in capsys.readouterr().err


def test_unreachable_postgresql_server_is_a_user_error(capsys):
    code = main(["decisions", "--db", "postgresql://personne:secret@127.0.0.1:1/agesh"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("agesh : connexion impossible à la base PostgreSQL agesh@127.0.0.1 : ")
    assert "secret" not in err and "Traceback" not in err


def test_error_messages_never_echo_control_characters(stockage, url_base, capsys):
    """An escape sequence typed in a value must not reach the terminal
    through the error that names it (user errors and usage errors)."""
    code = main(["propositions", "--db", url_base, "--today", "2026-11-22", "--pial", "03\x1b[2J"])
    assert code == 1
    err = capsys.readouterr().err
    assert "PIAL inconnu : 03[2J" in err and "\x1b" not in err
    with pytest.raises(SystemExit) as exc:
        main(["propositions", "--annee", "ab\x1b]0;pwned\x07cd"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "année invalide « ab]0;pwnedcd »" in err and "\x1b" not in err and "\x07" not in err


def test_auteur_with_control_characters_is_refused(stockage, url_base, capsys):
    """--auteur is stored in journal.login: never with an escape sequence."""
    with pytest.raises(SystemExit) as exc:
        main(["accompagnement", "supprimer", "AC1", "--oui", "--db", url_base, "--auteur", "inconnu\x1b[31m"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --auteur : identifiant invalide « inconnu[31m »" in err and "\x1b" not in err


# -- commands that only read never create a base ---------------------------------------

LECTURES = [
    ["decisions"], ["missions"], ["aesh"], ["accompagnements"], ["anomalies"], ["pial"], ["export", "{tmp}/export"],
    ["otp", "demo.gestionnaire"], ["utilisateur", "liste"], ["ouvrir"],
]


@pytest.mark.parametrize("commande", LECTURES, ids=lambda c: c[0] if c[0] != "utilisateur" else "liste")
def test_a_read_on_a_missing_base_exits_1_and_creates_nothing(commande, url_base, moteur, tmp_path,
                                                               capsys, cle_temporaire):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in commande]
    assert main([*argv, "--db", url_base, "--today", "2026-11-22"]) == 1
    sortie = capsys.readouterr()
    assert sortie.out == ""
    assert sortie.err.count("\n") == 1 and "Traceback" not in sortie.err
    if moteur == "sqlite":
        assert sortie.err == (
            f"agesh : la base {chemin_sqlite(url_base)} n'existe pas : vérifiez --db ou $AGESH_DB "
            "(« agesh demo » ou « agesh import » créent une base).\n"
        )
    else:
        infos = conninfo_to_dict(url_base)
        nom = f"{infos['dbname']}@{infos.get('host') or 'local'}"
        assert sortie.err.startswith(f"agesh : la base PostgreSQL {nom} ne contient pas de base agesh-tui")
    assert base_absente(url_base)
    assert not (tmp_path / "export").exists()
    assert not (tmp_path / "cle-otp.key").exists()


@pytest.mark.parametrize("valeur", ["nan", "inf", "-3", "douze"])
def test_hours_must_be_finite_positive_numbers(valeur, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["besoin", "--formule", "hI", "--cm", "1", "--hi", valeur, "--json"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --hi : nombre invalide « {valeur} »" in err


@pytest.mark.parametrize("option, valeur, attendu", [
    ("--distance-max", "-5", "distance invalide « -5 » (attendu un nombre de km supérieur à 0 et au plus 200)"),
    ("--distance-max", "0", "distance invalide « 0 » (attendu un nombre de km supérieur à 0 et au plus 200)"),
    ("--distance-max", "nan", "distance invalide « nan » (attendu un nombre de km"),
    ("--temps-max", "-1", "durée invalide « -1 » (attendu un nombre de secondes de 0 à 3600)"),
    ("--temps-max", "1e30", "durée invalide « 1e30 » (attendu un nombre de secondes de 0 à 3600)"),
    ("--etablissements-max", "999", "nombre invalide « 999 » (attendu un entier de 1 à 20)"),
    ("--etablissements-max", "0", "nombre invalide « 0 » (attendu un entier de 1 à 20)"),
    ("--aesh-max", "deux", "nombre invalide « deux » (attendu un entier de 1 à 20)"),
])
def test_propositions_limits_say_their_own_unit_and_range(option, valeur, attendu, capsys):
    """The ranges are those the rules enforce (regles.propositions), in the
    option's unit: km, seconds, a count — never « un nombre d'heures »."""
    with pytest.raises(SystemExit) as exc:
        main(["propositions", option, valeur])
    assert exc.value.code == 2
    assert f"argument {option} : {attendu}" in capsys.readouterr().err


def test_propositions_limits_accept_their_bounds():
    from agesh_tui.cli import build_parser

    args = build_parser().parse_args(["propositions", "--distance-max", "200", "--temps-max", "0,5",
                                      "--etablissements-max", "20", "--aesh-max", "1"])
    assert (args.distance_max, args.temps_max, args.etablissements_max, args.aesh_max) == (200.0, 0.5, 20, 1)


@pytest.mark.parametrize("valeur", ["99999", "-5", "1949", "2100"])
def test_propositions_year_is_bounded(valeur, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["propositions", "--annee", valeur])
    assert exc.value.code == 2
    assert f"argument --annee : année hors limites {valeur} (attendu de 1950 à 2099)" in capsys.readouterr().err


def test_a_year_that_is_not_a_number_says_what_is_expected(capsys):
    with pytest.raises(SystemExit):
        main(["propositions", "--annee", "abc"])
    assert "argument --annee : année invalide « abc » (attendu l'année de début, ex. 2026)" in (
        capsys.readouterr().err)


def test_decimal_comma_is_accepted_for_hours(capsys):
    assert main(["besoin", "--formule", "hI / 2", "--cm", "0", "--hi", "12,5", "--json"]) == 0
    assert '"heures": 6.25' in capsys.readouterr().out


def test_a_file_that_is_not_a_database_gets_a_french_message(tmp_path, capsys):
    """SQLite only: a file of other data named by --db is read, never written."""
    chemin = tmp_path / "notes.sqlite3"
    chemin.write_text("des notes, pas une base")
    assert main(["decisions", "--json", "--db", str(chemin)]) == 1
    err = capsys.readouterr().err
    assert "n'est pas une base agesh-tui lisible" in err
    assert "Traceback" not in err
    assert chemin.read_text() == "des notes, pas une base"


@pytest.mark.parametrize("contenu_fichier", ["vide", "autre_base"])
def test_a_file_that_is_no_agesh_base_is_not_written_by_a_read(contenu_fichier, tmp_path, capsys):
    """An empty file, or another program's SQLite base, given as --db to a
    command that reads: refused before anything is written (journal_mode=WAL
    would have written a header)."""
    import os
    import sqlite3

    chemin = tmp_path / "autre.sqlite3"
    if contenu_fichier == "vide":
        chemin.touch()
    else:
        con = sqlite3.connect(chemin)
        con.execute("CREATE TABLE notes (texte TEXT)")
        con.commit()
        con.close()
    os.utime(chemin, (1_000_000_000, 1_000_000_000))
    avant = (chemin.read_bytes(), chemin.stat().st_mtime)
    assert main(["decisions", "--json", "--db", str(chemin)]) == 1
    assert f"{chemin} ne contient pas de base agesh-tui" in capsys.readouterr().err
    assert (chemin.read_bytes(), chemin.stat().st_mtime) == avant
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autre.sqlite3"]


def test_a_directory_given_as_database_gets_a_french_reason(tmp_path, capsys):
    assert main(["decisions", "--db", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"agesh : impossible d'ouvrir la base {tmp_path} : c'est un dossier : donnez un chemin de fichier\n")


def test_os_errors_have_french_reasons():
    import errno

    from agesh_tui.engine.fichiers import raison_fichier

    for numero in (errno.ENOENT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR, errno.ENOSPC,
                   errno.EROFS, errno.EEXIST):
        raison = raison_fichier(OSError(numero, "English text"))
        assert "English" not in raison and raison[0].islower()
    assert raison_fichier(OSError(errno.EIO, "Input/output error")) == "Input/output error"


def test_a_refused_import_into_a_new_base_leaves_no_base_behind(tmp_path, capsys, cle_temporaire):
    """Nothing written on error: not even the empty base the import opened."""
    dossier = tmp_path / "echange"
    dossier.mkdir()
    (dossier / "eleves.csv").write_text("pas;le;bon;en-tete\n", encoding="utf-8")
    base = tmp_path / "nouvelle.sqlite3"
    assert main(["import", str(dossier), "--db", str(base)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert base_absente(str(base))


def test_a_refused_import_into_an_existing_base_keeps_it(tmp_path, capsys, cle_temporaire):
    base = tmp_path / "agesh.sqlite3"
    assert main(["demo", "--taille", "S", "--db", str(base), "--today", "2026-11-22"]) == 0
    avant = _contenu(base)
    dossier = tmp_path / "echange"
    dossier.mkdir()
    (dossier / "eleves.csv").write_text("pas;le;bon;en-tete\n", encoding="utf-8")
    assert main(["import", str(dossier), "--db", str(base)]) == 1
    assert _contenu(base) == avant


def _contenu(url):
    from agesh_tui.engine.stockage import ouvrir

    store = ouvrir(url)
    try:
        return contenu(store)
    finally:
        store.fermer()
