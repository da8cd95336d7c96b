"""The command line itself: French usage errors with status 2, user errors 1."""

import pytest

from agesh_tui.cli import main


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


def test_invalid_today_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["decisions", "--db", str(tmp_path / "x.sqlite3"), "--today", "22/11/2026"])
    assert exc.value.code == 2
    assert "argument --today : date invalide « 22/11/2026 » (attendu aaaa-mm-jj)" in capsys.readouterr().err


def test_invalid_today_in_environment_is_a_user_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AGESH_TODAY", "demain")
    code = main(["missions", "--db", str(tmp_path / "x.sqlite3")])
    assert code == 1
    assert "$AGESH_TODAY invalide" in capsys.readouterr().err


def test_unsupported_database_url_is_a_user_error(capsys):
    code = main(["decisions", "--db", "postgresql://serveur/agesh"])
    assert code == 1
    assert "non prise en charge" in capsys.readouterr().err


@pytest.mark.parametrize("valeur", ["nan", "inf", "-3", "douze"])
def test_hours_must_be_finite_positive_numbers(valeur, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["besoin", "--formule", "hI", "--cm", "1", "--hi", valeur, "--json"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --hi : nombre invalide « {valeur} »" in err


def test_decimal_comma_is_accepted_for_hours(capsys):
    assert main(["besoin", "--formule", "hI / 2", "--cm", "0", "--hi", "12,5", "--json"]) == 0
    assert '"heures": 6.25' in capsys.readouterr().out


def test_a_file_that_is_not_a_database_gets_a_french_message(tmp_path, capsys):
    chemin = tmp_path / "notes.sqlite3"
    chemin.write_text("des notes, pas une base")
    assert main(["decisions", "--json", "--db", str(chemin)]) == 1
    err = capsys.readouterr().err
    assert "n'est pas une base agesh-tui lisible" in err
    assert "Traceback" not in err
    assert chemin.read_text() == "des notes, pas une base"
