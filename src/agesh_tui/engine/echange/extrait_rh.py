"""Reading the EPP and ASSED extracts of the RH bases (SPEC §2.6, guide §7–8).

An extract has one row per mission, its AESH's identity repeated on each row
(layout: docs/import-rh.md). Reading validates the whole file and refuses it
on any error; operations.synchro_rh applies it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..calendrier import NAISSANCE_MIN, PERIODE_MAX, PERIODE_MIN, hors_periode
from ..calendrier import today as aujourdhui
from ..fichiers import FichierRefuse, ouvrir_ordinaire, raison_fichier
from ..modele.model import CONTRATS
from ..modele.natures import NATURES
from ..nombres import QUOTITE_MAX, VOLUME_HEBDO_MAX
from .format import (
    Colonne,
    Erreur,
    Fichier,
    FichiersInvalides,
    Invalide,
    montrer,
    nombre_entre,
    parmi,
    requis,
    texte,
    uai_facultatif,
)
from .lecture import Contenu, lire_fichier

BASES = ("EPP", "ASSED")
VOLUME_MAXIMUM = VOLUME_HEBDO_MAX  # durée maximale hebdomadaire du travail (code du travail)


class SynchroRHError(Exception):
    """A synchronisation that cannot run (French message)."""


class ExtraitInvalide(FichiersInvalides, SynchroRHError):
    """An extract has invalid rows: nothing was written."""

    refus = "extrait RH refusé"


# -- reading -------------------------------------------------------------------------

_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_FR = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")


def _date_entre(minimum: date, maximum: date,
                facultative: bool = False) -> Callable[[str], date | None]:
    """ISO (machine format) or jj/mm/aaaa, as RH tools usually export,
    within calendrier's bounds; empty is None when ``facultative``."""

    def lire(raw: str) -> date | None:
        value = raw.strip()
        if not value:
            if facultative:
                return None
            raise Invalide("date requise (jj/mm/aaaa ou aaaa-mm-jj)")
        iso, fr = _DATE_ISO.fullmatch(value), _DATE_FR.fullmatch(value)
        jour = None
        try:
            if iso:
                jour = date(int(iso[1]), int(iso[2]), int(iso[3]))
            elif fr:
                jour = date(int(fr[3]), int(fr[2]), int(fr[1]))
        except ValueError:
            pass
        if jour is None:
            raise Invalide(f"date invalide « {montrer(raw)} » (attendu jj/mm/aaaa ou aaaa-mm-jj)")
        raison = hors_periode(jour, minimum, maximum)
        if raison:
            raise Invalide(raison)
        return jour

    return lire


_date = _date_entre(PERIODE_MIN, PERIODE_MAX)
_date_facultative = _date_entre(PERIODE_MIN, PERIODE_MAX, facultative=True)
# Not after today either: lecture checks that with the day of the synchronisation.
_naissance = _date_entre(NAISSANCE_MIN, PERIODE_MAX, facultative=True)


_OUI_NON = {"o": True, "oui": True, "1": True, "n": False, "non": False, "0": False}


def _oui_non(defaut: bool | None) -> Callable[[str], bool]:
    """O/N (also oui/non, 1/0); an empty cell is ``defaut``, or an error when
    there is none."""

    def lire(raw: str) -> bool:
        value = raw.strip().lower()
        if not value and defaut is not None:
            return defaut
        if value not in _OUI_NON:
            raise Invalide(f"valeur « {montrer(raw)} » non reconnue (attendu O ou N)")
        return _OUI_NON[value]

    return lire


_CIVILITES = {"m": "M.", "m.": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}


def _civilite(raw: str) -> str:
    value = _CIVILITES.get(raw.strip().lower())
    if value is None:
        raise Invalide(f"civilité « {montrer(raw)} » non reconnue (attendu M. ou Mme)")
    return value


