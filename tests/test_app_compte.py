"""Mon compte (issue 12 item 5, SPEC F2, F3, guide §2): the hub (key 8) and
its four entries — Mes coordonnées (checked as typed, nothing lost on a
refusal, a stale write refused then taken up again), Mes messages (unread
first, marked read one by one or all, filtered by kind; texts shown as
typed), Mes secteurs (the choice remembered, Accueil following at once),
Établissements du département (the référentiel with PIAL, secteur and
coordinates). Snapshots of each screen at 80×24 and 160×48.

The world is the snapshots' one (base_app.monde_ecran): secteur S1 Rennes
Nord (four établissements of Rennes), S2 Saint-Malo (Lycée Chateaubriand,
pupil E3 MARTIN Hugo, décision D3); users demo.gestionnaire and
demo.superviseur."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from agesh_tui.engine.regles.compte import SaisieCoordonnees
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.compte import Compte
from agesh_tui.screens.coordonnees import Coordonnees
from agesh_tui.screens.etablissements import Etablissements
from agesh_tui.screens.messages import Messages
from agesh_tui.screens.secteurs import Secteurs
from agesh_tui.widgets.cases import ListeCases
from agesh_tui.widgets.liste import ListeDonnees
from agesh_tui.widgets.saisie import LigneSaisie
from base_app import (
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
    session_de,
    texte_ecran,
)
from monde import contenu

TAILLES = [(80, 24), (160, 48)]
PIEGE = "[@click=app.quit]Dossier mis à jour \x1b[31mrouge"
MESSAGES = [
    # quand, auteur, texte, destinataire, secteur, lu (as the demo writes them: no kind)
    ("2026-11-18T09:00:00", "module ERSEH", "Décision ajoutée pour DUPONT Léa", "gestionnaire",
     "S1", 1),
    ("2026-11-20T14:10:00", "demo.gestionnaire", "Accompagnement créé pour MARTIN Hugo",
     "gestionnaire", "S2", 0),
    ("2026-11-20T14:10:00", "demo.gestionnaire", "Accompagnement créé pour MARTIN Hugo",
     "erseh", "S2", 0),
    ("2026-11-21T08:30:00", "module ERSEH", "Scolarité ajoutée pour BERNARD Inès", "gestionnaire",
     "S1", 0),
    ("2026-11-21T16:00:00", "module ERSEH", PIEGE, "gestionnaire", "S1", 0),
]


@pytest.fixture
def base(base_ecran):
    with base_ecran.ecriture(compter=False) as tx:
        tx.inserer("message", ("quand", "auteur", "texte", "destinataire", "secteur_code", "lu"),
                   MESSAGES)
    return base_ecran


def lignes(store, sql: str, params=()) -> list[tuple]:
    with store.lecture() as tx:
        return tx.lignes(sql, params)


def ecran_texte(app) -> str:
    return "\n".join(texte_ecran(app))


async def ouvrir_compte(pilot) -> Compte:
    await attendre_chargement(pilot)
    await pilot.press("8")
    await attendre_travaux(pilot)
    assert isinstance(pilot.app.screen, Compte)
    return pilot.app.screen


async def ouvrir(pilot, touche: str, ecran: type):
    await ouvrir_compte(pilot)
    await pilot.press(touche)
    await figer(pilot)
    assert isinstance(pilot.app.screen, ecran)
    return pilot.app.screen


def message(ecran, champ: str) -> str:
    for ligne in ecran.query(LigneSaisie):
        if ligne.champ == champ:
            return ligne.message
    raise AssertionError(f"pas de champ {champ}")


def textes(liste: ListeDonnees) -> list[str]:
    return [l.texte for l in liste.lignes_affichees()]


# -- the hub -----------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_key_8_opens_mon_compte_with_its_four_entries_and_the_unread(base):
    app = app_de(base)
    async with app.run_test(size=(80, 24)) as pilot:
        await ouvrir_compte(pilot)
        texte = ecran_texte(app)
        for entree in ("Mes coordonnées — à renseigner", "Mes messages — 3 non lus",
                       "Mes secteurs — tout le département", "Établissements du département"):
            assert entree in texte
        # Entrée on an entry opens it; Échap comes back.
        app.screen.query_one(OptionList).highlighted = 3
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Etablissements)
        await pilot.press("escape")
        assert isinstance(app.screen, Compte)


# -- Mes coordonnées ---------------------------------------------------------------------------
@pytest.mark.anyio
async def test_a_bad_mail_and_phone_are_refused_next_to_their_field_nothing_lost(base):
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir(pilot, "c", Coordonnees)
        assert app.focused is ecran.query_one("#mail", Input)
        await pilot.press(*"gestion@ac-rennes")
        assert message(ecran, "mail").startswith("Mail invalide")
        ecran.query_one("#telephone", Input).value = "02 99 12"
        await pilot.pause()
        assert message(ecran, "telephone").startswith("Téléphone invalide")
        avant = contenu(base)
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert "rien n'a été enregistré" in ecran.message
        assert contenu(base) == avant
        # Nothing typed is lost: corrected in place, then saved.
        assert ecran.query_one("#mail", Input).value == "gestion@ac-rennes"
        await pilot.press(*".fr")
        ecran.query_one("#telephone", Input).value = "+33 2 99 12 34 56"
        ecran.query_one("#adresse", Input).value = "DSDEN, 1 quai Dujardin, 35000 Rennes"
        await pilot.pause()
        assert message(ecran, "mail") == message(ecran, "telephone") == ""
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Compte)
        assert "gestion@ac-rennes.fr · 02 99 12 34 56" in ecran_texte(app)
    assert lignes(base, "SELECT mail, telephone, adresse, version FROM utilisateur "
                        "WHERE login = 'demo.gestionnaire'") == [
        ("gestion@ac-rennes.fr", "02 99 12 34 56", "DSDEN, 1 quai Dujardin, 35000 Rennes", 2)]


@pytest.mark.anyio
async def test_coordonnees_changed_by_another_session_are_refused_then_taken_up(base):
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir(pilot, "c", Coordonnees)
        ecran.query_one("#mail", Input).value = "moi@ac-rennes.fr"
        # The same user, in another terminal, enters the telephone.
        session_de(base, "demo.gestionnaire").enregistrer_coordonnees(
            SaisieCoordonnees(telephone="0299000000"))
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Coordonnees)
        assert "une autre session a modifié vos coordonnées" in ecran.message
        assert "Téléphone : (vide) → 02 99 00 00 00" in ecran.message
        assert lignes(base, "SELECT mail FROM utilisateur WHERE login = 'demo.gestionnaire'") == [
            ("",)]
        assert ecran.reprise_proposee
        await pilot.press("ctrl+o")
        await attendre_travaux(pilot)
        # Its telephone taken in, the mail typed kept; then saved.
        assert ecran.query_one("#telephone", Input).value == "02 99 00 00 00"
        assert ecran.query_one("#mail", Input).value == "moi@ac-rennes.fr"
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Compte)
    assert lignes(base, "SELECT mail, telephone FROM utilisateur "
                        "WHERE login = 'demo.gestionnaire'") == [("moi@ac-rennes.fr",
                                                                  "02 99 00 00 00")]


@pytest.mark.anyio
async def test_the_superviseur_enters_their_own_coordonnees(base):
    app = app_de(base, "demo.superviseur", "superviseur")
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir(pilot, "c", Coordonnees)
        ecran.query_one("#telephone", Input).value = "0299000000"
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Compte)
    assert lignes(base, "SELECT telephone FROM utilisateur WHERE login = 'demo.superviseur'") == [
        ("02 99 00 00 00",)]


# -- Mes messages ------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_messages_unread_first_marked_read_one_then_all(base):
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir(pilot, "m", Messages)
        liste = app.screen.query_one(ListeDonnees)
        # Unread first, newest first; the two copies of one operation are one line.
        assert [(l.texte, l.lu) for l in liste.lignes_affichees()] == [
            ("[@click=app.quit]Dossier mis à jour [31mrouge", False),
            ("Scolarité ajoutée pour BERNARD Inès", False),
            ("Accompagnement créé pour MARTIN Hugo", False),
            ("Décision ajoutée pour DUPONT Léa", True),
        ]
        assert "3 non lus" in ecran_texte(app)
        # The text is data: shown as typed, never run (the app is still here).
        assert "[@click=app.quit]Dossier mis à jour [31mrouge" in ecran_texte(app)
        await pilot.press("l")
        await attendre_travaux(pilot)
        assert [l.lu for l in liste.lignes_affichees()] == [True, False, False, True]
        assert liste.curseur == 1  # « l l l »: down the list
        assert "2 non lus" in ecran_texte(app)
        # Entrée shows the message in full and marks it read.
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert "Scolarité ajoutée · Rennes Nord · module ERSEH" in ecran_texte(app)
        await pilot.press("escape")  # closes the message shown
        assert isinstance(app.screen, Messages)
        await pilot.press("L")
        await attendre_travaux(pilot)
        assert all(l.lu for l in liste.lignes_affichees())
        assert "tout est lu" in ecran_texte(app)
        await pilot.press("escape")
        await attendre_travaux(pilot)
        assert "Mes messages — aucun non lu" in ecran_texte(app)
    # Each copy of the operation marked (the one read already left); the marks are this user's.
    assert lignes(base, "SELECT login, count(*) FROM message_lu WHERE lu = 1 GROUP BY login") == [
        ("demo.gestionnaire", 4)]


@pytest.mark.anyio
async def test_messages_filtered_by_kind_and_unread_again(base):
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir(pilot, "m", Messages)
        liste = app.screen.query_one(ListeDonnees)
        liste.appliquer_filtres({"proposes": ["nature", "lecture"],
                                 "valeurs": {"nature": ["Accompagnement créé", "Décision ajoutée"]}})
        await pilot.pause()
        assert textes(liste) == ["Accompagnement créé pour MARTIN Hugo",
                                 "Décision ajoutée pour DUPONT Léa"]
        assert "nature" in ecran_texte(app)
        await pilot.press("down", "n")  # the décision, read: unread again
        await attendre_travaux(pilot)
        liste.appliquer_filtres({"proposes": ["nature", "lecture"],
                                 "valeurs": {"lecture": ["non lu"]}})
        await pilot.pause()
        assert "Décision ajoutée pour DUPONT Léa" in textes(liste)
        assert len(textes(liste)) == 4


@pytest.mark.anyio
async def test_messages_follow_the_perimeter(base):
    session = session_de(base, "demo.gestionnaire")
    session.charger()
    session.enregistrer_secteurs(["S2"])
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir(pilot, "m", Messages)
        assert textes(app.screen.query_one(ListeDonnees)) == [
            "Accompagnement créé pour MARTIN Hugo"]
        assert "périmètre : secteurs Saint-Malo · 1 non lu" in ecran_texte(app)


# -- Mes secteurs ------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_choosing_a_secteur_restricts_accueil_at_once_and_is_remembered(base):
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        tous = len(app.screen.query_one(ListeDonnees).lignes)
        ecran = await ouvrir(pilot, "s", Secteurs)
        cases = ecran.query_one(ListeCases)
        assert cases.selected == []
        assert "votre périmètre est tout le département" in ecran_texte(app)
        await pilot.press("down", "space")  # Saint-Malo (by name: Rennes Nord, Saint-Malo)
        assert cases.selected == ["S2"]
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Compte)
        assert "Mes secteurs — secteurs Saint-Malo" in ecran_texte(app)
        await pilot.press("1")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Accueil)
        assert "périmètre : secteurs Saint-Malo" in ecran_texte(app)
        assert [l.id for l in app.screen.query_one(ListeDonnees).lignes] == ["D3"]
        assert tous > 1
    assert lignes(base, "SELECT secteurs FROM utilisateur WHERE login = 'demo.gestionnaire'") == [
        ("S2",)]
    # Remembered: the next session starts on it.
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        assert [l.id for l in app.screen.query_one(ListeDonnees).lignes] == ["D3"]
        ecran = await ouvrir(pilot, "s", Secteurs)
        await pilot.press("t", "ctrl+s")  # back to the whole département
        await attendre_travaux(pilot)
        await pilot.press("1")
        await attendre_travaux(pilot)
        assert len(app.screen.query_one(ListeDonnees).lignes) == tous


@pytest.mark.anyio
async def test_escape_leaves_the_secteurs_unchanged(base):
    app = app_de(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir(pilot, "s", Secteurs)
        await pilot.press("space", "escape")
        assert isinstance(app.screen, Compte)
        assert app.session_ouverte.secteurs == ()
    assert lignes(base, "SELECT secteurs FROM utilisateur WHERE login = 'demo.gestionnaire'") == [
        ("",)]


# -- Établissements du département -------------------------------------------------------------
@pytest.mark.anyio
async def test_the_referentiel_with_pial_secteur_and_coordinates(base):
    app = app_de(base)
    async with app.run_test(size=(160, 30)) as pilot:
        await ouvrir(pilot, "e", Etablissements)
        liste = app.screen.query_one(ListeDonnees)
        assert [(l.uai, l.pial, l.secteur, l.coordonnees) for l in liste.lignes_affichees()] == [
            ("0350001A", "Collège Anne de Bretagne (0350001A)", "Rennes Nord", "48,11 ; -1,68"),
            ("0350002B", "Collège Anne de Bretagne (0350001A)", "Rennes Nord", "48,12 ; -1,69"),
            ("0350003C", "hors PIAL", "Saint-Malo", "48,65 ; -2,01"),
            ("0350004D", "Collège Anne de Bretagne (0350001A)", "Rennes Nord", "48,1 ; -1,66"),
            ("0350005E", "Collège Les Gayeulles (0350005E)", "Rennes Nord", "48,13 ; -1,64"),
        ]
        assert "5 établissements sur 5" in ecran_texte(app)
        liste.appliquer_filtres({"proposes": ["secteur"], "valeurs": {"secteur": ["Saint-Malo"]}})
        await pilot.pause()
        assert [l.uai for l in liste.lignes_affichees()] == ["0350003C"]
        liste.appliquer_filtres({"proposes": ["secteur"], "valeurs": {}})
        liste.definir_recherche("gayeulles")  # the search's haystacks are built in a thread
        await attendre_travaux(pilot)
        assert [l.uai for l in liste.lignes_affichees()] == ["0350005E"]
        # Entrée: the établissement in full, its secteur's ERSEH included.
        await pilot.press("enter")
        await pilot.pause()
        texte = ecran_texte(app)
        assert "Collège Les Gayeulles (0350005E) · Collège · Public · 35000 Rennes" in texte
        assert "secteur Rennes Nord (ERSEH" in texte
        await pilot.press("escape")
        assert isinstance(app.screen, Etablissements)
        await pilot.press("escape")
        assert isinstance(app.screen, Compte)


# -- snapshots ---------------------------------------------------------------------------------
@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_compte(base, snap_compare, taille):
    async def avant(pilot):
        await ouvrir_compte(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_coordonnees_with_an_error(base, snap_compare, taille):
    async def avant(pilot):
        ecran = await ouvrir(pilot, "c", Coordonnees)
        ecran.query_one("#mail", Input).value = "gestion@ac-rennes"
        ecran.query_one("#telephone", Input).value = "02 99 12 34 56"
        await figer(pilot)

    assert snap_compare(app_de(base), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_messages(base, snap_compare, taille):
    """Unread first; the first one marked read; one shown in full."""
    async def avant(pilot):
        await ouvrir(pilot, "m", Messages)
        await pilot.press("l")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        await figer(pilot)

    assert snap_compare(app_de(base), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_messages_filtered(base, snap_compare, taille):
    async def avant(pilot):
        await ouvrir(pilot, "m", Messages)
        pilot.app.screen.query_one(ListeDonnees).appliquer_filtres(
            {"proposes": ["nature", "lecture"], "valeurs": {"nature": ["Accompagnement créé"]}})
        await figer(pilot)

    assert snap_compare(app_de(base), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_secteurs(base, snap_compare, taille):
    async def avant(pilot):
        await ouvrir(pilot, "s", Secteurs)
        await pilot.press("down", "space")
        await figer(pilot)

    assert snap_compare(app_de(base), run_before=avant, terminal_size=taille)


@pytest.mark.parametrize("taille", TAILLES, ids=lambda t: f"{t[0]}x{t[1]}")
def test_snapshot_etablissements(base, snap_compare, taille):
    async def avant(pilot):
        await ouvrir(pilot, "e", Etablissements)
        await figer(pilot)

    assert snap_compare(app_de(base), run_before=avant, terminal_size=taille)
