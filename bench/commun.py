"""Shared bench plumbing: demo databases built once and cached, medians."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CACHE = Path(__file__).parent / "resultats"
TODAY = "2026-11-22"
GRAINE = "7"


def agesh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agesh_tui", *args], check=True,
                          capture_output=True, text=True)


def base_demo(taille: str) -> Path:
    """A demo database of that size, built once (bench/resultats/ is ignored by git)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{taille}.sqlite3"
    if not path.exists():
        agesh("demo", "--taille", taille, "--seed", GRAINE, "--today", TODAY, "--db", str(path))
    return path


def copie(path: Path, nom: str) -> Path:
    """A fresh copy of a database, for runs that write."""
    dest = CACHE / nom
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, dest)
    return dest


def mesurer(fonction, runs: int, avant=None) -> list[float]:
    """Wall times of ``runs`` calls; ``avant`` (untimed) runs before each."""
    temps = []
    for _ in range(runs):
        if avant:
            avant()
        t0 = time.perf_counter()
        fonction()
        temps.append(time.perf_counter() - t0)
    return temps


def rapport(nom: str, temps: list[float], cible: float | None = None) -> str:
    med = statistics.median(temps)
    if med < 1:  # short times in milliseconds, to see them at all
        ligne = (f"{nom:<45} médiane {med * 1000:8.1f} ms (min {min(temps) * 1000:.1f}, "
                 f"max {max(temps) * 1000:.1f}, n={len(temps)})")
    else:
        ligne = f"{nom:<45} médiane {med:8.3f} s  (min {min(temps):.3f}, max {max(temps):.3f}, n={len(temps)})"
    if cible is not None:
        ligne += f"  cible < {cible:g} s : {'OK' if med < cible else 'DÉPASSÉE'}"
    print(ligne, flush=True)
    return ligne
