"""Accompagnement rules (SPEC §2.3, guide §10.3): default values proposed
from the chosen décisions, the checks a new or changed accompagnement must
pass, and the missions that may carry one.

Pure functions over the in-memory département; "today" is a parameter.
**[choice]** A single décision mutualisée makes a valid accompagnement
(mutualisé): an AESH mutualisé often starts with one pupil and is joined
by others later. Individualisé = exactly one décision individuelle.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter

from ..calendrier import UN_JOUR, annee_scolaire, debut_annee, fin_annee, format_date, lendemain, veille
from ..geo import distance_km
from ..modele.departement import Departement
from ..modele.model import LIBELLES_ETAT_DOSSIER, Accompagnement, Aesh, Mission
from ..modele.natures import NATURES, accompagnante
from ..nombres import EPSILON_HEURES
from ..nombres import heures as texte_heures
from .differences import Champ, differences
from .occupation import heures_max

INDIVIDUALISE, MUTUALISE = "individualise", "mutualise"
CLES_TRI = ("occupation", "secteur", "distance")


@dataclass(frozen=True, slots=True)
class Refus:
    """One broken rule: a stable code for programs, a French sentence for
    people, and the décisions it concerns when it is about some of them
    (a screen can then count them instead of listing every name)."""

    regle: str
    message: str
    decisions: tuple[str, ...] = ()


class RegleRefusee(Exception):
    """A creation or change refused by one or more rules."""

    def __init__(self, refus: Sequence[Refus]):
        self.refus = list(refus)
        super().__init__("\n".join(r.message for r in self.refus))


@dataclass(frozen=True, slots=True)
class Proposition:
    """Default values of the creation form (guide §10.3.1)."""

    decision_ids: tuple[str, ...]
    debut: date
    fin: date
    heures: float | None  # None: to be chosen (mutualisé)
    type: str  # INDIVIDUALISE | MUTUALISE


@dataclass(frozen=True, slots=True)
class Candidat:
    """A mission that may carry the accompagnement (guide §10.3.1, step 7)."""

    mission: Mission
    aesh: Aesh
    occupation_max: float  # highest Σ hours already carried on the period
    disponible: float  # volume − occupation_max
    secteur: str | None  # secteur of the mission's établissement employeur
    distance_km: float | None  # AESH residence → établissement
    meme_secteur: bool  # secteur is the reference one (see candidats)


def texte_periode(debut: date, fin: date | None) -> str:
    if fin is None:
        return f"à partir du {format_date(debut)}"
    return f"du {format_date(debut)} au {format_date(fin)}"


def nom_aesh(aesh: Aesh | None, mission: Mission) -> str:
    return f"{aesh.nom} {aesh.prenom}" if aesh else mission.aesh_id


# -- décisions ---------------------------------------------------------------
def _refus_decisions(dep: Departement, decision_ids: Sequence[str]) -> list[Refus]:
    if not decision_ids:
        return [Refus("decisions", "aucune décision choisie : un accompagnement porte sur au moins une décision.")]
    out = []
    doublons = sorted(i for i, n in Counter(decision_ids).items() if n > 1)
    if doublons:
        out.append(Refus("decisions", f"décision choisie plusieurs fois : {', '.join(doublons)}."))
    inconnues = [i for i in decision_ids if i not in dep.decisions]
    if inconnues:
        out.append(Refus("decisions", f"décision inconnue : {', '.join(inconnues)}."))
    decisions = [dep.decisions[i] for i in decision_ids if i in dep.decisions]
    individuelles = [d for d in decisions if d.individuelle]
    if individuelles and len(decisions) > len(individuelles):
        out.append(Refus(
            "decisions",
            "décisions individuelles et mutualisées ne peuvent pas être mêlées dans un accompagnement.",
        ))
    elif len(individuelles) > 1:
        out.append(Refus(
            "decisions",
            "un accompagnement individualisé porte sur une seule décision individuelle "
            f"({len(individuelles)} choisies).",
        ))
    return out


def refus_dossiers(dep: Departement, decision_ids: Sequence[str]) -> list[Refus]:
    """Refuses a new accompagnement (création, maintien) of an élève whose
    dossier is gelé or clôturé: it would be born an incohérence 5. Existing
    ones stay modifiable so that they can be ended."""
    fermees = [
        (i, e) for i, e in ((i, dep.eleves.get(dep.decisions[i].eleve_id))
                            for i in decision_ids if i in dep.decisions)
        if e is not None and e.etat_dossier != "actif"
    ]
    if not fermees:
        return []
    noms = (f"{e.nom} {e.prenom} ({LIBELLES_ETAT_DOSSIER[e.etat_dossier]})" for _, e in fermees)
    return [Refus(
        "dossier",
        "pas de nouvel accompagnement sur un dossier qui n'est pas actif : " + ", ".join(noms) + ".",
        tuple(i for i, _ in fermees),
    )]


# -- one établissement ---------------------------------------------------------
def _scolarises(dep: Departement, eleve_id: str, debut: date, fin: date) -> list[str]:
    """The établissements where the élève has a scolarité overlapping
    [debut, fin], in the order of the scolarités."""
    return list(dict.fromkeys(
        s.uai for s in dep.scolarites_par_eleve.get(eleve_id, ())
        if s.debut <= fin and (s.fin is None or s.fin >= debut)
    ))


def _ecole(dep: Departement, uai: str) -> str:
    etab = dep.etablissements.get(uai)
    if etab is None:
        return uai
    return f"{etab.nom}, {etab.commune} ({uai})" if etab.commune else f"{etab.nom} ({uai})"


def _eleves_et_ecoles(dep: Departement, decision_ids: Sequence[str], debut: date, fin: date) -> str:
    """« ANDRE Lucas (École Jean Moulin, Rennes (0350004D)), … »."""
    parties = []
    for eleve_id in dict.fromkeys(dep.decisions[i].eleve_id for i in decision_ids):
        eleve = dep.eleves.get(eleve_id)
        nom = f"{eleve.nom} {eleve.prenom}" if eleve else eleve_id
        ecoles = _scolarises(dep, eleve_id, debut, fin)
        parties.append(f"{nom} ({' ; '.join(_ecole(dep, u) for u in ecoles) or 'aucune scolarité'})")
    return ", ".join(parties)


def refus_etablissement_commun(dep: Departement, decision_ids: Sequence[str], debut: date,
                               fin: date) -> list[Refus]:
    """An accompagnement has one établissement (SPEC §2.3.1): the pupils of
    a mutualisé must share one over [debut, fin]. **[choice]** A pupil
    shares it when a scolarité there overlaps the period (a scolarité
    ending before the period does is incohérence 4, reported, not refused)."""
    eleves = list(dict.fromkeys(dep.decisions[i].eleve_id for i in decision_ids))
    if len(eleves) < 2:
        return []
    communs = set(_scolarises(dep, eleves[0], debut, fin))
    for eleve_id in eleves[1:]:
        communs &= set(_scolarises(dep, eleve_id, debut, fin))
    if communs:
        return []
    return [Refus(
        "etablissement",
        f"ces élèves ne sont pas scolarisés dans un même établissement {texte_periode(debut, fin)} : "
        f"{_eleves_et_ecoles(dep, decision_ids, debut, fin)} ; un accompagnement n'a qu'un "
        "établissement.",
        tuple(decision_ids),
    )]


def _refus_hors_etablissement(dep: Departement, decision_ids: Sequence[str], uai: str, debut: date,
                              fin: date) -> list[Refus]:
    """Every pupil of the accompagnement is schooled in its établissement
    over its period (a scolarité there overlapping it, as above)."""
    etab = dep.etablissements.get(uai)
    if etab is None or not etab.scolaire:
        return []  # the établissement itself is refused (_refus_cadre)
    dehors = [i for i in decision_ids
              if i in dep.decisions
              and uai not in _scolarises(dep, dep.decisions[i].eleve_id, debut, fin)]
    if not dehors:
        return []
    return [Refus(
        "etablissement",
        f"un accompagnement n'a qu'un établissement, {_ecole(dep, uai)}, et ces élèves n'y sont pas "
        f"scolarisés {texte_periode(debut, fin)} : {_eleves_et_ecoles(dep, dehors, debut, fin)}.",
        tuple(dehors),
    )]


def proposition(dep: Departement, decision_ids: Sequence[str], today: date) -> Proposition:
    """Default dates and hours for a new accompagnement of these décisions.

    Dates: the décision's (individualisé) or the décisions' common period
    (mutualisé), capped at 31/08 of the start's school year. **[choice]** A
    décision spanning several school years is implemented one year at a
    time: the start is not proposed before 01/09 of today's school year
    when the décision still runs then. Raises RegleRefusee."""
    ids = tuple(decision_ids)
    refus = _refus_decisions(dep, ids) + refus_dossiers(dep, ids)
    if refus:
        raise RegleRefusee(refus)
    decisions = [dep.decisions[i] for i in ids]
    debut = max(d.debut for d in decisions)
    fin = min(d.fin for d in decisions)
    if debut > fin:
        raise RegleRefusee([Refus(
            "decisions",
            "les décisions choisies n'ont pas de période commune ("
            + " ; ".join(f"{d.id} {texte_periode(d.debut, d.fin)}" for d in decisions)
            + ") : un accompagnement mutualisé demande des dates communes à tous les élèves.",
        )])
    annee_courante = debut_annee(annee_scolaire(today))
    if fin >= annee_courante:
        debut = max(debut, annee_courante)
    fin = min(fin, fin_annee(annee_scolaire(debut)))
    refus = refus_etablissement_commun(dep, ids, debut, fin)
    if refus:
        raise RegleRefusee(refus)
    individuelle = decisions[0].individuelle
    return Proposition(
        ids, debut, fin,
        decisions[0].heures if individuelle else None,
        INDIVIDUALISE if individuelle else MUTUALISE,
    )


def restes_insertion(ancien: Accompagnement, debut: date,
                     fin: date) -> tuple[Accompagnement | None, Accompagnement | None]:
    """What is left of ``ancien`` when another accompagnement is inserted
    over [debut, fin] (guide §10.2): its part before and its part after
    (None when nothing is left on that side; both None: it is replaced
    whole). Both parts keep its id and values; the caller gives the
    second one a new id when both remain."""
    avant = replace(ancien, fin=veille(debut)) if ancien.debut < debut else None
    apres = replace(ancien, debut=lendemain(fin)) if fin < ancien.fin else None
    return avant, apres


# What the form does with an existing accompagnement (guide §10.2).
MODIFICATION, INSERTION, MAINTIEN = "modification", "insertion", "maintien"


def refus_insertion(ancien: Accompagnement, debut: date, fin: date) -> list[Refus]:
    """An insertion must overlap the accompagnement it goes into (guide §10.2)."""
    if debut <= fin and (fin < ancien.debut or debut > ancien.fin):
        return [Refus(
            "dates",
            f"la période insérée ({texte_periode(debut, fin)}) ne recoupe pas l'accompagnement "
            f"{ancien.id} ({texte_periode(ancien.debut, ancien.fin)}) : créez plutôt un nouvel "
            "accompagnement.",
        )]
    return []


def proposition_depuis(dep: Departement, acc: Accompagnement, operation: str,
                       today: date) -> Proposition:
    """Default values of the form that changes ``acc``: its own values to
    modify it; to insert into it, from today (within it) to its end; to
    maintain it, from the day after its décisions' last end to the end of
    that school year."""
    debut, fin = acc.debut, acc.fin
    if operation == INSERTION:
        debut = min(max(today, acc.debut), acc.fin)
    elif operation == MAINTIEN:
        fins = [dep.decisions[i].fin for i in acc.decision_ids if i in dep.decisions]
        debut = lendemain(max(fins, default=acc.fin))
        fin = fin_annee(annee_scolaire(debut))
    elif operation != MODIFICATION:
        raise ValueError(f"opération inconnue : {operation}")
    individuelle = len(acc.decision_ids) == 1 and all(
        dep.decisions[i].individuelle for i in acc.decision_ids if i in dep.decisions)
    return Proposition(acc.decision_ids, debut, fin, acc.heures,
                       INDIVIDUALISE if individuelle else MUTUALISE)


def _oui_non(valeur: bool) -> str:
    return "oui" if valeur else "non"


# What two states of an accompagnement are compared on, as the form says it.
COMPARES_ACCOMPAGNEMENT = {
    "periode": Champ("Période", attrgetter("debut", "fin"), lambda p: texte_periode(*p)),
    "heures": Champ("Heures", attrgetter("heures"), texte_heures),
    "mission": Champ("Mission", attrgetter("mission_id"), str),
    "decisions": Champ("Décisions", attrgetter("decision_ids"), ", ".join),
    "etablissement": Champ("Établissement", attrgetter("uai"), str),
    "repas": Champ("Repas", attrgetter("repas"), _oui_non),
    "pause_meridienne": Champ("Pause méridienne", attrgetter("pause_meridienne"), _oui_non),
    "previsionnel": Champ("Prévisionnel", attrgetter("previsionnel"), _oui_non),
}


def changements(avant: Accompagnement, apres: Accompagnement | None) -> list[str]:
    """What another session changed in an accompagnement, field by field,
    in French (« Heures : 24 h → 20 h »); « supprimé » when it is gone."""
    if apres is None:
        return [f"l'accompagnement {avant.id} a été supprimé."]
    return [str(d) for d in differences(avant, apres, COMPARES_ACCOMPAGNEMENT)]


def etablissement_par_defaut(dep: Departement, decision_ids: Sequence[str], debut: date) -> str:
    """The établissement where the élèves are schooled on ``debut``; it must
    be one and the same for all of them."""
    uais: set[str] = set()
    refus = []
    for eleve_id in dict.fromkeys(dep.decisions[i].eleve_id for i in decision_ids):
        ici = {
            s.uai for s in dep.scolarites_par_eleve.get(eleve_id, ())
            if s.debut <= debut and (s.fin is None or s.fin >= debut)
        }
        if not ici:
            eleve = dep.eleves.get(eleve_id)
            nom = f"{eleve.nom} {eleve.prenom}" if eleve else eleve_id
            refus.append(Refus(
                "etablissement",
                f"{nom} n'a pas de scolarité au {format_date(debut)} : précisez l'établissement "
                "de l'accompagnement.",
            ))
        uais |= ici
    if not refus and len(uais) > 1:
        refus.append(Refus(
            "etablissement",
            f"au {format_date(debut)}, les élèves sont scolarisés dans plusieurs établissements "
            f"({', '.join(sorted(uais))}) : précisez l'établissement de l'accompagnement.",
        ))
    if refus:
        raise RegleRefusee(refus)
    return uais.pop()


# -- période, établissement, mission --------------------------------------------
def _refus_cadre(dep: Departement, uai: str, debut: date, fin: date) -> list[Refus]:
    """Checks that do not depend on the mission nor the décisions."""
    out = []
    etab = dep.etablissements.get(uai)
    if etab is None:
        out.append(Refus("etablissement", f"établissement inconnu : {uai}."))
    elif not etab.scolaire:
        out.append(Refus(
            "etablissement",
            f"{etab.nom} ({uai}) n'est pas un établissement scolaire ({etab.type}) : "
            "un élève ne peut pas y être accompagné.",
        ))
    if debut > fin:
        out.append(Refus(
            "dates",
            f"la date de début ({format_date(debut)}) est postérieure à la date de fin "
            f"({format_date(fin)}).",
        ))
        return out
    limite = fin_annee(annee_scolaire(debut))
    if fin > limite:
        out.append(Refus(
            "annee_scolaire",
            "un accompagnement ne peut pas dépasser le 31/08 de son année scolaire : "
            f"commencé le {format_date(debut)}, il finit au plus tard le {format_date(limite)} "
            f"(fin proposée {format_date(fin)}).",
        ))
    return out


def _trou_affectation(dep: Departement, mission: Mission, pial_uai: str, debut: date, fin: date) -> date | None:
    """The first day of [debut, fin] not covered by an affectation of the
    mission to the PIAL (the affectations may follow one another), or None."""
    affectations = sorted(
        (a for a in dep.affectations_par_mission.get(mission.id, ()) if a.pial_uai == pial_uai),
        key=lambda a: a.debut,
    )
    jour = debut
    for a in affectations:
        if a.debut > jour:
            break
        jour = max(jour, a.fin + UN_JOUR)
        if jour > fin:
            return None
    return jour


def _refus_mission(dep: Departement, mission: Mission, uai: str, debut: date, fin: date,
                   choix: bool = True) -> list[Refus]:
    """Whether this mission may carry an accompagnement in this établissement
    over this period (SPEC §2.3.4–6); the period is assumed well formed.
    ``choix`` False (a reduction, see verifier): only the period checks."""
    out = []
    aesh = dep.aesh.get(mission.aesh_id)
    nom = nom_aesh(aesh, mission)
    if choix and not mission.actif:
        out.append(Refus(
            "mission_inactive",
            f"la mission {mission.id} de {nom} est inactive (absente des bases RH) : "
            "elle ne peut pas porter d'accompagnement.",
        ))
    if choix and (aesh is None or not aesh.actif):
        out.append(Refus(
            "aesh_inactif",
            f"l'AESH {nom} est inactif [I] (absent des bases RH) : il ne peut pas être choisi.",
        ))
    if choix and not accompagnante(mission.nature):
        nature = NATURES.get(mission.nature)
        libelle = f"{mission.nature} ({nature.activite})" if nature else mission.nature
        out.append(Refus(
            "nature_non_accompagnante",
            f"la nature de support {libelle} de la mission {mission.id} ne permet pas "
            "d'accompagner un élève.",
        ))
    commence_avant = debut < mission.debut
    finit_apres = mission.fin is not None and fin > mission.fin
    cdd = finit_apres and mission.contrat == "CDD"
    if cdd:
        out.append(Refus(
            "cdd",
            f"{nom} est en CDD jusqu'au {format_date(mission.fin)} : la fin de l'accompagnement "
            f"est bornée par celle du contrat (fin proposée {format_date(fin)}).",
        ))
    if commence_avant or (finit_apres and not cdd):
        # The CDD refusal already speaks of the end: then name the start only.
        ecart = (
            f"le début de l'accompagnement (début proposé {format_date(debut)})" if cdd
            else f"la période de l'accompagnement ({texte_periode(debut, fin)})"
        )
        out.append(Refus(
            "mission_couvre",
            f"la mission {mission.id} ({texte_periode(mission.debut, mission.fin)}) ne couvre pas {ecart}.",
        ))
    etab = dep.etablissements.get(uai)
    if choix and etab is not None and etab.pial_uai:
        trou = _trou_affectation(dep, mission, etab.pial_uai, debut, fin)
        if trou is not None:
            tete = dep.etablissements.get(etab.pial_uai)
            pial = f"{tete.nom} ({etab.pial_uai})" if tete else etab.pial_uai
            out.append(Refus(
                "pial",
                f"{etab.nom} appartient au PIAL {pial} : seule une mission affectée à ce PIAL "
                f"sur toute la période peut être choisie ; la mission {mission.id} ne l'est pas "
                f"le {format_date(trou)}.",
            ))
    return out


def _refus_heures(dep: Departement, mission: Mission | None, heures: float | None, debut: date | None,
                  fin: date, ignorer: Collection[str], choix: bool = True) -> list[Refus]:
    if heures is None:
        return [Refus(
            "heures",
            "le temps de travail hebdomadaire doit être renseigné (un accompagnement mutualisé "
            "n'en a pas par défaut).",
        )]
    # not (heures > 0) also refuses NaN, which every comparison lets through.
    if not (heures > 0) or math.isinf(heures):
        return [Refus("heures", f"le temps de travail hebdomadaire doit être un nombre positif ({heures}).")]
    if mission is None or not choix:
        return []
    if heures > mission.volume + EPSILON_HEURES:
        return [Refus(
            "heures",
            f"le temps de travail hebdomadaire ({texte_heures(heures)}) dépasse le volume horaire de la "
            f"mission {mission.id} ({texte_heures(mission.volume)}).",
        )]
    if debut is None:
        return []
    # [choice] The user may not overbook a mission; incohérence 6 still
    # reports the overbooking that comes from outside (RH volume changes).
    deja = heures_max(dep, mission, debut, fin, ignorer)
    if deja + heures > mission.volume + EPSILON_HEURES:
        return [Refus(
            "occupation",
            f"la mission {mission.id} porte déjà jusqu'à {texte_heures(deja)} d'accompagnement {texte_periode(debut, fin)} : "
            f"{texte_heures(heures)} de plus dépasseraient son volume de {texte_heures(mission.volume)} "
            f"(disponible : {texte_heures(max(0.0, mission.volume - deja))}).",
        )]
    return []


def _refus_periode_decisions(dep: Departement, decision_ids: Iterable[str], debut: date, fin: date, maintien: bool) -> list[Refus]:
    out = []
    for d in (dep.decisions[i] for i in decision_ids if i in dep.decisions):
        if maintien and debut <= d.fin:
            out.append(Refus(
                "maintien",
                f"un accompagnement de maintien commence après la fin de la décision {d.id} "
                f"(le {format_date(d.fin)}) : début proposé {format_date(debut)}.",
            ))
        elif not maintien and (debut < d.debut or fin > d.fin):
            out.append(Refus(
                "periode_decision",
                f"l'accompagnement ({texte_periode(debut, fin)}) sort de la période de la décision {d.id} "
                f"({texte_periode(d.debut, d.fin)}) : au-delà de sa fin, seul un maintien est possible.",
            ))
    return out


def _reduction(avant: Accompagnement, mission_id: str, decision_ids: Sequence[str], uai: str,
               debut: date, fin: date, heures: float | None) -> bool:
    """Whether these values only reduce ``avant``: same mission and
    établissement, no new décision, a period within its own and no more
    hours (repas, pause méridienne and prévisionnel are free). Such a change
    asks nothing more of the mission than it already carries."""
    return (
        mission_id == avant.mission_id
        and uai == avant.uai
        and set(decision_ids) <= set(avant.decision_ids)
        and avant.debut <= debut and fin <= avant.fin
        and heures is not None and heures <= avant.heures
    )


def verifier(
    dep: Departement,
    mission_id: str,
    decision_ids: Sequence[str],
    uai: str,
    debut: date,
    fin: date,
    heures: float | None,
    maintien: bool = False,
    ignorer: Iterable[str] = (),
    avant: Accompagnement | None = None,
) -> list[Refus]:
    """Every rule the accompagnement breaks (empty list: it may be saved).
    ``ignorer``: accompagnements it replaces, left out of the mission's
    occupation (modification, insertion).

    ``avant``: the accompagnement as it stands, when this is its
    modification. **[choice]** A reduction of it (see ``_reduction``) chooses
    nothing: the checks tied to choosing a mission (mission or AESH
    inactive, nature non accompagnante, affectation au PIAL, hours above the
    mission's volume or occupation) do not refuse it, so that a gestionnaire
    can shorten or end an accompagnement the tableau de bord reports
    (incohérences 6 and 7, PIAL left), nor does a pupil who has changed
    school since (incohérence 4). The period checks (début ≤ fin,
    31/08, mission covering the period, CDD end, décisions) still apply;
    anything else (lengthening, hours raised, other mission, décision or
    établissement) is checked like a new choice."""
    ignorer = frozenset(ignorer)
    choix = avant is None or not _reduction(avant, mission_id, decision_ids, uai, debut, fin, heures)
    out = _refus_decisions(dep, decision_ids)
    out += _refus_cadre(dep, uai, debut, fin)
    periode_valide = debut <= fin
    mission = dep.missions.get(mission_id)
    if mission is None:
        out.append(Refus("mission", f"mission inconnue : {mission_id}."))
    elif periode_valide:
        out += _refus_mission(dep, mission, uai, debut, fin, choix)
    out += _refus_heures(
        dep, mission, heures, debut if periode_valide else None, fin, ignorer, choix
    )
    if periode_valide:
        out += _refus_periode_decisions(dep, decision_ids, debut, fin, maintien)
        if choix:
            out += _refus_hors_etablissement(dep, decision_ids, uai, debut, fin)
    return out


# -- missions candidates ---------------------------------------------------------
def refus_cadre(dep: Departement, uai: str, debut: date, fin: date) -> list[Refus]:
    """What refuses the établissement or the period themselves, whatever
    the mission (candidats raises them)."""
    return _refus_cadre(dep, uai, debut, fin)


def mission_possible(dep: Departement, mission: Mission, uai: str, debut: date, fin: date) -> bool:
    """Whether the mission may carry an accompagnement in this établissement
    over [debut, fin], its free hours aside (SPEC §2.3.4–6): the filter of
    candidats, for the propositions d'affectation that weigh hours themselves."""
    return not _refus_mission(dep, mission, uai, debut, fin)


def _missions_a_examiner(dep: Departement, pial: str | None, debut: date, fin: date) -> list[Mission]:
    """The missions that may pass ``mission_possible``, in id order: in a
    PIAL, only those affected to it on part of the period at least (the
    others fail the PIAL rule) — a few dozen of a département's thousands,
    whose refusals need not be written."""
    if pial is None:
        return sorted(dep.missions.values(), key=lambda m: m.id)
    ids = {a.mission_id for a in dep.affectations.values()
           if a.pial_uai == pial and a.debut <= fin and a.fin >= debut}
    return [dep.missions[i] for i in sorted(ids) if i in dep.missions]


def candidats(dep: Departement, uai: str, debut: date, fin: date,
              secteur_gestionnaire: str | None = None,
              ignorer: Collection[str] = ()) -> list[Candidat]:
    """The missions that may carry an accompagnement in this établissement
    over [debut, fin] (SPEC §2.3.5–7), in mission order; the hours of the
    accompagnements in ``ignorer`` (the one being changed) count as free.

    ``meme_secteur`` compares each mission's secteur with
    ``secteur_gestionnaire`` (**[choice]** default: the établissement's
    secteur), which the "secteur" sort puts first. Raises RegleRefusee when
    the établissement or the period is itself invalid."""
    refus = _refus_cadre(dep, uai, debut, fin)
    if refus:
        raise RegleRefusee(refus)
    etab = dep.etablissements[uai]
    reference = secteur_gestionnaire or dep.secteur_par_uai.get(uai)
    out = []
    for mission in _missions_a_examiner(dep, etab.pial_uai, debut, fin):
        if not mission_possible(dep, mission, uai, debut, fin):
            continue
        aesh = dep.aesh[mission.aesh_id]
        occupe = heures_max(dep, mission, debut, fin, ignorer)
        secteur = dep.secteur_par_uai.get(mission.uai_employeur) if mission.uai_employeur else None
        out.append(Candidat(
            mission, aesh, occupe, mission.volume - occupe, secteur,
            distance_km(aesh, etab), secteur is not None and secteur == reference,
        ))
    return out


# Short words for a refused mission in a list (the message says the rest).
MOTS_REFUS = {
    "mission_inactive": "mission inactive", "aesh_inactif": "AESH inactif [I]",
    "nature_non_accompagnante": "nature non accompagnante", "cdd": "fin de CDD",
    "mission_couvre": "période non couverte", "pial": "hors PIAL", "occupation": "occupée",
}


@dataclass(frozen=True, slots=True)
class MissionRefusee:
    """A mission the form does not offer, and why (the rules' words)."""

    mission: Mission
    aesh: Aesh | None
    distance_km: float | None
    raisons: tuple[Refus, ...]


def missions_refusees(dep: Departement, uai: str, debut: date, fin: date,
                      limite: int = 100, ignorer: Collection[str] = ()) -> list[MissionRefusee]:
    """The missions running on part of [debut, fin] that may not carry an
    accompagnement in this établissement then, with the rules' reasons —
    eligible ones already full included (« occupée ») —, nearest AESH
    first, at most ``limite``: why the AESH next door is not offered."""
    if _refus_cadre(dep, uai, debut, fin):
        return []
    etab = dep.etablissements[uai]
    out = []
    for mission in dep.missions.values():
        if mission.debut > fin or (mission.fin is not None and mission.fin < debut):
            continue
        raisons = _refus_mission(dep, mission, uai, debut, fin)
        if not raisons:
            occupe = heures_max(dep, mission, debut, fin, ignorer)
            if mission.volume - occupe > EPSILON_HEURES:
                continue  # a candidate
            raisons = [Refus("occupation", f"la mission {mission.id} est occupée "
                                           f"{texte_heures(occupe)} / {texte_heures(mission.volume)} "
                                           f"{texte_periode(debut, fin)}.")]
        aesh = dep.aesh.get(mission.aesh_id)
        out.append(MissionRefusee(mission, aesh, distance_km(aesh, etab), tuple(raisons)))
    out.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0.0, r.mission.id))
    return out[:limite]


def trier_candidats(cands: Iterable[Candidat], cle: str) -> list[Candidat]:
    """Sort by "occupation" (least occupied first, then most available),
    "secteur" (reference secteur first, then by code, none last) or
    "distance" (nearest first, unknown last); ties by mission id."""
    if cle == "occupation":
        def key(c: Candidat) -> tuple[object, ...]:
            return (c.occupation_max, -c.disponible, c.mission.id)
    elif cle == "secteur":
        def key(c: Candidat) -> tuple[object, ...]:
            return (not c.meme_secteur, c.secteur is None, c.secteur or "", c.occupation_max, c.mission.id)
    elif cle == "distance":
        def key(c: Candidat) -> tuple[object, ...]:
            return (c.distance_km is None, c.distance_km or 0.0, c.mission.id)
    else:
        raise ValueError(f"clé de tri inconnue : {cle} (attendu : {', '.join(CLES_TRI)})")
    return sorted(cands, key=key)
