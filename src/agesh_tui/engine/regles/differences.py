"""What another session changed in a record, field by field, as people read
it (« Commune : Rennes → Redon »): one mechanism for every form that
refuses a stale write (AESH, mission, accompagnement) and for the journal's
« modifié : … » lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Champ:
    """How a field is compared and read: ``valeur`` takes it from a record
    (raw, so that two values printed alike still differ), ``texte`` says it."""

    libelle: str
    valeur: Callable[[Any], object]
    texte: Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class Difference:
    """One field that two states disagree on. ``champ`` names the form's
    field (to show the message next to it)."""

    champ: str
    libelle: str
    avant: str
    apres: str

    def __str__(self) -> str:
        return f"{self.libelle} : {self.avant} → {self.apres}"


def differences(avant: object, apres: object, champs: Mapping[str, Champ]) -> list[Difference]:
    """The fields ``champs`` on which two states of a record differ, in
    ``champs``' order."""
    ecarts = []
    for nom, champ in champs.items():
        a, b = champ.valeur(avant), champ.valeur(apres)
        if a != b:
            ecarts.append(Difference(nom, champ.libelle, champ.texte(a), champ.texte(b)))
    return ecarts


def texte_differences(diffs: Sequence[Difference]) -> str:
    """« Commune : Rennes → Redon ; Code postal : 35000 → 35600 »."""
    return " ; ".join(str(d) for d in diffs)
