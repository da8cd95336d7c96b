"""Connexion and Accueil as a new user found them (issue 9), at 80×24 and
wide, with and without NO_COLOR: one test per defect, each failing before
its fix. The keys in French and the bursts are in test_app_clavier.py."""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Input, SelectionList, Static

from agesh_tui.api.erreurs import BaseIntrouvable
from agesh_tui.cli import main
from agesh_tui.palette import CommandesAgesh
from agesh_tui.screens.accueil import Accueil
from agesh_tui.screens.connexion import Connexion
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement
from agesh_tui.screens.indicateurs import Evolution
from agesh_tui.screens.profil import Profil
from agesh_tui.screens.refus import DetailRefus
from agesh_tui.widgets.choix_filtres import ChoixFiltres
from agesh_tui.widgets.entete import Entete
from agesh_tui.widgets.etat_liste import EtatListe
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    TOTP,
    app_de,
    application,
    attendre_chargement,
    attendre_travaux,
    creer_base,
    figer,
    isoler,
    monde_app,
    session_de,
    texte_ecran,
)

pytestmark = pytest.mark.anyio


def noter(app) -> list[str]:
    notes: list[str] = []
    notifier = app.notify

    def capturer(message, **kwargs):
        notes.append(message)
        notifier(message, **kwargs)

    app.notify = capturer
    return notes


async def aller_a(pilot, cle: str) -> None:
    liste = pilot.app.screen.query_one(ListeDonnees)
    cles = [l.id for l in liste.lignes_affichees()]
    await pilot.press("home", *["down"] * cles.index(cle))


