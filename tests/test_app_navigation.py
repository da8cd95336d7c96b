"""Moving around the application: menus by key and palette, the screens that
are not there yet, Paramètres refused to a gestionnaire, Accueil → détail →
back, the selection, data shown literally, the perimeter, help, reload."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static

from agesh_tui.palette import CommandesAgesh
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.aide import Aide
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.widgets.entete import BarreMenus, Entete
from agesh_tui.widgets.liste import LARGEUR_MARQUES, ListeDonnees
from base_app import (
    NOM_PIEGE,
    application,
    attendre_a_jour,
    attendre_chargement,
    attendre_travaux,
    session_de,
)

pytestmark = pytest.mark.anyio


def ouvrir(store, login="paul", profil="gestionnaire"):
    app = application(store, session=session_de(store, login, profil))
    notes: list[str] = []
    notifier = app.notify

    def capturer(message, **kwargs):
        notes.append(message)
        notifier(message, **kwargs)

    app.notify = capturer
    return app, notes


def texte_ecran(widget) -> str:
    """What a widget shows, line by line, as plain text."""
    return "\n".join(
        "".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)
    )


async def aller_a_la_ligne(pilot, cle: str) -> None:
    liste = pilot.app.screen.query_one(ListeDonnees)
    cles = [l.id for l in liste.lignes_affichees()]
    await pilot.press("home", *["down"] * cles.index(cle))


async def test_menus_by_key(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        assert isinstance(app.screen, Accueil)
        from agesh_tui.screens.accompagnements import ListeAccompagnements
        from agesh_tui.screens.aesh import ListeAesh
        from agesh_tui.screens.compte import Compte
        from agesh_tui.screens.editions import Editions
        from agesh_tui.screens.missions import ListeMissions
        from agesh_tui.screens.pial import ListePial
        from agesh_tui.screens.recherche_eleve import RechercheEleve

        for touche, ecran in [("2", ListeAesh), ("3", ListeMissions), ("4", ListeAccompagnements),
                              ("5", Editions), ("7", ListePial), ("8", Compte),
                              # Last: its name field takes the digits typed next.
                              ("6", RechercheEleve)]:
            await pilot.press(touche)
            await attendre_travaux(pilot)
            assert isinstance(app.screen, ecran), (touche, app.screen)
        await pilot.press("1")  # typed in the search's name field
        assert app.screen.focused is not None and app.screen.focused.value == "1"
        app.screen.set_focus(None)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, Accueil)


async def test_menus_by_palette(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"Éditions")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert app.current_mode == "editions"
        from agesh_tui.screens.editions import Editions

        assert isinstance(app.screen, Editions)


async def test_palette_reaches_the_screen_actions(base):
    app, notes = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Créer un acc")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement

        assert isinstance(app.screen, FormulaireAccompagnement)


async def titres_palette(app) -> list[str]:
    return [str(hit.display) async for hit in CommandesAgesh(app.screen).discover()]


async def test_palette_lists_the_projects_actions_in_french(base):
    """The help's notion of « the project's actions »: no Textual English
    (« Focus Next », « Copy selected text », « Scroll Up »), no moves."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        titres = await titres_palette(app)
        assert {"Ouvrir", "Trier", "Filtres", "Indicateurs", "Aide", "Quitter"} <= set(titres)
        for absent in ("Focus Next", "Focus Previous", "Copy selected text", "Ligne suivante",
                       "Colonne précédente", "Page suivante"):
            assert absent not in titres
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailDecision)
        titres = await titres_palette(app)
        assert "Retour à la liste" in titres
        assert not any(t.startswith(("Scroll", "Page ", "Focus", "Copy")) for t in titres)


async def test_parametres_hidden_and_refused_for_a_gestionnaire(base):
    app, notes = ouvrir(base)
    async with app.run_test(size=(160, 30)) as pilot:
        await attendre_chargement(pilot)
        barre = texte_ecran(app.screen.query_one(BarreMenus))
        assert "8 Mon compte" in barre and "Paramètres" not in barre
        await pilot.press("9")
        await pilot.pause()
        assert isinstance(app.screen, Accueil)
        app.action_menu("parametres")
        await pilot.pause()
        assert app.current_mode == "accueil"
        assert notes[-1] == "Paramètres département : réservé au profil Superviseur AESH."
        await pilot.press("ctrl+p")
        await pilot.press(*"Paramètres")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert app.current_mode == "accueil"


async def test_parametres_for_a_superviseur(base):
    app, _ = ouvrir(base, "marie.curie", "superviseur")
    async with app.run_test(size=(160, 30)) as pilot:
        await attendre_chargement(pilot)
        assert "9 Paramètres département" in texte_ecran(app.screen.query_one(BarreMenus))
        await pilot.press("9")
        await pilot.pause()
        from agesh_tui.screens.parametres import Parametres  # its own tests: test_app_parametres.py

        assert isinstance(app.screen, Parametres)


