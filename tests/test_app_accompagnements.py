"""The Accompagnements menu (issue 10 items 3 and 7, SPEC F10, guide §10.1)
on the snapshots' world (base_app.monde_ecran, today 22/11/2026): the list
with its marks (AC7 prévisionnel, AC10 maintien, AC2 AC5 AC6 AC9 with an
incohérence), search, sort, the school-year filter; the détail with its
décisions, frises and incohérences, its links, the PV d'affectation's refusal
message; snapshots of both at 80×24 and 160×48."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from agesh_tui.api.tableaux import definition, vue
from agesh_tui.screens.accompagnements import ListeAccompagnements
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.screens.detail_accompagnement import CarteDecision, DetailAccompagnement
from agesh_tui.widgets.frise import Frise
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
    session_de,
    texte_ecran,
)

pytestmark = pytest.mark.anyio

ANNEE_EN_COURS = {"AC1", "AC2", "AC3", "AC5", "AC6", "AC7", "AC8", "AC9", "AC10"}


def noter(app) -> list[str]:
    notes: list[str] = []
    notifier = app.notify

    def capturer(message, **kwargs):
        notes.append(message)
        notifier(message, **kwargs)

    app.notify = capturer
    return notes


async def ouvrir_liste(pilot) -> ListeDonnees:
    await attendre_chargement(pilot)
    await pilot.press("4")
    await attendre_travaux(pilot)
    assert isinstance(pilot.app.screen, ListeAccompagnements)
    return pilot.app.screen.query_one(ListeDonnees)


def ids(liste: ListeDonnees) -> list[str]:
    return [l.id for l in liste.lignes_affichees()]


def ligne_ecran(app, acc_id: str) -> str:
    """The terminal line of the row of ``acc_id`` (its AESH and dates)."""
    liste = app.screen.query_one(ListeDonnees)
    ligne = next(l for l in liste.lignes_affichees() if l.id == acc_id)
    debut = ligne.debut.strftime("%d/%m/%Y")
    (texte,) = [t for t in texte_ecran(app) if ligne.aesh[:10] in t and debut in t
                and ligne.fin.strftime("%d/%m/%Y") in t]
    return texte


async def test_key_4_opens_the_list_with_the_marks_on_the_right_rows(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        assert set(ids(liste)) == ANNEE_EN_COURS
        par_id = {l.id: l for l in liste.lignes}
        assert sorted(i for i, l in par_id.items() if l.previsionnel) == ["AC3", "AC7"]
        assert [i for i, l in par_id.items() if l.maintien] == ["AC10"]
        assert sorted(i for i, l in par_id.items() if l.anomalie) == ["AC2", "AC5", "AC6", "AC9"]
        # On screen: each icon under its title (in cells: an emoji is two), on
        # its rows only; the columns after them stay aligned on every row.
        entete = next(t for t in texte_ecran(app) if "AESH" in t and "Début" in t)
        for acc_id in ANNEE_EN_COURS:
            texte, ligne = ligne_ecran(app, acc_id), par_id[acc_id]
            for icone, present in (("📅", ligne.previsionnel), ("🔗", ligne.maintien),
                                   ("!", ligne.anomalie)):
                assert (icone in texte) == present, (acc_id, icone, texte)
                if present:
                    assert cellule(texte, icone) == cellule(entete, icone), (acc_id, icone)
            assert cellule(texte, ligne.etablissement[:12]) == cellule(entete, "Établissement")
        # The number of décisions, right-aligned under « Déc. ».
        assert "mutualisé" + " " * 8 + "2" in ligne_ecran(app, "AC3")
        assert "individualisé" + " " * 4 + "1" in ligne_ecran(app, "AC1")


def cellule(texte: str, quoi: str) -> int:
    """The terminal column (cells, not characters) where ``quoi`` starts."""
    return cell_len(texte[:texte.index(quoi)])


async def test_without_colours_the_marks_read_as_text(base_ecran, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir_liste(pilot)
        assert "[P]" in ligne_ecran(app, "AC7") and "📅" not in ligne_ecran(app, "AC7")
        assert "[M]" in ligne_ecran(app, "AC10")
        assert "[!]" in ligne_ecran(app, "AC5")
        assert "[P]" not in ligne_ecran(app, "AC1") and "[!]" not in ligne_ecran(app, "AC1")
        titre = "\n".join(texte_ecran(app)[:6])
        assert "[P] prévisionnel · [M] maintien · [!] anomalie" in titre


async def test_search_finds_pupils_and_the_words_of_the_marks(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        await pilot.press("slash", *"martin")
        await attendre_travaux(pilot)
        assert ids(liste) == ["AC2"]  # MARTIN Hugo, a hidden column
        liste.definir_recherche("anomalie")
        await attendre_travaux(pilot)
        assert sorted(ids(liste)) == ["AC2", "AC5", "AC6", "AC9"]
        liste.definir_recherche("roussel mutualisé")
        await attendre_travaux(pilot)
        assert ids(liste) == ["AC9"]


async def test_sort_by_hours_then_by_the_anomaly_mark(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        liste.focus()
        # The column cursor on « Heures » (← →), then s: ascending, s again: descending.
        visibles = [c.cle for c in liste.colonnes_affichees]
        await pilot.press("home", *["right"] * visibles.index("heures"), "s")
        await attendre_travaux(pilot)
        heures = [l.heures for l in liste.lignes_affichees()]
        assert heures == sorted(heures)
        await pilot.press("s")
        await attendre_travaux(pilot)
        assert [l.heures for l in liste.lignes_affichees()] == sorted(heures, reverse=True)
        await pilot.press(*["left"] * (visibles.index("heures") - visibles.index("anomalie")), "s")
        await attendre_travaux(pilot)
        assert [l.anomalie for l in liste.lignes_affichees()][:4] == [True] * 4  # marked first
        assert "▼" in next(t for t in texte_ecran(app) if "AESH" in t and "Début" in t)


async def test_school_year_filter_by_default_and_remembered(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 30)) as pilot:
        liste = await ouvrir_liste(pilot)
        assert "année 2026-2027" in "\n".join(texte_ecran(app))
        assert len(liste.lignes) == len(ANNEE_EN_COURS) and liste.nombre_affiche == 9
        # Another year: 2025-2026 keeps the accompagnement that began then (AC8).
        liste.appliquer_filtres({"proposes": ["annee"], "valeurs": {"annee": ["2025-09-01", "2026-08-31"]}})
        await attendre_travaux(pilot)
        assert ids(liste) == ["AC8"]
        await pilot.pause(0.7)  # the preferences' debounce
        await attendre_travaux(pilot)
    session = session_de(base_ecran, "demo.gestionnaire")
    etat = session.preference("accompagnements")
    assert etat["filtres"]["valeurs"]["annee"] == ["2025-09-01", "2026-08-31"]


async def test_enter_opens_the_detail_with_decisions_frises_and_incoherences(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 48)) as pilot:
        liste = await ouvrir_liste(pilot)
        liste.focus()
        await pilot.press("home", *["down"] * ids(liste).index("AC9"), "enter")
        await attendre_travaux(pilot)
        ecran = app.screen
        assert isinstance(ecran, DetailAccompagnement) and ecran.acc_id == "AC9"
        cartes = list(ecran.query(CarteDecision))
        assert [c.decision_id for c in cartes] == ["D8", "D9"]
        assert all(len(c.query(Frise)) == 1 for c in cartes)
        texte = "\n".join(texte_ecran(app))
        assert "Accompagnement AC9 — ROUSSEL Inès" in texte
        assert "mutualisé (2 décisions)" in texte
        assert "ANDRE Lucas" in texte and "MERCIER Jade" in texte
        assert "Incohérences (1)" in texte
        assert "n° 6 — Accompagnements dont le temps de travail est supérieur" in texte
        assert "27 h du 05/10/2026 au 31/12/2026 pour un volume de 24 h" in texte.replace("\n", " ")
        assert "non · pause méridienne : non" in texte
        assert "Rennes Nord · tête de PIAL" in texte
        assert "jusqu'à 27 h par semaine" in texte
        # The page scrolls first (↑ ↓); Tab goes to the first décision, Entrée
        # opens its détail, Échap comes back.
        assert app.focused is ecran.query_one("#detail")
        await pilot.press("tab")
        assert app.focused is cartes[0]
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D8"
        await pilot.press("escape")
        await pilot.press("tab")
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D9"
        await pilot.press("escape", "escape")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, ListeAccompagnements)


async def test_detail_without_incoherence_and_with_marks(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 48)) as pilot:
        await attendre_chargement(pilot)
        app.push_screen(DetailAccompagnement("AC7"))
        await attendre_travaux(pilot)
        texte = "\n".join(texte_ecran(app))
        assert "Aucune incohérence." in texte
        assert "📅 prévisionnel" in texte and "NOEL Paul" in texte
        app.push_screen(DetailAccompagnement("AC10"))
        await attendre_travaux(pilot)
        assert "🔗 maintien après la fin de la décision" in "\n".join(texte_ecran(app))


async def test_a_hostile_name_is_shown_literally(base_ecran):
    """AC3 accompanies E2, whose name is markup and an escape sequence."""
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        app.push_screen(DetailAccompagnement("AC3"))
        await attendre_travaux(pilot)
        texte = "\n".join(texte_ecran(app))
        assert "Décision D2 — [@click=app.quit]X [31mRouge" in texte
        assert "\x1b" not in texte


async def test_links_to_the_aesh_and_the_mission(base_ecran):
    from agesh_tui.screens.detail_mission import DetailMission
    from agesh_tui.screens.dossier_aesh import DossierAesh

    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        app.push_screen(DetailAccompagnement("AC5"))
        await attendre_travaux(pilot)
        await pilot.press("m")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailMission) and app.screen.mission_id == "M3"
        await pilot.press("escape")
        await attendre_travaux(pilot)
        await pilot.press("a")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DossierAesh) and app.screen.aesh_id == "A3"


async def test_pv_d_affectation_refused_while_the_cartouche_is_incomplete(base_ecran):
    # The PV itself is tested in test_app_etablissements.py and test_documents.py.
    app = app_de(base_ecran)
    notes = noter(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ouvrir_liste(pilot)
        await pilot.press("p")
        assert notes[-1].startswith("Le PV d'affectation ne peut pas être établi : le cartouche "
                                    "courrier du département est incomplet (académie, service")
        app.push_screen(DetailAccompagnement("AC1"))
        await attendre_travaux(pilot)
        await pilot.press("p")
        assert "Un superviseur le complète dans Paramètres département" in notes[-1]
        assert "PV d'affectation" in texte_ecran(app)[-1]  # in the footer


async def test_an_accompagnement_removed_elsewhere(base_ecran):
    """Another session deletes AC1 while its détail is open: after « R »
    the détail closes and says why; opened afterwards, it says so."""
    app = app_de(base_ecran)
    notes = noter(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("4")
        await attendre_travaux(pilot)
        app.push_screen(DetailAccompagnement("AC1"))
        await attendre_travaux(pilot)
        autre = session_de(base_ecran, "demo.gestionnaire")
        autre.charger()
        autre.supprimer_accompagnement("AC1", autre.accompagnement("AC1").version)
        app.session_ouverte.charger()
        app.signal_donnees.publish(None)  # what « R » does once loaded
        for _ in range(100):  # the screens hear it at their next turn
            await attendre_travaux(pilot)
            if isinstance(app.screen, ListeAccompagnements) and \
                    "AC1" not in ids(app.screen.query_one(ListeDonnees)):
                break
        assert isinstance(app.screen, ListeAccompagnements)
        assert "Cet accompagnement n'existe plus (supprimé) : son détail est fermé." in notes
        assert "AC1" not in ids(app.screen.query_one(ListeDonnees))
        app.push_screen(DetailAccompagnement("AC1"))
        await attendre_travaux(pilot)
        assert "L'accompagnement AC1 n'existe plus dans les données rechargées." in "\n".join(texte_ecran(app))


def test_the_spreadsheet_and_the_screen_share_their_rows(base_ecran):
    session = session_de(base_ecran, "demo.gestionnaire")
    session.charger()
    definition_, lignes = definition(session, "accompagnements")
    assert lignes and all(any(l is e for e in session.lignes_accompagnements()) for l in lignes)
    tableau = vue(definition_, lignes, annee=2026, filtres={"previsionnel": ["oui"]})
    assert [d["id"] for d in tableau.dictionnaires()] == ["AC3", "AC7"]
    ac9 = next(d for d in vue(definition_, lignes, colonnes=["id", "eleves", "anomalie"]).dictionnaires()
               if d["id"] == "AC9")
    assert ac9 == {"id": "AC9", "eleves": "ANDRE Lucas, MERCIER Jade", "anomalie": True}


def test_the_rows_keep_to_the_users_secteurs(base_ecran):
    from agesh_tui.engine.stockage.utilisateurs import enregistrer_secteurs

    enregistrer_secteurs(base_ecran, "demo.gestionnaire", ("S2",))  # Saint-Malo: E3's lycée
    session = session_de(base_ecran, "demo.gestionnaire")
    session.charger()
    assert [l.id for l in session.lignes_accompagnements()] == ["AC2"]


# -- snapshots ---------------------------------------------------------------------------
def _liste():
    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("4")
        await figer(pilot)
    return avant


def _detail(acc_id, decisions=False):
    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("4")
        await attendre_travaux(pilot)
        pilot.app.push_screen(DetailAccompagnement(acc_id))
        await figer(pilot)
        if decisions:  # scrolled down to them (Tab does it too)
            pilot.app.screen.query_one(CarteDecision).scroll_visible(top=True, animate=False)
            await figer(pilot)
    return avant


def test_liste_80x24(base_ecran, snap_compare):
    assert snap_compare(app_de(base_ecran), run_before=_liste(), terminal_size=(80, 24))


def test_liste_160x48(base_ecran, snap_compare):
    assert snap_compare(app_de(base_ecran), run_before=_liste(), terminal_size=(160, 48))


def test_liste_80x24_sans_couleur(base_ecran, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app_de(base_ecran), run_before=_liste(), terminal_size=(80, 24))


def test_detail_80x24(base_ecran, snap_compare):
    assert snap_compare(app_de(base_ecran), run_before=_detail("AC9"), terminal_size=(80, 24))


def test_detail_80x24_decisions(base_ecran, snap_compare):
    """Further down at 80 columns: the décisions, their frise and couverture."""
    assert snap_compare(app_de(base_ecran), run_before=_detail("AC9", decisions=True),
                        terminal_size=(80, 24))


def test_detail_160x48(base_ecran, snap_compare):
    assert snap_compare(app_de(base_ecran), run_before=_detail("AC9"), terminal_size=(160, 48))
