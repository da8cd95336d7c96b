"""Sending a document by e-mail (SPEC F12 « Courriel »): the SMTP server of
the configuration, the message with its PDF, the addresses typed by the
user checked. Standard library only (smtplib, email).

Configuration: the ``[courriel]`` table of ``config.toml`` in the
configuration folder (platformdirs), ``AGESH_SMTP`` overriding its
``serveur``::

    [courriel]
    serveur = "smtp://identifiant@smtp.exemple.fr:587"   # smtps:// for TLS from the start
    expediteur = "gestion.aesh@exemple.fr"
    domaine_etablissements = "ac-rennes.fr"   # ce.<uai>@<domaine>
    mot_de_passe = "…"                        # only in a file readable by its owner alone (600)

The password never goes in a URL, a command line or a log: from the file
(refused when others can read it) or ``AGESH_SMTP_MOT_DE_PASSE``. With
``smtp://``, STARTTLS is used whenever the server offers it, and a password
is never sent over a connection left in clear."""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import socket
import ssl
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from platformdirs import user_config_dir

ENV_SERVEUR = "AGESH_SMTP"
ENV_MOT_DE_PASSE = "AGESH_SMTP_MOT_DE_PASSE"
FICHIER_CONFIGURATION = "config.toml"
TABLE = "courriel"
DELAI_S = 20.0

# One address: no blank, no angle bracket, no quote, no separator — what a
# header could be bent with — and a domain with a dot.
_ADRESSE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
_SEPARATEURS = re.compile(r"[,;\s]+")


class CourrielImpossible(Exception):
    """Nothing was sent; the French message says why."""


def adresse_valide(adresse: str) -> bool:
    return len(adresse) <= 254 and _ADRESSE.fullmatch(adresse) is not None


def lire_adresses(texte: str) -> tuple[list[str], list[str]]:
    """The addresses typed (separated by commas, semicolons or blanks),
    without repeats, and those refused."""
    bonnes: list[str] = []
    mauvaises: list[str] = []
    for morceau in _SEPARATEURS.split(texte.strip()):
        if not morceau:
            continue
        (bonnes if adresse_valide(morceau) else mauvaises).append(morceau)
    return list(dict.fromkeys(bonnes)), mauvaises


@dataclass(frozen=True, slots=True)
class ConfigSmtp:
    hote: str
    port: int
    tls_direct: bool  # smtps://
    identifiant: str
    mot_de_passe: str | None
    expediteur: str
    domaine_etablissements: str

    @property
    def adresse(self) -> str:
        """The server as shown to the user (never the password)."""
        qui = f"{self.identifiant}@" if self.identifiant else ""
        return f"{'smtps' if self.tls_direct else 'smtp'}://{qui}{self.hote}:{self.port}"


def dossier_configuration() -> Path:
    return Path(user_config_dir("agesh-tui", appauthor=False))


def _table(dossier: Path) -> tuple[dict, Path | None]:
    chemin = dossier / FICHIER_CONFIGURATION
    if not chemin.is_file():
        return {}, None
    try:
        document = tomllib.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CourrielImpossible(f"{chemin} illisible ou invalide ({exc}) : corrigez-le.") from None
    table = document.get(TABLE, {})
    if not isinstance(table, dict):
        raise CourrielImpossible(f"{chemin} : [{TABLE}] doit être une table.")
    return table, chemin


def lire_config(environ: Mapping[str, str] | None = None, dossier: Path | None = None,
                expediteur_defaut: str = "") -> ConfigSmtp:
    """The SMTP configuration; CourrielImpossible says what is missing."""
    env = os.environ if environ is None else environ
    table, chemin = _table(dossier or dossier_configuration())
    url = env.get(ENV_SERVEUR) or str(table.get("serveur", ""))
    if not url:
        raise CourrielImpossible(
            f"aucun serveur de courriel configuré : indiquez-le dans ${ENV_SERVEUR} "
            f"(smtp://identifiant@serveur:587) ou dans [{TABLE}] serveur de {FICHIER_CONFIGURATION}.")
    parties = urlsplit(url)
    if parties.scheme not in ("smtp", "smtps") or not parties.hostname:
        raise CourrielImpossible(f"serveur de courriel « {url.split('@')[-1]} » invalide : attendu "
                                 "smtp://identifiant@serveur:port ou smtps://…")
    if parties.password is not None:
        raise CourrielImpossible(
            "le mot de passe ne se met pas dans l'adresse du serveur : mettez-le dans "
            f"${ENV_MOT_DE_PASSE} ou dans {FICHIER_CONFIGURATION} (lisible par vous seul).")
    try:
        port = parties.port or (465 if parties.scheme == "smtps" else 25)
    except ValueError:
        raise CourrielImpossible("port du serveur de courriel invalide.") from None
    mot_de_passe = env.get(ENV_MOT_DE_PASSE) or None
    if mot_de_passe is None and table.get("mot_de_passe"):
        assert chemin is not None
        if os.stat(chemin).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise CourrielImpossible(
                f"{chemin} contient un mot de passe mais d'autres peuvent le lire : "
                f"chmod 600 {chemin}, ou utilisez ${ENV_MOT_DE_PASSE}.")
        mot_de_passe = str(table["mot_de_passe"])
    identifiant = unquote(parties.username or "")
    expediteur = str(table.get("expediteur", "")) or expediteur_defaut
    if not adresse_valide(expediteur):
        raise CourrielImpossible(
            f"adresse d'expéditeur manquante ou invalide : indiquez [{TABLE}] expediteur dans "
            f"{FICHIER_CONFIGURATION}, ou votre courriel dans Mon compte.")
    return ConfigSmtp(parties.hostname, port, parties.scheme == "smtps", identifiant, mot_de_passe,
                      expediteur, str(table.get("domaine_etablissements", "")).strip())


