"""Accompagnement par établissement (SPEC F12, guide §10.3): on one day,
for each établissement, the notified pupils scolarisés there, their
décisions (individuelles, mutualisées), the accompagnements mis en œuvre
there and the AESH who carry them; the same summed per PIAL. Pure: the day
is passed in (DESIGN: never date.today() in a rule)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from ..modele.departement import Departement
from ..modele.model import Accompagnement, Decision, Scolarite


@dataclass(frozen=True, slots=True)
class Comptes:
    """What one établissement (or one PIAL) counts on the day."""

    uai: str
    individuelles: int
    mutualisees: int
    accompagnements: int
    aesh: frozenset[str]  # AESH ids: a PIAL's count is their union, not a sum

    @property
    def decisions(self) -> int:
        return self.individuelles + self.mutualisees


@dataclass(frozen=True, slots=True)
class EleveNotifie:
    """A pupil of the établissement with a décision on the day, and who
    accompanies them there."""

    eleve_id: str
    classe: str
    decisions: tuple[Decision, ...]
    accompagnements: tuple[Accompagnement, ...]


def _couvre(debut: date, fin: date | None, jour: date) -> bool:
    return debut <= jour and (fin is None or jour <= fin)


def scolarite_du_jour(scolarites: Iterable[Scolarite], jour: date) -> Scolarite | None:
    """The scolarité covering ``jour``; with several, the latest started."""
    return max((s for s in scolarites if _couvre(s.debut, s.fin, jour)),
               key=lambda s: (s.debut, s.id), default=None)


def eleves_notifies(dep: Departement, jour: date, decisions: Iterable[Decision]
                    ) -> dict[str, list[EleveNotifie]]:
    """By UAI, the pupils of ``decisions`` (those active on ``jour`` only)
    with the établissement of their scolarité of that day; a pupil with no
    scolarité that day belongs to no établissement. Sorted by pupil id."""
    actives: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.debut <= jour <= d.fin:
            actives.setdefault(d.eleve_id, []).append(d)
    par_uai: dict[str, list[EleveNotifie]] = {}
    for eleve_id in sorted(actives):
        scolarite = scolarite_du_jour(dep.scolarites_par_eleve.get(eleve_id, ()), jour)
        if scolarite is None:
            continue
        siennes = sorted(actives[eleve_id], key=lambda d: (d.debut, d.id))
        accs = {a.id: a for d in siennes for a in dep.accompagnements_par_decision.get(d.id, ())
                if a.debut <= jour <= a.fin}
        par_uai.setdefault(scolarite.uai, []).append(EleveNotifie(
            eleve_id, scolarite.classe, tuple(siennes),
            tuple(sorted(accs.values(), key=lambda a: (a.debut, a.id)))))
    return par_uai


def comptes_etablissements(dep: Departement, jour: date, decisions: Iterable[Decision],
                           uais: Collection[str],
                           eleves: dict[str, list[EleveNotifie]] | None = None
                           ) -> dict[str, Comptes]:
    """The counts of each établissement of ``uais`` on ``jour``: décisions of
    its notified pupils (``decisions``: those of the perimeter), the
    accompagnements mis en œuvre there that day and their AESH. ``eleves``:
    eleves_notifies() of the same day and décisions, when already known."""
    dans = set(uais)  # membership; the result keeps the order of ``uais``
    if eleves is None:
        eleves = eleves_notifies(dep, jour, decisions)
    accs_par_uai: dict[str, list[Accompagnement]] = {}
    for a in dep.accompagnements.values():
        if a.uai in dans and a.debut <= jour <= a.fin:
            accs_par_uai.setdefault(a.uai, []).append(a)
    comptes = {}
    for uai in uais:
        notifies = eleves.get(uai, ())
        types = [d.type for e in notifies for d in e.decisions]
        accs = accs_par_uai.get(uai, ())
        aesh = frozenset(m.aesh_id for a in accs if (m := dep.missions.get(a.mission_id)))
        comptes[uai] = Comptes(uai, types.count("individuelle"), types.count("mutualisee"),
                               len(accs), aesh)
    return comptes


def comptes_pial(dep: Departement, comptes: dict[str, Comptes]) -> dict[str, Comptes]:
    """The établissements' counts summed per PIAL (its tête's UAI); an AESH
    working in two schools of the PIAL counts once."""
    par_pial: dict[str, Comptes] = {}
    for uai, c in comptes.items():
        pial = dep.pial_de(uai)
        if pial is None:
            continue
        avant = par_pial.get(pial)
        par_pial[pial] = c if avant is None else Comptes(
            pial, avant.individuelles + c.individuelles, avant.mutualisees + c.mutualisees,
            avant.accompagnements + c.accompagnements, avant.aesh | c.aesh)
    return {p: Comptes(p, c.individuelles, c.mutualisees, c.accompagnements, c.aesh)
            for p, c in par_pial.items()}
