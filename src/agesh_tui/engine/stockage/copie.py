"""A whole base copied into another, empty one (SQLite → PostgreSQL, a
server to another): the domain, the users and their encrypted secrets, the
journal, the messages, the preferences and the stored aggregates — what the
interchange format (SPEC §4) does not carry. Read from one snapshot, written
in one transaction: interrupted, the target stays empty."""

from __future__ import annotations

from .contrat import Stockage
from .erreurs import StoreError
from .tables import TABLES, table_remplie

# Meta that belong to a base, not to its data: never copied.
META_PROPRES = ("changements", "version_schema")


def copier(source: Stockage, cible: Stockage) -> dict[str, int]:
    """Rows copied per table. The target must hold nothing (a new base)."""
    with source.lecture() as lecture:
        contenu = {table: (lecture.colonnes(table), lecture.lignes(f"SELECT * FROM {table}"))
                   for table in TABLES}
        metas = [r for r in lecture.lignes("SELECT cle, valeur FROM meta")
                 if r[0] not in META_PROPRES]
    with cible.ecriture() as tx:
        remplie = table_remplie(tx)
        if remplie:
            raise StoreError(
                f"la base {cible.description} n'est pas vide (table {remplie}) : la copie "
                "ne remplit qu'une base neuve, rien n'a été écrit."
            )
        for table in TABLES:  # references before what references them
            colonnes, lignes = contenu[table]
            tx.inserer(table, colonnes, lignes)
        for cle, valeur in metas:
            tx.set_meta(cle, valeur)
        cible.recaler_identites(tx)
    return {table: len(lignes) for table, (_, lignes) in contenu.items()}
