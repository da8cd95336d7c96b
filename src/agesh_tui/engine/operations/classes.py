"""Classes from SIECLE or ONDE written (SPEC §6): the plan of
regles.classes applied in one transaction, each change journaled; a dry
run writes nothing."""

from __future__ import annotations

from datetime import datetime

from ..modele.departement import Departement
from ..regles.classes import PlanClasses
from ..stockage import Stockage
from ..stockage.journal import journaliser
from ..stockage.scolarites import modifier_classes


def appliquer_classes(stockage: Stockage, dep: Departement, plan: PlanClasses, source: str,
                      auteur: str, quand: datetime | None = None) -> int:
    """Write the plan's new classes, all or none; the loaded ``dep``
    follows. Refused (StaleWriteError) when the base changed since ``dep``
    was loaded. Returns how many scolarités changed."""
    if not plan.mises_a_jour:
        return 0
    with stockage.ecriture(dep, f"relancez « agesh {source.lower()} »") as tx:
        modifier_classes(tx, [(m.scolarite_id, m.ancienne, m.nouvelle) for m in plan.mises_a_jour])
        for m in plan.mises_a_jour:
            journaliser(tx, quand, auteur, "classe",
                        f"{source} {plan.uai} du {plan.jour:%d/%m/%Y} : scolarité {m.scolarite_id} "
                        f"de l'élève {m.eleve_id}, classe « {m.ancienne} » → « {m.nouvelle} »")
    for m in plan.mises_a_jour:
        dep.scolarites[m.scolarite_id].classe = m.nouvelle
    return len(plan.mises_a_jour)
