"""Exporter en tableur from a list of the application (SPEC §6, issue 13
item 3): « e » (or the palette) writes the list as the screen shows it —
visible columns, filters, search, sort — to .xlsx or .csv; an existing file
is replaced only after a question; nothing is written on a bad name."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from textual.widgets import Input, Static

from agesh_tui.widgets.export_tableur import ExportTableur, chemin_saisi
from agesh_tui.widgets.liste import ListeDonnees
from base_app import (
    app_de,
    attendre_chargement,
    attendre_travaux,
    figer,
)

pytestmark = pytest.mark.anyio


def message(app) -> str:
    return str(app.screen.query_one("#message", Static).render())


async def ouvrir_export(pilot, chemin) -> ExportTableur:
    await pilot.press("e")
    await pilot.pause()
    ecran = pilot.app.screen
    assert isinstance(ecran, ExportTableur)
    ecran.query_one("#chemin", Input).value = str(chemin)
    return ecran


async def valider(pilot) -> None:
    await pilot.press("enter")
    await attendre_travaux(pilot)
    await pilot.pause()


async def test_e_writes_the_list_as_the_screen_shows_it(base_ecran, tmp_path):
    app = app_de(base_ecran)
    async with app.run_test(size=(160, 40)) as pilot:
        await attendre_chargement(pilot)
        liste = app.screen.query_one(ListeDonnees)
        liste.colonnes_visibles(["nom", "type", "heures", "debut"])
        liste.definir_recherche("collège")
        await pilot.pause()
        montrees = liste.lignes_affichees()
        assert 0 < len(montrees) < len(liste.lignes)
        await pilot.press("e")
        await pilot.pause()
        ecran = app.screen
        assert isinstance(ecran, ExportTableur)
        # The name offered: the list and today, in a folder that exists.
        propose = ecran.query_one("#chemin", Input).value
        assert propose.endswith(f"decisions-{date(2026, 11, 22).isoformat()}.xlsx")
        assert os.path.isdir(os.path.dirname(propose))
        fichier = tmp_path / "accueil.xlsx"
        ecran.query_one("#chemin", Input).value = str(fichier)
        await valider(pilot)
        assert not isinstance(app.screen, ExportTableur)
    assert stat.S_IMODE(fichier.stat().st_mode) == 0o600
    feuille = openpyxl.load_workbook(fichier).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0] == ("Nom prénom", "Type", "Heures", "Début")
    assert [l[0] for l in lignes[1:]] == [l.nom for l in montrees]
    assert all(isinstance(l[3], type(lignes[1][3])) for l in lignes[1:])  # typed dates, not text
    assert lignes[1][3].date() == montrees[0].debut


async def test_an_existing_file_is_replaced_only_after_a_question(base_ecran, tmp_path):
    fichier = tmp_path / "accueil.csv"
    fichier.write_text("à garder\n", encoding="utf-8")
    app = app_de(base_ecran)
    async with app.run_test(size=(100, 30)) as pilot:
        await attendre_chargement(pilot)
        await ouvrir_export(pilot, fichier)
        await valider(pilot)
        assert isinstance(app.screen, ExportTableur)
        assert message(app) == "Ce fichier existe déjà : Entrée le remplace, ou changez le nom."
        assert fichier.read_text(encoding="utf-8") == "à garder\n"
        # Another name: the question no longer stands; back to the first, it is asked again.
        champ = app.screen.query_one("#chemin", Input)
        champ.value = str(tmp_path / "autre.csv")
        await pilot.pause()
        champ.value = str(fichier)
        await valider(pilot)
        assert fichier.read_text(encoding="utf-8") == "à garder\n"
        await valider(pilot)  # second Enter on the same name: replaced
        assert not isinstance(app.screen, ExportTableur)
    texte = fichier.read_text(encoding="utf-8-sig")
    assert texte.splitlines()[0].startswith("Identifiant;Nom prénom;")


async def test_a_bad_name_writes_nothing_and_escape_cancels(base_ecran, tmp_path):
    app = app_de(base_ecran)
    async with app.run_test(size=(100, 30)) as pilot:
        await attendre_chargement(pilot)
        await ouvrir_export(pilot, tmp_path / "liste.ods")
        await valider(pilot)
        assert message(app) == "Le nom doit finir par .xlsx (classeur) ou .csv (texte, « ; »)."
        app.screen.query_one("#chemin", Input).value = str(tmp_path / "absent" / "liste.xlsx")
        await valider(pilot)
        assert message(app).startswith("Rien n'a été écrit : ")
        assert isinstance(app.screen, ExportTableur)
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportTableur)
    assert list(tmp_path.glob("liste*")) == [] and not (tmp_path / "absent").exists()


async def test_the_palette_offers_the_export(base_ecran):
    from textual.command import CommandPalette

    app = app_de(base_ecran)
    async with app.run_test(size=(100, 30)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"export")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportTableur)


def test_a_name_is_checked_before_anything_is_written():
    assert chemin_saisi("  ") == (None, "Indiquez le fichier à écrire.")
    assert chemin_saisi("~/liste.XLSX")[0] is not None
    assert chemin_saisi("liste")[1] == "Le nom doit finir par .xlsx (classeur) ou .csv (texte, « ; »)."


def test_snapshot_export_80x24(base_ecran, snap_compare, monkeypatch, tmp_path):
    # The offered folder is the machine's: fixed here so that the picture is.
    monkeypatch.setattr("agesh_tui.widgets.outils_liste.dossier_par_defaut", lambda: Path("/home/gestionnaire"))

    async def avant(pilot):
        await attendre_chargement(pilot)
        await pilot.press("e")
        await figer(pilot)

    assert snap_compare(app_de(base_ecran), run_before=avant, terminal_size=(80, 24))


@pytest.mark.parametrize(("touche", "liste"), [("2", "aesh"), ("3", "missions"), ("4", "accompagnements")])
async def test_every_list_exports_its_visible_columns_and_rows(base_ecran, tmp_path, touche, liste):
    from agesh_tui.api.tableaux import definition

    app = app_de(base_ecran)
    fichier = tmp_path / f"{liste}.xlsx"
    async with app.run_test(size=(160, 40)) as pilot:
        await attendre_chargement(pilot)
        await pilot.press(touche)
        await attendre_travaux(pilot)
        await pilot.pause()
        ecran = app.screen
        vue = ecran.query_one(ListeDonnees)
        montrees = vue.lignes_affichees()
        cles = [c.cle for c in vue.colonnes_affichees]
        connues = {c.cle: c.titre for c in definition(app.session_ouverte, liste)[0].colonnes}
        assert set(cles) <= set(connues), set(cles) - set(connues)  # every shown column is exported
        await ouvrir_export(pilot, fichier)
        await valider(pilot)
    lignes = list(openpyxl.load_workbook(fichier).active.iter_rows(values_only=True))
    assert list(lignes[0]) == [connues[c] for c in cles]
    assert len(lignes) - 1 == len(montrees) > 0
