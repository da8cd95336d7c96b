"""What the storage says when it refuses: French messages, no driver types.

Callers (operations, the Session, the CLI) catch these and never a driver's
exception: the same refusal reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations


class StoreError(Exception):
    """A storage problem to show to the user (French message)."""


class StaleWriteError(StoreError):
    """Someone else changed the data since it was read: nothing was written."""


class BaseOccupee(StoreError):
    """Another session holds the base longer than we wait: try again."""


class BaseIntrouvable(StoreError):
    """A command that only reads named a base that does not exist."""


class ConflitIntegrite(StoreError):
    """A write broke a constraint of the schema (a row another session
    removed meanwhile, a duplicate key): rolled back."""


class RienAEcrire(Exception):
    """Raised inside ``ecriture()`` when the base already holds what was to
    be written: the transaction rolls back, so even the change counter stays
    (a re-import or an identical synchronisation is a true no-op)."""


PERIME = "les données ont été modifiées par ailleurs depuis leur chargement : rien n'a été enregistré"
