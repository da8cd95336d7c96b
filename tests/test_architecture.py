"""Arrows point one way: screens → api → engine. The engine and the api
never import Textual, and the engine makes no HTTP call (httpx lives in api/)."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import agesh_tui

RACINE = Path(agesh_tui.__file__).parent


def modules(paquet: str) -> list[str]:
    dossier = RACINE / paquet.split(".", 1)[1].replace(".", "/")
    found = [paquet]
    for info in pkgutil.walk_packages([str(dossier)], prefix=paquet + "."):
        found.append(info.name)
    return found


def importes_par(noms: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for nom in {noms!r}: importlib.import_module(nom)\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    sortie = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(sortie.stdout))


def test_engine_imports_neither_textual_nor_httpx():
    engine = modules("agesh_tui.engine")
    assert len(engine) > 15  # the walk found the modules (incl. engine.demo.*)
    charges = importes_par(engine)
    assert "textual" not in charges
    assert "httpx" not in charges


def test_api_does_not_import_textual():
    charges = importes_par(modules("agesh_tui.api"))
    assert "textual" not in charges
    assert "agesh_tui" in charges


def test_cli_help_does_not_load_textual():
    """`agesh --help` and batch commands start fast: no Textual import."""
    code = ("import sys; from agesh_tui.cli import build_parser; build_parser(); "
            "print('textual' in sys.modules)")
    sortie = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert sortie.stdout.strip() == "False"


def outil(nom: str, *args: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name(nom)
    return subprocess.run([str(executable), *args], capture_output=True, text=True,
                          cwd=RACINE.parent.parent)


def test_layering_contracts_hold():
    """pyproject.toml's import-linter contracts (DESIGN.md's arrows)."""
    resultat = outil("lint-imports", "--no-cache")
    assert resultat.returncode == 0, resultat.stdout[-3000:]
    assert "0 broken" in resultat.stdout


def test_every_module_but_the_store_is_forbidden_the_database_drivers():
    """A module added later is under the « only the store » contract too:
    each module of the package is, or lies under, one of its sources."""
    import tomllib

    config = tomllib.loads((RACINE.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    (contrat,) = [c for c in config["tool"]["importlinter"]["contracts"]
                  if c["forbidden_modules"] == ["sqlite3", "psycopg"]]
    sources = contrat["source_modules"]
    paquets = {"agesh_tui", "agesh_tui.engine"}  # empty package markers
    tous = [i.name for i in pkgutil.walk_packages([str(RACINE)], prefix="agesh_tui.")]
    assert len(tous) > 80
    oublies = [nom for nom in tous
               if nom not in paquets and not nom.startswith("agesh_tui.engine.stockage")
               and not any(nom == s or nom.startswith(s + ".") for s in sources)]
    assert oublies == []


def test_ruff_finds_nothing():
    resultat = outil("ruff", "check", "--no-cache", "src", "tests", "bench")
    assert resultat.returncode == 0, resultat.stdout[-3000:]


def test_mypy_finds_nothing():
    resultat = outil("mypy", "--no-error-summary")
    assert resultat.returncode == 0, resultat.stdout[-3000:]
