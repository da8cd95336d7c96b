"""What a SIECLE or ONDE export says of an établissement's pupils (SPEC §6):
who they are and in which classe, on which date. ``echange.siecle`` and
``echange.onde`` read the two formats into these records; the matching
with the base is the pure rule ``regles.classes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..calendrier import NAISSANCE_MIN, PERIODE_MAX, PERIODE_MIN, hors_periode
from ..texte import nettoyer
from .format import FichiersInvalides, Invalide, montrer

# A name, a first name, a classe: a few dozen characters in SIECLE and ONDE.
TEXTE_MAX = 200
# An INE: 11 characters (10 digits and a letter, or 9 digits and 2 letters);
# the base's identifiants may be longer, never a paragraph.
INE_MAX = 32
# Rows of one export: the largest lycée has a few thousand pupils.
ELEVES_MAX = 20_000
ERREURS_MAX = 200  # errors kept before the reading stops

_DATE_FR = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class ExportInvalide(FichiersInvalides):
    """The export has errors: nothing was written."""

    refus = "fichier refusé"


@dataclass(frozen=True, slots=True)
class EleveExporte:
    """One pupil of the export. ``ligne``/``colonne``: where the file has
    it (for messages). ``classe`` is empty when the export gives none."""

    ligne: int
    colonne: int | None
    ine: str
    nom: str
    prenom: str
    naissance: date | None
    classe: str


@dataclass(frozen=True, slots=True)
class ExportClasses:
    """A whole export: its établissement (UAJ / UAI), the day it describes,
    the school year it names (starting year, None when it names none), and
    its pupils. ``sortis``: pupils the export lists as gone before its
    day (SIECLE's DATE_SORTIE), left out of ``eleves``."""

    fichier: str
    source: str  # "SIECLE" | "ONDE"
    uai: str
    jour: date
    annee: int | None
    eleves: tuple[EleveExporte, ...]
    sortis: int = 0


def texte_borne(brut: str, quoi: str, maximum: int = TEXTE_MAX) -> str:
    """A cleaned text of at most ``maximum`` characters, or Invalide."""
    valeur = " ".join(nettoyer(brut).split())
    if len(valeur) > maximum:
        raise Invalide(f"{quoi} trop long ({len(valeur)} caractères, au plus {maximum})")
    return valeur


def ine(brut: str) -> str:
    valeur = texte_borne(brut, "INE", INE_MAX).replace(" ", "").upper()
    if valeur and not valeur.isalnum():
        raise Invalide(f"INE « {montrer(brut)} » invalide (lettres et chiffres attendus)")
    return valeur


def date_exportee(brut: str, quoi: str, naissance: bool = False,
                  facultative: bool = False) -> date | None:
    """jj/mm/aaaa (SIECLE, ONDE) or aaaa-mm-jj, within the application's
    bounds; empty is None when ``facultative``."""
    valeur = brut.strip()
    if not valeur:
        if facultative:
            return None
        raise Invalide(f"{quoi} requise (jj/mm/aaaa)")
    fr, iso = _DATE_FR.fullmatch(valeur), _DATE_ISO.fullmatch(valeur)
    jour = None
    try:
        if fr:
            jour = date(int(fr[3]), int(fr[2]), int(fr[1]))
        elif iso:
            jour = date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    if jour is None:
        raise Invalide(f"{quoi} invalide « {montrer(brut)} » (attendu jj/mm/aaaa)")
    raison = hors_periode(jour, NAISSANCE_MIN if naissance else PERIODE_MIN, PERIODE_MAX)
    if raison:
        raise Invalide(raison)
    return jour

