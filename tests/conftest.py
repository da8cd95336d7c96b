import sys
from pathlib import Path

# Test helpers (monde.py…) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

# SVG snapshots live in snapshots/<test file>/ at the repo root (DESIGN.md),
# not in syrupy's default tests/__snapshots__/.
from pytest_textual_snapshot import SVGImageExtension  # noqa: E402

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
SVGImageExtension.dirname = classmethod(
    lambda cls, *, test_location: str(SNAPSHOTS / Path(test_location.filepath).stem)
)


import pytest  # noqa: E402

# The application tests' fixtures (base_app.py) for every test file, which
# then imports only the helpers it calls.
from base_app import anyio_backend, base, base_deux_moteurs, base_ecran  # noqa: E402,F401

# -- bases of both engines (bases.py) ----------------------------------------------------
from bases import MOTEURS, SERVEUR, url_de  # noqa: E402


@pytest.fixture(params=MOTEURS)
def moteur(request) -> str:
    return request.param


@pytest.fixture
def url_base(moteur, tmp_path, request) -> str:
    """The --db of a new empty base of each engine."""
    return url_de(moteur, tmp_path, request)


@pytest.fixture
def cle_temporaire(tmp_path, monkeypatch):
    """The OTP key file of the test, never the developer's."""
    from agesh_tui.engine.stockage import cle

    monkeypatch.setenv(cle.ENV_KEY_FILE, str(tmp_path / "cle-otp.key"))


@pytest.fixture
def stockage(url_base, cle_temporaire):
    """An open empty base of each engine."""
    from agesh_tui.engine.stockage import ouvrir

    store = ouvrir(url_base)
    yield store
    store.fermer()


def pytest_sessionfinish(session, exitstatus):
    SERVEUR.terminer()