async def test_accueil_detail_and_back(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await aller_a_la_ligne(pilot, "D1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailDecision)
        assert app.screen.decision_id == "D1"
        titre = str(app.screen.query_one(".detail-titre", Static).render())
        assert titre == "Décision D1 — DUPONT Léa"
        # Another menu and back keeps the detail open (each menu keeps its screens).
        await pilot.press("2")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DetailDecision)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Accueil)


async def test_selection_and_creer_un_accompagnement(base):
    from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement

    app, notes = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await aller_a_la_ligne(pilot, "D2")
        await pilot.press("space")
        await aller_a_la_ligne(pilot, "D4")
        await pilot.press("space")
        await pilot.press("a")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)
        assert app.screen.proposition.decision_ids == ("D2", "D4")
        assert str(app.screen.query_one("#formulaire-titre", Static).render()).startswith(
            "Accompagnement mutualisé de 2 élève(s) : ")
        await pilot.press("escape")  # nothing typed: leaves at once
        assert isinstance(app.screen, Accueil)
        await aller_a_la_ligne(pilot, "D1")
        await pilot.press("space")
        await pilot.press("a")
        await pilot.pause()
        assert notes[-1] == (
            "Création impossible : décisions individuelles et mutualisées ne peuvent pas "
            "être mêlées dans un accompagnement."
        )
        assert isinstance(app.screen, Accueil)
        # Nothing selected: the cursor's décision.
        await pilot.press("escape")
        await aller_a_la_ligne(pilot, "D1")
        await pilot.press("a")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)
        assert str(app.screen.query_one("#formulaire-titre", Static).render()) == (
            "Accompagnement individualisé de DUPONT Léa (D1) · 24 h notifiées")


async def test_superviseur_consults_and_cannot_start_an_accompagnement(base):
    app, notes = ouvrir(base, "marie.curie", "superviseur")
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await aller_a_la_ligne(pilot, "D1")
        await pilot.press("a")
        await pilot.pause()
        assert notes[-1] == (
            "Création impossible : réservé au profil Gestionnaire AESH "
            "(le superviseur consulte seulement)."
        )


async def test_hostile_names_are_shown_literally_and_do_nothing(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(160, 30)) as pilot:
        await attendre_chargement(pilot)
        ecran = texte_ecran(app.screen.query_one(ListeDonnees))
        assert "[@click=app.quit]X [3…" in ecran  # cut to the column width
        assert "\x1b" not in ecran
        await aller_a_la_ligne(pilot, "D2")
        ligne = 1 + [l.id for l in app.screen.query_one(ListeDonnees).lignes_affichees()].index("D2")
        await pilot.click(ListeDonnees, offset=(20, ligne))
        await pilot.pause()
        assert app.is_running  # the click did not run app.quit
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailDecision)
        titre = str(app.screen.query_one(".detail-titre", Static).render())
        assert titre == f"Décision D2 — {NOM_PIEGE} [31mRouge"
        console = Console(width=160, record=True, file=io.StringIO())
        for bloc in app.screen.query(".detail-bloc"):
            console.print(bloc.content)
        blocs = console.export_text()
        assert f"Nom                {NOM_PIEGE}" in blocs and "\x1b" not in blocs


async def test_search_and_filter_by_code_rne(base):
    """Guide §10.3.1: « Filtrer par établissement ou par code RNE »: the UAIs
    of the établissements de scolarisation and of the tête de PIAL."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)

        async def trouvees(recherche: str) -> list[str]:
            liste.definir_recherche(recherche)
            await attendre_travaux(pilot)  # the search may wait for its haystacks
            return sorted(l.id for l in liste.lignes_affichees())

        assert await trouvees("0350003c") == ["D3"]  # scolarisé au lycée Chateaubriand
        assert await trouvees("0350002B") == ["D2", "D4"]
        assert await trouvees("0350001A") == ["D1", "D2", "D4"]  # D2, D4: their tête de PIAL
        await trouvees("")
        filtre = next(f for f in liste.filtres if f.cle == "etablissement")
        # Values by UAI, read with the UAI first (never cut), then name and commune.
        assert [filtre.etiquette(v) for v in filtre.valeurs_possibles(liste.lignes)] == [
            "0350001A  Collège Anne de Bretagne, Rennes", "0350002B  École Bourg-l'Évêque, Rennes",
            "0350003C  Lycée Chateaubriand, Saint-Malo",
        ]
        liste.appliquer_filtres({"proposes": ["etablissement"],
                                 "valeurs": {"etablissement": ["0350003C"]}})
        await attendre_travaux(pilot)
        assert [l.id for l in liste.lignes_affichees()] == ["D3"]


async def test_frise_and_sort_mark_fit_80_columns_with_the_scrollbar(base):
    """At 80 columns, with the list's scrollbar, the frise keeps its last
    cell and the « Mise en œuvre » header its ▼."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(80, 10)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        liste.trier("mise_en_oeuvre", descendant=True)
        await attendre_travaux(pilot)
        assert liste.show_vertical_scrollbar
        vue = liste.scrollable_content_region.width  # what the scrollbar leaves
        entete = liste.render_line(0).text[:vue]
        assert entete.startswith("  Identifiant") and entete.rstrip().endswith("Mise en œuvre        ▼")
        colonnes = liste.colonnes_affichees
        frise = next(c for c in colonnes if c.cle == "mise_en_oeuvre")
        debut = LARGEUR_MARQUES + sum(c.largeur + 1 for c in colonnes[:colonnes.index(frise)])
        assert debut + frise.largeur <= vue


