"""Users, the TOTP secret key file and the user/otp commands."""

from __future__ import annotations

import json
import os
import stat

import pyotp
import pytest

from agesh_tui.api.auth import uri_otp
from agesh_tui.cli import main
from agesh_tui.engine.stockage import cle, ouvrir
from agesh_tui.engine.stockage.utilisateurs import (
    UtilisateurError,
    ajouter,
    charger_utilisateur,
    lister,
)
from bases import url_de
from monde import contenu

posix = pytest.mark.skipif(os.name != "posix", reason="droits POSIX")


@pytest.fixture
def cle_fichier(tmp_path, monkeypatch):
    chemin = tmp_path / "config" / "cle-otp.key"
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(chemin))
    return chemin


@pytest.fixture
def db(url_base):
    """The --db of a new base of each engine."""
    return url_base


@pytest.fixture
def store(db, cle_fichier):
    s = ouvrir(db)
    yield s
    s.fermer()


def test_ajouter_returns_user_and_fresh_secret(store):
    utilisateur, secret = ajouter(store, "marie.curie", "  Marie Curie ", ["gestionnaire", "superviseur"])
    assert utilisateur.login == "marie.curie"
    assert utilisateur.nom == "Marie Curie"
    assert utilisateur.profils == ("superviseur", "gestionnaire")  # PROFILS order
    assert len(secret) == 32 and pyotp.TOTP(secret).now().isdigit()
    assert charger_utilisateur(store, "marie.curie") == utilisateur
    assert charger_utilisateur(store, "personne") is None
    _, autre = ajouter(store, "ab", "", ("gestionnaire",))
    assert autre != secret
    assert [(u.login, u.nom) for u in lister(store)] == [("ab", "ab"), ("marie.curie", "Marie Curie")]


@pytest.mark.parametrize(
    "login", ["a", "x" * 65, "Marie", "élise", "jean dupont", "a/b", "", "a@b"]
)
def test_invalid_login_refused(store, login):
    with pytest.raises(UtilisateurError, match="invalide"):
        ajouter(store, login, "X", ("gestionnaire",))
    assert lister(store) == []


def test_login_limits_accepted(store):
    ajouter(store, "a-_.9", "X", ("gestionnaire",))
    ajouter(store, "x" * 64, "X", ("gestionnaire",))
    assert len(lister(store)) == 2


def test_profils_validated(store):
    with pytest.raises(UtilisateurError, match="au moins un profil"):
        ajouter(store, "paul", "Paul", ())
    with pytest.raises(UtilisateurError, match="« admin » inconnu"):
        ajouter(store, "paul", "Paul", ("gestionnaire", "admin"))
    utilisateur, _ = ajouter(store, "paul", "Paul", "gestionnaire")
    assert utilisateur.profils == ("gestionnaire",)


def test_duplicate_login_refused(store):
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    with pytest.raises(UtilisateurError, match="existe déjà"):
        ajouter(store, "paul", "Autre", ("superviseur",))
    assert charger_utilisateur(store, "paul").nom == "Paul"


def test_given_secret_is_kept_and_checked(store):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    _, rendu = ajouter(store, "paul", "Paul", ("gestionnaire",), secret=secret.lower())
    assert rendu == secret
    with pytest.raises(UtilisateurError, match="base32"):
        ajouter(store, "pierre", "P", ("gestionnaire",), secret="pas du base32 !")
    with pytest.raises(UtilisateurError, match="trop court"):
        ajouter(store, "pierre", "P", ("gestionnaire",), secret="JBSWY3DPEHPK3PXP")


def test_ajouter_joins_an_open_transaction(store):
    with pytest.raises(RuntimeError):
        with store.ecriture() as tx:
            tx.set_meta("demo", "1")
            ajouter(store, "demo.gestionnaire", "Démo", ("gestionnaire",))
            assert charger_utilisateur(store, "demo.gestionnaire") is not None
            raise RuntimeError("génération interrompue")
    assert charger_utilisateur(store, "demo.gestionnaire") is None
    assert store.meta("demo") is None


