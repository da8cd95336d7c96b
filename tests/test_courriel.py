"""« Courriel » (SPEC F12): the synthèse of an établissement sent by e-mail
through the configured SMTP server — here a real one, aiosmtpd on loopback,
started by the test. The message received: recipients, copies, subject,
the PDF attached byte-identical to ``agesh synthese``; the sending
journaled; a refused connection or login gives a French message and sends
nothing (and nothing twice); the configuration's rules (no password in a
URL, a password file readable by its owner only)."""

from __future__ import annotations

import os
import socket
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from agesh_tui.api.session_documents import CourrielImpossible
from agesh_tui.cli import main
from agesh_tui.documents.courriel import lire_adresses, lire_config
from agesh_tui.engine.demo.ecriture import CARTOUCHE
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.journal import lignes_journal
from agesh_tui.engine.stockage.utilisateurs import ajouter, coordonnees
from agesh_tui.screens.courriel import CourrielEtablissement
from base_app import (
    NOM_BASE_ECRAN,
    SECRET,
    app_de,
    attendre_travaux,
    isoler,
    monde_ecran,
    session_de,
)
from test_app_etablissements import ouvrir_courriel

UAI = "0350004D"
A = "ce.0350004d@ac-rennes.fr"
CC = ["ien.rennes-nord@ac-rennes.fr", "coordo.pial@ac-rennes.fr"]


class Boite:
    """What the server received."""

    def __init__(self) -> None:
        self.recus: list = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.startswith("inconnu@"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        self.recus.append(envelope)
        return "250 Message accepted for delivery"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authentifier(server, session, envelope, mechanism, auth_data) -> AuthResult:
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"gestion", b"bon-secret"),
                      handled=False)


@pytest.fixture
def serveur():
    boite = Boite()
    controleur = Controller(boite, hostname="127.0.0.1", port=port_libre(),
                            authenticator=authentifier, auth_require_tls=False)
    controleur.start()
    yield controleur, boite
    controleur.stop()


@pytest.fixture
def base(tmp_path, monkeypatch):
    isoler(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AGESH_SMTP_MOT_DE_PASSE", raising=False)
    store = ouvrir(NOM_BASE_ECRAN)
    m = monde_ecran()
    m.cartouche = dict(CARTOUCHE)
    m.ecrire(store)
    ajouter(store, "demo.gestionnaire", "Gestionnaire de démonstration", ("gestionnaire",),
            secret=SECRET)
    with store.ecriture(compter=False) as tx:
        coordonnees(tx, "demo.gestionnaire", "gestion.aesh@exemple.fr", "02 99 00 00 00", "")
    yield store
    store.fermer()


def configurer(monkeypatch, controleur, identifiant: str = "") -> None:
    qui = f"{identifiant}@" if identifiant else ""
    monkeypatch.setenv("AGESH_SMTP", f"smtp://{qui}{controleur.hostname}:{controleur.port}")
    dossier = Path(os.environ["XDG_CONFIG_HOME"]) / "agesh-tui"
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / "config.toml").write_text('[courriel]\ndomaine_etablissements = "ac-rennes.fr"\n')


def journal_courriels(store) -> list[tuple]:
    with store.lecture() as tx:
        return [l for l in lignes_journal(tx) if l[2] == "courriel_synthese"]


def envoyer(store, cc=CC):
    session = session_de(store, "demo.gestionnaire")
    session.charger()
    config = session.config_courriel()
    courriel = session.preparer_courriel(UAI, config)
    from dataclasses import replace

    courriel = replace(courriel, a=(A,), cc=tuple(cc))
    session.envoyer_courriel(courriel, config)
    return courriel


def test_the_synthese_arrives_with_its_copies_and_its_pdf(base, serveur, monkeypatch, tmp_path):
    controleur, boite = serveur
    configurer(monkeypatch, controleur)
    courriel = envoyer(base)
    (recu,) = boite.recus
    assert recu.mail_from == "gestion.aesh@exemple.fr"
    assert recu.rcpt_tos == [A, *CC]
    message = message_from_bytes(recu.content, policy=policy.default)
    assert message["To"] == A and message["Cc"] == ", ".join(CC)
    assert message["Subject"] == ("Synthèse des accompagnements AESH — École Jean Moulin, Rennes "
                                  f"({UAI}) — 22/11/2026")
    assert "LEROY" not in message.get_body(("plain",)).get_content()  # the names are in the PDF
    (piece,) = list(message.iter_attachments())
    assert piece.get_filename() == f"synthese-{UAI}-2026-11-22.pdf"
    assert piece.get_content_type() == "application/pdf"
    # The very bytes `agesh synthese` writes.
    cible = tmp_path / "synthese.pdf"
    assert main(["synthese", UAI, "-o", str(cible), "--db", NOM_BASE_ECRAN, "--today",
                 "2026-11-22"]) == 0
    assert piece.get_content() == cible.read_bytes() == courriel.piece.contenu
    (ligne,) = journal_courriels(base)
    assert ligne[1] == "demo.gestionnaire"
    assert A in ligne[3] and CC[0] in ligne[3] and piece.get_filename() in ligne[3]


