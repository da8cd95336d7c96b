"""The tables of the schema as a whole: what a base holds, emptying it."""

from __future__ import annotations

from .transaction import Transaction

# Every table of the schema, a table after those it references.
TABLES = (
    "etablissement", "secteur", "secteur_etablissement", "eleve", "proche", "scolarite",
    "decision", "aesh", "mission", "affectation_pial", "accompagnement",
    "accompagnement_decision", "utilisateur", "preference", "message", "journal",
    "reference_temps", "cartouche", "formule", "agregat_pial", "echec_connexion",
    "parametre", "message_lu",
)


def table_remplie(tx: Transaction) -> str | None:
    """The first table holding a row (meta aside), or None for an empty base."""
    for table in sorted(TABLES):
        if tx.ligne(f"SELECT 1 FROM {table} LIMIT 1") is not None:
            return table
    return None


def vider(tx: Transaction) -> None:
    """Delete every row but the change counter (and the schema version)."""
    for table in reversed(TABLES):
        tx.execute(f"DELETE FROM {table}")
    tx.execute("DELETE FROM meta WHERE cle NOT IN ('changements', 'version_schema')")
