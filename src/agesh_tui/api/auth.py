"""Login with an identifiant and a TOTP code (SPEC F1).

RFC 6238 codes (6 digits, 30 s, SHA-1) are accepted one step early or late
for clock drift. A code whose step is not newer than the last accepted one
is refused, so a code seen over a shoulder cannot be used again. After 5
consecutive failures the account waits 30 s, doubling with each further
failure up to 15 min. An identifiant that names no user gets the same
answers at the same attempt counts, after comparable work, so that nothing
seen from outside tells which identifiants exist. Every attempt is
journaled. The time is always passed in: these rules never read the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp

from ..engine.modele.model import Utilisateur
from ..engine.stockage import Stockage, StoreError, Transaction, cle
from ..engine.stockage import utilisateurs as lignes
from ..engine.stockage.journal import journaliser
from ..engine.texte import nettoyer

DERIVE = 1  # time steps accepted on each side of the current one
ESSAIS_AVANT_ATTENTE = 5
ATTENTE_INITIALE = 30  # seconds
ATTENTE_MAXIMALE = 15 * 60

# One message for an unknown identifiant and a wrong code: the login screen
# must not tell which identifiants exist.
CODE_INCORRECT = "identifiant ou code incorrect"
CODE_REJOUE = "code déjà utilisé : attendez le suivant"

# What an identifiant that names no user is checked against: fixed, of the
# length of a real secret (the same decryption work), and whatever it gives
# is ignored (no code opens an unknown identifiant).
SECRET_LEURRE = "AGESHLEURREAGESHLEURREAGESHLEUR2"
EMETTEUR = "AGESH TUI"  # the name authenticator apps show beside the code
# HKDF label of the key that hashes those identifiants in echec_connexion.
USAGE_ECHECS = b"agesh-tui echec_connexion"


class AuthError(StoreError):
    """A refused authentication operation (French message)."""


@dataclass(frozen=True, slots=True)
class ResultatConnexion:
    ok: bool
    message: str
    utilisateur: Utilisateur | None = None  # set only when ok
    attente: int = 0  # seconds before another attempt is examined

    @property
    def profils(self) -> tuple[str, ...]:
        """The profiles to choose from (the choice is skipped when one)."""
        return self.utilisateur.profils if self.utilisateur else ()


def verifier(store: Stockage, login: str, code: str, now: datetime) -> ResultatConnexion:
    """Examine one login attempt at instant ``now`` (prefer an aware datetime)
    and record it, in one transaction so that two sessions cannot both use
    the same code."""
    login = nettoyer(login).lower()
    code = "".join(code.split())  # "123 456" as some apps display it
    # Not counted as a data change: a login must not make the PIAL
    # aggregates stale nor make the other sessions reload.
    with store.ecriture(compter=False) as tx:
        ligne = lignes.etat_connexion(tx, login)
        if tx.meta(cle.META_EMPREINTE) is None:
            # No secret was ever stored, so no user: nothing to hide, and
            # maybe no key yet to hash with.
            detail, resultat = "identifiant inconnu", ResultatConnexion(False, CODE_INCORRECT)
        else:
            detail, resultat = _examiner(store, tx, login, ligne, code, now)
        journaliser(tx, now, login, "connexion", detail)
    return resultat


def uri_otp(login: str, secret: str) -> str:
    """The otpauth:// URI that authenticator apps read (from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=EMETTEUR)


def code_courant(store: Stockage, login: str, now: datetime) -> str:
    """The code a user's authenticator shows at ``now`` — demo bases and
    demo users only, so that nobody can log in as someone else on real data,
    nor as a real user added to a demo base before that was refused."""
    from ..engine.demo import UTILISATEURS

    if not store.est_demo:
        raise AuthError(
            f"refusé : « agesh otp » ne fonctionne que sur une base de démonstration, et "
            f"{store.description} n'en est pas une (indiquez la base de démonstration avec "
            "--db, par exemple celle que « ./demarrer-demo » a construite)."
        )
    demos = [nom for nom, _, _ in UTILISATEURS]
    if login not in demos:
        raise AuthError(
            f"refusé : « agesh otp » ne donne que le code des utilisateurs de démonstration "
            f"({', '.join(demos)}), jamais celui d'un autre compte, même sur une base de "
            "démonstration."
        )
    secret = lignes.secret_chiffre(store, login)
    if secret is None:
        raise AuthError(f"utilisateur « {login} » inconnu.")
    return pyotp.TOTP(cle.dechiffrer(store, secret)).at(now)