# -- 1. the login hint, whole at 80×24 -----------------------------------------------------
async def test_1_the_demo_hint_is_whole_at_80x24(tmp_path, monkeypatch):
    """demarrer-demo's hint: a long venv path and the default data folder."""
    isoler(tmp_path, monkeypatch)
    monkeypatch.setenv("HOME", str(tmp_path))
    donnees = tmp_path / ".local" / "share" / "agesh-tui"
    donnees.mkdir(parents=True)
    monkeypatch.setenv("AGESH_COMMANDE", "/home/projets/agesh-tui-principal/.venv/bin/agesh")
    store = creer_base(donnees / "demo.sqlite3")
    try:
        app = application(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            ecran = texte_ecran(app)
            lignes = [l.strip() for l in ecran]
            assert "/home/projets/agesh-tui-principal/.venv/bin/agesh otp demo.gestionnaire \\" in lignes
            assert "--db ~/.local/share/agesh-tui/demo.sqlite3" in lignes  # « ~ »: shorter
            assert "(ou demo.superviseur, qui a les deux profils)." in lignes
            # The form is whole above it, and nothing scrolls.
            assert any("Se connecter" in l for l in ecran)
            assert not app.screen.query_one("#indication-demo").show_vertical_scrollbar
    finally:
        store.fermer()


# -- 3. the status line says what is filtered ------------------------------------------------
async def test_3_the_status_line_gives_the_filters_values(base):
    app = application(base, session=session_de(base, "paul"))
    async with app.run_test(size=(160, 30)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        etat = app.screen.query_one(EtatListe)
        assert str(etat.render()) == "4 décisions sur 4 · filtres : année 2026-2027"
        liste.appliquer_filtres({"proposes": ["annee", "type", "etablissement"], "valeurs": {
            "annee": ["2025-09-01", "2026-08-31"], "type": ["individuelle"],
            "etablissement": ["0350003C"]}})
        await pilot.pause()
        assert str(etat.render()) == (
            "1 décision sur 4 · filtres : année 2025-2026, type : individuelle, "
            "établissement : Lycée Chateaubriand, Saint-Malo"
        )
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        # Shortened sensibly: the values cut, every filter still named.
        assert str(etat.render()) == (
            "1 décision sur 4 · filtres : année 2025-2026, type : individue…, "
            "établissement : Lycée Cha…"
        )


# -- 4. a mutualisé across two schools is refused on « a » ------------------------------------
async def test_4_a_mutualise_of_pupils_of_two_schools_is_refused(base_ecran):
    app = app_de(base_ecran)
    notes = noter(app)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await aller_a(pilot, "D2")
        await pilot.press("space")
        await aller_a(pilot, "D8")
        await pilot.press("space", "a")
        assert notes[-1].startswith(
            "Création impossible : ces élèves ne sont pas scolarisés dans un même établissement"
        )
        assert "ANDRE Lucas (École Jean Moulin, Rennes (0350004D))" in notes[-1]
        assert "(École Bourg-l'Évêque, Rennes (0350002B))" in notes[-1]
        # Near miss: two pupils of École Jean Moulin share one.
        await pilot.press("escape")
        await aller_a(pilot, "D8")
        await pilot.press("space")
        await aller_a(pilot, "D9")
        await pilot.press("space", "a")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)
        assert app.screen.proposition.decision_ids == ("D8", "D9")


# -- 5. a sort shows the urgent décisions at the top -------------------------------------------
async def test_5_the_first_sort_on_mise_en_oeuvre_shows_what_needs_work_at_the_top(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(80, 12)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        await pilot.press("end")
        assert liste.scroll_offset.y > 0
        colonnes = [c.cle for c in liste.colonnes_affichees]
        await pilot.press("home", *["right"] * colonnes.index("mise_en_oeuvre"), "s")
        await attendre_travaux(pilot)  # the priorités, computed in a thread
        assert liste.etat()["tri"] == [["mise_en_oeuvre", "desc"]]
        assert liste.curseur == 0 and liste.scroll_offset.y == 0
        premiere = liste.ligne_courante()
        assert app.session.frise(premiere.id).priorite == 1  # nothing in place


# -- 6. the school of today first -------------------------------------------------------------
async def test_6_the_etablissements_column_starts_with_the_school_of_today(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(160, 30)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        robin = next(l for l in liste.lignes if l.id == "D13")
        # At the école until 31/08/2026, at the collège since: the collège first,
        # as the Tête de PIAL column says.
        assert robin.etablissements == ("Collège Les Gayeulles", "École Jean Moulin")
        assert robin.tete_pial == "Collège Les Gayeulles"


def test_6_without_a_school_today_the_latest_scolarite_of_the_decision_leads():
    """The fallback: no scolarité covers today (the pupil left, or the
    décision is coming) — the latest one first, the older ones after."""
    from agesh_tui.api.vues_accueil import ordre_scolarisation
    from monde import Monde

    m = Monde()
    for uai in ("0350001A", "0350002B", "0350003C"):
        m.etablissement(uai, f"École {uai}", "Ecole")
    m.eleve("E1", scolarites=[("0350002B", date(2022, 9, 1), date(2023, 8, 31)),
                              ("0350003C", date(2024, 9, 1), date(2025, 8, 31)),
                              ("0350001A", date(2023, 9, 1), date(2024, 8, 31))])
    m.decision("D1", "E1", "individuelle", 6.0, date(2022, 9, 1), date(2025, 8, 31))
    dep = m.departement()
    uais = ["0350001A", "0350002B", "0350003C"]
    assert ordre_scolarisation(dep, dep.decisions["D1"], uais, date(2026, 11, 22)) == [
        "0350003C", "0350001A", "0350002B"]
    # With a school today, that one leads whatever its start.
    assert ordre_scolarisation(dep, dep.decisions["D1"], uais, date(2023, 1, 10)) == [
        "0350002B", "0350003C", "0350001A"]


# -- 7. the last column whole at 80 columns ----------------------------------------------------
async def test_7_scrolled_right_the_last_column_is_whole_at_80_columns(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(80, 14)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        liste.colonnes_visibles([c.cle for c in liste.colonnes if c.cle != "uai_tete"
                                 and c.cle != "uai"])  # Couverture last
        await pilot.press(*["right"] * 20)
        await attendre_travaux(pilot)
        assert liste.show_vertical_scrollbar
        ecran = texte_ecran(app)
        y = liste.region.y
        assert ecran[y].rstrip().endswith("Couverture")
        assert ecran[y + 1].rstrip().endswith("%")


# -- 10. logout, change of profile ------------------------------------------
async def test_10_logout_from_the_palette_back_to_connexion(base):
    app = application(base, session=session_de(base, "paul"))
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("right", "s")  # a choice to save on the way out
        await pilot.press("ctrl+p", *"déconn")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Connexion) and app.session is None
        assert "Paul" not in str(app.screen.query_one(Entete).render())
        await figer(pilot)
        # As painted: the header no longer names who left, nor their profile.
        assert "Paul" not in texte_ecran(app)[0] and "Gestionnaire AESH" not in texte_ecran(app)[0]
        assert set(app._modes) == {"depart"}  # the menus' modes are gone
        assert session_de(base, "paul").preference("accueil")["tri"] == [["nom", "asc"]]
        # And in again, as someone else.
        app.screen.query_one("#login", Input).value = "malo"
        app.screen.query_one("#code", Input).value = TOTP.at(app.horloge())
        app.screen.query_one("#code", Input).focus()
        await pilot.press("enter")
        await attendre_chargement(pilot)
        assert app.session.login == "malo" and app.screen.query_one(ListeDonnees).nombre_total == 1


async def test_10_a_superviseur_becomes_gestionnaire_without_logging_out(base):
    app = application(base, session=session_de(base, "marie.curie", "superviseur"))
    notes = noter(app)
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        donnees = app.session.dep
        await pilot.press("ctrl+p", *"profil")
        await attendre_travaux(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Profil)
        await pilot.press("down", "enter")
        await attendre_travaux(pilot)
        assert app.session.profil == "gestionnaire" and app.session.dep is donnees  # not reloaded
        assert isinstance(app.screen, Accueil) and "parametres" not in app._modes
        assert notes[-1] == "Profil : Gestionnaire AESH."
        await pilot.press("a")  # a gestionnaire may create an accompagnement
        await attendre_travaux(pilot)
        assert isinstance(app.screen, FormulaireAccompagnement)


async def test_10_one_profile_offers_no_change_of_profile(base):
    app = application(base, session=session_de(base, "paul"))
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        assert app.check_action("changer_profil", ()) is False
        hits = {str(h.display): h.help async for h in CommandesAgesh(app.screen).discover()}
        assert "Changer de profil" not in hits and "Se déconnecter" in hits
        assert hits["Aller à : Éditions"].startswith("touche 5 — ")
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)


# -- 11. the établissement filter: type to narrow, the UAI always visible ------------------------
def monde_douze_ecoles():
    """The application's world, and twelve more écoles of other communes."""
    m = monde_app()
    for i in range(12):
        uai = f"03502{i:02d}Z"
        commune = "Redon" if i < 2 else f"Commune {i}"
        m.etablissement(uai, f"École primaire publique au nom très long numéro {i}", "Ecole", commune)
        m.eleve(f"EZ{i}", f"ELEVE{i}", "Prénom", scolarites=[(uai, date(2024, 9, 1), None)])
        m.decision(f"DZ{i}", f"EZ{i}", "individuelle", 6.0)
    return m


async def test_11_the_etablissement_filter_narrows_as_one_types(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    store = creer_base(tmp_path / "agesh.sqlite3", monde_douze_ecoles())
    try:
        app = application(store, session=session_de(store, "paul"))
        async with app.run_test(size=(80, 24)) as pilot:
            await attendre_chargement(pilot)
            await pilot.press("f")
            ecran = app.screen
            assert isinstance(ecran, ChoixFiltres)
            rang = [f.cle for f in ecran.filtres].index("etablissement")
            ecran.query_one(f"#propose-{rang}").focus()
            await pilot.press("space", "tab", *"redon")
            valeurs = ecran.query_one(f"#editeur-{rang}", SelectionList)
            textes = [str(valeurs.get_option_at_index(i).prompt) for i in range(valeurs.option_count)]
            assert textes == [
                "0350200Z  École primaire publique au nom très long numéro 0, Redon",
                "0350201Z  École primaire publique au nom très long numéro 1, Redon",
            ]
            await pilot.press("tab", "space")  # the first one
            await pilot.press("shift+tab", *["backspace"] * 5, *"0350003")  # by UAI
            assert valeurs.option_count == 1
            await pilot.press("tab", "space", "enter")
            liste = app.screen.query_one(ListeDonnees)
            assert sorted(l.id for l in liste.lignes_affichees()) == ["D3", "DZ0"]
            assert liste.parametres_filtres["valeurs"]["etablissement"] == ["0350003C", "0350200Z"]
    finally:
        store.fermer()


async def test_11_the_etablissement_filter_narrows_by_name_accents_folded(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    store = creer_base(tmp_path / "agesh.sqlite3", monde_douze_ecoles())
    try:
        app = application(store, session=session_de(store, "paul"))
        async with app.run_test(size=(80, 24)) as pilot:
            await attendre_chargement(pilot)
            await pilot.press("f")
            ecran = app.screen
            rang = [f.cle for f in ecran.filtres].index("etablissement")
            ecran.query_one(f"#propose-{rang}").focus()
            await pilot.press("space", "tab", *"NUMERO 1")  # « numéro 1 », typed without the accent
            valeurs = ecran.query_one(f"#editeur-{rang}", SelectionList)
            textes = [str(valeurs.get_option_at_index(i).prompt) for i in range(valeurs.option_count)]
            assert [t.split()[0] for t in textes] == ["0350201Z", "0350210Z", "0350211Z"]
    finally:
        store.fermer()


# -- 12. Ctrl+A then a: one short notification, the detail on demand -----------------------------
def monde_trente_geles():
    m = monde_app()
    for i in range(30):
        m.eleve(f"EG{i}", f"GELE{i:02d}", "Prénom", etat="gele",
                scolarites=[("0350001A", date(2024, 9, 1), None)])
        m.decision(f"DG{i}", f"EG{i}", "individuelle", 6.0)
    return m


async def test_12_a_refused_selection_is_summarised_and_detailed_on_d(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    store = creer_base(tmp_path / "agesh.sqlite3", monde_trente_geles())
    try:
        app = application(store, session=session_de(store, "paul"))
        notes = noter(app)
        async with app.run_test(size=(120, 30)) as pilot:
            await attendre_chargement(pilot)
            await pilot.press("ctrl+a", "a")
            assert len(notes) == 1 and len(app._notifications) == 1
            assert notes[0] == (
                "Création impossible : 31 décisions écartées : 31 dossiers gelés ou clôturés ; "
                "décisions individuelles et mutualisées ne peuvent pas être mêlées dans un "
                "accompagnement — détail : d"
            )
            await pilot.press("d")
            assert isinstance(app.screen, DetailRefus)
            detail = " ".join(str(s.render()) for s in app.screen.query(".raison"))
            assert all(f"GELE{i:02d} Prénom (gelé)" in detail for i in range(30))
            await pilot.press("escape")
            assert isinstance(app.screen, Accueil)
            # A short refusal is said in full, and « d » is not offered.
            await pilot.press("escape")
            await aller_a(pilot, "D3")
            await pilot.press("a")
            assert notes[-1] == ("Création impossible : pas de nouvel accompagnement sur un dossier "
                                 "qui n'est pas actif : MARTIN Hugo (gelé).")
            assert app.screen.check_action("detail_refus", ()) is False
    finally:
        store.fermer()


# -- 13. « agesh otp » without --db ----------------------------------------------------------------
def test_13_otp_without_db_creates_nothing_and_names_the_base(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("AGESH_DB", raising=False)
    assert main(["otp", "demo.gestionnaire"]) == 1
    erreur = capsys.readouterr().err
    attendue = tmp_path / "donnees" / "agesh-tui" / "agesh.sqlite3"
    assert f"la base {attendue} n'existe pas" in erreur and "--db" in erreur
    assert not attendue.exists() and not attendue.parent.exists()
    with pytest.raises(BaseIntrouvable):
        from agesh_tui.api.base import Base

        Base.ouvrir(attendue, creer=False)


def test_13_otp_on_a_base_that_is_not_a_demo_names_it_and_suggests_db(base, capsys):
    with base.ecriture(compter=False) as tx:
        tx.set_meta("demo", "0")
    assert main(["otp", "paul", "--db", str(base.path)]) == 1
    erreur = capsys.readouterr().err
    assert "ne fonctionne que sur une base de démonstration" in erreur
    assert str(base.path) in erreur and "--db" in erreur


# -- extras ---------------------------------------------------------------------------------------
async def test_the_header_keeps_the_profile_and_the_date_at_80_columns(base_ecran):
    app = app_de(base_ecran, "demo.superviseur", "superviseur")
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre_chargement(pilot)
        entete = str(app.screen.query_one(Entete).render())
        assert "Superviseur AESH" in entete and "22/11/2026" in entete and "…" not in entete


async def test_under_no_color_the_legends_give_glyphs_not_colour_names(base_ecran, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_de(base_ecran)
    assert app.no_color
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("question_mark")
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#aide-texte", Static).content)
        aide = console.export_text()
        assert "complète" in aide and "maintien après la fin de la décision (🔗)" in aide
        for couleur in ("(vert)", "(bleu)", "(jaune)", "(rouge)", "(blanc)", "violet", "orange", "noir"):
            assert couleur not in aide
        await pilot.press("escape", "i")
        await attendre_travaux(pilot)
        legende = "\n".join(texte_ecran(app))
        assert "▒ décisions actives dans le mois" in legende and "(bleu)" not in legende
        assert isinstance(app.screen.query_one(Evolution), Evolution)
        await pilot.press("escape")
        app.push_screen(DetailDecision("D6"))
        await figer(pilot)
        console = Console(width=120, record=True, file=io.StringIO())
        for bloc in app.screen.query(".detail-bloc"):
            console.print(bloc.content)
        assert "sans accompagnement" in console.export_text()
        assert "(rouge)" not in console.export_text()


async def test_with_colours_the_legends_name_them(base_ecran):
    app = app_de(base_ecran)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("question_mark")
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#aide-texte", Static).content)
        assert "complète (vert)" in console.export_text()


async def test_the_code_field_placeholder_does_not_look_like_a_typed_code(base):
    app = application(base)
    async with app.run_test(size=(80, 24)):
        assert app.screen.query_one("#code", Input).placeholder == "6 chiffres"

