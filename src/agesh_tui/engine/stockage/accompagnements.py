"""Rows of accompagnements and of the décisions they include."""

from __future__ import annotations

from dataclasses import replace

from ..modele.model import Accompagnement
from .transaction import Transaction

_COLONNES = (
    "mission_id", "uai", "debut", "fin", "heures", "repas", "pause_meridienne",
    "previsionnel", "maintien", "remplace",
)


def _valeurs(acc: Accompagnement) -> dict[str, object]:
    return {
        "mission_id": acc.mission_id, "uai": acc.uai, "debut": acc.debut.isoformat(),
        "fin": acc.fin.isoformat(), "heures": acc.heures, "repas": int(acc.repas),
        "pause_meridienne": int(acc.pause_meridienne), "previsionnel": int(acc.previsionnel),
        "maintien": int(acc.maintien), "remplace": acc.remplace,
    }


def nouvel_id(tx: Transaction) -> str:
    """"AC" + the next number after the highest existing one (Transaction.nouvel_id)."""
    return tx.nouvel_id("accompagnement", "AC")


def _ecrire_decisions(tx: Transaction, acc: Accompagnement) -> None:
    tx.execute("DELETE FROM accompagnement_decision WHERE accompagnement_id = ?", (acc.id,))
    tx.executemany(
        "INSERT INTO accompagnement_decision (accompagnement_id, decision_id, rang) VALUES (?, ?, ?)",
        [(acc.id, d, rang) for rang, d in enumerate(acc.decision_ids, 1)],
    )


def inserer(tx: Transaction, acc: Accompagnement, garder_id: bool = False) -> Accompagnement:
    """Write ``acc`` under a new id, or under its own when ``garder_id`` and
    no row holds it (an original given back under its id)."""
    libre = garder_id and tx.ligne("SELECT 1 FROM accompagnement WHERE id = ?", (acc.id,)) is None
    acc = replace(acc, id=acc.id if libre else nouvel_id(tx), version=1)
    tx.execute(
        f"INSERT INTO accompagnement (id, {', '.join(_COLONNES)}, version) "
        f"VALUES (?, {', '.join('?' for _ in _COLONNES)}, 1)",
        (acc.id, *_valeurs(acc).values()),
    )
    _ecrire_decisions(tx, acc)
    return acc


def modifier(tx: Transaction, ancien: Accompagnement, version: int,
             nouveau: Accompagnement) -> Accompagnement:
    """Replace ``ancien`` (read at ``version``) by ``nouveau``; stale → refused."""
    version = tx.update_versioned("accompagnement", "id", ancien.id, version, _valeurs(nouveau))
    if nouveau.decision_ids != ancien.decision_ids:
        _ecrire_decisions(tx, nouveau)
    return replace(nouveau, version=version)


def supprimer(tx: Transaction, acc_id: str, version: int) -> None:
    tx.delete_versioned("accompagnement", "id", acc_id, version)


def ecrire_remplace(tx: Transaction, acc_id: str, remplace: str | None) -> None:
    """The insertion memory, written once the pieces' ids are known."""
    tx.execute("UPDATE accompagnement SET remplace = ? WHERE id = ?", (remplace, acc_id))


def liens_decisions(tx: Transaction) -> dict[str, list[str]]:
    """The décisions of every accompagnement, in their order."""
    liens: dict[str, list[str]] = {}
    for acc_id, dec_id in tx.lignes(
        "SELECT accompagnement_id, decision_id FROM accompagnement_decision "
        "ORDER BY accompagnement_id, rang"
    ):
        liens.setdefault(acc_id, []).append(dec_id)
    return liens


def remplacer_liens(tx: Transaction, changes: list[tuple[str, tuple[str, ...]]],
                    existants: set[str]) -> None:
    """Set the décisions of several accompagnements (an import)."""
    tx.executemany(
        "DELETE FROM accompagnement_decision WHERE accompagnement_id = ?",
        [(acc_id,) for acc_id, _ in changes if acc_id in existants],
    )
    tx.executemany(
        "INSERT INTO accompagnement_decision (accompagnement_id, decision_id, rang) VALUES (?, ?, ?)",
        [(acc_id, d, rang) for acc_id, ids in changes for rang, d in enumerate(ids, 1)],
    )


def nouvelle_version(tx: Transaction, acc_ids: list[str]) -> None:
    tx.executemany("UPDATE accompagnement SET version = version + 1 WHERE id = ?",
                   [(i,) for i in acc_ids])


def versions_de_mission(tx: Transaction, mission_id: str) -> dict[str, int]:
    """The accompagnements the mission carries now, with their versions."""
    return dict(tx.lignes("SELECT id, version FROM accompagnement WHERE mission_id = ?",
                          (mission_id,)))
