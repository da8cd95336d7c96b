"""School-year calendar (SPEC §1.2) and the injectable "today"."""

from __future__ import annotations

import os
from datetime import date, timedelta

ENV_TODAY = "AGESH_TODAY"
UN_JOUR = timedelta(days=1)  # periods are closed: [début, fin], the next one starts fin + 1


def today(override: date | str | None = None) -> date:
    """The day the application believes it is: an explicit value, else
    $AGESH_TODAY, else the system date. Rules never call this: they get
    "today" passed in, so screens, documents and tests are deterministic."""
    if isinstance(override, date):
        return override
    text = override or os.environ.get(ENV_TODAY)
    if text:
        return date.fromisoformat(text)
    return date.today()


def annee_scolaire(d: date) -> int:
    """Starting year of the school year containing d (01/09/N – 31/08/N+1)."""
    return d.year if d.month >= 9 else d.year - 1


def debut_annee(annee: int) -> date:
    return date(annee, 9, 1)


def fin_annee(annee: int) -> date:
    return date(annee + 1, 8, 31)


def libelle_annee(annee: int) -> str:
    return f"{annee}-{annee + 1}"


def jours(debut: date, fin: date) -> int:
    """Number of calendar days of the closed interval [debut, fin]."""
    return (fin - debut).days + 1


def chevauchement(a_debut: date, a_fin: date | None, b_debut: date, b_fin: date | None):
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
    return d.strftime("%d/%m/%Y") if d else ""