def _colonnes(base: str) -> tuple[Colonne, ...]:
    natures = [code for code, nature in NATURES.items() if nature.base == base]
    colonnes: tuple[Colonne, ...] = (
        Colonne("matricule", requis), Colonne("civilite", _civilite),
        Colonne("nom", requis), Colonne("prenom", requis),
        Colonne("date_naissance", _naissance), Colonne("adresse", texte),
        Colonne("code_postal", texte), Colonne("commune", texte),
        Colonne("rqth", _oui_non(defaut=False)),
        Colonne("mission_id", requis), Colonne("type_contrat", parmi(CONTRATS, "type de contrat")),
        Colonne("nature_support", parmi(natures, f"nature de support {base}")),
        Colonne("quotite", nombre_entre(0, QUOTITE_MAX, facultatif=True)),
        Colonne("volume_hebdo", nombre_entre(0, VOLUME_MAXIMUM, facultatif=True)),
        Colonne("date_debut", _date), Colonne("date_fin", _date_facultative),
        Colonne("uai_employeur", uai_facultatif), Colonne("uai_payeur", uai_facultatif),
    )
    # Only signed ASSED contracts are imported (guide §8): EPP has no such column.
    if base == "ASSED":
        colonnes += (Colonne("contrat_signe", _oui_non(defaut=None)),)
    return colonnes


def colonnes_extrait(base: str) -> tuple[str, ...]:
    """The columns an extract of this base must have (any order)."""
    return tuple(c.nom for c in _colonnes(base))


@dataclass(frozen=True, slots=True)
class LigneRH:
    """One mission of an extract, with its AESH's identity."""

    ligne: int  # physical line in the file (the header is line 1)
    matricule: str
    civilite: str
    nom: str
    prenom: str
    date_naissance: date | None
    adresse: str
    code_postal: str
    commune: str
    rqth: bool
    mission_id: str
    contrat: str
    nature: str
    quotite: float | None
    volume: float | None
    debut: date
    fin: date | None
    uai_employeur: str | None
    uai_payeur: str | None
    signe: bool = True


@dataclass(frozen=True)
class ExtraitRH:
    base: str
    fichier: str  # as named in error messages
    lignes: tuple[LigneRH, ...]
    colonne_mission: int  # position of mission_id, for errors across extracts


def lire_extrait(path: str | os.PathLike, base: str, today: date | None = None) -> ExtraitRH:
    """Read and check a whole extract, or raise ExtraitInvalide. ``today``
    bounds the birth dates (default: calendrier.today())."""
    if base not in BASES:
        raise SynchroRHError(f"base RH « {base} » inconnue (attendu : {', '.join(BASES)})")
    nom = os.fspath(path)
    today = today or aujourdhui()
    fichier = Fichier(nom, "mission", _colonnes(base), ("mission_id",))
    contenu = Contenu(fichier)
    erreurs: list[Erreur] = []
    try:
        with ouvrir_ordinaire(Path(path)) as flux:
            lus = list(lire_fichier(contenu, flux, erreurs, today))
    except FichierRefuse as exc:
        raise SynchroRHError(str(exc)) from exc
    except OSError as exc:
        raise SynchroRHError(f"{nom} : lecture impossible ({raison_fichier(exc)})") from exc
    en_erreur = {e.ligne for e in erreurs}
    lignes = []
    for numero, valeurs in lus:
        if numero in en_erreur:  # some cell is unreadable: no checks across cells
            continue
        ligne = LigneRH(numero, *valeurs)
        erreurs += _incoherences(fichier, contenu.positions, ligne)
        lignes.append(ligne)
    if erreurs:
        raise ExtraitInvalide(sorted(erreurs, key=lambda e: (e.ligne, e.colonne or 0)))
    return ExtraitRH(base, nom, tuple(lignes), contenu.positions["mission_id"])


def _incoherences(fichier: Fichier, positions: dict[str, int], ligne: LigneRH) -> list[Erreur]:
    def erreur(colonne: str, raison: str) -> Erreur:
        return Erreur(fichier.nom, ligne.ligne, positions[colonne], colonne, raison)

    if ligne.fin is None:
        if ligne.contrat == "CDD":
            return [erreur("date_fin", "date de fin requise pour un CDD")]
    elif ligne.fin < ligne.debut:
        return [erreur("date_fin", f"fin {ligne.fin:%d/%m/%Y} antérieure au début {ligne.debut:%d/%m/%Y}")]
    return []
