"""The interchange format (SPEC §4): a folder of eleven CSV files.

This module only describes the format: which files, which columns, the
table each file maps to, and how one cell is read (validated, cleaned) and
written. ``echange.lecture`` imports a folder, ``echange.ecriture`` exports
one; both follow these descriptions, so the two directions cannot drift.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from ..calendrier import NAISSANCE_MIN, PERIODE_MAX, PERIODE_MIN, hors_annees, hors_periode
from ..modele.model import CONTRATS, ETATS_DOSSIER, SOURCES_AESH, TYPES_DECISION
from ..modele.natures import NATURES
from ..nombres import HEURES_MAX, LATITUDE_MAX, LONGITUDE_MAX, QUOTITE_MAX
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


# -- cells that a spreadsheet would run as formulas ---------------------------
#
# A text cell starting with one of these opens as a live formula in a
# spreadsheet (=HYPERLINK(…), @SUM(…), +cmd|…, -cmd|…): the export writes it
# after an apostrophe, the escape that spreadsheets know, and the import
# removes exactly that escape. A text that itself starts with an apostrophe
# is escaped too, so that reading back always gives the text that was
# written (docs/format-echange.md). Tab and CR, which start formulas too,
# never start a cell: control characters are removed from texts both ways.

ECHAPPEMENT = "'"
_DEBUTS_FORMULE = frozenset("=+-@" + ECHAPPEMENT)


def neutraliser(cellule: str) -> str:
    """The cell as exported: never the start of a formula."""
    return ECHAPPEMENT + cellule if cellule[:1] in _DEBUTS_FORMULE else cellule


def sans_echappement(cellule: str) -> str:
    """The cell as imported: the export's escape removed, and only it (an
    apostrophe that starts a hand-typed name such as « 't Hart » stays)."""
    if cellule[:1] == ECHAPPEMENT and cellule[1:2] in _DEBUTS_FORMULE:
        return cellule[1:]
    return cellule


# -- readers: raw cell → stored value, or Invalide ---------------------------

TEXTE_MAX = 1000  # characters of a text cell: a name, an address, a classe


def _propre(raw: str) -> str:
    # isprintable() excludes every control character: skip the regex then
    # (hundreds of thousands of cells per import).
    value = raw.strip() if raw.isprintable() else nettoyer(raw)
    if len(value) > TEXTE_MAX:
        raise Invalide(f"texte trop long ({len(value)} caractères, au plus {TEXTE_MAX})")
    return value


def texte(raw: str) -> str:
    return sans_echappement(_propre(raw))


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


def date_entre(minimum: date, maximum: date, facultative: bool = False) -> Callable[[str], str | None]:
    """An ISO date within [minimum, maximum] (calendrier's bounds), stored as
    its text; empty is NULL when ``facultative``."""

    def lire(raw: str) -> str | None:
        value = raw.strip()
        if not value:
            if facultative:
                return None
            raise Invalide("date requise (aaaa-mm-jj)")
        if _DATE.fullmatch(value):
            try:
                jour = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                raison = hors_periode(jour, minimum, maximum)
                if raison:
                    raise Invalide(raison)
                return value
        raise Invalide(f"date invalide « {montrer(raw)} » (attendu aaaa-mm-jj)")

    return lire


def _date(nom: str, minimum: date = PERIODE_MIN, facultative: bool = False) -> Colonne:
    """A date column: read within [minimum, PERIODE_MAX]; written only when
    the stored date is within them too (a base written before the bounds may
    hold 9999-12-31, which the import of the export would refuse). A birth
    date is not after today either: lecture checks that with the import's day."""
    return Colonne(nom, date_entre(minimum, PERIODE_MAX, facultative),
                   partial(ecrire_date, minimum=minimum, maximum=PERIODE_MAX))


