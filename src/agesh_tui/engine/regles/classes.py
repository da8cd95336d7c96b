"""Classes from SIECLE or ONDE (SPEC §6): which scolarité of the base each
pupil of an export is, and what its classe becomes. Pure: the export comes
in as plain records, the plan goes out; operations.classes writes it.

A pupil is the élève whose identifiant is his INE; else the one élève with
his nom, prénom and date de naissance, compared case and accents folded.
Two candidates (or two lines of the export for one élève, or two
scolarités there that day) are ambiguous: reported, never guessed. The
scolarité updated is the élève's scolarité in the export's établissement
that covers the export's day. An élève with a décision on that day that
the export places in the établissement while no scolarité there covers it
is reported apart (``sans_scolarite``): the ERSEH has not entered it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from ..modele.departement import Departement
from ..modele.model import Eleve, Scolarite
from ..texte import replier


class EleveLu(Protocol):
    """A pupil as an export gives him (echange.classes.EleveExporte)."""

    @property
    def ligne(self) -> int: ...
    @property
    def ine(self) -> str: ...
    @property
    def nom(self) -> str: ...
    @property
    def prenom(self) -> str: ...
    @property
    def naissance(self) -> date | None: ...
    @property
    def classe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class MiseAJourClasse:
    scolarite_id: str
    eleve_id: str
    ancienne: str
    nouvelle: str
    ligne: int


@dataclass(frozen=True, slots=True)
class EleveNonRapproche:
    """A pupil of the export left alone: unknown, or ambiguous (``motif``
    and the candidate élèves)."""

    ligne: int
    ine: str
    nom: str
    prenom: str
    naissance: date | None
    motif: str = ""
    eleve_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SansScolarite:
    eleve_id: str
    uai: str
    ligne: int
    classe: str


@dataclass
class PlanClasses:
    uai: str
    jour: date
    mises_a_jour: list[MiseAJourClasse] = field(default_factory=list)
    inchangees: list[str] = field(default_factory=list)  # scolarité ids
    inconnus: list[EleveNonRapproche] = field(default_factory=list)
    ambigus: list[EleveNonRapproche] = field(default_factory=list)
    sans_scolarite: list[SansScolarite] = field(default_factory=list)
    sans_classe: list[str] = field(default_factory=list)  # élève ids: the export gives no classe
    non_notifies: int = 0  # known élèves without décision nor scolarité there that day


Identite = tuple[str, str, date | None]


def cle_identite(nom: str, prenom: str, naissance: date | None) -> Identite:
    """nom, prénom (case, accents and spacing folded), date de naissance."""
    return (" ".join(replier(nom).split()), " ".join(replier(prenom).split()), naissance)


def index_identites(eleves: Iterable[Eleve], naissances: Collection[date]) -> dict[Identite, list[str]]:
    """The identities of the élèves born on one of ``naissances`` (the days
    of the pupils to find): folding every name of the base would cost more
    than the rest of the matching, and a pupil is only ever matched with
    someone born the same day."""
    index: dict[Identite, list[str]] = {}
    for e in eleves:
        if e.date_naissance is not None and e.date_naissance in naissances:
            index.setdefault(cle_identite(e.nom, e.prenom, e.date_naissance), []).append(e.id)
    return index


def rapprocher(dep: Departement, uai: str, jour: date, eleves: Sequence[EleveLu]) -> PlanClasses:
    """The plan for the export of ``uai`` on ``jour``."""
    plan = PlanClasses(uai, jour)
    index = index_identites(dep.eleves.values(), {lu.naissance for lu in eleves if lu.naissance is not None
                                                  and not (lu.ine and lu.ine in dep.eleves)})
    trouves: dict[str, list[EleveLu]] = {}
    for lu in eleves:
        candidats = _candidats(dep, index, lu)
        if len(candidats) == 1:
            trouves.setdefault(candidats[0], []).append(lu)
        elif candidats:
            plan.ambigus.append(_non_rapproche(lu, "plusieurs élèves de la base ont ces nom, prénom "
                                                   "et date de naissance", tuple(sorted(candidats))))
        else:
            plan.inconnus.append(_non_rapproche(lu))
    for eleve_id, lignes in trouves.items():
        if len(lignes) > 1:
            plan.ambigus += [_non_rapproche(lu, "plusieurs lignes du fichier pour le même élève",
                                            (eleve_id,)) for lu in lignes]
            continue
        _placer(dep, plan, eleve_id, lignes[0])
    plan.ambigus.sort(key=lambda x: x.ligne)
    plan.mises_a_jour.sort(key=lambda m: m.ligne)
    return plan


def _candidats(dep: Departement, index: dict[Identite, list[str]],
               lu: EleveLu) -> list[str]:
    if lu.ine and lu.ine in dep.eleves:
        return [lu.ine]
    if lu.naissance is None:
        return []  # without a birth date, only the INE identifies a pupil
    return index.get(cle_identite(lu.nom, lu.prenom, lu.naissance), [])


def _non_rapproche(lu: EleveLu, motif: str = "", eleve_ids: tuple[str, ...] = ()) -> EleveNonRapproche:
    return EleveNonRapproche(lu.ligne, lu.ine, lu.nom, lu.prenom, lu.naissance, motif, eleve_ids)


def _couvre(s: Scolarite, jour: date) -> bool:
    return s.debut <= jour and (s.fin is None or jour <= s.fin)


def _placer(dep: Departement, plan: PlanClasses, eleve_id: str, lu: EleveLu) -> None:
    ici = [s for s in dep.scolarites_par_eleve.get(eleve_id, ())
           if s.uai == plan.uai and _couvre(s, plan.jour)]
    if not ici:
        notifie = any(d.debut <= plan.jour <= d.fin for d in dep.decisions_par_eleve.get(eleve_id, ()))
        if notifie:
            plan.sans_scolarite.append(SansScolarite(eleve_id, plan.uai, lu.ligne, lu.classe))
        else:
            plan.non_notifies += 1
        return
    if len(ici) > 1:
        plan.ambigus.append(_non_rapproche(
            lu, "plusieurs scolarités de l'élève dans l'établissement à cette date", (eleve_id,)))
        return
    scolarite = ici[0]
    if not lu.classe:
        plan.sans_classe.append(eleve_id)
    elif scolarite.classe == lu.classe:
        plan.inchangees.append(scolarite.id)
    else:
        plan.mises_a_jour.append(MiseAJourClasse(scolarite.id, eleve_id, scolarite.classe, lu.classe,
                                                 lu.ligne))
