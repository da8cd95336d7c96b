"""Connexion and profile choice (SPEC F1) driven through the screens, with
the login clock under the test's control."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Static

from agesh_tui.screens.connexion import Connexion
from agesh_tui.screens.profil import Profil
from base_app import (  # noqa: F401  (fixtures)
    TOTP,
    Horloge,
    anyio_backend,
    application,
    attendre_chargement,
    base,
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
