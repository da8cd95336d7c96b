"""Rows of the affectations of missions to a PIAL (SPEC §1)."""

from __future__ import annotations

import re

from ..modele.model import AffectationPial
from .transaction import Transaction


def premier_numero(tx: Transaction, annee: int) -> int:
    """Ids are "AF<année>-<n>": the next n after the highest existing one,
    read inside the write transaction so that two runs never collide."""
    forme = re.compile(rf"AF{annee}-(\d+)")
    numeros = (int(m.group(1)) for ident in tx.ids("affectation_pial", f"AF{annee}-")
               if (m := forme.fullmatch(ident)))
    return max(numeros, default=0) + 1


def inserer(tx: Transaction, a: AffectationPial) -> None:
    tx.execute(
        "INSERT INTO affectation_pial (id, mission_id, pial_uai, annee, volume, debut, fin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (a.id, a.mission_id, a.pial_uai, a.annee, a.volume, a.debut.isoformat(), a.fin.isoformat()),
    )
