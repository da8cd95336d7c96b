"""Applying a plan of propositions d'affectation (SPEC §2.8): the lines
kept, in one transaction, all or nothing.

Refused when the data changed since the plan was computed (the plan
records the change counter: a stale plan is never applied, even partly);
each line is checked by the rules of a manual creation on the département
with the lines before it, then written, messaged and journaled as a manual
creation (operations.accompagnement.ecrire_creation).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime

from ..modele.departement import Departement
from ..modele.model import Accompagnement
from ..regles.accompagnement import Refus, RegleRefusee
from ..regles.propositions_plan import Plan, refus_ligne, simuler
from ..stockage import StaleWriteError, Stockage
from .accompagnement import ecrire_creation

PLAN_PERIME = ("les données ont changé depuis le calcul des propositions : recalculez-les "
               "avant de les appliquer")


def appliquer(store: Stockage, dep: Departement, auteur: str, plan: Plan, today: date,
              sans: Collection[str] = (), quand: datetime | None = None) -> list[Accompagnement]:
    """Create the accompagnements of the plan's lines but those of ``sans``
    (line ids); returns them in the plan's order. RegleRefusee for an
    unknown line id or a line the rules refuse, StaleWriteError for a stale
    plan: then nothing is written. No line left (an empty plan, or every
    line in ``sans``): nothing to write, so no transaction is opened and the
    change counter stays as it is (bumping it would make every plan open
    elsewhere stale for nothing)."""
    inconnues = sorted(set(sans) - {l.id for l in plan.lignes})
    if inconnues:
        raise RegleRefusee([Refus("propositions", "proposition inconnue dans ce plan : "
                                  + ", ".join(inconnues) + ".")])
    lignes = [l for l in plan.lignes if l.id not in sans]
    if not lignes:
        return []
    if plan.changements != dep.changements:
        raise StaleWriteError(f"{PLAN_PERIME}.")
    sim = simuler(dep)
    refus: list[Refus] = []
    for l in lignes:
        for r in refus_ligne(sim, l, today):
            refus.append(replace(r, message=f"proposition {l.id} : {r.message}"))
        sim.ajouter_accompagnement(replace(l.accompagnement(dep), id=f"proposition:{l.id}"))
    if refus:
        raise RegleRefusee(refus)
    crees = []
    with store.ecriture(dep, "recalculez les propositions") as tx:
        for l in lignes:
            crees.append(ecrire_creation(tx, dep, auteur, quand, l.accompagnement(dep)))
    for acc in crees:
        dep.ajouter_accompagnement(acc)
    return crees
