"""Where a décision lives: its établissements de scolarisation, their PIAL
and secteur, and the gestionnaire's perimeter (SPEC F3, F7)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

from ..calendrier import debut_annee, fin_annee
from ..modele.departement import Departement
from ..modele.model import Decision


def etablissements_scolarisation(dep: Departement, decision: Decision) -> list[str]:
    """UAIs of the scolarités overlapping the décision's period, in order;
    when there is none, the last scolarité's (guide §6.1)."""
    scolarites = dep.scolarites_par_eleve.get(decision.eleve_id, ())
    uais: list[str] = []
    for s in scolarites:
        if s.debut <= decision.fin and (s.fin is None or s.fin >= decision.debut):
            if s.uai not in uais:
                uais.append(s.uai)
    if not uais and scolarites:
        uais.append(scolarites[-1].uai)
    return uais


def rattachement(dep: Departement, decision: Decision) -> tuple[list[str], list[str], str | None]:
    """Where a décision belongs: its établissements de scolarisation, their
    secteurs (codes, first seen first) and the PIAL of the latest one that is
    in a PIAL (None: hors PIAL)."""
    uais = etablissements_scolarisation(dep, decision)
    secteurs: list[str] = []
    pial = None
    for uai in uais:
        code = dep.secteur_par_uai.get(uai)
        if code and code not in secteurs:
            secteurs.append(code)
        pial = dep.pial_de(uai) or pial
    return uais, secteurs, pial


def secteurs_decision(dep: Departement, decision: Decision) -> list[str]:
    return rattachement(dep, decision)[1]



def active_pendant(debut: date, fin: date | None, annee: int) -> bool:
    """Active on all or part of the school year (guide §4.3)."""
    return debut <= fin_annee(annee) and (fin is None or fin >= debut_annee(annee))


def dans_perimetre(dep: Departement, decision: Decision, secteurs: Collection[str]) -> bool:
    """No secteur chosen = the whole département (guide §2.4)."""
    if not secteurs:
        return True
    return any(code in secteurs for code in secteurs_decision(dep, decision))


def decisions_filtrees(dep: Departement, annee: int | None = None,
                       secteurs: Collection[str] = ()) -> Iterator[Decision]:
    for d in dep.decisions.values():
        if annee is not None and not active_pendant(d.debut, d.fin, annee):
            continue
        if secteurs and not dans_perimetre(dep, d, secteurs):
            continue
        yield d
