"""Connexion and profile choice (SPEC F1) driven through the screens, with
the login clock under the test's control."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from textual.widgets import Input, OptionList, Static

from agesh_tui.screens.connexion import Connexion
from agesh_tui.screens.profil import Profil
from base_app import (
    TOTP,
    Horloge,
    application,
    attendre_chargement,
    creer_base,
    isoler,
    se_connecter,
)

pytestmark = pytest.mark.anyio


def message(app) -> str:
    return str(app.screen.query_one("#message", Static).render())


async def test_good_code_two_profiles_then_gestionnaire(base):
    app = application(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await se_connecter(pilot, "marie.curie", TOTP.at(app.horloge()))
        assert isinstance(app.screen, Profil)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        await pilot.press("down", "enter")
        await attendre_chargement(pilot)
        assert app.session.profil == "gestionnaire"
        assert app.session.utilisateur.login == "marie.curie"


async def test_one_profile_skips_the_choice(base):
    app = application(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await se_connecter(pilot, "paul", TOTP.at(app.horloge()))
        assert not isinstance(app.screen, Profil)
        await attendre_chargement(pilot)
        assert app.session.profil == "gestionnaire"


async def test_wrong_code_says_so_and_stays(base):
    app = application(base)
    async with app.run_test(size=(100, 30)) as pilot:
        bon = TOTP.at(app.horloge())
        faux = "000000" if bon != "000000" else "111111"
        await se_connecter(pilot, "paul", faux)
        assert isinstance(app.screen, Connexion)
        assert message(app) == "✖ Identifiant ou code incorrect."
        assert app.screen.query_one("#code", Input).value == ""
        assert app.screen.focused is app.screen.query_one("#code", Input)
        # An unknown identifiant gets the very same message.
        await se_connecter(pilot, "personne", bon)
        assert message(app) == "✖ Identifiant ou code incorrect."


async def test_replayed_code_is_refused(base):
    horloge = Horloge()
    code = TOTP.at(horloge())
    app = application(base, horloge)
    async with app.run_test(size=(100, 30)) as pilot:
        await se_connecter(pilot, "paul", code)
        await attendre_chargement(pilot)
    horloge.avancer(10)  # same 30 s step: the code on the key has not changed
    autre = application(base, horloge)
    async with autre.run_test(size=(100, 30)) as pilot:
        await se_connecter(pilot, "paul", code)
        assert isinstance(autre.screen, Connexion)
        # T0 starts a step: 10 s gone, the key shows the next code in 20 s.
        assert message(autre) == "✖ Code déjà utilisé : attendez le suivant (dans 20 s)."


async def test_lockout_tells_the_remaining_time(base):
    horloge = Horloge()
    app = application(base, horloge)
    async with app.run_test(size=(100, 30)) as pilot:
        bon = TOTP.at(horloge())
        faux = "000000" if bon != "000000" else "111111"
        for _ in range(4):
            await se_connecter(pilot, "paul", faux)
        assert "trop d'essais" not in message(app)
        await se_connecter(pilot, "paul", faux)
        assert message(app) == (
            "✖ Identifiant ou code incorrect ; trop d'essais : réessayez dans 30 s."
        )
        horloge.avancer(10)
        await se_connecter(pilot, "paul", TOTP.at(horloge()))  # right code, but too early
        assert message(app) == "✖ Trop d'essais : réessayez dans 20 s."
        horloge.avancer(25)
        await se_connecter(pilot, "paul", TOTP.at(horloge()))
        await attendre_chargement(pilot)
        assert app.session.utilisateur.login == "paul"


async def test_demo_base_says_how_to_get_a_code(base):
    """Wide enough, the command on one line, to copy as is."""
    app = application(base)
    async with app.run_test(size=(160, 30)):
        indication = str(app.screen.query_one("#indication-demo", Static).render())
        assert indication == (
            "Base de démonstration : obtenez un code dans un autre terminal avec\n"
            f"  agesh otp demo.gestionnaire --db {base.path}\n"
            "(ou demo.superviseur, qui a les deux profils)."
        )


async def test_empty_fields_are_asked_for(base):
    app = application(base)
    async with app.run_test(size=(100, 30)) as pilot:
        await se_connecter(pilot, "", "")
        assert message(app) == "✖ Saisissez votre identifiant."
        await se_connecter(pilot, "paul", "")
        assert message(app) == "✖ Saisissez le code à 6 chiffres de votre clé OTP."


async def test_no_hint_on_a_real_base(base):
    with base.ecriture(compter=False) as tx:
        tx.set_meta("demo", "0")
    app = application(base)
    async with app.run_test(size=(100, 30)):
        assert not app.screen.query("#indication-demo")


async def test_login_waits_for_a_base_held_by_another_process_then_opens(tmp_path, monkeypatch):
    """Issue 8 item 6: the application exited at login (« database is
    locked ») while an import held the base. It now says it waits, retries,
    and logs in once the base is free; nothing is lost."""
    from agesh_tui.engine.stockage import sqlite as moteur_sqlite
    from agesh_tui.screens import connexion

    isoler(tmp_path, monkeypatch)
    monkeypatch.setattr(moteur_sqlite, "ATTENTE_VERROU_MS", 200)  # the store's own wait, per try
    monkeypatch.setattr(connexion, "PAUSE_ENTRE_ESSAIS", 0.05)
    chemin = tmp_path / "agesh.sqlite3"
    store = creer_base(chemin)
    autre = sqlite3.connect(chemin, isolation_level=None, check_same_thread=False)
    try:
        autre.execute("BEGIN IMMEDIATE")  # another process writing, as a long import does
        app = application(store)
        async with app.run_test(size=(100, 30)) as pilot:
            app.screen.query_one("#login").value = "paul"
            app.screen.query_one("#code").value = TOTP.at(app.horloge())
            app.screen.query_one("#code").focus()
            await pilot.press("enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if "Base occupée" in message(app):
                    break
            assert message(app).startswith("⏳ Base occupée par un autre traitement : nouvelle tentative (")
            assert app.is_running and app.session is None
            autre.execute("ROLLBACK")
            for _ in range(100):
                await asyncio.sleep(0.05)
                await pilot.pause()
                if app.session is not None:
                    break
            await attendre_chargement(pilot)
            assert app.session is not None and app.session.utilisateur.login == "paul"
            assert not isinstance(app.screen, Connexion)
    finally:
        autre.close()
        store.fermer()


async def test_login_on_a_base_held_too_long_says_so_and_stays(tmp_path, monkeypatch):
    from agesh_tui.engine.stockage import sqlite as moteur_sqlite
    from agesh_tui.screens import connexion

    isoler(tmp_path, monkeypatch)
    monkeypatch.setattr(moteur_sqlite, "ATTENTE_VERROU_MS", 50)
    monkeypatch.setattr(connexion, "PAUSE_ENTRE_ESSAIS", 0.01)
    chemin = tmp_path / "agesh.sqlite3"
    store = creer_base(chemin)
    autre = sqlite3.connect(chemin, isolation_level=None, check_same_thread=False)
    try:
        autre.execute("BEGIN IMMEDIATE")
        app = application(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await se_connecter(pilot, "paul", TOTP.at(app.horloge()))
            for _ in range(100):
                if message(app).startswith("✖"):
                    break
                await pilot.pause(0.05)
            assert message(app) == ("✖ Connexion impossible : la base est restée occupée par un autre "
                                    "traitement ; réessayez dans un moment.")
            assert app.is_running and isinstance(app.screen, Connexion) and app.session is None
    finally:
        autre.close()
        store.fermer()
