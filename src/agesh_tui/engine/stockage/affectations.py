"""Rows of the affectations of missions to a PIAL (SPEC §1)."""

from __future__ import annotations

from dataclasses import replace

from ..modele.model import AffectationPial
from .transaction import Transaction


def premier_numero(tx: Transaction, annee: int) -> int:
    """Ids are "AF<année>-<n>": the next n after the highest existing one,
    read inside the write transaction so that two runs never collide."""
    return max(map(int, tx.numeros("affectation_pial", f"AF{annee}-")), default=0) + 1


def inserer(tx: Transaction, a: AffectationPial) -> None:
    tx.execute(
        "INSERT INTO affectation_pial (id, mission_id, pial_uai, annee, volume, debut, fin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (a.id, a.mission_id, a.pial_uai, a.annee, a.volume, a.debut.isoformat(), a.fin.isoformat()),
    )


# -- by hand (F11: affecter, changer le volume, retirer) ------------------------------------
def de_mission(tx: Transaction, mission_id: str, annee: int) -> dict[str, int]:
    """{id: version} of the mission's affectations of the year, as the base holds them."""
    return dict(tx.lignes("SELECT id, version FROM affectation_pial "
                          "WHERE mission_id = ? AND annee = ?", (mission_id, annee)))


def modifier_volume(tx: Transaction, a: AffectationPial, volume: float) -> AffectationPial:
    """StaleWriteError when the row is no longer at ``a.version``."""
    version = tx.update_versioned("affectation_pial", "id", a.id, a.version, {"volume": volume})
    return replace(a, volume=volume, version=version)


def supprimer(tx: Transaction, a: AffectationPial) -> None:
    tx.delete_versioned("affectation_pial", "id", a.id, a.version)

