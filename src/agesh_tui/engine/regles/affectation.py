"""The plan of the affectation automatique (SPEC §2.7, guide §9.5): which
missions go to which PIAL for a school year, and why the others cannot.

Every mission that can accompany an élève and is valid during the year is
affected to the PIAL of its établissement for the overlap
of the mission and the year, with its full weekly volume — unless something
prevents it, which the report lists as an anomaly.

Choices where the guide is silent:

* candidates are the *active* missions of an accompagnant nature (§1.1) valid
  on part of the year; inactive missions (RH history) and natures that carry
  no accompagnement (AESH référent, collectif, adulte) are not candidates and
  are not listed: they would drown the anomalies in expected cases;
  prévisionnel missions are candidates like the others;
* the établissement is the employeur, else the payeur when the mission has
  no employeur; an employeur unknown or hors PIAL is an anomaly, with no
  silent fallback to the payeur;
* one motif per mission, the first found in this order: déjà affectée (a
  mission the gestionnaire affected by hand is left alone, whatever else),
  AESH inconnu or inactif, volume nul, sans établissement, établissement
  inconnu, établissement hors PIAL. So a second run lists every mission of
  the first as « déjà affectée ».
"""

from __future__ import annotations

from dataclasses import dataclass

from ..calendrier import chevauchement, debut_annee, fin_annee, libelle_annee
from ..modele.departement import Departement
from ..modele.model import AffectationPial, Mission
from ..modele.natures import accompagnante


@dataclass(frozen=True, slots=True)
class Anomalie:
    mission_id: str
    motif: str


def motif(dep: Departement, mission: Mission, annee: int) -> str | None:
    """Why the mission cannot be affected automatically, or None."""
    deja = [a for a in dep.affectations_par_mission.get(mission.id, ()) if a.annee == annee]
    if deja:
        piaux = ", ".join(sorted({a.pial_uai for a in deja}))
        return f"déjà affectée pour {libelle_annee(annee)} (PIAL {piaux})"
    aesh = dep.aesh.get(mission.aesh_id)
    if aesh is None:
        return f"AESH {mission.aesh_id} inconnu"
    if not aesh.actif:
        return f"AESH {aesh.nom} {aesh.prenom} inactif"
    if mission.volume <= 0:
        return "volume horaire nul"
    uai = mission.uai_employeur or mission.uai_payeur
    if not uai:
        return "mission sans établissement employeur ni payeur"
    role = "employeur" if mission.uai_employeur else "payeur"
    etab = dep.etablissements.get(uai)
    if etab is None:
        return f"établissement {role} {uai} inconnu"
    if not etab.pial_uai:
        return f"établissement {role} {uai} ({etab.nom}) hors PIAL"
    return None


def plan(dep: Departement, annee: int) -> tuple[list[AffectationPial], list[Anomalie]]:
    """The affectations to create (ids are given when writing) and the anomalies."""
    debut, fin = debut_annee(annee), fin_annee(annee)
    nouvelles: list[AffectationPial] = []
    anomalies: list[Anomalie] = []
    for mission in sorted(dep.missions.values(), key=lambda m: m.id):
        if not (mission.actif and accompagnante(mission.nature)):
            continue
        periode = chevauchement(mission.debut, mission.fin, debut, fin)
        if periode is None:
            continue
        raison = motif(dep, mission, annee)
        if raison is not None:
            anomalies.append(Anomalie(mission.id, raison))
            continue
        uai = mission.uai_employeur or mission.uai_payeur
        assert uai, "motif() is None: the mission has an employeur or a payeur"
        pial = dep.pial_de(uai)
        assert pial is not None, "motif() is None: that établissement is known and in a PIAL"
        nouvelles.append(
            AffectationPial("", mission.id, pial, annee, mission.volume, periode[0], periode[1])
        )
    return nouvelles, anomalies