def test_uri_otp():
    uri = uri_otp("marie.curie", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert uri.startswith("otpauth://totp/AGESH%20TUI:marie.curie?")
    totp = pyotp.parse_uri(uri)
    assert (totp.secret, totp.issuer, totp.name) == (
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "AGESH TUI", "marie.curie"
    )
    assert (totp.digits, totp.interval) == (6, 30)


# -- the key file --------------------------------------------------------------

@posix
def test_key_file_created_private_whatever_the_umask(store, cle_fichier):
    ancien = os.umask(0)
    try:
        ajouter(store, "paul", "Paul", ("gestionnaire",))
    finally:
        os.umask(ancien)
    assert stat.S_IMODE(cle_fichier.stat().st_mode) == 0o600
    assert stat.S_IMODE(cle_fichier.parent.stat().st_mode) == 0o700
    assert store.meta(cle.META_EMPREINTE) == cle.empreinte(cle_fichier.read_bytes().strip())


def test_key_file_default_location(monkeypatch):
    monkeypatch.delenv(cle.ENV_KEY_FILE, raising=False)
    chemin = cle.chemin_cle()
    assert chemin.name == "cle-otp.key" and "agesh-tui" in str(chemin)


@posix
@pytest.mark.parametrize("mode", [0o644, 0o604, 0o660, 0o620, 0o606])
def test_a_key_open_to_others_or_writable_by_the_group_is_refused(store, cle_fichier, mode):
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    cle_fichier.chmod(mode)
    with pytest.raises(cle.CleError, match="chmod 600"):
        ajouter(store, "pierre", "Pierre", ("gestionnaire",))
    with pytest.raises(cle.CleError, match="accessible à d'autres comptes"):
        cle.cle_de_la_base(store)
    assert charger_utilisateur(store, "pierre") is None


@posix
def test_a_key_readable_by_its_group_is_accepted(store, cle_fichier):
    """640: the key of a base shared within a Unix group on purpose
    (docs/securite.md), read by every member, written by none."""
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    cle_fichier.chmod(0o640)
    ajouter(store, "pierre", "Pierre", ("gestionnaire",))
    assert charger_utilisateur(store, "pierre") is not None
    assert cle.cle_de_la_base(store) == cle_fichier.read_bytes().strip()


def test_wrong_key_file_detected(tmp_path, store, moteur, request, monkeypatch):
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    # Another base, with its own key file: a valid key, but not this base's.
    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "autre.key"))
    autre_base = ouvrir(url_de(moteur, tmp_path / "autre", request))
    ajouter(autre_base, "pierre", "Pierre", ("gestionnaire",))
    autre_base.fermer()
    with pytest.raises(cle.CleError, match="n'est pas celui de cette base"):
        ajouter(store, "jacques", "Jacques", ("gestionnaire",))
    with pytest.raises(cle.CleError, match=store.meta(cle.META_EMPREINTE)):
        cle.cle_de_la_base(store)


def test_missing_key_file_detected(store, cle_fichier):
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    cle_fichier.unlink()
    with pytest.raises(cle.CleError, match="introuvable.*restaurez"):
        ajouter(store, "pierre", "Pierre", ("gestionnaire",))
    assert not cle_fichier.exists()  # never silently replaced by a new key


def test_corrupt_key_file_detected(store, cle_fichier):
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    cle_fichier.write_bytes(b"n'importe quoi\n")
    with pytest.raises(cle.CleError, match="corrompu"):
        cle.cle_de_la_base(store)


def test_secret_not_in_clear_in_database_file(tmp_path, cle_fichier):
    """SQLite only: every byte of the file, its -wal and -shm (PostgreSQL:
    the next test reads every row)."""
    db = tmp_path / "fichier" / "agesh.sqlite3"
    store = ouvrir(db)
    _, secret = ajouter(store, "paul", "Paul", ("gestionnaire",))
    store.fermer()
    octets = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert b"paul" in octets  # the data is there…
    for forme in (secret.encode(), secret.lower().encode(), pyotp.TOTP(secret).byte_secret()):
        assert forme not in octets  # …but not the secret, in any form


def test_secret_not_in_clear_in_any_row(store):
    _, secret = ajouter(store, "paul", "Paul", ("gestionnaire",))
    octets = repr(contenu(store)).encode() + b"".join(
        v for lignes in contenu(store).values() for ligne in lignes for v in ligne
        if isinstance(v, bytes))
    assert b"paul" in octets  # the data is there…
    for forme in (secret.encode(), secret.lower().encode(), pyotp.TOTP(secret).byte_secret()):
        assert forme not in octets  # …but not the secret, in any form