_NOMBRE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def nombre_entre(minimum: float, maximum: float,
                 facultatif: bool = False) -> Callable[[str], float | None]:
    """A decimal number (``.`` or ``,``) within bounds — always both: 400
    digits would otherwise be stored as infinity; empty is NULL when
    ``facultatif``."""
    borne = f"entre {minimum:g} et {maximum:g}"

    def lire(raw: str) -> float | None:
        value = raw.strip()
        if not value:
            if facultatif:
                return None
            raise Invalide("nombre requis")
        if not _NOMBRE.fullmatch(value):
            raise Invalide(f"nombre invalide « {montrer(raw)} »")
        number = float(value.replace(",", "."))
        if not minimum <= number <= maximum:
            raise Invalide(f"nombre hors limites « {montrer(raw)} » (attendu {borne})")
        return number

    return lire


_ANNEE = re.compile(r"[0-9]{4}")


def annee(raw: str) -> int:
    value = raw.strip()
    if not _ANNEE.fullmatch(value):
        raise Invalide(f"année invalide « {montrer(raw)} » (attendu l'année de début, ex. 2026)")
    raison = hors_annees(int(value))
    if raison:
        raise Invalide(raison)
    return int(value)


_BOOLEENS = {"1": 1, "0": 0, "oui": 1, "non": 0, "true": 1, "false": 0}


def booleen(raw: str) -> int:
    value = _BOOLEENS.get(raw.strip().lower())
    if value is None:
        raise Invalide(f"booléen invalide « {montrer(raw)} » (attendu 1/0, oui/non, true/false)")
    return value


def parmi(valeurs: Iterable[str], libelle: str) -> Callable[[str], str]:
    """One of ``valeurs``, matched with case and accents folded (``Gelé`` is
    ``gele``), stored in its canonical spelling."""
    valeurs = list(valeurs)
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
    """``decision_ids``: ids separated by ``,`` inside the field (the
    export's escape is on the whole cell)."""
    if not raw.strip():
        raise Invalide("au moins une décision requise")
    ids = tuple(_propre(part) for part in sans_echappement(raw.strip()).split(","))
    if "" in ids:
        raise Invalide(f"liste de décisions invalide « {montrer(raw)} » (identifiant vide)")
    if len(set(ids)) != len(ids):
        raise Invalide(f"décision en double dans « {montrer(raw)} »")
    return ids


# -- writers: stored value → cell ----------------------------------------------

class NonExportable(ValueError):
    """A stored value that no cell can carry (an infinite number written
    before the bounds existed)."""


def ecrire_texte(value: object) -> str:
    """As the import would store it: no control character — a CR inside a
    field would even cut the record in two — then neutralised."""
    if value is None:
        return ""
    texte_valeur = str(value)
    if not texte_valeur.isprintable():
        texte_valeur = nettoyer(texte_valeur)
    return neutraliser(texte_valeur)


def ecrire_nombre(value: float | None) -> str:
    """``24`` not ``24.0``, ``12.5`` as is, never an exponent, never
    ``Infinity`` (that the import would refuse)."""
    if value is None:
        return ""
    number = float(value)
    if not math.isfinite(number):
        raise NonExportable(f"nombre non fini ({number}) dans la base")
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def ecrire_date(value: object, minimum: date, maximum: date) -> str:
    if value is None or value == "":
        return ""
    jour = value if isinstance(value, date) else date.fromisoformat(str(value))
    raison = hors_periode(jour, minimum, maximum)
    if raison:
        raise NonExportable(f"{raison} dans la base")
    return jour.isoformat()


def ecrire_booleen(value: object) -> str:
    return "1" if value else "0"


def ecrire_identifiants(value: Iterable[str]) -> str:
    return ecrire_texte(",".join(value))


# -- the files -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Colonne:
    nom: str
    lire: Callable[[str], object]
    ecrire: Callable[[Any], str] = ecrire_texte
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


def _nb(nom: str, minimum: float, maximum: float, facultatif: bool = False) -> Colonne:
    return Colonne(nom, nombre_entre(minimum, maximum, facultatif), ecrire_nombre)


