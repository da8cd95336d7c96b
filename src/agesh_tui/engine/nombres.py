"""Numbers as French users read them (decimal comma, no useless zeros) and
the bounds of the numbers accepted on entry. One home for the CLI, the
rules' messages, the files and the screens."""

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


# Bounds of the numbers the application accepts, whatever the entry path
# (files, forms, command line): a 400-digit volume is no volume.
HEURES_MAX = 168.0  # heures hebdomadaires: a week has 168 hours
QUOTITE_MAX = 100.0  # percent
LATITUDE_MAX = 90.0
LONGITUDE_MAX = 180.0
# Weekly hours of one contract: the legal maximum working week (code du
# travail), for the RH extracts and the missions entered by hand.
VOLUME_HEBDO_MAX = 48.0


def lire_nombre(texte: str) -> float | None:
    """A number as typed in a form: « 12,5 » or « 12.5 » → 12.5; anything
    else (empty, « 1.2.3 », « nan », « inf ») → None."""
    try:
        valeur = float(texte.strip().replace(",", "."))
    except ValueError:
        return None
    return valeur if valeur == valeur and abs(valeur) != float("inf") else None
