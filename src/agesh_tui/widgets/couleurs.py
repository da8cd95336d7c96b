"""The one palette of the colours that carry meaning: the frise, the
indicateurs, the coming bars (occupation of a mission, PIAL coverage). The
same hue means the same thing everywhere (vert: in place, rouge: nothing
in place…), in Python styles and in the .tcss files (``$couleur-vert``…,
see ``variables_css``).

Every colour has a glyph or text twin where it is used; a legend names the
colour only when colours are shown (``nommer``): under NO_COLOR « (vert) »
would describe nothing on screen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Couleur:
    nom: str  # as the legends say it
    code: str  # what Rich and Textual read

    def __str__(self) -> str:
        return self.code


VERT = Couleur("vert", "#2ea043")
BLEU = Couleur("bleu", "#3b82f6")
JAUNE = Couleur("jaune", "#eab308")
ROUGE = Couleur("rouge", "#dc2626")
VIOLET = Couleur("violet", "#a855f7")
ORANGE = Couleur("orange", "#f97316")
BLANC = Couleur("blanc", "#e5e5e5")
NOIR = Couleur("noir", "#000000")

PALETTE = (VERT, BLEU, JAUNE, ROUGE, VIOLET, ORANGE, BLANC, NOIR)


def variables_css() -> dict[str, str]:
    """``$couleur-vert``… for the .tcss files (App.get_theme_variable_defaults)."""
    return {f"couleur-{c.nom}": c.code for c in PALETTE}


def nommer(libelle: str, *noms: str, couleurs: bool = True) -> str:
    """« complète (vert) », « maintien (violet, 🔗) »; without colours only
    what is not a colour name: « complète », « maintien (🔗) »."""
    if not couleurs:
        noms = tuple(n for n in noms if n not in {c.nom for c in PALETTE})
    return f"{libelle} ({', '.join(noms)})" if noms else libelle
