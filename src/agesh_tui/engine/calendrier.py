"""School-year calendar (SPEC §1.2), the injectable "today", and the range
of dates the application accepts.

Dates come from files, forms and the command line: each entry path keeps
them within a plausible range (below), so that no computation meets a year
10000. A base written before these bounds may still hold 9999-12-31: the
helpers here saturate at ``date.min``/``date.max`` instead of overflowing,
so such a base still loads and lists.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import overload

ENV_TODAY = "AGESH_TODAY"
UN_JOUR = timedelta(days=1)  # periods are closed: [début, fin], the next one starts fin + 1

# Décisions, scolarités, missions, affectations, accompagnements, "today"
# and the dates of the command line: a département's records go back to the
# 1950s at most, and nobody notifies beyond this century.
PERIODE_MIN = date(1950, 1, 1)
PERIODE_MAX = date(2100, 12, 31)
# Birth dates: from 1900 (an AESH may be old, an élève never) to today.
NAISSANCE_MIN = date(1900, 1, 1)
# School years whose 01/09–31/08 lie within the période bounds.
ANNEE_MIN = PERIODE_MIN.year
ANNEE_MAX = PERIODE_MAX.year - 1


class DateHorsLimites(ValueError):
    """A well-formed date outside the accepted range (French message)."""


def hors_periode(d: date, minimum: date = PERIODE_MIN, maximum: date = PERIODE_MAX) -> str | None:
    """Why ``d`` is refused (French, for a message), or None when it is
    within [minimum, maximum]."""
    if minimum <= d <= maximum:
        return None
    return f"date hors limites {format_date(d)} (attendu du {format_date(minimum)} au {format_date(maximum)})"


def hors_annees(annee: int) -> str | None:
    """Why a school year is refused, or None."""
    if ANNEE_MIN <= annee <= ANNEE_MAX:
        return None
    return f"année hors limites {annee} (attendu de {ANNEE_MIN} à {ANNEE_MAX})"


def today(override: date | str | None = None) -> date:
    """The day the application believes it is: an explicit value, else
    $AGESH_TODAY, else the system date. Rules never call this: they get
    "today" passed in, so screens, documents and tests are deterministic.
    A text outside the période bounds is a DateHorsLimites, a malformed one
    a ValueError."""
    if isinstance(override, date):
        return override
    text = override or os.environ.get(ENV_TODAY)
    if not text:
        return date.today()
    jour = date.fromisoformat(text)
    raison = hors_periode(jour)
    if raison:
        raise DateHorsLimites(raison)
    return jour


def lendemain(d: date) -> date:
    """The next day; date.max stays date.max (a stored 9999-12-31 has no
    next day: the last day of the calendar then stands for "after it")."""
    return d + UN_JOUR if d < date.max else d


def veille(d: date) -> date:
    """The day before; date.min stays date.min."""
    return d - UN_JOUR if d > date.min else d


def annee_scolaire(d: date) -> int:
    """Starting year of the school year containing d (01/09/N – 31/08/N+1)."""
    return d.year if d.month >= 9 else d.year - 1


def debut_annee(annee: int) -> date:
    """01/09/N, held within date.min … date.max (the school year of a
    stored date.min or date.max)."""
    if annee < date.min.year:
        return date.min
    return date(annee, 9, 1) if annee <= date.max.year else date.max


def fin_annee(annee: int) -> date:
    """31/08/N+1, held within date.min … date.max."""
    if annee + 1 > date.max.year:
        return date.max
    return date(annee + 1, 8, 31) if annee + 1 >= date.min.year else date.min


def libelle_annee(annee: int) -> str:
    return f"{annee}-{annee + 1}"


def jours(debut: date, fin: date) -> int:
    """Number of calendar days of the closed interval [debut, fin]."""
    return (fin - debut).days + 1


@overload
def chevauchement(a_debut: date, a_fin: date, b_debut: date,
                  b_fin: date | None) -> tuple[date, date] | None: ...
@overload
def chevauchement(a_debut: date, a_fin: date | None, b_debut: date,
                  b_fin: date) -> tuple[date, date] | None: ...
@overload
def chevauchement(a_debut: date, a_fin: date | None, b_debut: date,
                  b_fin: date | None) -> tuple[date, date | None] | None: ...
def chevauchement(a_debut: date, a_fin: date | None, b_debut: date,
                  b_fin: date | None) -> tuple[date, date | None] | None:
    """The closed overlap of two periods (None end = open), or None."""
    debut = max(a_debut, b_debut)
    if a_fin is None:
        fin = b_fin
    elif b_fin is None:
        fin = a_fin
    else:
        fin = min(a_fin, b_fin)
    if fin is not None and fin < debut:
        return None
    return debut, fin


def format_date(d: date | None) -> str:
    """jj/mm/aaaa for people; empty for no date."""
    # Not strftime: it writes year 1 as « 1 », not « 0001 ».
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if d else ""
