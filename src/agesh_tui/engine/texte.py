"""Cleaning of untrusted text from files, outside services and users."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except none (tab/newline are not allowed inside a field either),
# DEL, and C1 controls: they could move the cursor or recolour a terminal.
_CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def nettoyer(text: str | None) -> str:
    """Strip control characters and surrounding blanks. Markup characters
    such as ``[`` are kept: they are displayed literally, never interpreted."""
    if not text:
        return ""
    return _CONTROLES.sub("", text).strip()


def replier(text: str) -> str:
    """Case- and accent-folded form for exact-but-forgiving comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