def _examiner(store: Stockage, tx: Transaction, login: str, ligne: tuple | None, code: str,
              now: datetime) -> tuple[str, ResultatConnexion]:
    """An identifiant that names a user (``ligne``) or nobody (None) goes
    through the same steps — key read, identifiant hashed, failures looked
    up, a secret decrypted, the code checked, a failure written — so that
    neither the answers nor the time taken tell which identifiants exist.
    An unknown one has its failures counted in echec_connexion, by HMAC."""
    trousseau = cle.trousseau(store)
    empreinte = hmac.new(trousseau.derivee(USAGE_ECHECS), login.encode("utf-8"),
                         hashlib.sha256).hexdigest()
    # Looked up for a known identifiant too: the same queries either way.
    echecs_inconnu, bloque_inconnu = lignes.echecs_inconnu(tx, empreinte)
    if ligne is None:
        jeton, dernier_pas = trousseau.leurre(SECRET_LEURRE), 0
        echecs, bloque_jusqua = echecs_inconnu, bloque_inconnu
    else:
        jeton, dernier_pas, echecs, bloque_jusqua = ligne
    inconnu = ligne is None
    refus = _en_attente(bloque_jusqua, now)
    if refus:
        return ("identifiant inconnu" if inconnu else "compte en attente"), refus

    pas = _pas_acceptes(trousseau.dechiffrer(jeton), code, now)
    nouveaux = [p for p in pas if p > dernier_pas]
    if nouveaux and not inconnu:  # no code ever opens an unknown identifiant
        # The oldest matching step, so that the next code stays usable.
        lignes.noter_reussite(tx, login, min(nouveaux))
        utilisateur = lignes.charger_utilisateur(store, login)
        assert utilisateur is not None  # its row was read in this transaction
        return "réussie", ResultatConnexion(True, f"Bienvenue, {utilisateur.nom}.", utilisateur)

    echecs += 1
    if inconnu:
        lignes.noter_echec_inconnu(tx, empreinte, echecs, _fin_attente(echecs, now))
        return "identifiant inconnu", _echec(CODE_INCORRECT, echecs)
    lignes.noter_echec(tx, login, echecs, _fin_attente(echecs, now))
    detail, message = ("code rejoué", CODE_REJOUE) if pas else ("code erroné", CODE_INCORRECT)
    return detail, _echec(message, echecs)


def _en_attente(bloque_jusqua: str | None, now: datetime) -> ResultatConnexion | None:
    """The refusal of an attempt made before the end of the wait, if it is."""
    if bloque_jusqua is None:
        return None
    reste = math.ceil(datetime.fromisoformat(bloque_jusqua).timestamp() - now.timestamp())
    if reste <= 0:
        return None
    return ResultatConnexion(False, _trop_d_essais(reste), attente=reste)


def _fin_attente(echecs: int, now: datetime) -> str | None:
    """When the wait after ``echecs`` consecutive failures ends (None: no wait)."""
    attente = _attente(echecs)
    if not attente:
        return None
    return datetime.fromtimestamp(math.ceil(now.timestamp() + attente), UTC).isoformat()


def _echec(message: str, echecs: int) -> ResultatConnexion:
    attente = _attente(echecs)
    if attente:
        message = f"{message} ; {_trop_d_essais(attente)}"
    return ResultatConnexion(False, message, attente=attente)


def _pas_acceptes(secret: str, code: str, now: datetime) -> list[int]:
    """The time steps, within the drift window, whose code is ``code``."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return []
    totp = pyotp.TOTP(secret)
    courant = totp.timecode(now)
    return [
        pas
        for pas in range(courant - DERIVE, courant + DERIVE + 1)
        if hmac.compare_digest(totp.generate_otp(pas), code)
    ]


def _attente(echecs: int) -> int:
    """Seconds to wait after ``echecs`` consecutive failures."""
    if echecs < ESSAIS_AVANT_ATTENTE:
        return 0
    doublements = min(echecs - ESSAIS_AVANT_ATTENTE, 10)  # bounded: no huge powers
    return min(ATTENTE_INITIALE * 2**doublements, ATTENTE_MAXIMALE)


def _trop_d_essais(secondes: int) -> str:
    return f"trop d'essais : réessayez dans {_duree(secondes)}"


def _duree(secondes: int) -> str:
    if secondes < 60:
        return f"{secondes} s"
    return f"{secondes // 60} min {secondes % 60:02d} s"