def adresse_etablissement(uai: str, domaine: str) -> str:
    """The établissement's functional address of the académies
    (ce.<uai>@<domaine>); empty when no domain is configured."""
    return f"ce.{uai.lower()}@{domaine}" if domaine and uai else ""


@dataclass(frozen=True, slots=True)
class PieceJointe:
    nom: str
    contenu: bytes
    type_mime: str = "application/pdf"


def message(expediteur: str, a: Sequence[str], cc: Sequence[str], sujet: str, corps: str,
            piece: PieceJointe, quand: datetime) -> EmailMessage:
    m = EmailMessage()
    m["From"] = expediteur
    m["To"] = ", ".join(a)
    if cc:
        m["Cc"] = ", ".join(cc)
    m["Subject"] = sujet
    m["Date"] = format_datetime(quand.astimezone())
    m["Message-ID"] = make_msgid(domain=expediteur.rsplit("@", 1)[-1])
    m.set_content(corps)
    principal, sous = piece.type_mime.split("/", 1)
    m.add_attachment(piece.contenu, maintype=principal, subtype=sous, filename=piece.nom)
    return m


def envoyer(config: ConfigSmtp, m: EmailMessage, destinataires: Sequence[str]) -> list[str]:
    """Send ``m`` once; returns the recipients the server refused while
    accepting the others (the message left for those). CourrielImpossible (French) when the server cannot
    be reached, refuses the login or the recipients: then nothing was
    accepted by the server. Once the server has accepted the message, a
    failure on the way out is ignored (it is sent: retrying would send it
    twice)."""
    classe = smtplib.SMTP_SSL if config.tls_direct else smtplib.SMTP
    serveur = config.adresse
    try:
        client = classe(config.hote, config.port, timeout=DELAI_S)
    except (OSError, smtplib.SMTPException) as exc:
        raise CourrielImpossible(f"connexion au serveur de courriel {serveur} impossible "
                                 f"({_raison(exc)}) : rien n'a été envoyé.") from None
    envoye = False
    try:
        client.ehlo_or_helo_if_needed()
        chiffre = config.tls_direct
        if not chiffre and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
            chiffre = True
        if config.mot_de_passe is not None:
            if not chiffre and not _boucle_locale(config.hote):
                raise CourrielImpossible(
                    f"le serveur {serveur} ne propose pas de connexion chiffrée (STARTTLS) : le mot "
                    "de passe n'est pas envoyé en clair ; rien n'a été envoyé.")
            client.login(config.identifiant, config.mot_de_passe)
        refuses = client.send_message(m, from_addr=config.expediteur, to_addrs=list(destinataires))
        envoye = True
    except smtplib.SMTPAuthenticationError:
        raise CourrielImpossible(f"le serveur {serveur} a refusé l'identifiant ou le mot de passe : "
                                 "rien n'a été envoyé.") from None
    except smtplib.SMTPRecipientsRefused as exc:
        refusees = ", ".join(sorted(exc.recipients))
        raise CourrielImpossible(f"le serveur {serveur} a refusé les destinataires {refusees} : "
                                 "rien n'a été envoyé.") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise CourrielImpossible(f"envoi par {serveur} impossible ({_raison(exc)}) : rien n'a été "
                                 "envoyé.") from None
    finally:
        if envoye:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
        else:
            client.close()
    return sorted(refuses)


def _boucle_locale(hote: str) -> bool:
    """A relay on this machine (127.0.0.1, ::1, localhost): nothing crosses
    a network, a password may go without TLS."""
    if hote == "localhost":
        return True
    try:
        return ipaddress.ip_address(hote).is_loopback
    except ValueError:
        return False


def _raison(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "pas de réponse"
    if isinstance(exc, socket.gaierror):
        return "serveur inconnu"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"code {exc.smtp_code}"
    return exc.__class__.__name__