def _heures(nom: str, facultatif: bool = False) -> Colonne:
    """Weekly hours (décision, volume of a mission or an affectation,
    accompagnement): at most the hours of a week."""
    return _nb(nom, 0, HEURES_MAX, facultatif)


def _bool(nom: str) -> Colonne:
    return Colonne(nom, booleen, ecrire_booleen)


def _lat(nom: str) -> Colonne:
    return _nb(nom, -LATITUDE_MAX, LATITUDE_MAX, facultatif=True)


def _lon(nom: str) -> Colonne:
    return _nb(nom, -LONGITUDE_MAX, LONGITUDE_MAX, facultatif=True)


_SOURCE = parmi(SOURCES_AESH, "source")

FICHIERS: tuple[Fichier, ...] = (
    Fichier("etablissements.csv", "etablissement", (
        Colonne("uai", uai), Colonne("nom", requis), Colonne("type", texte),
        Colonne("statut", texte), Colonne("code_commune", texte), Colonne("commune", texte),
        Colonne("code_postal", texte), _lat("latitude"), _lon("longitude"),
        Colonne("circonscription", texte), _bool("ulis"),
        # A PIAL is named by its tête: an établissement of the file or the base.
        # The Annuaire's PIAL code: its tête may lie outside the extract (a
        # partial or neighbouring référentiel), so it is not checked against
        # the établissements; an affectation must name a known PIAL.
        Colonne("pial_uai", uai_facultatif),
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
        _date("date_naissance", NAISSANCE_MIN, facultative=True),
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
        _date("debut"), _date("fin", facultative=True),
    ), ("id",)),
    Fichier("decisions.csv", "decision", (
        Colonne("id", requis), Colonne("eleve_id", requis, reference="eleve"),
        Colonne("type", parmi(TYPES_DECISION, "type de décision")),
        _heures("heures", facultatif=True), Colonne("origine", requis), Colonne("nature", requis),
        _date("debut"), _date("fin"),
    ), ("id",), entite="decision"),
    Fichier("aesh.csv", "aesh", (
        Colonne("id", requis), Colonne("source", _SOURCE), Colonne("civilite", texte),
        Colonne("nom", requis), Colonne("prenom", requis),
        _date("date_naissance", NAISSANCE_MIN, facultative=True), Colonne("adresse", texte),
        Colonne("code_postal", texte), Colonne("commune", texte), _lat("latitude"),
        _lon("longitude"), Colonne("transport", texte), _bool("rqth"), _bool("actif"),
    ), ("id",), versionne=True, entite="aesh"),
    Fichier("missions.csv", "mission", (
        Colonne("id", requis), Colonne("aesh_id", requis, reference="aesh"),
        Colonne("contrat", parmi(CONTRATS, "contrat")),
        Colonne("nature", parmi(NATURES, "nature de support")),
        _nb("quotite", 0, QUOTITE_MAX, facultatif=True), _heures("volume"),
        _date("debut"), _date("fin", facultative=True),
        Colonne("uai_employeur", uai_facultatif), Colonne("uai_payeur", uai_facultatif),
        Colonne("source", _SOURCE), _bool("actif"),
    ), ("id",), versionne=True, entite="mission"),
    Fichier("affectations_pial.csv", "affectation_pial", (
        Colonne("id", requis), Colonne("mission_id", requis, reference="mission"),
        Colonne("pial_uai", uai, reference="pial"), Colonne("annee", annee, ecrire_texte),
        _heures("volume"),
        _date("debut"), _date("fin"),
    ), ("id",), versionne=True),
    Fichier("accompagnements.csv", "accompagnement", (
        Colonne("id", requis), Colonne("mission_id", requis, reference="mission"),
        Colonne("decision_ids", identifiants, ecrire_identifiants, reference="decision"),
        Colonne("uai", uai, reference="etablissement"),
        _date("debut"), _date("fin"), _heures("heures"),
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
    "pial": "PIAL",
}
