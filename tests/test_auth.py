"""Login rules: TOTP with drift, no replay, growing wait, journal, demo codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from agesh_tui.api.auth import (
    CODE_INCORRECT,
    CODE_REJOUE,
    AuthError,
    code_courant,
    verifier,
)
from agesh_tui.engine.stockage import Stockage, cle, contrat, ouvrir
from agesh_tui.engine.stockage.schema import SCHEMA_VERSION
from agesh_tui.engine.stockage.utilisateurs import ajouter
from monde import contenu

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP = pyotp.TOTP(SECRET)
T0 = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)  # start of a 30 s step
PAS = timedelta(seconds=30)


def code(t: datetime) -> str:
    return TOTP.at(t)


def faux(t: datetime) -> str:
    """A code valid for none of the steps accepted at t."""
    valides = {code(t - PAS), code(t), code(t + PAS)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valides)


def avec_utilisateurs(s: Stockage) -> Stockage:
    ajouter(s, "marie.curie", "Marie Curie", ("superviseur", "gestionnaire"), secret=SECRET)
    ajouter(s, "paul", "Paul", ("gestionnaire",), secret=SECRET)
    return s


@pytest.fixture
def store(stockage):
    """A base of each engine with two users (the key file in tmp_path)."""
    return avec_utilisateurs(stockage)


def lignes(store: Stockage, sql: str, params=()) -> list[tuple]:
    with store.lecture() as tx:
        return tx.lignes(sql, params)


def journal(store: Stockage) -> list[tuple[str, str, str]]:
    return lignes(store, "SELECT login, action, detail FROM journal ORDER BY id")


def etat(store: Stockage, login: str = "marie.curie") -> tuple:
    return lignes(
        store, "SELECT otp_dernier_pas, echecs, bloque_jusqua FROM utilisateur WHERE login = ?", (login,)
    )[0]


def test_good_code(store):
    r = verifier(store, "marie.curie", code(T0), T0)
    assert r.ok and r.message == "Bienvenue, Marie Curie."
    assert r.utilisateur.login == "marie.curie"
    assert r.profils == ("superviseur", "gestionnaire")
    assert verifier(store, "paul", code(T0), T0).profils == ("gestionnaire",)
    assert journal(store) == [
        ("marie.curie", "connexion", "réussie"), ("paul", "connexion", "réussie")
    ]


def test_typed_forms_accepted(store):
    c = code(T0)
    assert verifier(store, " Marie.Curie ", f"{c[:3]} {c[3:]}", T0).ok


def test_wrong_code(store):
    r = verifier(store, "marie.curie", faux(T0), T0)
    assert (r.ok, r.message, r.utilisateur, r.profils, r.attente) == (
        False, CODE_INCORRECT, None, (), 0
    )
    # Malformed codes (Arabic-Indic digits included) are failures too.
    for mauvais in ("12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert not verifier(store, "marie.curie", mauvais, T0).ok
    assert etat(store)[1] == 5
    assert [d for _, _, d in journal(store)] == ["code erroné"] * 5


def test_drift_replay_and_next_step(store):
    t = T0 + timedelta(seconds=10)
    assert verifier(store, "marie.curie", code(t - PAS), t).ok  # one step late: drift
    r = verifier(store, "marie.curie", code(t - PAS), t)  # the same code again
    assert (r.ok, r.message) == (False, CODE_REJOUE)
    assert verifier(store, "marie.curie", code(t), t).ok  # the next step
    r = verifier(store, "marie.curie", code(t - PAS), t)  # older than the last accepted
    assert (r.ok, r.message) == (False, CODE_REJOUE)
    assert verifier(store, "marie.curie", code(t + PAS), t).ok  # one step early: drift
    assert not verifier(store, "marie.curie", code(t + 2 * PAS), t).ok  # beyond drift
    assert not verifier(store, "marie.curie", code(t - 2 * PAS), t + 2 * PAS).ok
    assert [d for _, _, d in journal(store)] == [
        "réussie", "code rejoué", "réussie", "code rejoué", "réussie", "code erroné", "code erroné"
    ]


def test_replay_by_another_session_refused(store, url_base):
    autre = ouvrir(url_base)  # another connection to the same base
    try:
        assert verifier(store, "marie.curie", code(T0), T0).ok
        r = verifier(autre, "marie.curie", code(T0), T0 + timedelta(seconds=5))
        assert (r.ok, r.message) == (False, CODE_REJOUE)
    finally:
        autre.fermer()


def test_wait_after_five_failures_grows_and_is_capped(store):
    t = T0
    for _ in range(4):
        r = verifier(store, "marie.curie", faux(t), t)
        assert (r.message, r.attente) == (CODE_INCORRECT, 0)
    r = verifier(store, "marie.curie", faux(t), t)
    assert r.attente == 30
    assert r.message == f"{CODE_INCORRECT} ; trop d'essais : réessayez dans 30 s"

    # During the wait even the right code is refused, with the time left.
    t += timedelta(seconds=10)
    r = verifier(store, "marie.curie", code(t), t)
    assert (r.ok, r.message, r.attente) == (False, "trop d'essais : réessayez dans 20 s", 20)
    assert etat(store)[1] == 5  # waiting attempts are not examined

    attendus = [60, 120, 240, 480, 900, 900]
    libelles = ["1 min 00 s", "2 min 00 s", "4 min 00 s", "8 min 00 s", "15 min 00 s", "15 min 00 s"]
    fin_attente = T0 + timedelta(seconds=30)
    for attendu, libelle in zip(attendus, libelles):
        t = fin_attente  # the wait just ended: a failure starts a longer one
        r = verifier(store, "marie.curie", faux(t), t)
        assert r.attente == attendu
        assert r.message.endswith(f"trop d'essais : réessayez dans {libelle}")
        t += timedelta(seconds=attendu - 1)
        r = verifier(store, "marie.curie", code(t), t)
        assert r.message == "trop d'essais : réessayez dans 1 s"
        fin_attente = t + timedelta(seconds=1)

    details = [d for _, _, d in journal(store)]
    assert details.count("compte en attente") == 1 + len(attendus)
    assert details.count("code erroné") == 5 + len(attendus)


def test_success_resets_failures(store):
    t = T0
    for _ in range(5):
        verifier(store, "marie.curie", faux(t), t)
    t += timedelta(seconds=30)
    assert verifier(store, "marie.curie", code(t), t).ok
    assert etat(store)[1:] == (0, None)
    for _ in range(4):  # a fresh count: four failures, no wait
        assert verifier(store, "marie.curie", faux(t), t).attente == 0
    assert verifier(store, "marie.curie", faux(t), t).attente == 30


def test_unknown_login_same_message_and_journaled(store):
    inconnu = verifier(store, "personne", code(T0), T0)
    mauvais = verifier(store, "marie.curie", faux(T0), T0)
    assert (inconnu.ok, inconnu.message, inconnu.utilisateur) == (False, mauvais.message, None)
    assert journal(store) == [
        ("personne", "connexion", "identifiant inconnu"),
        ("marie.curie", "connexion", "code erroné"),
    ]


def reponses(store: Stockage, login: str) -> list[tuple[bool, str, int]]:
    """The answers to 1…7 wrong codes, then to attempts while waiting, after
    the wait, and so on: what someone trying codes sees."""
    t, vus = T0, []
    for mauvais in [faux(t)] * 4 + ["12345", faux(t), code(t)]:
        vus.append(verifier(store, login, mauvais, t))
    for ecart, essai in ((10, code), (29, faux), (30, faux), (31, code), (89, faux), (90, faux)):
        t = T0 + timedelta(seconds=ecart)
        vus.append(verifier(store, login, essai(t), t))
    return [(r.ok, r.message, r.attente) for r in vus]


def test_unknown_login_answers_like_an_existing_one(store):
    existant = reponses(store, "paul")
    assert reponses(store, "personne") == existant
    assert existant[4] == (False, f"{CODE_INCORRECT} ; trop d'essais : réessayez dans 30 s", 30)
    assert existant[5:8] == [(False, "trop d'essais : réessayez dans 30 s", 30)] * 2 + [
        (False, "trop d'essais : réessayez dans 20 s", 20)
    ]
    assert existant[-1][2] == 120  # the wait keeps doubling
    # The typed forms of an identifiant share its count, as for a user's.
    r = verifier(store, " Personne ", faux(T0 + PAS * 3), T0 + PAS * 3)
    assert r.message == "trop d'essais : réessayez dans 2 min 00 s"
    details = {d for l, _, d in journal(store) if l == "personne"}
    assert details == {"identifiant inconnu"}
    assert len(journal(store)) == 2 * len(existant) + 1


def test_a_known_and_an_unknown_identifiant_do_the_same_work(store, monkeypatch):
    """The time of a refusal must not tell which identifiants exist
    (bench/bench_connexion.py measures it): both go through the same
    statements, the same key reads, derivations and decryptions."""
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    from agesh_tui.engine.stockage.transaction import Transaction

    travail: list[str] = []

    def espion(nom, fonction):
        def appel(*args, **kwargs):
            travail.append(nom)
            return fonction(*args, **kwargs)
        return appel

    monkeypatch.setattr(Transaction, "execute", espion("sql", Transaction.execute))
    monkeypatch.setattr(Transaction, "executemany", espion("sql", Transaction.executemany))
    monkeypatch.setattr(Fernet, "decrypt", espion("déchiffrement", Fernet.decrypt))
    monkeypatch.setattr(Fernet, "encrypt", espion("chiffrement", Fernet.encrypt))
    monkeypatch.setattr(HKDF, "derive", espion("dérivation", HKDF.derive))
    monkeypatch.setattr(cle, "_lire", espion("lecture de la clé", cle._lire))

    def travail_de(login: str) -> list[str]:
        verifier(store, login, faux(T0), T0)  # first attempt: a row to update next time
        travail.clear()
        verifier(store, login, faux(T0), T0)
        return sorted(travail)

    existant = travail_de("paul")
    assert existant.count("déchiffrement") == 1 and existant.count("lecture de la clé") == 1
    assert travail_de("personne") == existant


def test_unknown_login_not_stored_in_clear(store):
    for _ in range(7):
        verifier(store, "zorglub.inconnu", faux(T0), T0)
    assert lignes(store, "SELECT echecs FROM echec_connexion") == [(5,)]
    [(empreinte,)] = lignes(store, "SELECT cle FROM echec_connexion")
    assert len(empreinte) == 64 and "zorglub" not in empreinte
    # The journal names what was typed, by design (it is the audit trail):
    # leave it aside, then look at every row of the base.
    with store.ecriture(compter=False) as tx:
        tx.execute("DELETE FROM journal")
    tout = repr(contenu(store))
    assert "marie.curie" in tout  # the search does find what is stored
    assert "zorglub" not in tout


def test_unknown_login_not_in_the_sqlite_file(tmp_path, cle_temporaire):
    """SQLite only: every byte of the file, once vacuumed (the rows, on
    either engine: the test above)."""
    chemin = tmp_path / "fichier" / "agesh.sqlite3"
    store = avec_utilisateurs(ouvrir(chemin))
    for _ in range(7):
        verifier(store, "zorglub.inconnu", faux(T0), T0)
    with store.ecriture(compter=False) as tx:
        tx.execute("DELETE FROM journal")
    store.con.execute("VACUUM")
    store.fermer()
    octets = b"".join(f.read_bytes() for f in chemin.parent.glob("agesh.sqlite3*"))
    assert b"marie.curie" in octets  # the search does find what is stored
    assert b"zorglub" not in octets


def test_base_without_users_needs_no_key(url_base, tmp_path, monkeypatch):
    cle_absente = tmp_path / "cle-otp.key"
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(cle_absente))
    vide = ouvrir(url_base)
    try:
        # No account to hide: a plain refusal, and no key file created.
        assert verifier(vide, "personne", "000000", T0).message == CODE_INCORRECT
        assert not cle_absente.exists()
    finally:
        vide.fermer()


def test_migration_4_counts_unknown_logins_on_an_older_base(url_base, cle_temporaire, monkeypatch):
    # A base of schema 3 (before echec_connexion), made by the product's own migrations.
    with monkeypatch.context() as m:
        m.setattr(contrat, "SCHEMA_VERSION", 3)
        ancienne = ouvrir(url_base)
        try:
            assert ancienne.version_schema() == 3
        finally:
            ancienne.fermer()
    ancienne = ouvrir(url_base)
    try:
        assert ancienne.version_schema() == SCHEMA_VERSION  # brought forward, migration 4 included
        ajouter(ancienne, "paul", "Paul", ("gestionnaire",), secret=SECRET)
        assert [verifier(ancienne, "personne", faux(T0), T0).attente for _ in range(5)] == [
            0, 0, 0, 0, 30
        ]
    finally:
        ancienne.fermer()


def test_journal_time_and_no_data_change(store):
    avant = store.changements()
    verifier(store, "marie.curie", code(T0), T0)
    verifier(store, "x" * 500, "000000", T0)
    # Local time without offset, as every row of the journal (T0 is UTC).
    local = T0.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")
    assert lignes(store, "SELECT quand FROM journal") == [(local,), (local,)]
    assert lignes(store, "SELECT length(login) FROM journal ORDER BY id")[1] == (64,)
    # Logins are bookkeeping: the PIAL aggregates must not turn stale.
    assert store.changements() == avant


def test_wrong_key_file_is_an_error_not_a_failure(store, tmp_path, monkeypatch):
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "absente.key"))
    with pytest.raises(cle.CleError, match="introuvable"):
        verifier(store, "marie.curie", code(T0), T0)
    # The same for an unknown identifiant: the error does not tell either.
    with pytest.raises(cle.CleError, match="introuvable"):
        verifier(store, "personne", code(T0), T0)
    assert journal(store) == [] and etat(store)[1] == 0


def test_code_courant_demo_only(store):
    ajouter(store, "demo.gestionnaire", "Démo", ("gestionnaire",), secret=SECRET)
    with pytest.raises(AuthError, match="ne fonctionne que sur une base de démonstration"):
        code_courant(store, "demo.gestionnaire", T0)
    with store.ecriture() as tx:
        tx.set_meta("demo", "1")
    assert code_courant(store, "demo.gestionnaire", T0) == code(T0)
    assert verifier(store, "demo.gestionnaire", code_courant(store, "demo.gestionnaire", T0), T0).ok
    # A real user added to a demo base (before that was refused) keeps its
    # code to itself, and so does an identifiant that names nobody.
    for login in ("marie.curie", "personne"):
        with pytest.raises(AuthError, match="que le code des utilisateurs de démonstration"):
            code_courant(store, login, T0)
