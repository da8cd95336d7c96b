"""Expression du besoin and PIAL aggregates (SPEC §2.5, guide §3.3, §9).

Per PIAL and school year: the décisions d'aide humaine (individuelles,
mutualisées), the besoin in weekly hours = hI + formula(cM, cI, hI), the
moyens = day-weighted mean over the year of the volumes affectés to the PIAL,
and the couverture moyenne = moyens / besoin.

Choices where the guide is silent:

* a décision counts in a PIAL when its élève has a scolarité, on the overlap
  of the décision and the year, in an établissement of that PIAL; an élève who
  changes PIAL during the year makes the décision count in *each* PIAL
  concerned (each one has to cover it for part of the year), but only once per
  PIAL. Unlike the Accueil column, there is no fallback to the last
  scolarité: a décision with no scolarité in the year counts nowhere. The
  état du dossier does not matter: the décision is the ERSEH's notification;
* moyens count every affectation PIAL of the year as stored, whatever the
  mission or AESH became since: removing an affectation is the gestionnaire's
  act (F11);
* couverture is None when the besoin is not positive (nothing to cover).

Aggregates are stored by operations.agregats.recalculer, stamped with the
store's change counter: they are « à jour » while no write happened since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..calendrier import chevauchement, debut_annee, fin_annee, jours
from ..modele.departement import Departement
from ..modele.model import AffectationPial
from .formule import FORMULE_PAR_DEFAUT, FormuleError, parse


@dataclass(frozen=True, slots=True)
class AgregatPial:
    pial_uai: str
    decisions_individuelles: int
    decisions_mutualisees: int
    heures_individuelles: float  # hI
    besoin: float  # weekly hours
    moyens: float  # weekly hours, day-weighted over the year
    couverture: float | None  # percent


@dataclass(frozen=True, slots=True)
class AgregatStocke(AgregatPial):
    calcule_le: datetime
    a_jour: bool  # no write since the recalcul


def formule_de(dep: Departement, annee: int) -> str:
    """The formula stored for the school year, else the national default."""
    return dep.parametres.formules.get(annee) or FORMULE_PAR_DEFAUT


def couverture(moyens: float, besoin: float) -> float | None:
    return moyens / besoin * 100 if besoin > 0 else None


def avec_moyens(agregat: AgregatPial, moyens: float) -> AgregatPial:
    """The same PIAL with other moyens (e.g. after an affectation automatique)."""
    return AgregatPial(
        agregat.pial_uai, agregat.decisions_individuelles, agregat.decisions_mutualisees,
        agregat.heures_individuelles, agregat.besoin, moyens, couverture(moyens, agregat.besoin),
    )


def moyens_par_pial(affectations: Iterable[AffectationPial], annee: int) -> dict[str, float]:
    """Σ volume × days of the affectation within the year / days of the year."""
    debut, fin = debut_annee(annee), fin_annee(annee)
    duree = jours(debut, fin)
    moyens: dict[str, float] = defaultdict(float)
    for a in affectations:
        if a.annee != annee:
            continue
        periode = chevauchement(a.debut, a.fin, debut, fin)
        if periode is not None:
            moyens[a.pial_uai] += a.volume * jours(*periode) / duree
    return moyens


def _decisions_par_pial(dep: Departement, annee: int) -> dict[str, tuple[int, int, float]]:
    """(cI, cM, hI) per PIAL, in one pass over the décisions."""
    debut, fin = debut_annee(annee), fin_annee(annee)
    cI: dict[str, int] = defaultdict(int)
    cM: dict[str, int] = defaultdict(int)
    hI: dict[str, float] = defaultdict(float)
    etablissements = dep.etablissements
    scolarites = dep.scolarites_par_eleve
    for d in dep.decisions.values():
        periode = chevauchement(d.debut, d.fin, debut, fin)
        if periode is None:
            continue
        p_debut, p_fin = periode
        piaux = set()
        for s in scolarites.get(d.eleve_id, ()):
            if s.debut <= p_fin and (s.fin is None or s.fin >= p_debut):
                etab = etablissements.get(s.uai)
                if etab is not None and etab.pial_uai:
                    piaux.add(etab.pial_uai)
        for pial in piaux:
            if d.individuelle:
                cI[pial] += 1
                hI[pial] += d.heures or 0.0
            else:
                cM[pial] += 1
    return {p: (cI[p], cM[p], hI[p]) for p in cI.keys() | cM.keys()}


def agregats(dep: Departement, annee: int, formule_text: str | None = None) -> list[AgregatPial]:
    """The aggregates of every PIAL (every tête de PIAL), sorted by UAI.

    Raises FormuleError when the formula is invalid or fails on a PIAL's
    values (e.g. a division by zero); the message then names the PIAL."""
    formule = parse(formule_text if formule_text is not None else formule_de(dep, annee))
    decisions = _decisions_par_pial(dep, annee)
    moyens = moyens_par_pial(dep.affectations.values(), annee)
    out = []
    for pial in sorted(dep.membres_pial):
        cI, cM, hI = decisions.get(pial, (0, 0, 0.0))
        try:
            mutualise = formule.evaluate(cM, cI, hI)
        except FormuleError as exc:
            raise FormuleError(
                f"{exc.message} pour le PIAL {pial} (cM = {cM}, cI = {cI}, hI = {hI:g})",
                exc.position,
            ) from exc
        besoin = hI + mutualise
        m = moyens.get(pial, 0.0)
        out.append(AgregatPial(pial, cI, cM, hI, besoin, m, couverture(m, besoin)))
    return out
