"""Shared state of one demo build: the seeded random source, the anchor
dates, the readable id counters."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from ..calendrier import annee_scolaire, debut_annee, fin_annee
from ..texte import replier


@dataclass
class Contexte:
    rng: random.Random
    today: date
    compteurs: dict = field(default_factory=lambda: defaultdict(int))

    def __post_init__(self):
        self.annee = annee_scolaire(self.today)  # Y, the current school year
        # School years of the demo: three past, the current one, the next one.
        self.annees = tuple(range(self.annee - 3, self.annee + 2))
        self.debut_fenetre = debut_annee(self.annee - 3)
        self.fin_fenetre = fin_annee(self.annee + 1)  # no décision ends later

    def ident(self, prefixe: str, dep: str) -> str:
        """Readable ids: E035000123, D035000123, AC035000123…"""
        self.compteurs[(prefixe, dep)] += 1
        return f"{prefixe}{dep}{self.compteurs[(prefixe, dep)]:06d}"

    def date_entre(self, a: date, b: date) -> date | None:
        """A day of [a, b], or None when the range is empty."""
        if b < a:
            return None
        return a + timedelta(days=self.rng.randint(0, (b - a).days))

    def proba(self, p: float) -> bool:
        return self.rng.random() < p

    def pondere(self, choix: dict):
        """A key of ``choix`` drawn with its value as weight."""
        return self.rng.choices(list(choix), weights=list(choix.values()))[0]


def debut(annee: int) -> date:
    return debut_annee(annee)


def fin(annee: int) -> date:
    return fin_annee(annee)


def demi(h: float) -> float:
    """Rounded to the half hour (half up)."""
    return int(h * 2 + 0.5) / 2


def ascii_mail(*parties: str) -> str:
    return ".".join(_ascii(p) for p in parties if p).strip(".")


@cache
def _ascii(partie: str) -> str:
    return "".join(c for c in replier(partie) if c.isalnum() or c in ".-")
