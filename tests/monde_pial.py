"""The PIAL world of the besoin and affectation tests, on the Monde builder
(monde.py): two PIAL (A, with the école 0350002B, and C) and a lycée outside
any PIAL; missions default to a CDD employed in PIAL A. A test adds its
élèves, décisions, AESH and affectations with the Monde methods, then takes
``m.departement()`` (rules, in memory) or ``m.ecrire(stockage)`` (a base)."""

from __future__ import annotations

from datetime import date

from monde import Monde

PIAL_A = "0350001A"  # tête du PIAL A, with the école 0350002B
ECOLE_B = "0350002B"
PIAL_C = "0350003C"  # tête du PIAL C
HORS_PIAL = "0350009Z"


def monde_pial() -> Monde:
    m = Monde()
    m.etablissement(PIAL_A, "Collège A", pial=PIAL_A)
    m.etablissement(ECOLE_B, "École B", pial=PIAL_A)
    m.etablissement(PIAL_C, "Collège C", pial=PIAL_C)
    m.etablissement(HORS_PIAL, "Lycée Z", pial=None)
    return m


def mission(m: Monde, ident: str, aesh_id: str = "A1", nature: str = "HP2D",
            volume: float = 24.0, debut: date = date(2025, 9, 1), fin: date | None = None,
            employeur: str | None = PIAL_A, payeur: str | None = None, actif: bool = True):
    """A mission with the defaults of these tests (given again, it replaces
    the one of that id)."""
    return m.mission(ident, aesh_id, nature, volume, debut, fin, contrat="CDD", quotite=100.0,
                     employeur=employeur, payeur=payeur, actif=actif)
