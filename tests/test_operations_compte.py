"""Mon compte's writes and reads (engine.operations.compte), on a real base
of each engine: coordonnées written with the user's version and a journal
line, coordonnées changed by another session refused with what changed
(a change of secteurs alone does not refuse them), secteurs remembered,
messages of the perimeter once per operation with their kind, read marks
per user, and a base of schema 5 brought forward keeping its messages."""

from __future__ import annotations

from datetime import datetime

import pytest

from agesh_tui.engine.operations.accompagnement import supprimer
from agesh_tui.engine.operations.compte import (
    CoordonneesModifiees,
    enregistrer_coordonnees,
    enregistrer_secteurs,
    lire_utilisateur,
    marquer_lus,
    messages,
)
from agesh_tui.engine.regles.accompagnement import RegleRefusee
from agesh_tui.engine.regles.compte import SaisieCoordonnees
from agesh_tui.engine.stockage import contrat, ouvrir
from agesh_tui.engine.stockage.chargement import charger
from agesh_tui.engine.stockage.schema import SCHEMA_VERSION
from agesh_tui.engine.stockage.utilisateurs import ajouter, charger_utilisateur
from monde import Monde, contenu

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
D = datetime


def lignes(store, sql: str, params=()) -> list[tuple]:
    with store.lecture() as tx:
        return tx.lignes(sql, params)


def ecrire_messages(store, rangs) -> None:
    """(quand, auteur, texte, destinataire, secteur, lu) rows, as older versions and the
    demo wrote them (no kind)."""
    with store.ecriture(compter=False) as tx:
        tx.inserer("message", ("quand", "auteur", "texte", "destinataire", "secteur_code", "lu"),
                   rangs)


MESSAGES = [
    ("2026-11-20T09:00:00", "module ERSEH", "Décision ajoutée pour DUPONT Léa", "gestionnaire",
     "S1", 0),
    ("2026-11-21T10:00:00", "paul", "Accompagnement créé pour DUPONT Léa", "gestionnaire", "S1",
     1),
    ("2026-11-21T10:00:00", "paul", "Accompagnement créé pour DUPONT Léa", "erseh", "S1", 1),
    ("2026-11-22T08:00:00", "module ERSEH", "Scolarité ajoutée pour MARTIN Hugo", "gestionnaire",
     "S2", 0),
    ("2026-11-19T08:00:00", "systeme", "[@click=app.quit] à tous", "gestionnaire", None, 0),
]


@pytest.fixture
def base(stockage):
    m = Monde()
    m.etablissement("0350001A", "Collège Anne de Bretagne")
    m.etablissement("0350003C", "Lycée Chateaubriand", commune="Saint-Malo")
    m.secteur("S1", "Rennes Nord", ["0350001A"])
    m.secteur("S2", "Saint-Malo", ["0350003C"])
    m.ecrire(stockage)
    ajouter(stockage, "paul", "Paul Gestion", ("gestionnaire",), secret=SECRET)
    ajouter(stockage, "malo", "Malo Secteur", ("gestionnaire",), secret=SECRET)
    return stockage


def paul(store):
    return charger_utilisateur(store, "paul")


# -- coordonnées ------------------------------------------------------------------------------
def test_coordonnees_are_written_cleaned_with_a_new_version_and_a_journal_line(base):
    saisie = SaisieCoordonnees(" paul@ac-rennes.fr ", "+33 2 99 12 34 56", "DSDEN\n1 quai Dujardin")
    compteur = base.changements()
    u = enregistrer_coordonnees(base, paul(base), saisie, quand=D(2026, 11, 22, 10))
    assert (u.mail, u.telephone, u.adresse, u.version) == (
        "paul@ac-rennes.fr", "02 99 12 34 56", "DSDEN\n1 quai Dujardin", 2)
    assert paul(base) == u  # what the documents read
    assert base.changements() == compteur  # not a data change: nobody reloads
    assert lignes(base, "SELECT login, action, detail FROM journal") == [(
        "paul", "coordonnees", "coordonnées modifiées : Mail fonctionnel : (vide) → "
        "paul@ac-rennes.fr ; Téléphone : (vide) → 02 99 12 34 56 ; Adresse : (vide) → DSDEN, "
        "1 quai Dujardin")]


def test_a_refused_or_unchanged_entry_writes_nothing(base):
    avant = contenu(base)
    with pytest.raises(RegleRefusee) as refus:
        enregistrer_coordonnees(base, paul(base), SaisieCoordonnees("pas un mail", "12"))
    assert [r.regle for r in refus.value.refus] == ["mail", "telephone"]
    assert enregistrer_coordonnees(base, paul(base), SaisieCoordonnees()) == paul(base)
    assert contenu(base) == avant


def test_coordonnees_changed_by_another_session_are_refused_with_what_changed(base):
    affiche = paul(base)  # the form opens
    enregistrer_coordonnees(base, paul(base), SaisieCoordonnees(telephone="0299000000"))
    avant = contenu(base)
    with pytest.raises(CoordonneesModifiees) as refus:
        enregistrer_coordonnees(base, affiche, SaisieCoordonnees(mail="paul@ac-rennes.fr"))
    assert [str(d) for d in refus.value.differences] == ["Téléphone : (vide) → 02 99 00 00 00"]
    assert refus.value.utilisateur.telephone == "02 99 00 00 00"
    assert "rien n'a été enregistré" in str(refus.value)
    assert contenu(base) == avant
    # Taken up again on the current values: saved.
    u = enregistrer_coordonnees(base, refus.value.utilisateur,
                                SaisieCoordonnees("paul@ac-rennes.fr", "02 99 00 00 00"))
    assert (u.mail, u.telephone, u.version) == ("paul@ac-rennes.fr", "02 99 00 00 00", 3)