def test_a_recipient_refused_by_the_server_is_said_and_journaled(base, serveur, monkeypatch):
    controleur, boite = serveur
    configurer(monkeypatch, controleur)
    session = session_de(base, "demo.gestionnaire")
    session.charger()
    config = session.config_courriel()
    from dataclasses import replace

    courriel = replace(session.preparer_courriel(UAI, config), cc=("inconnu@ac-rennes.fr",))
    assert session.envoyer_courriel(courriel, config) == ["inconnu@ac-rennes.fr"]
    (recu,) = boite.recus
    assert recu.rcpt_tos == [A]
    (ligne,) = journal_courriels(base)
    assert "refusé par le serveur : inconnu@ac-rennes.fr" in ligne[3]


def test_a_refused_connection_sends_nothing(base, monkeypatch):
    monkeypatch.setenv("AGESH_SMTP", f"smtp://127.0.0.1:{port_libre()}")
    with pytest.raises(CourrielImpossible, match="connexion refusée.*rien n'a été envoyé"):
        envoyer(base)
    assert journal_courriels(base) == []


def test_a_refused_login_sends_nothing_then_the_right_password_sends_once(base, serveur,
                                                                         monkeypatch):
    controleur, boite = serveur
    configurer(monkeypatch, controleur, "gestion")
    monkeypatch.setenv("AGESH_SMTP_MOT_DE_PASSE", "mauvais")
    with pytest.raises(CourrielImpossible, match="refusé l'identifiant ou le mot de passe"):
        envoyer(base)
    assert boite.recus == [] and journal_courriels(base) == []
    monkeypatch.setenv("AGESH_SMTP_MOT_DE_PASSE", "bon-secret")
    envoyer(base)
    assert len(boite.recus) == 1 and len(journal_courriels(base)) == 1


def test_the_password_from_the_config_file_only_when_private(base, serveur, monkeypatch):
    controleur, boite = serveur
    configurer(monkeypatch, controleur, "gestion")
    fichier = Path(os.environ["XDG_CONFIG_HOME"]) / "agesh-tui" / "config.toml"
    fichier.write_text('[courriel]\nmot_de_passe = "bon-secret"\n')
    fichier.chmod(0o644)
    with pytest.raises(CourrielImpossible, match="chmod 600"):
        envoyer(base)
    fichier.chmod(0o600)
    envoyer(base)
    assert len(boite.recus) == 1


def test_no_password_in_the_server_url(tmp_path):
    with pytest.raises(CourrielImpossible, match="ne se met pas dans l'adresse"):
        lire_config({"AGESH_SMTP": "smtp://moi:secret@smtp.exemple.fr:587"}, tmp_path,
                    "moi@exemple.fr")
    config = lire_config({"AGESH_SMTP": "smtps://moi@smtp.exemple.fr"}, tmp_path, "moi@exemple.fr")
    assert (config.port, config.tls_direct, config.identifiant) == (465, True, "moi")
    assert "secret" not in config.adresse


def test_addresses_typed_are_checked():
    bonnes, mauvaises = lire_adresses("a@ex.fr; b@ex.fr,a@ex.fr  x@y\nz@ex.fr\r\nBcc: c@ex.fr")
    assert bonnes == ["a@ex.fr", "b@ex.fr", "z@ex.fr", "c@ex.fr"]
    assert mauvaises == ["x@y", "Bcc:"]


@pytest.mark.anyio
async def test_the_screen_sends_once(base, serveur, monkeypatch):
    controleur, boite = serveur
    configurer(monkeypatch, controleur)
    app = app_de(base)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_courriel(pilot)
        assert isinstance(app.screen, CourrielEtablissement)
        app.screen.query_one("#courriel-cc").value = CC[0]
        await pilot.pause()
        await pilot.press("ctrl+s", "ctrl+s")
        await attendre_travaux(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, CourrielEtablissement)
        assert any("Synthèse envoyée" in str(n.message) for n in app._notifications)
    (recu,) = boite.recus
    assert recu.rcpt_tos == [A, CC[0]]


@pytest.mark.anyio
async def test_the_screen_says_why_nothing_was_sent(base, monkeypatch):
    monkeypatch.setenv("AGESH_SMTP", f"smtp://127.0.0.1:{port_libre()}")
    app = app_de(base)
    async with app.run_test(size=(160, 48)) as pilot:
        await ouvrir_courriel(pilot)
        app.screen.query_one("#courriel-a").value = A
        await pilot.press("ctrl+s")
        await attendre_travaux(pilot)
        await pilot.pause()
        assert isinstance(app.screen, CourrielEtablissement)
        message = str(app.screen.query_one("#courriel-message").render())
        assert "Non envoyé" in message and "connexion refusée" in message
    assert journal_courriels(base) == []
