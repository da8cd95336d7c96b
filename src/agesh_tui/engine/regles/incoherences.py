"""Incohérences and cas particuliers of the tableau de bord (SPEC §2.4,
guide §10.2.2–10.2.3).

Pure functions over a loaded ``Departement``: they never read the clock
(``today`` is a parameter) and never write. An accompagnement gives at most
one ``Incoherence`` per type (several reasons of the same type are joined in
its detail), so that a line of the tableau de bord counts accompagnements.
A reference to a missing mission, AESH, décision or élève is reported as the
incohérence of the matching kind instead of raising: the tableau de bord is
where such damage must show up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from ..calendrier import annee_scolaire, debut_annee, fin_annee, lendemain, veille
from ..modele.departement import Departement
from ..modele.model import LIBELLES_ETAT_DOSSIER, Accompagnement, Decision, Mission
from ..nombres import EPSILON_HEURES, heures

LIBELLES_INCOHERENCES: dict[int, str] = {
    1: "Accompagnements dont la date de début est inférieure à la date de début de la mission",
    2: "Accompagnements dont la date de fin est supérieure à la date de fin de la mission",
    3: "Accompagnements dont la date de début est inférieure à la date de début de la décision",
    4: "Accompagnements non couverts à 100 % par une scolarisation dans le même établissement",
    5: "Accompagnements dont au moins un dossier est gelé ou clôturé",
    6: "Accompagnements dont le temps de travail est supérieur au volume horaire "
    "hebdomadaire de la mission de l'AESH",
    7: "Accompagnements dont la mission ou l'AESH est inactif (absent des bases RH)",
    8: "Accompagnements dont la date de fin est supérieure à la date de fin de la décision",
}

LIBELLES_CAS_PARTICULIERS: dict[str, str] = {
    "non_couverte": "Accompagnement suivi d'une décision non couverte",
    "non_renouvelee": "Décisions arrivant à échéance non renouvelées",
}

@dataclass(frozen=True, slots=True)
class Incoherence:
    type: int
    accompagnement_id: str
    detail: str


@dataclass(frozen=True, slots=True)
class CasParticulier:
    type: str  # "non_couverte" | "non_renouvelee"
    decision_id: str
    detail: str


# -- incohérences ---------------------------------------------------------------


def incoherences_accompagnement(dep: Departement, acc: Accompagnement) -> list[Incoherence]:
    """The incohérences of one accompagnement, sorted by type.

    ``acc`` may be an unsaved edit of a stored accompagnement (same id): it
    replaces the stored one when summing the mission's concurrent hours."""
    concurrents = [a for a in dep.accompagnements_par_mission.get(acc.mission_id, ()) if a.id != acc.id]
    concurrents.append(acc)
    mission = dep.missions.get(acc.mission_id)
    surcharge = _sur_volume(mission, concurrents) if mission else {}
    return _incoherences(dep, acc, surcharge)


def incoherences(dep: Departement, accompagnement_ids: Iterable[str] | None = None) -> list[Incoherence]:
    """All incohérences of the département (or of the given accompagnements;
    unknown ids are skipped), sorted by type then accompagnement id."""
    if accompagnement_ids is None:
        accs = list(dep.accompagnements.values())
    else:
        accs = [dep.accompagnements[i] for i in accompagnement_ids if i in dep.accompagnements]
    # Rule 6 looks at a whole mission at once: one sweep per mission involved.
    surcharge: dict[str, tuple[date, date, float]] = {}
    for mission_id in {a.mission_id for a in accs}:
        mission = dep.missions.get(mission_id)
        if mission is not None:
            surcharge.update(_sur_volume(mission, dep.accompagnements_par_mission.get(mission_id, ())))
    found = [i for acc in accs for i in _incoherences(dep, acc, surcharge)]
    found.sort(key=attrgetter("type", "accompagnement_id"))
    return found


def accompagnements_en_anomalie(dep: Departement) -> set[str]:
    """Ids of the accompagnements having at least one incohérence (the
    ``anomalie`` modifier of the frise, SPEC §2.1)."""
    return {i.accompagnement_id for i in incoherences(dep)}


