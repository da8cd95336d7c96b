"""The errors the api's callers catch: the storage's, the rules', the
session's. Screens and commands import them from here, never from the engine's
storage."""

from ..engine.operations.aesh import ModifieAilleurs
from ..engine.regles.accompagnement import RegleRefusee
from ..engine.stockage import (
    BaseIntrouvable,
    BaseOccupee,
    ConflitIntegrite,
    StaleWriteError,
    StoreError,
)
from .session import ChargementAnnule, PermissionRefusee
from .session_voisins import RefusFichier
from .tableaux import ListeInconnue

__all__ = [
    "BaseIntrouvable", "BaseOccupee", "ChargementAnnule", "ConflitIntegrite", "ModifieAilleurs",
    "PermissionRefusee", "RefusFichier", "RegleRefusee", "ListeInconnue", "StaleWriteError",
    "StoreError",
]
