"""A tiny in-memory département for rule tests: one of everything, then
each test changes what it is about."""

from __future__ import annotations

from datetime import date

from agesh_tui.engine.modele.departement import Departement
from agesh_tui.engine.modele.model import (
    Accompagnement,
    Aesh,
    Decision,
    Eleve,
    Etablissement,
    Mission,
    Scolarite,
)


def monde(*, decision_debut=date(2017, 9, 1), decision_fin=date(2019, 8, 31), heures=24.0,
          type_decision="individuelle") -> Departement:
    dep = Departement()
    dep.etablissements["0350001A"] = Etablissement("0350001A", "Collège A", "Collège",
                                                   latitude=48.1, longitude=-1.7)
    dep.eleves["E1"] = Eleve("E1", "DUPONT", "Léa")
    dep.scolarites["S1"] = Scolarite("S1", "E1", "0350001A", "310", date(2010, 9, 1), None)
    dep.decisions["D1"] = Decision("D1", "E1", type_decision,
                                   heures if type_decision == "individuelle" else None,
                                   "Première demande", "projet cible", decision_debut, decision_fin)
    dep.aesh["A1"] = Aesh("A1", "EPP", "Mme", "MARTIN", "Anne")
    dep.missions["M1"] = Mission("M1", "A1", "CDI", "HI2D", 100.0, 41.0, date(2010, 9, 1), None,
                                 "0350001A", "0350001A", "EPP")
    dep.reindex()
    return dep


def accompagner(dep: Departement, acc_id: str, debut: date, fin: date, heures: float,
                decisions=("D1",), mission="M1", **flags) -> Accompagnement:
    acc = Accompagnement(acc_id, mission, tuple(decisions), "0350001A", debut, fin, heures, **flags)
    dep.accompagnements[acc_id] = acc
    dep.reindex()
    return acc