def test_a_change_of_secteurs_elsewhere_does_not_refuse_the_coordonnees(base):
    affiche = paul(base)
    enregistrer_secteurs(base, paul(base), ["S2"], ["S1", "S2"])
    u = enregistrer_coordonnees(base, affiche, SaisieCoordonnees(mail="paul@ac-rennes.fr"))
    assert (u.mail, u.secteurs, u.version) == ("paul@ac-rennes.fr", ("S2",), 3)


# -- secteurs --------------------------------------------------------------------------------
def test_secteurs_are_remembered_in_the_departement_order_and_none_is_everything(base):
    u = enregistrer_secteurs(base, paul(base), ["S2", "S1", "S2"], ["S1", "S2"])
    assert u.secteurs == ("S1", "S2") == paul(base).secteurs
    assert enregistrer_secteurs(base, u, [], ["S1", "S2"]).secteurs == ()
    assert paul(base).secteurs == ()
    assert lire_utilisateur(base, u).version == 3
    with pytest.raises(RegleRefusee) as refus:
        enregistrer_secteurs(base, paul(base), ["S9"], ["S1", "S2"])
    assert refus.value.refus[0].message == "Secteur inconnu : S9."


# -- messages --------------------------------------------------------------------------------
def resume(store, login, secteurs=()):
    return [(m.texte, nature, m.lu, len(ids)) for m, nature, ids in messages(store, login, secteurs)]


def test_messages_of_the_perimeter_unread_first_one_line_per_operation(base):
    ecrire_messages(base, MESSAGES)
    assert resume(base, "paul") == [
        ("Scolarité ajoutée pour MARTIN Hugo", "scolarite", False, 1),
        ("Décision ajoutée pour DUPONT Léa", "decision", False, 1),
        ("[@click=app.quit] à tous", "autre", False, 1),
        ("Accompagnement créé pour DUPONT Léa", "accompagnement_cree", True, 2),
    ]
    # malo's secteur S2: its messages and the gestionnaires' list.
    assert [t for t, *_ in resume(base, "malo", ("S2",))] == [
        "Scolarité ajoutée pour MARTIN Hugo", "[@click=app.quit] à tous"]


def test_read_marks_are_each_users_own_and_reversible(base):
    ecrire_messages(base, MESSAGES)
    (_, _, ids_scolarite), *_ = messages(base, "paul", ())
    accompagnement = [ids for m, _, ids in messages(base, "paul", ()) if m.lu][0]
    compteur = base.changements()
    assert marquer_lus(base, "paul", [*ids_scolarite, 999]) == 1  # an unknown id is left
    assert [lu for _, _, lu, _ in resume(base, "paul")][-2:] == [True, True]
    assert resume(base, "paul")[0][0] == "Décision ajoutée pour DUPONT Léa"
    assert all(not lu for _, _, lu, _ in resume(base, "malo", ("S2",)))  # malo's marks: his own
    # A message read for everyone by an older version: unread again for paul only.
    marquer_lus(base, "paul", accompagnement, lus=False)
    assert ("Accompagnement créé pour DUPONT Léa", "accompagnement_cree", False, 2) in resume(
        base, "paul")
    assert ("Accompagnement créé pour DUPONT Léa", "accompagnement_cree", True, 2) in resume(
        base, "malo")
    assert base.changements() == compteur


def test_an_operation_writes_its_kind_with_its_message(stockage):
    m = Monde()
    m.etablissement("0350001A", "Collège Anne de Bretagne")
    m.secteur("S1", "Rennes Nord", ["0350001A"])
    m.eleve("E1", "DUPONT", "Léa", scolarites=[("0350001A", datetime(2024, 9, 1).date(), None)])
    m.decision("D1", "E1", "individuelle", 12.0, datetime(2026, 9, 1).date(),
               datetime(2027, 8, 31).date())
    m.aesh("A1", "MARTIN", "Anne", 48.1, -1.6)
    m.mission("M1", "A1", "HI2D", 24.0, datetime(2020, 9, 1).date(), None)
    m.accompagnement("AC1", "M1", ["D1"], "0350001A", datetime(2026, 9, 1).date(),
                     datetime(2027, 6, 30).date(), 12.0)
    m.ecrire(stockage)
    supprimer(stockage, charger(stockage), "paul", "AC1", 1)
    assert lignes(stockage, "SELECT nature, secteur_code FROM message") == [
        ("suppression_accompagnement", "S1")]
    ((texte, nature, lu, _),) = resume(stockage, "paul", ("S1",))
    assert texte.startswith("Accompagnement supprimé pour DUPONT Léa")
    assert (nature, lu) == ("accompagnement_supprime", False)


def test_a_base_of_schema_5_keeps_its_messages_and_reads_their_kind(url_base, cle_temporaire,
                                                                    monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(contrat, "SCHEMA_VERSION", 5)
        ancienne = ouvrir(url_base)
        try:
            assert ancienne.version_schema() == 5
            ajouter(ancienne, "paul", "Paul", ("gestionnaire",), secret=SECRET)
            ecrire_messages(ancienne, MESSAGES)
        finally:
            ancienne.fermer()
    store = ouvrir(url_base)
    try:
        assert store.version_schema() == SCHEMA_VERSION
        assert lignes(store, "SELECT count(*) FROM message WHERE nature = ''") == [(5,)]
        assert [n for _, n, _, _ in resume(store, "paul")] == [
            "scolarite", "decision", "autre", "accompagnement_cree"]
        ids = [i for _, _, groupe in messages(store, "paul", ()) for i in groupe]
        assert marquer_lus(store, "paul", ids) == 5
        assert all(lu for _, _, lu, _ in resume(store, "paul"))
    finally:
        store.fermer()
