"""How data values are shown: French labels and numbers, and text that is
always cleaned of control characters and never read as markup."""

from __future__ import annotations

from rich.text import Text

from ..engine.calendrier import format_date
from ..engine.modele.model import LIBELLES_TYPE_DECISION
from ..engine.nombres import heures, nombre, pourcent  # noqa: F401 — the screens' formats
from ..engine.texte import propre

TYPES_DECISION = LIBELLES_TYPE_DECISION


def texte(valeur, style: str = "") -> Text:
    """A Rich Text of a data value: literal, whatever brackets it holds."""
    return Text(propre(valeur), style=style)


def entier(valeur: int) -> str:
    """Thousands apart, the French way: 25000 → « 25 000 » (no-break space)."""
    return f"{valeur:,}".replace(",", "\u00a0")


def distance(km: float | None) -> str:
    return "" if km is None else f"{nombre(km, 1)} km"


def periode(debut, fin) -> str:
    if fin is None:
        return f"depuis le {format_date(debut)}"
    return f"du {format_date(debut)} au {format_date(fin)}"


def nom_prenom(personne) -> str:
    return propre(f"{personne.nom} {personne.prenom}")
