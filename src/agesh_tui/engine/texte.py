"""Cleaning of untrusted text from files, outside services and users."""

from __future__ import annotations

import re
import unicodedata

# C0 controls (tab and newline too: not allowed inside a field), DEL and C1
# controls could move the cursor or recolour a terminal; bidirectional
# overrides and invisible marks (U+200B–200F, U+202A–202E, U+2060–2069, BOM)
# could make a row read as something else than it is.
_CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def nettoyer(text: str | None) -> str:
    """Strip control characters and surrounding blanks. Markup characters
    such as ``[`` are kept: they are displayed literally, never interpreted."""
    if not text:
        return ""
    return _CONTROLES.sub("", text).strip()


def propre(valeur: object) -> str:
    """A value as plain text without control characters, for display (an
    escape sequence in a name must not recolour the terminal)."""
    if valeur is None:
        return ""
    texte_valeur = valeur if isinstance(valeur, str) else str(valeur)
    # isprintable() is false for every control character: skip the regex then.
    return texte_valeur.strip() if texte_valeur.isprintable() else nettoyer(texte_valeur)


def sans_controles(text: str) -> str:
    """A message for a terminal: its lines kept (and their indentation), every
    other control character removed (an escape sequence in a value a user
    typed must not reach the terminal through an error message)."""
    return "\n".join(_CONTROLES.sub("", ligne) for ligne in text.split("\n"))


def replier(text: str) -> str:
    """Case- and accent-folded form for exact-but-forgiving comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
