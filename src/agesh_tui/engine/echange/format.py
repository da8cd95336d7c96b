"""The interchange format (SPEC §4): a folder of eleven CSV files.

This module only describes the format: which files, which columns, the
table each file maps to, and how one cell is read (validated, cleaned) and
written. ``echange.lecture`` imports a folder, ``echange.ecriture`` exports
one; both follow these descriptions, so the two directions cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..modele.model import CONTRATS, ETATS_DOSSIER, SOURCES_AESH, TYPES_DECISION
from ..modele.natures import NATURES
from ..texte import nettoyer, replier


class EchangeError(Exception):
    """An import or export that cannot run (French message)."""


@dataclass(frozen=True, slots=True)
class Erreur:
    """One problem in a file: ``fichier:ligne:colonne (nom) : raison``.

    ``ligne`` is the physical line in the file (the header is line 1);
    ``colonne`` the 1-based position of the field in that line."""

    fichier: str
    ligne: int
    colonne: int | None
    nom_colonne: str | None
    raison: str

    def __str__(self) -> str:
        if self.colonne is None:
            return f"{self.fichier}:{self.ligne} : {self.raison}"
        nom = f" ({self.nom_colonne})" if self.nom_colonne else ""
        return f"{self.fichier}:{self.ligne}:{self.colonne}{nom} : {self.raison}"


class FichiersInvalides(Exception):
    """Files with invalid rows: nothing was written. The message lists the
    errors (at most ``limite``), each as ``fichier:ligne:colonne``."""

    refus = "import refusé"

    def __init__(self, erreurs: list[Erreur]):
        self.erreurs = erreurs
        super().__init__(self.rapport())

    def rapport(self, limite: int = 200) -> str:
        n = len(self.erreurs)
        titre = "1 erreur" if n == 1 else f"{n} erreurs"
        lignes = [f"{self.refus}, la base n'a pas été modifiée ({titre}) :"]
        lignes += [str(e) for e in self.erreurs[:limite]]
        if n > limite:
            lignes.append(f"… et {n - limite} autres erreurs")
        return "\n".join(lignes)


class ImportEchangeError(FichiersInvalides, EchangeError):
    """The folder has invalid rows: nothing was written."""


class Invalide(ValueError):
    """A cell that cannot be read; the message is the French reason."""


def montrer(raw: str) -> str:
    """A cell's text as quoted in an error message: no control characters
    (messages go to a terminal), and not a whole paragraph."""
    text = nettoyer(raw)
    return text if len(text) <= 40 else text[:39] + "…"


# -- readers: raw cell → stored value, or Invalide ---------------------------

def texte(raw: str) -> str:
    # isprintable() excludes every control character: skip the regex then
    # (hundreds of thousands of cells per import).
    return raw.strip() if raw.isprintable() else nettoyer(raw)


def requis(raw: str) -> str:
    value = texte(raw)
    if not value:
        raise Invalide("valeur requise")
    return value


_UAI = re.compile(r"[0-9]{7}[A-Z]")


def uai(raw: str) -> str:
    value = raw.strip().upper()
    if not value:
        raise Invalide("UAI requis")
    if not _UAI.fullmatch(value):
        raise Invalide(f"UAI invalide « {montrer(raw)} » (attendu 7 chiffres et une lettre)")
    return value


def uai_facultatif(raw: str) -> str | None:
    return uai(raw) if raw.strip() else None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_iso(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise Invalide("date requise (aaaa-mm-jj)")
    if _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise Invalide(f"date invalide « {montrer(raw)} » (attendu aaaa-mm-jj)")


def date_facultative(raw: str) -> str | None:
    return date_iso(raw) if raw.strip() else None


_NOMBRE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def nombre_entre(minimum: float, maximum: float | None = None, facultatif: bool = False):
    """A decimal number (``.`` or ``,``) within bounds; empty is NULL when
    ``facultatif``."""
    borne = f"entre {minimum:g} et {maximum:g}" if maximum is not None else f"≥ {minimum:g}"

    def lire(raw: str) -> float | None:
        value = raw.strip()
        if not value:
            if facultatif:
                return None
            raise Invalide("nombre requis")
        if not _NOMBRE.fullmatch(value):
            raise Invalide(f"nombre invalide « {montrer(raw)} »")
        number = float(value.replace(",", "."))
        if number < minimum or (maximum is not None and number > maximum):
            raise Invalide(f"nombre hors limites « {montrer(raw)} » (attendu {borne})")
        return number

    return lire


_ANNEE = re.compile(r"[0-9]{4}")


def annee(raw: str) -> int:
    value = raw.strip()
    if not _ANNEE.fullmatch(value):
        raise Invalide(f"année invalide « {montrer(raw)} » (attendu l'année de début, ex. 2026)")
    return int(value)


_BOOLEENS = {"1": 1, "0": 0, "oui": 1, "non": 0, "true": 1, "false": 0}


def booleen(raw: str) -> int:
    value = _BOOLEENS.get(raw.strip().lower())
    if value is None:
        raise Invalide(f"booléen invalide « {montrer(raw)} » (attendu 1/0, oui/non, true/false)")
    return value


def parmi(valeurs, libelle: str):
    """One of ``valeurs``, matched with case and accents folded (``Gelé`` is
    ``gele``), stored in its canonical spelling."""
    canon = {replier(v): v for v in valeurs}
    attendu = ", ".join(valeurs)

    def lire(raw: str) -> str:
        value = canon.get(replier(raw.strip()))
        if value is None:
            raise Invalide(
                f"valeur « {montrer(raw)} » non reconnue pour {libelle} (attendu : {attendu})"
            )
        return value

    return lire


def identifiants(raw: str) -> tuple[str, ...]:
    """``decision_ids``: ids separated by ``,`` inside the field."""
    if not raw.strip():
        raise Invalide("au moins une décision requise")
    ids = tuple(texte(part) for part in raw.split(","))
    if "" in ids:
        raise Invalide(f"liste de décisions invalide « {montrer(raw)} » (identifiant vide)")
    if len(set(ids)) != len(ids):
        raise Invalide(f"décision en double dans « {montrer(raw)} »")
    return ids


# -- writers: stored value → cell ----------------------------------------------

def ecrire_texte(value) -> str:
    return "" if value is None else str(value)


def ecrire_nombre(value) -> str:
    """``24`` not ``24.0``, ``12.5`` as is, never an exponent."""
    if value is None:
        return ""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def ecrire_booleen(value) -> str:
    return "1" if value else "0"


def ecrire_identifiants(value) -> str:
    return ",".join(value)


# -- the files -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Colonne:
    nom: str
    lire: Callable[[str], object]
    ecrire: Callable[[object], str] = ecrire_texte
    reference: str | None = None  # entity whose key this column names


@dataclass(frozen=True, slots=True)
class Fichier:
    nom: str
    table: str
    colonnes: tuple[Colonne, ...]
    cle: tuple[str, ...]
    versionne: bool = False
    entite: str | None = None  # entity this file provides keys for

    @property
    def noms(self) -> tuple[str, ...]:
        return tuple(c.nom for c in self.colonnes)

    @property
    def colonnes_table(self) -> tuple[str, ...]:
        """Columns stored in ``table`` (``decision_ids`` lives in a link table)."""
        return tuple(c.nom for c in self.colonnes if c.nom != "decision_ids")


def _nb(nom, minimum=0.0, maximum=None, facultatif=False, reference=None) -> Colonne:
    return Colonne(nom, nombre_entre(minimum, maximum, facultatif), ecrire_nombre, reference)


def _bool(nom) -> Colonne:
    return Colonne(nom, booleen, ecrire_booleen)


def _lat(nom) -> Colonne:
    return _nb(nom, -90, 90, facultatif=True)


def _lon(nom) -> Colonne:
    return _nb(nom, -180, 180, facultatif=True)


_SOURCE = parmi(SOURCES_AESH, "source")

FICHIERS: tuple[Fichier, ...] = (
    Fichier("etablissements.csv", "etablissement", (
        Colonne("uai", uai), Colonne("nom", requis), Colonne("type", texte),
        Colonne("statut", texte), Colonne("code_commune", texte), Colonne("commune", texte),
        Colonne("code_postal", texte), _lat("latitude"), _lon("longitude"),
        Colonne("circonscription", texte), _bool("ulis"), Colonne("pial_uai", uai_facultatif),
    ), ("uai",), entite="etablissement"),
    Fichier("secteurs.csv", "secteur", (
        Colonne("code", requis), Colonne("nom", requis), Colonne("erseh_nom", texte),
        Colonne("erseh_mail", texte),
    ), ("code",), entite="secteur"),
    Fichier("secteurs_etablissements.csv", "secteur_etablissement", (
        Colonne("secteur_code", requis, reference="secteur"),
        Colonne("uai", uai, reference="etablissement"),
    # One secteur ERSEH per établissement: its ERSEH receives the messages and
    # it decides the perimeter; a second line for a UAI is a duplicate key.
    ), ("uai",)),
    Fichier("eleves.csv", "eleve", (
        Colonne("id", requis), Colonne("nom", requis), Colonne("prenom", requis),
        Colonne("date_naissance", date_facultative),
        Colonne("etat_dossier", parmi(ETATS_DOSSIER, "état du dossier")),
        Colonne("structure_soin", texte),
    ), ("id",), versionne=True, entite="eleve"),
    Fichier("proches.csv", "proche", (
        Colonne("eleve_id", requis, reference="eleve"), Colonne("nom", requis),
        Colonne("prenom", texte), Colonne("lien", texte), Colonne("telephone", texte),
        Colonne("mail", texte),
    ), ("eleve_id", "nom", "prenom")),
    Fichier("scolarites.csv", "scolarite", (
        Colonne("id", requis), Colonne("eleve_id", requis, reference="eleve"),
        Colonne("uai", uai, reference="etablissement"), Colonne("classe", texte),
        Colonne("debut", date_iso), Colonne("fin", date_facultative),
    ), ("id",)),
    Fichier("decisions.csv", "decision", (
        Colonne("id", requis), Colonne("eleve_id", requis, reference="eleve"),
        Colonne("type", parmi(TYPES_DECISION, "type de décision")),
        _nb("heures", facultatif=True), Colonne("origine", requis), Colonne("nature", requis),
        Colonne("debut", date_iso), Colonne("fin", date_iso),
    ), ("id",), entite="decision"),
    Fichier("aesh.csv", "aesh", (
        Colonne("id", requis), Colonne("source", _SOURCE), Colonne("civilite", texte),
        Colonne("nom", requis), Colonne("prenom", requis),
        Colonne("date_naissance", date_facultative), Colonne("adresse", texte),
        Colonne("code_postal", texte), Colonne("commune", texte), _lat("latitude"),
        _lon("longitude"), Colonne("transport", texte), _bool("rqth"), _bool("actif"),
    ), ("id",), versionne=True, entite="aesh"),
    Fichier("missions.csv", "mission", (
        Colonne("id", requis), Colonne("aesh_id", requis, reference="aesh"),
        Colonne("contrat", parmi(CONTRATS, "contrat")),
        Colonne("nature", parmi(NATURES, "nature de support")),
        _nb("quotite", 0, 100, facultatif=True), _nb("volume"),
        Colonne("debut", date_iso), Colonne("fin", date_facultative),
        Colonne("uai_employeur", uai_facultatif), Colonne("uai_payeur", uai_facultatif),
        Colonne("source", _SOURCE), _bool("actif"),
    ), ("id",), versionne=True, entite="mission"),
    Fichier("affectations_pial.csv", "affectation_pial", (
        Colonne("id", requis), Colonne("mission_id", requis, reference="mission"),
        Colonne("pial_uai", uai), Colonne("annee", annee, ecrire_texte), _nb("volume"),
        Colonne("debut", date_iso), Colonne("fin", date_iso),
    ), ("id",), versionne=True),
    Fichier("accompagnements.csv", "accompagnement", (
        Colonne("id", requis), Colonne("mission_id", requis, reference="mission"),
        Colonne("decision_ids", identifiants, ecrire_identifiants, reference="decision"),
        Colonne("uai", uai, reference="etablissement"),
        Colonne("debut", date_iso), Colonne("fin", date_iso), _nb("heures"),
        _bool("repas"), _bool("pause_meridienne"), _bool("previsionnel"), _bool("maintien"),
    ), ("id",), versionne=True),
)
"""In dependency order: a file only references files listed before it."""

PAR_ENTITE: dict[str, Fichier] = {f.entite: f for f in FICHIERS if f.entite}

LIBELLES_ENTITE = {
    "etablissement": "établissement",
    "secteur": "secteur",
    "eleve": "élève",
    "aesh": "AESH",
    "mission": "mission",
    "decision": "décision",
}
