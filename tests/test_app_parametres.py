"""Paramètres département (SPEC F4, §2.5, §2.8, guide §3; issue 11): the
hub (key 9, superviseur only), each form with a refused value and a saved
one, the formula's preview following the keys, the recalcul, a write
refused when another session changed the data (Ctrl+O reloads), Échap
asking before dropping an entry, a gestionnaire refused at every door, and
snapshots at 80×24 and 160×48."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Select

from agesh_tui.api.erreurs import PermissionRefusee
from agesh_tui.engine.modele.model import Limites
from agesh_tui.engine.nombres import heures
from agesh_tui.engine.operations.agregats import lire_formule
from agesh_tui.engine.regles.apercu_besoin import apercu
from agesh_tui.engine.regles.besoin import agregats
from agesh_tui.engine.regles.formule import FORMULE_PAR_DEFAUT
from agesh_tui.engine.regles.parametres import CHAMPS_CARTOUCHE, refus_cartouche, refus_reference
from agesh_tui.screens.parametres import Parametres
from agesh_tui.screens.parametres_cartouche import ParametresCartouche
from agesh_tui.screens.parametres_formule import ParametresFormule
from agesh_tui.screens.parametres_limites import ParametresLimites
from agesh_tui.screens.parametres_recalcul import ParametresRecalcul
from agesh_tui.screens.parametres_temps import ParametresTemps
from base_app import (
    T0,
    TODAY,
    Horloge,
    app_de,
    attendre_chargement,
    attendre_travaux,
    creer_base,
    figer,
    isoler,
    monde_ecran,
    session_de,
    texte_ecran,
)

CARTOUCHE = {
    "academie": "Académie de Rennes", "service": "DSDEN d'Ille-et-Vilaine",
    "division": "Division de l'école inclusive", "adresse": "1 quai Dujardin",
    "code_postal": "35705", "ville": "Rennes", "telephone": "02 99 25 10 00",
    "mail": "ce.aesh@ac-rennes.fr", "signataire": "Hélène Le Gall",
    "qualite_signataire": "Pour le DASEN, la secrétaire générale",
}


def monde_parametres():
    """The snapshots' world, a cartouche, two références (EPP CDD 41 h at
    100 %: a mission at 50 % without a volume of its own), a formula for
    2026-2027, and an affectation of M3 to the PIAL."""
    m = monde_ecran()
    m.cartouche.update(CARTOUCHE)
    m.reference("CDD", "EPP", 41.0)
    m.reference("CDI", "EPP", 39.0)
    m.formules[2026] = FORMULE_PAR_DEFAUT
    m.affectation("AF1", "M3", "0350001A", 24.0)
    return m


@pytest.fixture
def base_parametres(tmp_path, monkeypatch):
    """marie.curie has both profiles, paul is a gestionnaire (base_app.creer_base)."""
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)  # the base's name on screen, the same on every run
    store = creer_base("parametres.sqlite3", monde_parametres())
    yield store
    store.fermer()


def superviseur(store):
    app = app_de(store, "marie.curie", "superviseur")
    app.horloge = Horloge()  # the recalcul's time stamp, fixed
    return app


async def ouvrir_parametres(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.press("9")
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_section(pilot, ident: str):
    await ouvrir_parametres(pilot)
    liste = pilot.app.screen.query_one(OptionList)
    index = [liste.get_option_at_index(i).id for i in range(liste.option_count)].index(ident)
    liste.highlighted = index
    await pilot.press("enter")
    await attendre_travaux(pilot)
    await pilot.pause(0.2)  # the formula's preview, a little after the keys
    await attendre_travaux(pilot)
    await figer(pilot)
    return pilot.app.screen


async def remplacer(pilot, ident: str, valeur: str) -> None:
    champ = pilot.app.screen.query_one(f"#{ident}", Input)
    champ.value = valeur
    await pilot.pause()


def texte(app) -> str:
    return "\n".join(texte_ecran(app))


# -- pure rules -----------------------------------------------------------------------
def test_the_cartouche_wants_every_field_and_a_postcode_and_an_address():
    assert refus_cartouche(CARTOUCHE) == []
    refus = refus_cartouche({**CARTOUCHE, "signataire": "  ", "code_postal": "3570",
                             "mail": "pas une adresse"})
    assert {r.regle for r in refus} == {"signataire", "code_postal", "mail"}
    assert len(refus_cartouche({})) == len(CHAMPS_CARTOUCHE)


def test_a_reference_is_a_contract_a_base_and_up_to_48_hours():
    assert refus_reference("CDD", "EPP", 41) == []
    assert {r.regle for r in refus_reference("", "RH", 0)} == {"contrat", "base", "heures"}
    assert [r.regle for r in refus_reference("CDD", "ASSED", 49)] == ["heures"]


def test_the_preview_gives_the_guide_examples_and_each_pial(base_parametres):
    session = session_de(base_parametres, "marie.curie", "superviseur")
    session.charger()
    comptes = agregats(session.dep, 2026, "0")
    vu = apercu(FORMULE_PAR_DEFAUT, comptes)
    assert vu.valide and dict(vu.exemples) == {0: 0, 4: 24, 5: 32, 7: 56, 10: 64, 11: 88}
    # The same besoins as the aggregates the recalcul stores.
    assert dict(vu.besoins) == {a.pial_uai: a.besoin for a in agregats(session.dep, 2026)}
    assert vu.total == sum(b for _, b in vu.besoins)
    faux = apercu("cM + ", comptes)
    assert not faux.valide and faux.erreur is not None and faux.erreur.position == 5


# -- a gestionnaire ---------------------------------------------------------------------
def test_a_gestionnaire_is_refused_by_every_door_of_the_session(base_parametres):
    session = session_de(base_parametres, "paul")
    session.charger()
    portes = [
        lambda: session.cartouche(),
        lambda: session.enregistrer_cartouche(CARTOUCHE),
        lambda: session.references_temps(),
        lambda: session.enregistrer_reference("CDD", "EPP", 40.0),
        lambda: session.forcer_temps_de_travail(),
        lambda: session.apercu_besoin(2026, "cM"),
        lambda: session.dernier_recalcul(2026),
        lambda: session.enregistrer_formule(2026, "cM * 2"),
        lambda: session.recalculer_agregats(2026, TODAY),
        lambda: session.enregistrer_limites_propositions(Limites(10.0, 2, 1)),
    ]
    for porte in portes:
        with pytest.raises(PermissionRefusee):
            porte()
    session.charger()
    assert session.dep.parametres.cartouche == CARTOUCHE
    assert session.limites_propositions() == Limites()


@pytest.mark.anyio
async def test_a_gestionnaire_cannot_open_the_menu(base_parametres):
    app = app_de(base_parametres, "paul")
    async with app.run_test(size=(120, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("9")
        await attendre_travaux(pilot)
        assert app.current_mode == "accueil"
        assert not isinstance(app.screen, Parametres)


# -- the hub ----------------------------------------------------------------------------
@pytest.mark.anyio
async def test_key_9_lists_the_five_settings_with_what_they_hold(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 30)) as pilot:
        await ouvrir_parametres(pilot)
        assert isinstance(app.screen, Parametres)
        ecran = texte(app)
        for attendu in ("Temps de travail", "2 références", "Cartouche courrier", "complète",
                        "Expression du besoin", "2026-2027 : formule du département",
                        "Recalcul des agrégats", "jamais calculés", "Limites des propositions",
                        "20 km, 3 établissements par AESH, 2 AESH par élève"):
            assert attendu in ecran


# -- limites --------------------------------------------------------------------------
@pytest.mark.anyio
async def test_limits_a_bad_value_refused_beside_its_field_a_good_one_saved(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir_section(pilot, "limites")
        assert isinstance(ecran, ParametresLimites)
        await remplacer(pilot, "distance", "500")
        await remplacer(pilot, "aesh", "1,5")
        assert "au plus 200" in ecran.ligne("distance").message
        assert "entier" in ecran.ligne("aesh").message
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert "rien n'a été enregistré" in ecran.message
        assert app.session.limites_propositions() == Limites()
        await remplacer(pilot, "distance", "12,5")
        await remplacer(pilot, "aesh", "1")
        assert ecran.ligne("distance").message.startswith("km au plus")
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Parametres)
        assert app.session.limites_propositions() == Limites(12.5, 3, 1)
        assert "12,5 km, 3 établissements par AESH, 1 AESH par élève" in texte(app)
    relue = session_de(base_parametres, "marie.curie", "superviseur")
    relue.charger()
    assert relue.limites_propositions() == Limites(12.5, 3, 1)


@pytest.mark.anyio
async def test_escape_asks_before_dropping_a_changed_entry(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir_section(pilot, "limites")
        await remplacer(pilot, "distance", "15")
        await pilot.press("escape")
        assert app.screen is ecran and "de nouveau pour l'abandonner" in ecran.message
        await pilot.press("escape")
        assert isinstance(app.screen, Parametres)
        assert app.session.limites_propositions() == Limites()


@pytest.mark.anyio
async def test_a_write_after_another_session_is_refused_then_ctrl_o_reloads(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir_section(pilot, "cartouche")
        assert isinstance(ecran, ParametresCartouche)
        session = app.session
        enregistrer = session.enregistrer_cartouche

        def apres_un_autre(valeurs):
            # Another superviseur saves just before this one: no reload in between.
            autre = session_de(base_parametres, "marie.curie", "superviseur")
            autre.charger()
            autre.enregistrer_cartouche({**CARTOUCHE, "signataire": "Yann Autre"})
            session.enregistrer_cartouche = enregistrer
            return enregistrer(valeurs)

        session.enregistrer_cartouche = apres_un_autre
        await remplacer(pilot, "ville", "Rennes Cedex 7")
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert app.screen is ecran
        assert "une autre session a modifié les données" in ecran.message
        assert ecran.reprise_proposee
        await pilot.press("ctrl+o")
        for _ in range(50):
            await attendre_travaux(pilot)
            if not app.rafraichissement and not app.session.perime():
                break
            await pilot.pause(0.05)
        # The entry is kept; saved now, on the reloaded data.
        assert ecran.query_one("#ville", Input).value == "Rennes Cedex 7"
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Parametres)
    relue = session_de(base_parametres, "marie.curie", "superviseur")
    relue.charger()
    assert relue.cartouche()["ville"] == "Rennes Cedex 7"
    # A field the form left alone took the other session's value.
    assert relue.cartouche()["signataire"] == "Yann Autre"


# -- cartouche ---------------------------------------------------------------------------
@pytest.mark.anyio
async def test_cartouche_an_empty_field_refused_a_full_one_saved(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_section(pilot, "cartouche")
        await remplacer(pilot, "signataire", "")
        await remplacer(pilot, "code_postal", "ABCDE")
        assert "obligatoire" in ecran.ligne("signataire").message
        assert "5 chiffres" in ecran.ligne("code_postal").message
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert "rien n'a été enregistré" in ecran.message
        assert app.focused is ecran.query_one("#code_postal", Input)
        await remplacer(pilot, "signataire", "Anne Nouvelle")
        await remplacer(pilot, "code_postal", "35000")
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, Parametres)
    relue = session_de(base_parametres, "marie.curie", "superviseur")
    relue.charger()
    assert relue.cartouche() == {**CARTOUCHE, "signataire": "Anne Nouvelle", "code_postal": "35000"}


# -- temps de travail --------------------------------------------------------------------
@pytest.mark.anyio
async def test_a_reference_refused_then_saved_updates_the_volumes(base_parametres):
    base_parametres_m = base_parametres
    # A mission at 50 % whose extract gives no volume: its volume follows the référence.
    with base_parametres_m.ecriture() as tx:
        tx.execute("UPDATE mission SET quotite = 50, volume_rh = NULL, contrat = 'CDD', "
                   "source = 'EPP' WHERE id = 'M1'")
    app = superviseur(base_parametres_m)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_section(pilot, "temps")
        assert isinstance(ecran, ParametresTemps)
        assert "41 h" in texte(app) and "39 h" in texte(app)
        await remplacer(pilot, "contrat", "CDD")
        ecran.query_one("#base", Select).value = "EPP"
        await remplacer(pilot, "heures", "60")
        assert "au plus 48" in ecran.ligne("heures").message
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert "rien n'a été enregistré" in ecran.message
        await remplacer(pilot, "heures", "40")
        assert "remplace 41 h" in ecran.ligne("heures").message
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        # M1 at 50 % of the new 40 h; M2 (CDI, 39 h) and M3 (CDD at 100 %) follow their référence.
        assert "3 missions : volume hebdomadaire mis à jour" in ecran.message
        volumes = {m: app.session.dep.missions[m].volume for m in ("M1", "M2", "M3")}
        assert volumes == {"M1": 20.0, "M2": 39.0, "M3": 40.0}
        assert [(r.contrat, r.heures) for r in app.session.references_temps()] == [
            ("CDD", 40.0), ("CDI", 39.0)]
        await pilot.press("ctrl+u")
        await attendre_travaux(pilot)
        assert "Aucun volume de mission n'a changé" in ecran.message


# -- expression du besoin ------------------------------------------------------------------
@pytest.mark.anyio
async def test_the_preview_follows_the_keys_and_a_valid_formula_is_saved(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_section(pilot, "formule")
        assert isinstance(ecran, ParametresFormule)
        assert ecran.apercu is not None and ecran.apercu.valide
        avant = ecran.apercu.total
        assert "4 → 24 h" in texte(app)
        champ = ecran.query_one("#formule", Input)
        champ.value = ""
        for touche in "cM * 10 +":
            await pilot.press("space" if touche == " " else touche)
        await pilot.pause(0.2)
        await attendre_travaux(pilot)
        assert ecran.apercu is not None and not ecran.apercu.valide
        lignes = texte_ecran(app)
        assert any("colonne 10" in l for l in lignes)
        # The caret under the column the error names (10th character of the formula).
        i = next(i for i, l in enumerate(lignes) if l.strip() == "^")
        assert lignes[i - 1].strip() == "cM * 10 +"  # the formula's part, over the caret
        assert lignes[i].index("^") == lignes[i - 1].index("cM") + 9
        await pilot.press("space", "1")
        await pilot.pause(0.2)
        await attendre_travaux(pilot)
        assert ecran.apercu is not None and ecran.apercu.valide
        assert dict(ecran.apercu.exemples)[4] == 41.0 and ecran.apercu.total != avant
        assert "4 → 41 h" in texte(app)
        # Beside the formula in force: the département's total and each PIAL's.
        avant_texte = f"{heures(avant)} avec la formule en vigueur"
        assert avant_texte in texte(app) and "En vigueur" in texte(app)
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert "enregistrée" in ecran.message and "Recalculez" in ecran.message
        assert app.session.formule(2026)[0] == "cM * 10 + 1"


@pytest.mark.anyio
async def test_a_formula_changed_by_another_superviseur_is_not_overwritten(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 40)) as pilot:
        ecran = await ouvrir_section(pilot, "formule")
        autre = session_de(base_parametres, "marie.curie", "superviseur")
        autre.enregistrer_formule(2026, "cM * 30", autre.formule(2026)[1])
        ecran.query_one("#formule", Input).value = "cM * 20"
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        assert "modifiée par ailleurs" in ecran.message and ecran.reprise_proposee
        # The base keeps the other's (the session shows it once reloaded).
        assert lire_formule(base_parametres, 2026)[0] == "cM * 30"


@pytest.mark.anyio
async def test_the_formula_comes_with_the_data_and_two_saves_in_a_row_both_land(base_parametres,
                                                                                monkeypatch):
    """The form reads its formula and version from the loaded data, not from
    the base on the screen's thread; a save keeps the version in step, so a
    second save without a reload is not taken for someone else's change."""
    from agesh_tui.engine.operations import agregats as operations

    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre_chargement(pilot)

        def interdit(*args, **kwargs):
            raise AssertionError("the base read on the UI thread")

        _, version = operations.lire_formule(base_parametres, 2026)
        monkeypatch.setattr(operations, "lire_formule", interdit)
        ecran = await ouvrir_section(pilot, "formule")
        for texte_formule in ("cM * 10 + 1", "cM * 11"):
            ecran.query_one("#formule", Input).value = texte_formule
            await pilot.press("ctrl+s")
            await attendre_travaux(pilot)
            assert "enregistrée" in ecran.message, ecran.message
        monkeypatch.undo()
        assert operations.lire_formule(base_parametres, 2026) == ("cM * 11", version + 2)
        assert app.session.formule(2026) == ("cM * 11", version + 2)


