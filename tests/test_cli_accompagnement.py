"""``agesh accompagnement modifier|inserer|maintenir`` and ``supprimer --json``
(SPEC §2.3.8, §5), on a base of each engine: the document printed, what is
written, and each family of refusal (a rule, an unknown id, a stale
--version, a usage error) exiting with a French message and writing nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from agesh_tui.cli import main
from monde import contenu
from test_operations_accompagnement import E1, E2, TODAY, lignes, monde_accompagnement

D = date


@pytest.fixture
def base(stockage, url_base):
    """The world of the operations tests with two accompagnements: AC000001
    (M1, DI1, a whole school year, 12 h) and AC000002 (M2, DI5 up to its
    end on 31/03/2027, 8 h, repas)."""
    m = monde_accompagnement()
    m.accompagnement("AC000001", "M1", ["DI1"], E1, D(2026, 9, 1), D(2027, 8, 31), 12.0)
    m.accompagnement("AC000002", "M2", ["DI5"], E2, D(2026, 9, 1), D(2027, 3, 31), 8.0, repas=True)
    m.ecrire(stockage)
    return url_base


def agesh(base, *args):
    return main(["accompagnement", *args, "--db", base, "--today", TODAY.isoformat()])


def agesh_json(base, capsys, *args):
    assert agesh(base, *args, "--json") == 0
    sortie = capsys.readouterr()
    assert sortie.err == ""
    return json.loads(sortie.out)


def doc(ident, mission, decisions, uai, debut, fin, heures, version, *, repas=False,
        pause_meridienne=False, previsionnel=False, maintien=False) -> dict:
    """The JSON document of an accompagnement, every field."""
    return {
        "id": ident, "mission_id": mission, "decision_ids": list(decisions), "uai": uai,
        "debut": debut, "fin": fin, "heures": heures, "repas": repas,
        "pause_meridienne": pause_meridienne, "previsionnel": previsionnel, "maintien": maintien,
        "version": version,
    }


def periodes(stockage) -> list[tuple]:
    return lignes(stockage, "SELECT id, mission_id, debut, fin, heures, version FROM accompagnement "
                            "ORDER BY id")


def refuse(base, stockage, capsys, *args) -> str:
    """Runs a command that must be refused: exit 1, nothing on stdout, one
    French message on stderr (returned), not a row of the base changed."""
    avant = contenu(stockage)
    assert agesh(base, *args) == 1
    sortie = capsys.readouterr()
    assert sortie.out == ""
    assert sortie.err.startswith("agesh : ") and "Traceback" not in sortie.err
    assert contenu(stockage) == avant
    return sortie.err


# -- modifier --------------------------------------------------------------------------------
def test_modifier_changes_only_the_options_given(base, stockage, capsys):
    assert agesh_json(base, capsys, "modifier", "AC000001", "--fin", "2027-06-30", "--heures",
                      "10,5", "--repas", "--pause-meridienne", "--auteur", "gest.a") == doc(
        "AC000001", "M1", ["DI1"], E1, "2026-09-01", "2027-06-30", 10.5, 2,
        repas=True, pause_meridienne=True,
    )
    assert lignes(stockage, "SELECT login, action FROM journal") == [
        ("gest.a", "modification_accompagnement")]
    # the next change keeps the previous ones; --version of the current one is accepted
    assert agesh_json(base, capsys, "modifier", "AC000001", "--sans-repas", "--previsionnel",
                      "--debut", "2026-10-01", "--version", "2") == doc(
        "AC000001", "M1", ["DI1"], E1, "2026-10-01", "2027-06-30", 10.5, 3,
        pause_meridienne=True, previsionnel=True,
    )
    assert periodes(stockage) == [
        ("AC000001", "M1", "2026-10-01", "2027-06-30", 10.5, 3),
        ("AC000002", "M2", "2026-09-01", "2027-03-31", 8.0, 1),
    ]


def test_modifier_another_mission_etablissement_and_decisions(base, stockage, capsys):
    # AC000002 becomes a mutualisé of EL2 and EL3 at E2 on the prévisionnel mission M8
    assert agesh_json(base, capsys, "modifier", "AC000002", "--mission", "M8", "--decisions",
                      "DM2, DM3", "--etablissement", E2, "--debut", "2026-10-01", "--fin",
                      "2027-03-31", "--non-previsionnel", "--sans-repas") == doc(
        "AC000002", "M8", ["DM2", "DM3"], E2, "2026-10-01", "2027-03-31", 8.0, 2,
    )
    assert lignes(stockage, "SELECT decision_id FROM accompagnement_decision "
                            "WHERE accompagnement_id = 'AC000002' ORDER BY rang") == [("DM2",), ("DM3",)]


def test_modifier_prints_a_sentence_and_says_when_nothing_changes(base, stockage, capsys):
    assert agesh(base, "modifier", "AC000001", "--heures", "10") == 0
    assert capsys.readouterr().out == (
        f"Accompagnement AC000001 modifié : mission M1, décision(s) DI1, {E1}, "
        "du 01/09/2026 au 31/08/2027, 10 h.\n"
    )
    avant = contenu(stockage)
    assert agesh(base, "modifier", "AC000001", "--heures", "10") == 0
    assert capsys.readouterr().out.startswith("Accompagnement AC000001 inchangé : ")
    assert contenu(stockage) == avant


@pytest.mark.parametrize("options, attendu", [
    (["--fin", "2027-09-30"], "ne peut pas dépasser le 31/08"),
    (["--heures", "30"], "dépasse le volume horaire de la mission M1 (24 h)"),
    (["--mission", "M404"], "mission inconnue : M404."),
], ids=["31/08", "volume", "mission"])
def test_modifier_refused_by_a_rule(base, stockage, capsys, options, attendu):
    err = refuse(base, stockage, capsys, "modifier", "AC000001", *options, "--json")
    assert err.startswith("agesh : accompagnement refusé : ")
    assert attendu in err


def test_modifier_refused_by_several_rules_lists_them(base, stockage, capsys):
    err = refuse(base, stockage, capsys, "modifier", "AC000001", "--fin", "2027-09-30",
                 "--heures", "30")
    assert err.startswith("agesh : accompagnement refusé :\n  – ")
    assert "31/08" in err and "volume horaire" in err


def test_modifier_unknown_id(base, stockage, capsys):
    assert refuse(base, stockage, capsys, "modifier", "AC999", "--heures", "5", "--json") == (
        "agesh : accompagnement inconnu : AC999.\n")


def test_modifier_refuses_a_stale_version(base, stockage, capsys):
    """A batch that read version 1 does not overwrite a change made since."""
    assert agesh(base, "modifier", "AC000001", "--heures", "10", "--version", "1") == 0
    capsys.readouterr()
    err = refuse(base, stockage, capsys, "modifier", "AC000001", "--heures", "6", "--version", "1",
                 "--json")
    assert err == (
        "agesh : écriture périmée refusée : l'accompagnement AC000001 est à la version 2, "
        "la commande attendait la version 1 (--version) ; rien n'a été enregistré.\n"
    )
    assert periodes(stockage)[0] == ("AC000001", "M1", "2026-09-01", "2027-08-31", 10.0, 2)


def test_modifier_refused_by_the_profile(base, stockage, capsys, monkeypatch):
    """PermissionRefusee (a superviseur only consults) exits 1 with its message."""
    from agesh_tui.api.base import Base

    session_lots = Base.session_lots
    monkeypatch.setattr(Base, "session_lots",
                        lambda self, auteur, profil, *a: session_lots(self, auteur, "superviseur", *a))
    err = refuse(base, stockage, capsys, "modifier", "AC000001", "--heures", "10")
    assert err == "agesh : réservé au profil Gestionnaire AESH (le superviseur consulte seulement).\n"


@pytest.mark.parametrize("options, attendu", [
    (["--repas", "--sans-repas"], "argument --sans-repas : incompatible avec l'argument --repas"),
    (["--version", "deux"], "argument --version : entier invalide « deux »"),
    (["--decisions", ","], "argument --decisions : liste d'identifiants vide"),
    (["--fin", "31/08/2027"], "argument --fin : date invalide « 31/08/2027 »"),
], ids=["repas", "version", "decisions", "date"])
def test_modifier_usage_errors_exit_2(base, stockage, capsys, options, attendu):
    avant = contenu(stockage)
    with pytest.raises(SystemExit) as exc:
        agesh(base, "modifier", "AC000001", *options)
    assert exc.value.code == 2
    assert attendu in capsys.readouterr().err
    assert contenu(stockage) == avant


# -- inserer ---------------------------------------------------------------------------------
def test_inserer_in_the_middle_cuts_the_original_in_two(base, stockage, capsys):
    assert agesh_json(base, capsys, "inserer", "AC000001", "--debut", "2027-01-01", "--fin",
                      "2027-03-31", "--heures", "6", "--pause-meridienne", "--version", "1",
                      "--auteur", "gest.b") == {
        "insere": "AC000003",
        "origine": "AC000001",
        "accompagnements": [
            doc("AC000001", "M1", ["DI1"], E1, "2026-09-01", "2026-12-31", 12.0, 2),
            doc("AC000003", "M1", ["DI1"], E1, "2027-01-01", "2027-03-31", 6.0, 1,
                pause_meridienne=True),
            doc("AC000004", "M1", ["DI1"], E1, "2027-04-01", "2027-08-31", 12.0, 1),
        ],
    }
    assert periodes(stockage) == [
        ("AC000001", "M1", "2026-09-01", "2026-12-31", 12.0, 2),
        ("AC000002", "M2", "2026-09-01", "2027-03-31", 8.0, 1),
        ("AC000003", "M1", "2027-01-01", "2027-03-31", 6.0, 1),
        ("AC000004", "M1", "2027-04-01", "2027-08-31", 12.0, 1),
    ]
    assert lignes(stockage, "SELECT login, action FROM journal") == [
        ("gest.b", "insertion_accompagnement")]


def test_inserer_over_the_whole_original_replaces_it(base, stockage, capsys):
    assert agesh(base, "inserer", "AC000002", "--debut", "2026-09-01", "--fin", "2027-03-31",
                 "--mission", "M8", "--sans-repas", "--previsionnel") == 0
    assert capsys.readouterr().out == (
        "Accompagnement AC000003 inséré à la place de AC000002 du 01/09/2026 au 31/03/2027.\n"
        f"  AC000003 (inséré) : mission M8, décision(s) DI5, {E2}, du 01/09/2026 au 31/03/2027, 8 h\n"
        "L'accompagnement AC000002 est entièrement remplacé : il est supprimé.\n"
    )
    assert [p[:2] for p in periodes(stockage)] == [("AC000001", "M1"), ("AC000003", "M8")]


@pytest.mark.parametrize("options, attendu", [
    (["--debut", "2027-01-01", "--fin", "2027-09-30"], "ne peut pas dépasser le 31/08"),
    (["--debut", "2027-01-01", "--fin", "2027-03-31", "--heures", "30"],
     "dépasse le volume horaire de la mission M1 (24 h)"),
], ids=["31/08", "volume"])
def test_inserer_refused_by_a_rule(base, stockage, capsys, options, attendu):
    err = refuse(base, stockage, capsys, "inserer", "AC000001", *options, "--json")
    assert err.startswith("agesh : accompagnement refusé : ") and attendu in err


def test_inserer_refuses_a_period_that_does_not_overlap(base, stockage, capsys):
    err = refuse(base, stockage, capsys, "inserer", "AC000002", "--debut", "2027-04-01",
                 "--fin", "2027-06-30", "--json")
    assert err == (
        "agesh : accompagnement refusé : la période insérée (du 01/04/2027 au 30/06/2027) ne "
        "recoupe pas l'accompagnement AC000002 (du 01/09/2026 au 31/03/2027) : créez plutôt un "
        "nouvel accompagnement.\n"
    )


def test_inserer_unknown_id_and_stale_version(base, stockage, capsys):
    periode = ("--debut", "2027-01-01", "--fin", "2027-03-31")
    assert refuse(base, stockage, capsys, "inserer", "AC999", *periode) == (
        "agesh : accompagnement inconnu : AC999.\n")
    err = refuse(base, stockage, capsys, "inserer", "AC000001", *periode, "--version", "7")
    assert err == (
        "agesh : écriture périmée refusée : l'accompagnement AC000001 est à la version 1, "
        "la commande attendait la version 7 (--version) ; rien n'a été enregistré.\n"
    )


def test_inserer_requires_its_period(base, capsys):
    with pytest.raises(SystemExit) as exc:
        agesh(base, "inserer", "AC000001", "--debut", "2027-01-01")
    assert exc.value.code == 2
    assert "arguments obligatoires manquants : --fin" in capsys.readouterr().err


# -- maintenir -------------------------------------------------------------------------------
def test_maintenir_creates_a_maintien_after_the_decision(base, stockage, capsys):
    # DI5 ends on 31/03/2027; M2 (CDD) on 30/06/2027
    assert agesh_json(base, capsys, "maintenir", "AC000002", "--debut", "2027-04-01", "--fin",
                      "2027-06-30", "--auteur", "gest.c") == doc(
        "AC000003", "M2", ["DI5"], E2, "2027-04-01", "2027-06-30", 8.0, 1,
        repas=True, maintien=True,
    )
    # another mission, other hours; prévisionnel with its mission
    assert agesh(base, "maintenir", "AC000002", "--debut", "2027-07-01", "--fin", "2027-08-31",
                 "--mission", "M8", "--heures", "4") == 0
    assert capsys.readouterr().out == (
        "Accompagnement de maintien AC000004 créé (maintien de AC000002) : mission M8, "
        f"décision(s) DI5, {E2}, du 01/07/2027 au 31/08/2027, 4 h.\n"
    )
    assert lignes(stockage, "SELECT id, maintien, previsionnel FROM accompagnement ORDER BY id") == [
        ("AC000001", 0, 0), ("AC000002", 0, 0), ("AC000003", 1, 0), ("AC000004", 1, 1),
    ]
    journal = lignes(stockage, "SELECT login, action FROM journal ORDER BY id")
    assert [action for _, action in journal] == ["maintien_accompagnement"] * 2
    assert journal[0][0] == "gest.c"


@pytest.mark.parametrize("options, attendu", [
    (["--debut", "2027-03-31", "--fin", "2027-06-30"], "commence après la fin de la décision DI5"),
    (["--debut", "2027-04-01", "--fin", "2027-08-31"], "en CDD jusqu'au 30/06/2027"),
    (["--debut", "2027-04-01", "--fin", "2027-09-30", "--mission", "M1"],
     "ne peut pas dépasser le 31/08"),
], ids=["maintien", "cdd", "31/08"])
def test_maintenir_refused_by_a_rule(base, stockage, capsys, options, attendu):
    err = refuse(base, stockage, capsys, "maintenir", "AC000002", *options, "--json")
    assert err.startswith("agesh : accompagnement refusé : ") and attendu in err


def test_maintenir_unknown_id(base, stockage, capsys):
    assert refuse(base, stockage, capsys, "maintenir", "AC999", "--debut", "2027-04-01",
                  "--fin", "2027-06-30") == "agesh : accompagnement inconnu : AC999.\n"


# -- supprimer --json ------------------------------------------------------------------------
def test_supprimer_json_of_a_plain_deletion(base, stockage, capsys):
    assert agesh_json(base, capsys, "supprimer", "AC000002", "--oui") == {
        "supprime": "AC000002", "retabli": None, "refus": [],
    }
    assert [p[0] for p in periodes(stockage)] == ["AC000001"]


def test_supprimer_json_gives_the_original_back(base, stockage, capsys):
    agesh_json(base, capsys, "inserer", "AC000001", "--debut", "2027-01-01", "--fin", "2027-03-31",
               "--heures", "6")
    assert agesh_json(base, capsys, "supprimer", "AC000003", "--oui") == {
        "supprime": "AC000003",
        "retabli": doc("AC000001", "M1", ["DI1"], E1, "2026-09-01", "2027-08-31", 12.0, 3),
        "refus": [],
    }
    assert [p[0] for p in periodes(stockage)] == ["AC000001", "AC000002"]


def test_decisions_is_repeatable_every_id_counts(base, stockage, capsys):
    """--decisions A --decisions B: both, not only the last (argparse's store)."""
    assert agesh_json(base, capsys, "modifier", "AC000002", "--mission", "M8", "--decisions", "DM2",
                      "--decisions", "DM3", "--etablissement", E2, "--debut", "2026-10-01")["decision_ids"] == ["DM2", "DM3"]


def test_supprimer_json_says_why_the_original_is_not_given_back(base, stockage, capsys):
    """Deleting still happens; the refusal is in the document, not on stderr."""
    agesh_json(base, capsys, "inserer", "AC000001", "--debut", "2027-01-01", "--fin", "2027-03-31",
               "--heures", "6")
    # M1 (24 h) is then filled on the inserted period: 6 h + 18 h
    agesh_json(base, capsys, "creer", "--mission", "M1", "--decisions", "DM2,DM3", "--etablissement",
               E2, "--debut", "2027-01-01", "--fin", "2027-03-31", "--heures", "18")
    resultat = agesh_json(base, capsys, "supprimer", "AC000003", "--oui")
    assert (resultat["supprime"], resultat["retabli"]) == ("AC000003", None)
    assert resultat["refus"] and all(set(r) == {"regle", "message"} for r in resultat["refus"])
    assert any("M1" in r["message"] for r in resultat["refus"])
    assert "AC000003" not in [p[0] for p in periodes(stockage)]


def test_supprimer_refusals(base, stockage, capsys):
    assert refuse(base, stockage, capsys, "supprimer", "AC999", "--oui", "--json") == (
        "agesh : accompagnement inconnu : AC999.\n")
    assert refuse(base, stockage, capsys, "supprimer", "AC000001", "--json") == (
        "agesh : suppression de l'accompagnement AC000001 non confirmée : ajoutez --oui.\n")


def test_maintenir_without_dates_takes_the_day_after_the_decision_to_31_08(base, capsys):
    # DI5 ends on 31/03/2027: from 01/04/2027 to 31/08/2027, on M8 (M2 is a CDD ending 30/06).
    assert agesh_json(base, capsys, "maintenir", "AC000002", "--mission", "M8",
                      "--heures", "4") == doc(
        "AC000003", "M8", ["DI5"], E2, "2027-04-01", "2027-08-31", 4.0, 1,
        repas=True, maintien=True, previsionnel=True,
    )
