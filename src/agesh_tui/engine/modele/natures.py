"""Natures de support of missions (SPEC §1.1, guide §8)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Nature:
    code: str
    base: str  # "EPP" | "ASSED"
    contrat: str  # "T2" | "HT2"
    activite: str
    accompagnant: bool  # may carry accompagnements d'élève
    en_pial: bool = False


def _natures(
    base: str, contrat: str, codes: str, activite: str, accompagnant: bool, en_pial: bool = False
) -> list[Nature]:
    return [Nature(c, base, contrat, activite, accompagnant, en_pial) for c in codes.split()]


NATURES: dict[str, Nature] = {
    n.code: n
    for n in (
        _natures("EPP", "T2", "HI1D HI2D", "Accompagnement individualisé", True)
        + _natures("EPP", "T2", "HM1D HM2D", "Accompagnement mutualisé", True)
        + _natures("EPP", "T2", "HP1D HP2D HPIN", "Accompagnement au sein d'un PIAL", True, True)
        + _natures("EPP", "T2", "AHRE", "AESH référent, coordination en PIAL", False, True)
        + _natures("EPP", "T2", "HC1D HC2D", "Accompagnement collectif (ULIS)", False)
        + _natures("EPP", "T2", "AE1D AE2D", "Accompagnement d'adulte", False)
        + _natures("ASSED", "HT2", "EI1D EI2D", "Accompagnement individualisé", True)
        + _natures("ASSED", "HT2", "AM1D AM2D", "Accompagnement mutualisé", True)
        + _natures("ASSED", "HT2", "PI1D PI2D PIIN", "Accompagnement au sein d'un PIAL", True, True)
        + _natures("ASSED", "HT2", "HC1O HC2O", "Accompagnement collectif (ULIS)", False)
    )
}


def accompagnante(code: str) -> bool:
    """True when a mission of this nature can carry accompagnements d'élève."""
    nature = NATURES.get(code)
    return nature is not None and nature.accompagnant
