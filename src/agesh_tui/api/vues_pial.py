"""PIAL (SPEC F11, guide §9): the table of the PIAL of the perimeter for a
school year — the stored aggregates (besoin, moyens, couverture), how fresh
they are, and a row for the établissements hors PIAL — and a PIAL's detail:
its missions affectées, the missions disponibles, its décisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..engine.calendrier import debut_annee, fin_annee
from ..engine.geo import distance_km
from ..engine.modele.model import AffectationPial, Mission
from ..engine.modele.natures import accompagnante
from ..engine.regles.besoin import AgregatPial, agregats, formule_de
from ..engine.regles.couverture import mise_en_oeuvre_entre
from ..engine.regles.formule import FormuleError
from ..engine.regles.pial import (
    affectations_de_l_annee,
    chiffres_hors_pial,
    decisions_dans,
    hors_pial,
    periode_affectation,
    piaux_du_perimetre,
    volumes_pris,
)
from ..engine.texte import propre
from .vues_missions import LigneMission, heures_du_jour, ligne_mission

if TYPE_CHECKING:
    from ..engine.operations.affectation_automatique import Rapport
    from .session import Session
    from .vues_accueil import LigneDecision

# The key of the row « hors PIAL » (no UAI is empty).
HORS_PIAL = ""


@dataclass(frozen=True, slots=True)
class LignePial:
    pial_uai: str  # HORS_PIAL for the row of the établissements hors PIAL
    nom: str
    commune: str
    decisions_individuelles: int
    decisions_mutualisees: int
    heures_individuelles: float
    besoin: float  # volume estimé, weekly hours
    missions: int  # missions affectées
    moyens: float  # weekly hours, day-weighted over the year
    couverture: float | None  # percent
    a_jour: bool = True  # the stored aggregate: no write since its recalcul

    @property
    def hors_pial(self) -> bool:
        return self.pial_uai == HORS_PIAL


@dataclass(frozen=True, slots=True)
class TableauPial:
    annee: int
    lignes: list[LignePial]
    calcule_le: datetime | None  # None: never computed, the figures are of now
    a_jour: bool  # no write since the recalcul
    erreur: str | None = None  # the formula fails: no figures


def _missions_affectees(session: Session, annee: int) -> dict[str, int]:
    comptes: dict[str, set[str]] = {}
    for a in session.dep.affectations.values():
        if a.annee == annee:
            comptes.setdefault(a.pial_uai, set()).add(a.mission_id)
    return {p: len(m) for p, m in comptes.items()}


def _ligne(session: Session, a: AgregatPial, missions: dict[str, int]) -> LignePial:
    etab = session.dep.etablissements.get(a.pial_uai)
    return LignePial(a.pial_uai, propre(etab.nom) if etab else a.pial_uai,
                     propre(etab.commune) if etab else "", a.decisions_individuelles,
                     a.decisions_mutualisees, a.heures_individuelles, a.besoin,
                     missions.get(a.pial_uai, 0), a.moyens, a.couverture,
                     getattr(a, "a_jour", True))


def tableau_pial(session: Session, annee: int) -> TableauPial:
    """The stored aggregates of the year on the perimeter; when the year was
    never computed, the figures of now (said so by ``calcule_le`` None)."""
    dep = session.dep
    perimetre = set(piaux_du_perimetre(dep, session.secteurs))
    stockes = [a for a in session.agregats_pial(annee) if a.pial_uai in perimetre]
    missions = _missions_affectees(session, annee)
    calcule_le, a_jour = None, True
    try:
        if stockes:
            source: list[AgregatPial] = list(stockes)
            calcule_le = min(a.calcule_le for a in stockes)
            a_jour = all(a.a_jour for a in stockes)
        else:
            source = [a for a in agregats(dep, annee) if a.pial_uai in perimetre]
        lignes = [_ligne(session, a, missions) for a in source]
        uais = hors_pial(dep, session.secteurs)
        if uais:
            h = chiffres_hors_pial(dep, uais, annee, formule_de(dep, annee))
            lignes.append(LignePial(HORS_PIAL, f"Hors PIAL ({len(uais)} étab.)", "",
                                    h.decisions_individuelles, h.decisions_mutualisees,
                                    h.heures_individuelles, h.besoin, h.missions, h.moyens,
                                    h.couverture))
    except FormuleError as exc:
        return TableauPial(annee, [], calcule_le, a_jour, propre(str(exc)))
    return TableauPial(annee, lignes, calcule_le, a_jour)


# -- a PIAL's detail ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MissionPial:
    """A mission as the detail lists it: its texts, without the occupation
    (asked of the session when its bar is painted: a few rows are shown,
    thousands listed)."""

    id: str
    mission: Mission
    nom: str  # of the AESH, cleaned
    nature: str
    contrat: str
    volume: float
    commune: str  # of the AESH's residence
    employeur: str
    accompagnant: bool
    heures_aujourdhui: float


def mission_pial(session: Session, mission: Mission) -> MissionPial:
    dep = session.dep
    aesh = dep.aesh.get(mission.aesh_id)
    etab = dep.etablissements.get(mission.uai_employeur) if mission.uai_employeur else None
    return MissionPial(
        mission.id, mission,
        propre(f"{aesh.nom} {aesh.prenom}") if aesh else propre(mission.aesh_id),
        propre(mission.nature), propre(mission.contrat), mission.volume,
        propre(aesh.commune) if aesh else "", propre(etab.nom) if etab else "",
        accompagnante(mission.nature),
        heures_du_jour(dep.accompagnements_par_mission.get(mission.id, ()), session.today))


@dataclass(frozen=True, slots=True)
class AffectationDuPial:
    affectation: AffectationPial
    ligne: MissionPial
    maximum: float  # the highest volume this affectation may take


@dataclass(frozen=True, slots=True)
class MissionDisponible:
    id: str
    ligne: MissionPial
    distance: float | None  # km from the AESH's residence to the tête de PIAL
    disponible: float  # weekly hours not yet affected this year
    debut_affectation: date  # the overlap of the mission and the year
    fin_affectation: date


@dataclass(frozen=True, slots=True)
class FichePial:
    pial_uai: str
    annee: int
    nom: str
    commune: str
    membres: tuple[str, ...]  # names of the établissements of the PIAL
    affectees: tuple[AffectationDuPial, ...]
    disponibles: tuple[MissionDisponible, ...]
    decisions: tuple[LigneDecision, ...]
    # Of its décisions individuelles, over the year: the hours notified in
    # place, percent (couverture.mise_en_oeuvre); what accompagnements created move.
    mise_en_oeuvre: float | None = None


@dataclass(frozen=True, slots=True)
class Candidates:
    """The missions that may still be affected this year (active, their AESH
    active, valid during the year), by id in id order, and the period an
    affectation of each would cover — the same for every PIAL."""

    lignes: dict[str, MissionPial]
    periodes: dict[str, tuple[date, date]]


def candidates(session: Session, annee: int) -> Candidates:
    """Computed once per load (a PIAL's detail then only measures distances)."""
    def calcul(s: Session) -> Candidates:
        dep = s.dep
        lignes, periodes = {}, {}
        for m in sorted(dep.missions.values(), key=lambda m: m.id):
            if m.actif and (a := dep.aesh.get(m.aesh_id)) is not None and a.actif \
                    and (periode := periode_affectation(m, annee)) is not None:
                lignes[m.id], periodes[m.id] = mission_pial(s, m), periode
        return Candidates(lignes, periodes)

    return session.vue(f"pial-candidates:{annee}", calcul)


def _decisions_par_id(session: Session) -> dict[str, tuple[int, LigneDecision]]:
    """Accueil's rows (the perimeter's décisions) by id, with their rank:
    once per load, a PIAL's detail picks its own among tens of thousands."""
    return session.vue("pial-decisions-par-id",
                       lambda s: {l.id: (i, l) for i, l in enumerate(s.lignes_accueil())})


def preparer_detail(session: Session, annee: int) -> None:
    """What every PIAL's detail of the year shares, computed beforehand."""
    candidates(session, annee)
    _decisions_par_id(session)


def occupation_mission(session: Session, mission_id: str) -> LigneMission | None:
    """The Missions list's row of one mission, its occupation with it (the
    bar of a painted row), once per load."""
    mission = session.dep.missions.get(mission_id)
    if mission is None:
        return None
    return session.vue(f"pial-occupation:{mission_id}", lambda s: ligne_mission(s, mission))


def _affectations(session: Session,
                  annee: int) -> tuple[dict[str, list[AffectationPial]], dict[str, float]]:
    par_pial = affectations_de_l_annee(session.dep, annee)
    return par_pial, volumes_pris(par_pial)


def fiche_pial(session: Session, pial_uai: str, annee: int) -> FichePial | None:
    dep = session.dep
    etab = dep.etablissements.get(pial_uai)
    membres = dep.membres_pial.get(pial_uai)
    if etab is None or not membres:
        return None
    libres = candidates(session, annee)
    par_pial, pris = session.vue(f"pial-affectations:{annee}", lambda s: _affectations(s, annee))
    ici = sorted(par_pial.get(pial_uai, ()), key=lambda a: a.id)
    affectees = []
    for a in ici:
        mission = dep.missions.get(a.mission_id)
        if mission is not None:
            ligne = libres.lignes.get(a.mission_id) or mission_pial(session, mission)
            affectees.append(AffectationDuPial(
                a, ligne, max(0.0, mission.volume - pris.get(mission.id, 0.0) + a.volume)))
    deja = {a.mission_id for a in ici}
    disponibles = []
    for ligne in libres.lignes.values():
        mission = ligne.mission
        libre = mission.volume - pris.get(mission.id, 0.0)
        if mission.id in deja or libre <= 0:
            continue
        disponibles.append(MissionDisponible(
            ligne.id, ligne, distance_km(dep.aesh.get(mission.aesh_id), etab), libre,
            *libres.periodes[ligne.id]))
    par_id = _decisions_par_id(session)
    # In Accueil's order; those of the perimeter only (Accueil's rows are).
    decisions = tuple(l for _, l in sorted(par_id[i] for i in decisions_dans(dep, membres, annee)
                                           if i in par_id))
    noms = tuple(sorted(propre(dep.etablissements[u].nom) for u in membres
                        if u in dep.etablissements))
    debut, fin = debut_annee(annee), fin_annee(annee)
    en_place = mise_en_oeuvre_entre(
        ((l.decision, f) for l in decisions if (f := session.frise(l.id)) is not None), debut, fin)
    return FichePial(pial_uai, annee, propre(etab.nom), propre(etab.commune), noms,
                     tuple(affectees), tuple(disponibles), decisions, en_place)


# -- the affectation automatique's report, as the screen shows it ---------------------------
@dataclass(frozen=True, slots=True)
class LigneBilan:
    pial_uai: str
    nom: str
    besoin: float
    moyens_avant: float
    moyens_apres: float
    couverture_avant: float | None
    couverture_apres: float | None


@dataclass(frozen=True, slots=True)
class LigneAnomalie:
    mission_id: str
    aesh: str
    motif: str


@dataclass(frozen=True, slots=True)
class LigneAffectation:
    id: str
    mission_id: str
    aesh: str
    pial_uai: str
    pial: str
    volume: float
    debut: date
    fin: date


@dataclass(frozen=True, slots=True)
class RapportAuto:
    """What ``agesh affectation-auto --json`` prints (``document``) and its rows."""

    annee: int
    dry_run: bool
    document: dict
    bilans: tuple[LigneBilan, ...]
    anomalies: tuple[LigneAnomalie, ...]
    affectations: tuple[LigneAffectation, ...]


def rapport_auto(session: Session, rapport: Rapport) -> RapportAuto:
    dep = session.dep

    def nom(uai: str) -> str:
        etab = dep.etablissements.get(uai)
        return propre(etab.nom) if etab else uai

    return RapportAuto(
        rapport.annee, rapport.dry_run, rapport.document(),
        tuple(LigneBilan(b.pial_uai, nom(b.pial_uai), b.avant.besoin, b.avant.moyens,
                         b.apres.moyens, b.avant.couverture, b.apres.couverture)
              for b in rapport.pial),
        tuple(LigneAnomalie(a.mission_id, propre(session.nom_aesh_de_mission(a.mission_id)),
                            propre(a.motif)) for a in rapport.anomalies),
        tuple(LigneAffectation(a.id, a.mission_id, propre(session.nom_aesh_de_mission(a.mission_id)),
                               a.pial_uai, nom(a.pial_uai), a.volume, a.debut, a.fin)
              for a in rapport.affectations),
    )