async def test_detail_readable_at_80_columns(base):
    """At 80 columns a table that cannot hold its names becomes one block per
    row (label, value): no name folded into a few characters a line."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_chargement(pilot)
        await aller_a_la_ligne(pilot, "D1")
        await pilot.press("enter")
        await pilot.pause()
        blocs = app.screen.query(".detail-bloc")
        largeur = blocs.first().content_region.width
        console = Console(width=largeur, record=True, file=io.StringIO())
        for bloc in blocs:
            console.print(bloc.content)
        lignes = [ligne.rstrip() for ligne in console.export_text().splitlines()]
        assert "MOREAU Claire" in lignes  # the AESH heads its accompagnement
        assert "  Établissement  Collège Anne de Bretagne" in lignes
        assert "▶ D1 · individuelle · 24 h" in lignes  # « Décisions de l'élève »
        # A table that fits stays a table.
        assert "░░   du 01/09/2026 au 01/11/2026   sans accompagnement (rouge)" in lignes


async def test_perimeter_limits_the_list_to_the_users_secteurs(base):
    app, _ = ouvrir(base, "malo")
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        assert [l.id for l in liste.lignes_affichees()] == ["D3"]
        assert liste.nombre_total == 1
        assert "secteurs Saint-Malo" in str(app.screen.query_one("#accueil-titre", Static).render())
    app, _ = ouvrir(base, "paul")
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        assert app.screen.query_one(ListeDonnees).nombre_total == 4


async def test_help_shows_keys_and_legend(base):
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, Aide)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#aide-texte", Static).content)
        aide = console.export_text()
        assert "Créer un accompagnement" in aide
        assert "1…8" in aide and "Menus : Accueil, AESH" in aide
        for glyphe in "█■▓░·▚◆┃":
            assert glyphe in aide
        assert "remplacent celui de l'état" in aide
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Accueil)


async def test_data_changed_elsewhere_is_reloaded_on_its_own(base):
    """Another gestionnaire's write: seen by the store's watch (within 2 s),
    reloaded in the background, the list redrawn — no key, no « R » (that
    one: test_app_rafraichissement)."""
    app, notes = ouvrir(base)
    async with app.run_test(size=(160, 30)) as pilot:
        await attendre_chargement(pilot)
        assert app.check_action("recharger", ()) is False
        with base.ecriture() as tx:  # another gestionnaire's write
            tx.execute("UPDATE eleve SET nom = 'DURAND' WHERE id = 'E1'")
        await attendre_a_jour(pilot)
        assert not app.perime and app.check_action("recharger", ()) is False
        assert "Données rechargées." not in notes  # only « R » says it
        assert "⚠" not in texte_ecran(app.screen.query_one(Entete))
        noms = [l.nom for l in app.screen.query_one(ListeDonnees).lignes_affichees()]
        assert "DURAND Léa" in noms


async def test_reload_redraws_an_open_detail(base):
    """A reload on a décision's detail redraws it from the new data (it used
    to remount composed sections outside compose, and the application stopped)."""
    app, _ = ouvrir(base)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await aller_a_la_ligne(pilot, "D1")
        await pilot.press("enter")
        await pilot.pause()
        with base.ecriture() as tx:
            tx.execute("UPDATE eleve SET nom = 'DURAND' WHERE id = 'E1'")
        await attendre_a_jour(pilot)
        await pilot.pause()  # the recompose, after the reload's signal
        assert app.is_running and isinstance(app.screen, DetailDecision)
        titre = str(app.screen.query_one(".detail-titre", Static).render())
        assert titre == "Décision D1 — DURAND Léa"