# -- recalcul --------------------------------------------------------------------------
@pytest.mark.anyio
async def test_recalcul_runs_and_says_when(base_parametres):
    app = superviseur(base_parametres)
    async with app.run_test(size=(120, 30)) as pilot:
        ecran = await ouvrir_section(pilot, "recalcul")
        assert isinstance(ecran, ParametresRecalcul)
        assert "jamais été calculés" in ecran.etat
        await pilot.press("c")
        await attendre_travaux(pilot)
        heure = T0.astimezone().strftime("%H:%M")  # the fixed clock, in local time
        assert "à jour" in ecran.etat and f"le 22/11/2026 à {heure}" in ecran.etat
        assert "recalculés pour 2 PIAL" in texte(app)
        assert len(app.session.agregats_pial(2026)) == 2
        await pilot.press("escape")
        assert f"22/11/2026 à {heure}, à jour" in texte(app)


# -- snapshots --------------------------------------------------------------------------
@pytest.mark.parametrize("taille", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("section", [None, "temps", "cartouche", "formule", "recalcul", "limites"])
def test_snapshot_parametres(base_parametres, snap_compare, section, taille):
    async def avant(pilot):
        if section is None:
            await ouvrir_parametres(pilot)
        else:
            await ouvrir_section(pilot, section)

    assert snap_compare(superviseur(base_parametres), run_before=avant, terminal_size=taille)


def test_snapshot_formule_invalide_80x24(base_parametres, snap_compare):
    async def avant(pilot):
        await ouvrir_section(pilot, "formule")
        pilot.app.screen.query_one("#formule", Input).value = "intdiv(cM, 5) * 32 + (cM % 5 > 0 ? 24)"
        await pilot.pause(0.2)
        await attendre_travaux(pilot)
        await figer(pilot)

    assert snap_compare(superviseur(base_parametres), run_before=avant, terminal_size=(80, 24))


