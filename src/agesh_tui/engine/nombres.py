"""Numbers as French users read them: decimal comma, no useless zeros.
One home for the CLI, the rules' messages and the screens."""

from __future__ import annotations

# Hours are decimals summed in any order (1.1 + 9.2 + 1.7): compare them
# within this tolerance, never exactly.
EPSILON_HEURES = 1e-6


def nombre(valeur: float | None, decimales: int = 1) -> str:
    """24 → « 24 », 20.41 → « 20,4 », None → « »."""
    if valeur is None:
        return ""
    texte_nombre = f"{valeur:.{decimales}f}"
    if "." in texte_nombre:
        texte_nombre = texte_nombre.rstrip("0").rstrip(".")
    return texte_nombre.replace(".", ",")


def heures(valeur: float | None) -> str:
    """12.5 → « 12,5 h »; None → « »."""
    return f"{nombre(valeur, 2)} h" if valeur is not None else ""


def pourcent(valeur: float | None) -> str:
    """None (undefined) → « — »."""
    return "—" if valeur is None else f"{nombre(valeur, 1)} %"