def _incoherences(
    dep: Departement, acc: Accompagnement, surcharge: dict[str, tuple[date, date, float]]
) -> list[Incoherence]:
    reasons: dict[int, list[str]] = defaultdict(list)
    mission = dep.missions.get(acc.mission_id)
    if mission is None:
        reasons[7].append(f"mission {acc.mission_id} introuvable")
    else:
        _regles_mission(dep, acc, mission, surcharge, reasons)

    decisions: list[Decision] = []
    if not acc.decision_ids:
        reasons[3].append("aucune décision rattachée")
    for decision_id in acc.decision_ids:
        decision = dep.decisions.get(decision_id)
        if decision is None:
            reasons[3].append(f"décision {decision_id} introuvable")
            continue
        decisions.append(decision)
        if acc.debut < decision.debut:
            reasons[3].append(
                f"début {_jj(acc.debut)} avant le début de la décision "
                f"{decision.id} {_jj(decision.debut)}"
            )
        if acc.fin > decision.fin and not acc.maintien:
            reasons[8].append(
                f"fin {_jj(acc.fin)} après la fin de la décision "
                f"{decision.id} {_jj(decision.fin)}"
            )

    for eleve_id in dict.fromkeys(d.eleve_id for d in decisions):
        eleve = dep.eleves.get(eleve_id)
        if eleve is None:
            reasons[5].append(f"dossier de l'élève {eleve_id} introuvable")
        elif eleve.etat_dossier != "actif":
            etat = LIBELLES_ETAT_DOSSIER.get(eleve.etat_dossier, eleve.etat_dossier)
            reasons[5].append(f"dossier de {_nom_eleve(dep, eleve_id)} {etat}")
        trou = _premier_jour_non_scolarise(dep, eleve_id, acc)
        if trou is not None:
            reasons[4].append(
                f"{_nom_eleve(dep, eleve_id)} sans scolarité dans l'établissement {acc.uai} "
                f"{_periode(*trou)}"
            )
    return [Incoherence(t, acc.id, " ; ".join(reasons[t])) for t in sorted(reasons)]


def _regles_mission(dep: Departement, acc: Accompagnement, mission: Mission,
                    surcharge: dict[str, tuple[date, date, float]], reasons: dict[int, list[str]]) -> None:
    """Rules 1, 2, 6 and 7: those about the accompagnement's mission."""
    if acc.debut < mission.debut:
        reasons[1].append(
            f"début {_jj(acc.debut)} avant le début de la mission {_jj(mission.debut)}"
        )
    if mission.fin is not None and acc.fin > mission.fin:
        reasons[2].append(
            f"fin {_jj(acc.fin)} après la fin de la mission {_jj(mission.fin)}"
        )
    if acc.heures > mission.volume + EPSILON_HEURES:
        reasons[6].append(
            f"temps de travail {heures(acc.heures)} supérieur au volume horaire de la mission "
            f"{heures(mission.volume)}"
        )
    elif acc.id in surcharge:
        debut, fin, total = surcharge[acc.id]
        reasons[6].append(
            f"avec les accompagnements concurrents de la mission, {heures(total)} {_periode(debut, fin)} "
            f"pour un volume de {heures(mission.volume)}"
        )
    if not mission.actif:
        reasons[7].append(f"mission {mission.id} inactive (absente des bases RH)")
    aesh = dep.aesh.get(mission.aesh_id)
    if aesh is None:
        reasons[7].append(f"AESH {mission.aesh_id} introuvable")
    elif not aesh.actif:
        reasons[7].append(f"AESH {aesh.nom} {aesh.prenom} inactif (absent des bases RH)")


def _sur_volume(mission: Mission, accs: Iterable[Accompagnement]) -> dict[str, tuple[date, date, float]]:
    """Accompagnements of the mission taking part in a day where the
    mission's accompagnements sum above its volume, each with the first such
    segment (début, fin, total hours). A sweep over the period boundaries,
    so the cost does not depend on the length of the periods."""
    accs = [a for a in accs if a.debut <= a.fin]
    if sum(a.heures for a in accs) <= mission.volume + EPSILON_HEURES:
        return {}
    starts: dict[int, list[Accompagnement]] = defaultdict(list)
    ends: dict[int, list[Accompagnement]] = defaultdict(list)  # first day after
    for a in accs:
        starts[a.debut.toordinal()].append(a)
        ends[a.fin.toordinal() + 1].append(a)
    bounds = sorted(starts.keys() | ends.keys())
    active: dict[str, Accompagnement] = {}
    found: dict[str, tuple[date, date, float]] = {}
    for index, bound in enumerate(bounds):
        for a in ends.get(bound, ()):
            active.pop(a.id, None)
        for a in starts.get(bound, ()):
            active[a.id] = a
        total = sum(a.heures for a in active.values())
        if total > mission.volume + EPSILON_HEURES:
            # active is non-empty, so a later end bound exists
            segment = (date.fromordinal(bound), date.fromordinal(bounds[index + 1] - 1), total)
            for acc_id in active:
                found.setdefault(acc_id, segment)
    return found


