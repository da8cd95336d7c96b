"""Les indicateurs of Accueil (SPEC F6, guide §4.1 and §10.2.1): over the
current school year, the décisions of the perimeter, those without any mise
en œuvre and those with at least one, and their evolution month by month.

**[choice]** A décision *has a mise en œuvre* when one of its accompagnements
overlaps the décision's own period clipped to the school year. So an
accompagnement of last year, or a maintien (always after the décision's
end), does not count; a prévisionnel accompagnement counts, as it does in
the frise (drawn hatched, not red). Scolarités play no part: a décision
without scolarité and without accompagnement is « sans mise en œuvre ».
A month counts a décision *active* when its period meets the month, and
*with a mise en œuvre* when an accompagnement overlaps the décision's
period within that month.

Fast on a whole académie: one pass over the décisions and their
accompagnements (the département's index), months as bit masks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..calendrier import annee_scolaire, debut_annee, fin_annee

NOMBRE_MOIS = 12  # septembre → août
PERIMETRE = "perimetre"
SANS_MISE_EN_OEUVRE = "sans"
AVEC_MISE_EN_OEUVRE = "avec"
CATEGORIES = (PERIMETRE, SANS_MISE_EN_OEUVRE, AVEC_MISE_EN_OEUVRE)


@dataclass(frozen=True, slots=True)
class Mois:
    debut: date  # first day of the month
    actives: int  # décisions active during the month
    avec_mise_en_oeuvre: int  # of those, with an accompagnement during the month


@dataclass(frozen=True, slots=True)
class Indicateurs:
    annee: int  # starting year of the school year
    ids: Mapping[str, frozenset[str]]  # CATEGORIES → décision ids
    mois: tuple[Mois, ...]  # NOMBRE_MOIS months, September first

    def nombre(self, categorie: str) -> int:
        return len(self.ids[categorie])


def rang_mois(jour: date, annee: int) -> int:
    """0 for September of ``annee`` … 11 for August of the next year."""
    return (jour.year - annee) * 12 + jour.month - 9


def _bits(premier: int, dernier: int) -> int:
    """The months premier..dernier (inclusive) as a bit mask."""
    return ((1 << (dernier + 1)) - 1) ^ ((1 << premier) - 1)


# MASQUES[premier][dernier] = _bits(premier, dernier), looked up in the loop.
MASQUES = tuple(tuple(_bits(i, j) for j in range(NOMBRE_MOIS)) for i in range(NOMBRE_MOIS))


def indicateurs(decisions: Iterable, accompagnements_par_decision: Mapping[str, Sequence],
                today: date) -> Indicateurs:
    """The indicators of ``decisions`` (the perimeter) for the school year
    of ``today``; ``accompagnements_par_decision`` is the département's index."""
    annee = annee_scolaire(today)
    debut_an, fin_an = debut_annee(annee), fin_annee(annee)
    perimetre: list[str] = []
    sans: list[str] = []
    avec: list[str] = []
    # How many décisions have each mask of active months / of months with a
    # mise en œuvre: a few hundred distinct masks, expanded once at the end.
    masques_actifs: Counter[int] = Counter()
    masques_mis_en_oeuvre: Counter[int] = Counter()
    vide: tuple = ()
    base = annee * 12 + 9  # rang_mois(jour) = jour.year * 12 + jour.month - base
    for d in decisions:
        if d.debut > fin_an or d.fin < debut_an:
            continue
        debut = d.debut if d.debut > debut_an else debut_an
        fin = d.fin if d.fin < fin_an else fin_an
        perimetre.append(d.id)
        premier, dernier = debut.year * 12 + debut.month - base, fin.year * 12 + fin.month - base
        masques_actifs[MASQUES[premier][dernier]] += 1
        mis_en_oeuvre = 0
        for acc in accompagnements_par_decision.get(d.id, vide):
            if acc.debut <= fin and acc.fin >= debut:
                a = acc.debut if acc.debut > debut else debut
                b = acc.fin if acc.fin < fin else fin
                mis_en_oeuvre |= MASQUES[a.year * 12 + a.month - base][b.year * 12 + b.month - base]
        if mis_en_oeuvre:
            avec.append(d.id)
            masques_mis_en_oeuvre[mis_en_oeuvre] += 1
        else:
            sans.append(d.id)
    actives = _par_mois(masques_actifs)
    mises = _par_mois(masques_mis_en_oeuvre)
    mois = tuple(
        Mois(date(annee + (9 + m > 12), (8 + m) % 12 + 1, 1), actives[m], mises[m])
        for m in range(NOMBRE_MOIS)
    )
    ids = {PERIMETRE: frozenset(perimetre), SANS_MISE_EN_OEUVRE: frozenset(sans),
           AVEC_MISE_EN_OEUVRE: frozenset(avec)}
    return Indicateurs(annee, ids, mois)


def _par_mois(masques: Counter[int]) -> list[int]:
    totaux = [0] * NOMBRE_MOIS
    for masque, n in masques.items():
        for m in range(NOMBRE_MOIS):
            if masque >> m & 1:
                totaux[m] += n
    return totaux