# -- commands -----------------------------------------------------------------

def test_cli_ajouter_prints_uri_and_qr(db, cle_fichier, capsys):
    assert main(["utilisateur", "ajouter", "marie.curie", "--profil", "gestionnaire",
                 "--nom", "Marie Curie", "--db", str(db)]) == 0
    sortie = capsys.readouterr().out
    assert "otpauth://totp/AGESH%20TUI:marie.curie?secret=" in sortie
    assert "▄" in sortie or "▀" in sortie  # the half-block QR code
    assert "ne sera plus jamais affiché" in sortie
    secret = pyotp.parse_uri(next(l for l in sortie.splitlines() if l.startswith("otpauth"))).secret

    assert main(["utilisateur", "liste", "--db", str(db)]) == 0
    liste = capsys.readouterr().out
    assert "marie.curie" in liste and "Gestionnaire AESH" in liste
    assert secret not in liste
    assert main(["utilisateur", "liste", "--json", "--db", str(db)]) == 0
    brut = capsys.readouterr().out
    assert secret not in brut
    assert json.loads(brut) == [
        {"login": "marie.curie", "nom": "Marie Curie", "profils": ["gestionnaire"]}
    ]


def test_cli_ajouter_json(db, cle_fichier, capsys):
    assert main(["utilisateur", "ajouter", "paul", "--profil", "superviseur", "--json",
                 "--db", str(db)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {k: document[k] for k in ("login", "nom", "profils")} == {
        "login": "paul", "nom": "paul", "profils": ["superviseur"]
    }
    assert pyotp.parse_uri(document["uri"]).name == "paul"


def test_cli_ajouter_errors(db, cle_fichier, capsys):
    args = ["utilisateur", "ajouter", "paul", "--profil", "superviseur", "--db", str(db)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 1
    assert "existe déjà" in capsys.readouterr().err
    with pytest.raises(SystemExit) as sortie:
        main(["utilisateur", "ajouter", "pierre", "--profil", "admin", "--db", str(db)])
    assert sortie.value.code == 2


def test_cli_otp_refused_outside_demo(db, store, capsys):
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    assert main(["otp", "paul", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "ne fonctionne que sur une base de démonstration" in captured.err
    # It names the base it looked at (a mistyped --db shows at once).
    assert f"et {store.description} n'en est pas une" in captured.err


def test_cli_otp_on_demo_base(db, store, capsys):
    _, secret = ajouter(store, "demo.gestionnaire", "Démo", ("gestionnaire",))
    with store.ecriture() as tx:
        tx.set_meta("demo", "1")
    totp = pyotp.TOTP(secret)
    avant = totp.now()
    assert main(["otp", "demo.gestionnaire", "--db", str(db)]) == 0
    code = capsys.readouterr().out.strip()
    assert code in {avant, totp.now()}  # the step may turn during the call
    assert main(["otp", "demo.superviseur", "--db", str(db)]) == 1  # a demo login, not in this base
    assert "utilisateur « demo.superviseur » inconnu" in capsys.readouterr().err


def test_cli_otp_never_gives_a_real_users_code_on_a_demo_base(db, store, capsys):
    """A real user added to a demo base before that was refused: its code
    stays its own."""
    ajouter(store, "paul", "Paul", ("gestionnaire",))
    with store.ecriture() as tx:
        tx.set_meta("demo", "1")
    assert main(["otp", "paul", "--db", str(db)]) == 1
    sortie = capsys.readouterr()
    assert sortie.out == ""
    assert ("ne donne que le code des utilisateurs de démonstration "
            "(demo.superviseur, demo.gestionnaire)") in sortie.err


def test_cli_ajouter_refused_on_a_demo_base(db, store, capsys):
    """On a demo base the codes are public (agesh otp, secrets derived from
    login and seed): an account there would protect nothing."""
    with store.ecriture() as tx:
        tx.set_meta("demo", "1")
    avant = contenu(store)
    assert main(["utilisateur", "ajouter", "jean", "--profil", "gestionnaire", "--db", str(db)]) == 1
    sortie = capsys.readouterr()
    assert sortie.out == "" and "est une base de démonstration" in sortie.err
    assert contenu(store) == avant
