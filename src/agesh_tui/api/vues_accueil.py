"""Accueil's rows (SPEC F7): one per décision of the perimeter, its texts
computed once per load; the frise, couverture and distance are asked of the
session when a row is painted or sorted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.departement import Departement
from ..engine.modele.model import LIBELLES_TYPE_DECISION, Decision
from ..engine.regles.perimetre import rattachement
from ..engine.texte import propre

if TYPE_CHECKING:
    from .session import Session


@dataclass(slots=True)
class LigneDecision:
    id: str
    decision: Decision
    eleve_id: str
    nom: str
    type: str
    heures: float | None
    origine: str
    nature: str
    debut: date
    fin: date
    secteurs: tuple[str, ...]
    tete_pial: str
    etablissements: tuple[str, ...]
    # Codes RNE (UAI): searched and filtered as the guide asks (§10.3.1).
    uais: tuple[str, ...] = ()
    uai_tete: str = ""


def ordre_scolarisation(dep: Departement, decision: Decision, uais: list[str],
                        today: date) -> list[str]:
    """The établissement of the scolarité current today first, else the one
    of the latest scolarité; then the others, latest first: the school the
    pupil is in now leads the column, as it leads the tête de PIAL."""
    debuts: dict[str, date] = {}
    aujourdhui: set[str] = set()
    for s in dep.scolarites_par_eleve.get(decision.eleve_id, ()):
        if s.uai in uais:
            debuts[s.uai] = max(debuts.get(s.uai, s.debut), s.debut)
            if s.debut <= today and (s.fin is None or s.fin >= today):
                aujourdhui.add(s.uai)
    return sorted(uais, key=lambda u: (u not in aujourdhui, -debuts.get(u, date.min).toordinal()))


def lignes_decisions(session: Session) -> list[LigneDecision]:
    dep, today = session.dep, session.today
    # Names cleaned once per établissement and secteur, not once per row.
    noms_secteurs = {code: propre(s.nom) for code, s in dep.secteurs.items()}
    noms_etabs = {uai: propre(e.nom) for uai, e in dep.etablissements.items()}
    libelles: dict[str, str] = {}  # origines and natures: a handful of values
    lignes = []
    for d in session.decisions():
        eleve = dep.eleves.get(d.eleve_id)
        uais, codes, _ = rattachement(dep, d)
        if len(uais) > 1:
            uais = ordre_scolarisation(dep, d, uais, today)
        # The PIAL of the first of them that is in one (the school of today).
        uai_tete = next((p for p in map(dep.pial_de, uais) if p), None)
        secteurs = tuple(dict.fromkeys(noms_secteurs.get(c, c) for c in codes))
        tete = noms_etabs.get(uai_tete, uai_tete) if uai_tete else ""
        lignes.append(LigneDecision(
            id=d.id,
            decision=d,
            eleve_id=d.eleve_id,
            nom=propre(f"{eleve.nom} {eleve.prenom}") if eleve else propre(d.eleve_id),
            type=LIBELLES_TYPE_DECISION.get(d.type, d.type),
            heures=d.heures,
            origine=libelles.get(d.origine) or libelles.setdefault(d.origine, propre(d.origine)),
            nature=libelles.get(d.nature) or libelles.setdefault(d.nature, propre(d.nature)),
            debut=d.debut,
            fin=d.fin,
            secteurs=secteurs,
            tete_pial=tete or "hors PIAL",
            etablissements=tuple(noms_etabs.get(u, u) for u in uais),
            uais=tuple(uais),
            uai_tete=uai_tete or "",
        ))
    return lignes