def _premier_jour_non_scolarise(dep: Departement, eleve_id: str,
                                acc: Accompagnement) -> tuple[date, date] | None:
    """The first run of days of the accompagnement not covered by the union
    of the élève's scolarités in the accompagnement's établissement, as
    (début, fin), or None when fully covered."""
    cursor = acc.debut
    for scolarite in dep.scolarites_par_eleve.get(eleve_id, ()):  # sorted by début
        if scolarite.uai != acc.uai:
            continue
        if scolarite.debut > cursor:
            return cursor, min(acc.fin, veille(scolarite.debut))
        if scolarite.fin is None or scolarite.fin >= acc.fin:
            return None
        cursor = max(cursor, lendemain(scolarite.fin))
    return (cursor, acc.fin) if cursor <= acc.fin else None


# -- cas particuliers -------------------------------------------------------------


def cas_particuliers(dep: Departement, today: date) -> list[CasParticulier]:
    """The cas particuliers of the tableau de bord, sorted by type then id.

    ``non_couverte`` — a décision starting after the start of another
    décision of the same élève that has an accompagnement, ending on or
    after the start of the current school year (of ``today``), with at
    least one day with a scolarité of the élève (any établissement) and no
    accompagnement of its own on any such day. A décision whose élève has
    no scolarité during it is outside the need (as for the couverture,
    SPEC §2.1) and is not listed; maintien days are not counted.

    ``non_renouvelee`` — a décision ending during the current school year
    (01/09 – 31/08) when no décision of the same élève, of any type,
    starts after its start: a mutualisée may follow an individuelle.
    """
    annee = annee_scolaire(today)
    debut, fin = debut_annee(annee), fin_annee(annee)
    found: list[CasParticulier] = []
    for eleve_id, decisions in dep.decisions_par_eleve.items():  # sorted by début
        premier_accompagne = min(
            (d.debut for d in decisions if dep.accompagnements_par_decision.get(d.id)), default=None
        )
        dernier_debut = max(d.debut for d in decisions)
        for decision in decisions:
            if (
                premier_accompagne is not None
                and decision.debut > premier_accompagne
                and decision.fin >= debut
                and _non_couverte(dep, decision)
            ):
                found.append(
                    CasParticulier(
                        "non_couverte",
                        decision.id,
                        f"décision de {_nom_eleve(dep, eleve_id)} {_periode(decision.debut, decision.fin)} "
                        "sans accompagnement, après une décision accompagnée",
                    )
                )
            if debut <= decision.fin <= fin and decision.debut == dernier_debut:
                found.append(
                    CasParticulier(
                        "non_renouvelee",
                        decision.id,
                        f"décision de {_nom_eleve(dep, eleve_id)} se terminant le "
                        f"{_jj(decision.fin)}, sans décision suivante",
                    )
                )
    found.sort(key=attrgetter("type", "decision_id"))
    return found


def _non_couverte(dep: Departement, decision: Decision) -> bool:
    """True when the décision has days with scolarité and no accompagnement
    of it on any of them."""
    scolarisee = [
        (max(s.debut, decision.debut), decision.fin if s.fin is None else min(s.fin, decision.fin))
        for s in dep.scolarites_par_eleve.get(decision.eleve_id, ())
    ]
    scolarisee = [(d, f) for d, f in scolarisee if d <= f]
    if not scolarisee:
        return False
    for acc in dep.accompagnements_par_decision.get(decision.id, ()):
        debut, fin = max(acc.debut, decision.debut), min(acc.fin, decision.fin)
        if any(debut <= s_fin and s_debut <= fin for s_debut, s_fin in scolarisee):
            return False
    return True


# -- wording ------------------------------------------------------------------------


def _nom_eleve(dep: Departement, eleve_id: str) -> str:
    eleve = dep.eleves.get(eleve_id)
    return f"{eleve.nom} {eleve.prenom}" if eleve else f"l'élève {eleve_id}"


def _jj(d: date) -> str:
    # calendrier.format_date without strftime, the main cost of the details
    # when tens of thousands of accompagnements are checked
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _periode(debut: date, fin: date) -> str:
    if debut == fin:
        return f"le {_jj(debut)}"
    return f"du {_jj(debut)} au {_jj(fin)}"
