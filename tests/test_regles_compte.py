"""The pure rules of Mon compte (engine.regles.compte, SPEC F2, F3, guide
§2): coordonnées checked field by field, telephone numbers in their printed
form, the kinds of the messages (stored or read from older texts), one
line per operation, the perimeter of the messages, the secteurs chosen."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agesh_tui.engine.modele.model import Message
from agesh_tui.engine.regles.compte import (
    ADRESSE_MAX,
    AUTRE,
    NATURES_MESSAGE,
    SaisieCoordonnees,
    coordonnees_a_ecrire,
    dedoublonner,
    libelle_nature,
    message_visible,
    nature_message,
    telephone_normalise,
    verifier_coordonnees,
    verifier_secteurs,
)

QUAND = datetime(2026, 11, 22, 10, 30)


def champs(saisie: SaisieCoordonnees) -> list[str]:
    return [r.regle for r in verifier_coordonnees(saisie)]


# -- coordonnées ---------------------------------------------------------------------------
@pytest.mark.parametrize("mail", [
    "prenom.nom@ac-rennes.fr", "ce.dsden35-aesh@ac-rennes.fr", "a+b@x.education.gouv.fr",
    "  espaces.autour@ac-rennes.fr  ", "",
])
def test_a_usual_mail_or_none_is_accepted(mail):
    assert champs(SaisieCoordonnees(mail=mail)) == []


@pytest.mark.parametrize("mail", [
    "pas un mail", "nom@", "@ac-rennes.fr", "nom@ac-rennes", "nom@@ac-rennes.fr",
    "prénom@ac-rennes.fr", "nom@ac_rennes.fr", "nom..point@ac-rennes.fr", "nom@-ac.fr",
    "[@click=app.quit]@x.fr",
])
def test_a_bad_mail_is_refused_next_to_its_field(mail):
    refus = verifier_coordonnees(SaisieCoordonnees(mail=mail))
    assert [r.regle for r in refus] == ["mail"]
    assert refus[0].message.startswith("Mail invalide")


def test_a_mail_too_long_says_its_limit():
    refus = verifier_coordonnees(SaisieCoordonnees(mail="a" * 250 + "@x.fr"))
    assert [r.message for r in refus] == ["Le mail a au plus 254 caractères."]


@pytest.mark.parametrize("tape, imprime", [
    ("0299123456", "02 99 12 34 56"),
    ("02 99 12 34 56", "02 99 12 34 56"),
    ("02.99.12.34.56", "02 99 12 34 56"),
    ("02-99-12-34-56", "02 99 12 34 56"),
    ("+33 2 99 12 34 56", "02 99 12 34 56"),
    ("+33 (0)2 99 12 34 56", "02 99 12 34 56"),
    ("0033299123456", "02 99 12 34 56"),
    ("+44 20 7946 0958", "+442079460958"),
    ("", ""),
])
def test_a_telephone_is_stored_as_documents_print_it(tape, imprime):
    assert telephone_normalise(tape) == imprime
    assert coordonnees_a_ecrire(SaisieCoordonnees(telephone=tape)).telephone == imprime


@pytest.mark.parametrize("tape", ["12345", "0099123456", "02 99 12 34", "02 99 12 34 56 78",
                                  "téléphone", "+0 12345678", "+1234567890123456"])
def test_a_bad_telephone_is_refused(tape):
    assert telephone_normalise(tape) is None
    assert champs(SaisieCoordonnees(telephone=tape)) == ["telephone"]


def test_every_bad_field_is_said_at_once_and_the_address_is_free_text():
    saisie = SaisieCoordonnees("x@", "123", "1 quai Dujardin\n35000 Rennes [b]gras[/b]")
    assert champs(saisie) == ["mail", "telephone"]
    assert champs(SaisieCoordonnees(adresse="x" * (ADRESSE_MAX + 1))) == ["adresse"]


def test_cleaning_strips_controls_and_keeps_the_address_lines():
    s = SaisieCoordonnees(" a@b.fr\x1b[31m ", "\t02 99 12 34 56", "DSDEN\x00\n\n  1 quai  \n")
    assert s.nettoyee() == SaisieCoordonnees("a@b.fr[31m", "02 99 12 34 56", "DSDEN\n1 quai")


_PREFIXES = st.sampled_from(["0", "+33", "0033", "+33 (0)"])
_SEPARATEURS = st.sampled_from(["", " ", ".", "-", "  "])


@given(st.integers(1, 9), st.lists(st.integers(0, 9), min_size=8, max_size=8), _PREFIXES,
       _SEPARATEURS)
def test_any_french_number_however_typed_prints_the_same(premier, chiffres, prefixe, sep):
    corps = f"{premier}{''.join(map(str, chiffres))}"
    groupes = [corps[:1]] + [corps[i:i + 2] for i in range(1, 9, 2)]
    tape = prefixe + sep.join(groupes)
    attendu = " ".join(("0" + corps)[i:i + 2] for i in range(0, 10, 2))
    assert telephone_normalise(tape) == attendu
    assert telephone_normalise(attendu) == attendu  # what is stored reads back the same


@given(st.text(max_size=60), st.text(max_size=40), st.text(max_size=80))
def test_the_check_never_fails_and_an_accepted_entry_is_stored_clean(mail, telephone, adresse):
    saisie = SaisieCoordonnees(mail, telephone, adresse)
    refus = verifier_coordonnees(saisie)
    assert {r.regle for r in refus} <= {"mail", "telephone", "adresse"}
    if not refus:
        ecrite = coordonnees_a_ecrire(saisie)
        assert verifier_coordonnees(ecrite) == []
        assert coordonnees_a_ecrire(ecrite) == ecrite  # saving twice changes nothing


# -- messages ------------------------------------------------------------------------------
@pytest.mark.parametrize("action, nature", [
    ("creation_accompagnement", "accompagnement_cree"),
    ("maintien_accompagnement", "accompagnement_cree"),
    ("modification_accompagnement", "accompagnement_modifie"),
    ("insertion_accompagnement", "accompagnement_modifie"),
    ("suppression_accompagnement", "accompagnement_supprime"),
    ("ajout_scolarite", "scolarite"),
    ("ajout_decision", "decision"),
    ("mise_a_jour_dossier", "dossier"),
    ("modification_aesh", "aesh"),
    ("inconnue", AUTRE),
])
def test_the_kind_of_a_message_comes_from_its_action(action, nature):
    assert nature_message(action, "Décision ajoutée pour X") == nature


@pytest.mark.parametrize("texte, nature", [
    ("Accompagnement créé pour DUPONT Léa (AESH …)", "accompagnement_cree"),
    ("Accompagnement de maintien créé pour X", "accompagnement_cree"),
    ("Accompagnement supprimé pour X", "accompagnement_supprime"),
    ("Accompagnement inséré pour X à la place de AC1", "accompagnement_modifie"),
    ("Décision ajoutée pour JULIEN Antonin", "decision"),
    ("Scolarité ajoutée pour X", "scolarite"),
    ("Dossier mis à jour : X", "dossier"),
    ("AESH NOEL Paul (A4) modifié : …", "aesh"),
    ("Import des extraits RH", AUTRE),
])
def test_an_older_message_without_kind_is_told_by_its_text(texte, nature):
    assert nature_message("", texte) == nature


def test_every_kind_has_a_french_label():
    assert libelle_nature("accompagnement_supprime") == "Accompagnement supprimé"
    assert libelle_nature("n'existe pas") == "Autre"
    assert len({libelle for libelle, _ in NATURES_MESSAGE.values()}) == len(NATURES_MESSAGE)


def message(ident: int, texte: str = "Accompagnement créé pour X", secteur: str | None = "S1",
            lu: bool = False, destinataire: str = "erseh") -> Message:
    return Message(ident, QUAND, "paul", texte, destinataire, secteur, lu)


def test_the_copies_of_one_operation_are_one_line_read_when_all_are():
    lignes = dedoublonner([
        (message(2, lu=True), ""),
        (message(1, destinataire="gestionnaire"), "creation_accompagnement"),
        (message(3, secteur="S2"), ""),
        (message(4, texte="Autre chose", lu=True), ""),
    ])
    assert [(m.id, m.lu, nature, ids) for m, nature, ids in lignes] == [
        (2, False, "creation_accompagnement", (2, 1)),  # one copy unread: unread
        (3, False, "", (3,)),  # another secteur: another line
        (4, True, "", (4,)),
    ]


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["S1", "S2", None]),
                          st.booleans()), max_size=20))
def test_deduplication_keeps_every_id_once_and_every_operation(rangs):
    messages = [(message(i, f"texte {t}", s, lu), "") for i, (t, s, lu) in enumerate(rangs)]
    lignes = dedoublonner(messages)
    ids = [i for _, _, groupe in lignes for i in groupe]
    assert sorted(ids) == list(range(len(rangs)))
    assert len(lignes) == len({(t, s) for t, s, _ in rangs})
    for m, _, groupe in lignes:
        assert m.lu == all(rangs[i][2] for i in groupe)


def test_the_perimeter_of_the_messages():
    assert message_visible("S1", ())  # the whole département
    assert message_visible("S1", ("S1", "S2"))
    assert not message_visible("S3", ("S1",))
    assert message_visible(None, ("S1",))  # the gestionnaires' list: everyone's


def test_only_known_secteurs_may_be_chosen():
    assert verifier_secteurs(["S1"], ["S1", "S2"]) == []
    assert verifier_secteurs([], ["S1"]) == []
    (refus,) = verifier_secteurs(["S9", "S1", "S0"], ["S1"])
    assert (refus.regle, refus.message) == ("secteurs", "Secteur inconnu : S0, S9.")
