"""Accompagnement par établissement (SPEC F12, guide §10.3), its « Détail »,
the « Courriel » preview, the « Accès ENT des AESH » screen and the « PV
d'affectation » action of an accompagnement's detail: Pilot tests of the
flows and snapshots at 80×24 and 160×48 on the fixed world of the
snapshots (base_app.monde_ecran) with a complete cartouche."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from agesh_tui.engine.demo.ecriture import CARTOUCHE
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.utilisateurs import ajouter, coordonnees
from agesh_tui.screens.acces_ent import AccesEntEtablissement
from agesh_tui.screens.accompagnement_etablissement import AccompagnementEtablissements
from agesh_tui.screens.courriel import CourrielEtablissement
from agesh_tui.screens.decision import DetailDecision
from agesh_tui.screens.detail_accompagnement import DetailAccompagnement
from agesh_tui.screens.detail_etablissement import DetailEtablissement
from agesh_tui.widgets.export_document import ExportDocument, ExportDossier
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    NOM_BASE_ECRAN,
    SECRET,
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
    isoler,
    monde_ecran,
    texte_ecran,
)


def monde_etablissements(cartouche: bool = True):
    m = monde_ecran()
    if cartouche:
        m.cartouche = dict(CARTOUCHE)
    return m


DOSSIER_FIXE = Path("/home/gestionnaire")


def _base(tmp_path, monkeypatch, cartouche: bool):
    isoler(tmp_path, monkeypatch)
    # The default folder offered on screen: the same on every machine.
    for module in ("pv_affectation", "detail_etablissement", "acces_ent"):
        monkeypatch.setattr(f"agesh_tui.screens.{module}.dossier_par_defaut", lambda: DOSSIER_FIXE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AGESH_SMTP", raising=False)
    monkeypatch.delenv("AGESH_SMTP_MOT_DE_PASSE", raising=False)
    store = ouvrir(NOM_BASE_ECRAN)
    monde_etablissements(cartouche).ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    ajouter(store, "demo.superviseur", "Superviseur de démonstration",
            ("superviseur", "gestionnaire"), secret=SECRET)
    with store.ecriture(compter=False) as tx:
        coordonnees(tx, "demo.gestionnaire", "gestion.aesh@exemple.fr", "02 99 00 00 00",
                    "1 quai Dujardin, Rennes")
    return store


@pytest.fixture
def base_etab(tmp_path, monkeypatch):
    store = _base(tmp_path, monkeypatch, cartouche=True)
    yield store
    store.fermer()


@pytest.fixture
def base_sans_cartouche(tmp_path, monkeypatch):
    store = _base(tmp_path, monkeypatch, cartouche=False)
    yield store
    store.fermer()


def liste(app) -> ListeDonnees:
    return app.screen.query_one(ListeDonnees)


def cles(app) -> list[str]:
    return [l.cle for l in liste(app).lignes_affichees()]


async def ouvrir_etablissements(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.app.push_screen(AccompagnementEtablissements())
    await attendre_travaux(pilot)
    await figer(pilot)


async def sur_la_ligne(pilot, cle: str, touche: str) -> None:
    """The list, the cursor on ``cle``, then ``touche``; idle after."""
    await ouvrir_etablissements(pilot)
    liste(pilot.app).placer_sur(cle)
    await pilot.press(touche)
    await attendre_travaux(pilot)
    await figer(pilot)


async def ouvrir_detail(pilot) -> None:
    await sur_la_ligne(pilot, "E:0350004D", "enter")


async def ouvrir_courriel(pilot) -> None:
    await sur_la_ligne(pilot, "E:0350004D", "m")


async def ouvrir_acces_ent(pilot) -> None:
    await sur_la_ligne(pilot, "E:0350005E", "n")


# -- the list --------------------------------------------------------------------------
@pytest.mark.anyio
async def test_comptes_par_etablissement_et_par_pial(base_etab):
    app = app_de(base_etab)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_etablissements(pilot)
        lignes = {l.cle: l for l in liste(app).lignes_affichees()}
        # Établissements only by default (filter « Niveau »).
        assert all(l.niveau == "établissement" for l in lignes.values())
        # École Jean Moulin on 22/11/2026: E5 individuelle, E8 E9 mutualisées (E13 left in
        # August); AC5 (ROUSSEL) and AC9 (ROUSSEL) → 2 accompagnements, 1 AESH.
        jm = lignes["E:0350004D"]
        assert (jm.individuelles, jm.mutualisees, jm.accompagnements, jm.aesh) == (1, 2, 2, 1)
        # Collège Les Gayeulles: E6, E7, E13 individuelles (E10 starts in January, E12 not
        # schooled); AC6 (M3) and AC8 (M1) → two AESH.
        lg = lignes["E:0350005E"]
        assert (lg.individuelles, lg.mutualisees, lg.accompagnements, lg.aesh) == (3, 0, 2, 2)
        liste(app).appliquer_filtres({"proposes": ["niveau"], "valeurs": {"niveau": ["PIAL"]}})
        await pilot.pause()
        pial = {l.cle: l for l in liste(app).lignes_affichees()}
        # PIAL Anne de Bretagne: 0350001A + 0350002B + 0350004D. ROUSSEL (Jean Moulin) and
        # MOREAU (AC1 at Anne de Bretagne) are counted once each.
        tete = pial["P:0350001A"]
        assert tete.niveau == "PIAL"
        assert tete.decisions == (lignes["E:0350001A"].decisions + lignes["E:0350002B"].decisions
                                  + jm.decisions)
        assert tete.aesh == 2


@pytest.mark.anyio
async def test_detail_eleves_notifies_et_aesh(base_etab):
    app = app_de(base_etab)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        assert isinstance(app.screen, DetailEtablissement)
        eleves = {e.nom: e for e in liste(app).lignes_affichees()}
        assert set(eleves) == {"LEROY Chloé", "ANDRE Lucas", "MERCIER Jade"}
        assert eleves["LEROY Chloé"].aesh == "ROUSSEL Inès (12 h)"
        assert eleves["ANDRE Lucas"].classe == "CM2"
        ecran = "\n".join(texte_ecran(app))
        assert "ROUSSEL Inès — 3 élève(s), 18 h par semaine" in ecran
        liste(app).placer_sur("E5")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailDecision) and app.screen.decision_id == "D5"
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, AccompagnementEtablissements)


@pytest.mark.anyio
async def test_ligne_pial_n_a_pas_de_detail(base_etab):
    app = app_de(base_etab)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_etablissements(pilot)
        liste(app).appliquer_filtres({"proposes": ["niveau"], "valeurs": {"niveau": ["PIAL"]}})
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AccompagnementEtablissements)
        assert any("PIAL" in str(n.message) for n in app._notifications)


@pytest.mark.anyio
async def test_synthese_pdf_depuis_le_detail(base_etab, tmp_path):
    app = app_de(base_etab)
    cible = tmp_path / "synthese.pdf"
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_detail(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ExportDocument)
        app.screen.query_one("#chemin").value = str(cible)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailEtablissement)
    assert cible.read_bytes() == app.session.synthese_pdf("0350004D")
    assert os.stat(cible).st_mode & 0o777 == 0o600
    texte = PdfReader(cible).pages[0].extract_text()
    assert "LEROY Chloé" in texte and "ROUSSEL Inès" in texte


# -- PV d'affectation ------------------------------------------------------------------------
@pytest.mark.anyio
async def test_pv_depuis_le_detail_de_l_accompagnement(base_etab, tmp_path):
    app = app_de(base_etab)
    cible = tmp_path / "pv.pdf"
    cible.write_bytes(b"ancien")
    async with app.run_test(size=(160, 48)) as pilot:
        await attendre_chargement(pilot)
        await app.push_screen(DetailAccompagnement("AC5"))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ExportDocument)
        app.screen.query_one("#chemin").value = str(cible)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        # The file exists: a question, nothing written.
        assert isinstance(app.screen, ExportDocument)
        assert "existe déjà" in str(app.screen.query_one("#message").render())
        assert cible.read_bytes() == b"ancien"
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, DetailAccompagnement)
    texte = PdfReader(cible).pages[0].extract_text()
    assert "ROUSSEL Inès" in texte and "LEROY Chloé" in texte
    assert os.stat(cible).st_mode & 0o777 == 0o600


@pytest.mark.anyio
async def test_pv_refuse_cartouche_incomplet(base_sans_cartouche):
    app = app_de(base_sans_cartouche)
    async with app.run_test(size=(160, 48)) as pilot:
        await attendre_chargement(pilot)
        await app.push_screen(DetailAccompagnement("AC5"))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, DetailAccompagnement)  # no dialog
        messages = [str(n.message) for n in app._notifications]
        assert any("cartouche courrier" in m and "signataire" in m for m in messages)


# -- Courriel ---------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_courriel_apercu_et_adresses(base_etab, monkeypatch):
    monkeypatch.setenv("AGESH_SMTP", "smtp://127.0.0.1:9")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "agesh-tui"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[courriel]\ndomaine_etablissements = "ac-rennes.fr"\n')
    app = app_de(base_etab)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_courriel(pilot)
        assert isinstance(app.screen, CourrielEtablissement)
        assert app.screen.query_one("#courriel-a").value == "ce.0350004d@ac-rennes.fr"
        app.screen.query_one("#courriel-cc").value = "ien@ac-rennes.fr, pas une adresse"
        await pilot.pause()
        apercu = "\n".join(texte_ecran(app))
        assert "synthese-0350004D-2026-11-22.pdf" in apercu
        assert "Adresse(s) invalide(s) : pas, une, adresse" in apercu
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        # Refused before any connection: still on the preview.
        assert isinstance(app.screen, CourrielEtablissement)
        assert "corrigez avant d'envoyer" in str(app.screen.query_one("#courriel-message").render())


@pytest.mark.anyio
async def test_courriel_sans_serveur_le_dit(base_etab):
    app = app_de(base_etab)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_courriel(pilot)
        message = str(app.screen.query_one("#courriel-message").render())
        assert "aucun serveur de courriel configuré" in message


@pytest.mark.anyio
async def test_courriel_cache_au_superviseur(base_etab):
    app = app_de(base_etab, "demo.superviseur", "superviseur")
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_etablissements(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, AccompagnementEtablissements)
        ecran = "\n".join(texte_ecran(app))
        assert "Courriel" not in ecran and "m : courriel" not in ecran
        assert app.session.superviseur


# -- Accès ENT -----------------------------------------------------------------------------
@pytest.mark.anyio
async def test_acces_ent_table_et_fichiers(base_etab, tmp_path):
    app = app_de(base_etab)
    dossier = tmp_path / "ent"
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_acces_ent(pilot)
        assert isinstance(app.screen, AccesEntEtablissement)
        ajout = {(l.action, l.changement.nom) for l in liste(app).lignes_affichees()}
        attendu = app.session.acces_ent("0350005E", None, "entmip")
        assert ajout == {("ajouter", c.nom) for c in attendu.ajouter}
        assert ajout
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ExportDossier)
        app.screen.query_one("#chemin").value = str(dossier)
        await pilot.press("enter")
        await attendre_travaux(pilot)
        assert isinstance(app.screen, AccesEntEtablissement)
    ecrits = sorted(p.suffix for p in dossier.iterdir())
    assert ecrits == [".csv", ".json", ".pdf"]


# -- snapshots --------------------------------------------------------------------------------
@pytest.mark.parametrize("taille", [(80, 24), (160, 48)])
def test_snapshot_etablissements(base_etab, snap_compare, taille):
    assert snap_compare(app_de(base_etab), run_before=ouvrir_etablissements, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)])
def test_snapshot_detail(base_etab, snap_compare, taille):
    assert snap_compare(app_de(base_etab), run_before=ouvrir_detail, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)])
def test_snapshot_courriel(base_etab, snap_compare, taille, monkeypatch):
    monkeypatch.setenv("AGESH_SMTP", "smtp://gestion@smtp.ac-rennes.fr:587")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "agesh-tui"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[courriel]\ndomaine_etablissements = "ac-rennes.fr"\n')
    assert snap_compare(app_de(base_etab), run_before=ouvrir_courriel, terminal_size=taille)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)])
def test_snapshot_acces_ent(base_etab, snap_compare, taille):
    assert snap_compare(app_de(base_etab), run_before=ouvrir_acces_ent, terminal_size=taille)


async def ouvrir_pv(pilot) -> None:
    await attendre_chargement(pilot)
    await pilot.app.push_screen(DetailAccompagnement("AC5"))
    await pilot.pause()
    await pilot.press("p")
    await figer(pilot)


@pytest.mark.parametrize("taille", [(80, 24), (160, 48)])
def test_snapshot_pv(base_etab, snap_compare, taille):
    assert snap_compare(app_de(base_etab), run_before=ouvrir_pv, terminal_size=taille)
