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
from datetime import datetime, timezone

import pyotp

from ..engine.stockage import cle
from ..engine.modele.model import Utilisateur
from ..engine.stockage.sqlite import Store, StoreError
from ..engine.texte import nettoyer
from ..engine.stockage.utilisateurs import charger_utilisateur

DERIVE = 1  # time steps accepted on each side of the current one
ESSAIS_AVANT_ATTENTE = 5
ATTENTE_INITIALE = 30  # seconds
ATTENTE_MAXIMALE = 15 * 60

# One message for an unknown identifiant and a wrong code: the login screen
# must not tell which identifiants exist.
CODE_INCORRECT = "identifiant ou code incorrect"
CODE_REJOUE = "code déjà utilisé : attendez le suivant"

# What an identifiant that names no user is checked against: fixed, and
# whatever it gives is ignored (no code opens an unknown identifiant).
SECRET_LEURRE = "AGESHLEURREAGESHLEURREAGESHLEUR2"
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


def verifier(store: Store, login: str, code: str, now: datetime) -> ResultatConnexion:
    """Examine one login attempt at instant ``now`` (prefer an aware datetime)
    and record it, in one transaction so that two sessions cannot both use
    the same code."""
    login = nettoyer(login).lower()
    code = "".join(code.split())  # "123 456" as some apps display it
    # Not counted as a data change: a login must not make the PIAL
    # aggregates stale nor make the other sessions reload.
    with store.write(compter=False) as con:
        ligne = con.execute(
            "SELECT otp_secret, otp_dernier_pas, echecs, bloque_jusqua FROM utilisateur "
            "WHERE login = ?",
            (login,),
        ).fetchone()
        if ligne is None:
            detail = "identifiant inconnu"
            resultat = _examiner_inconnu(store, con, login, code, now)
        else:
            detail, resultat = _examiner(store, con, login, ligne, code, now)
        con.execute(
            "INSERT INTO journal (quand, login, action, detail) VALUES (?, ?, 'connexion', ?)",
            (now.isoformat(timespec="seconds"), login[:64], detail),
        )
    return resultat


def code_courant(store: Store, login: str, now: datetime) -> str:
    """The code a user's authenticator shows at ``now`` — demo bases only,
    so that nobody can log in as someone else on real data."""
    if store.get_meta("demo") != "1":
        raise AuthError(
            "refusé : « agesh otp » ne fonctionne que sur une base de démonstration."
        )
    lignes = store.rows("SELECT otp_secret FROM utilisateur WHERE login = ?", (login,))
    if not lignes:
        raise AuthError(f"utilisateur « {login} » inconnu.")
    return pyotp.TOTP(cle.dechiffrer(store, lignes[0][0])).at(now)


def _examiner(store, con, login, ligne, code, now) -> tuple[str, ResultatConnexion]:
    secret_chiffre, dernier_pas, echecs, bloque_jusqua = ligne
    refus = _en_attente(bloque_jusqua, now)
    if refus:
        return "compte en attente", refus

    pas = _pas_acceptes(cle.dechiffrer(store, secret_chiffre), code, now)
    nouveaux = [p for p in pas if p > dernier_pas]
    if nouveaux:
        # The oldest matching step, so that the next code stays usable.
        con.execute(
            "UPDATE utilisateur SET otp_dernier_pas = ?, echecs = 0, bloque_jusqua = NULL "
            "WHERE login = ?",
            (min(nouveaux), login),
        )
        utilisateur = charger_utilisateur(store, login)
        return "réussie", ResultatConnexion(True, f"Bienvenue, {utilisateur.nom}.", utilisateur)

    echecs += 1
    con.execute(
        "UPDATE utilisateur SET echecs = ?, bloque_jusqua = ? WHERE login = ?",
        (echecs, _fin_attente(echecs, now), login),
    )
    detail, message = ("code rejoué", CODE_REJOUE) if pas else ("code erroné", CODE_INCORRECT)
    return detail, _echec(message, echecs)


def _examiner_inconnu(store, con, login, code, now) -> ResultatConnexion:
    """The answer of ``_examiner`` to a wrong code, for an identifiant that
    names no user: same counts and waits, kept in echec_connexion."""
    if con.execute("SELECT 1 FROM utilisateur LIMIT 1").fetchone() is None:
        # No user at all: nothing to hide, and maybe no key yet to hash with.
        return ResultatConnexion(False, CODE_INCORRECT)
    empreinte = hmac.new(
        cle.derivee(store, USAGE_ECHECS), login.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    ligne = con.execute(
        "SELECT echecs, bloque_jusqua FROM echec_connexion WHERE cle = ?", (empreinte,)
    ).fetchone()
    echecs, bloque_jusqua = ligne or (0, None)
    refus = _en_attente(bloque_jusqua, now)
    if refus:
        return refus

    # The work of a real check (decrypt, then TOTP), so that the time taken
    # does not tell either; its result is ignored.
    _pas_acceptes(cle.dechiffrer_leurre(store, SECRET_LEURRE), code, now)
    echecs += 1
    con.execute(
        "INSERT INTO echec_connexion (cle, echecs, bloque_jusqua) VALUES (?, ?, ?) "
        "ON CONFLICT (cle) DO UPDATE SET echecs = excluded.echecs, "
        "bloque_jusqua = excluded.bloque_jusqua",
        (empreinte, echecs, _fin_attente(echecs, now)),
    )
    return _echec(CODE_INCORRECT, echecs)


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
    return datetime.fromtimestamp(math.ceil(now.timestamp() + attente), timezone.utc).isoformat()


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
