"""Référentiel des établissements from the Annuaire de l'éducation (SPEC §F15).

The CSV extracts and the OpenDataSoft API records go through one
normalisation path: columns are matched by folded name, because every
vintage of the dataset spells its headers differently (``Code postal``,
``Code_postal``, ``code_postal``). Bad rows are skipped with a French
warning rather than refusing the whole référentiel — a row with the wrong
number of fields too (a truncated download): applied, it would move its
fields to the wrong columns or blank them, so it is never applied and its
établissement stays in the base as it was. A source without the UAI and
name columns, a link in place of the file, or a field over the csv
module's limit is refused whole.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from ..fichiers import FichierRefuse, ouvrir_ordinaire, raison_fichier
from ..modele.model import Etablissement
from ..stockage import RienAEcrire, Stockage
from ..texte import nettoyer, replier
from . import champ_trop_long

if TYPE_CHECKING:
    import _csv

UAI = re.compile(r"\d{7}[A-Z]")

# Folded header names of each field, in order of preference.
_ALIAS = {
    "uai": ("identifiantdeletablissement", "uai"),
    "nom": ("nometablissement", "nom"),
    "type": ("typeetablissement",),
    "statut": ("statutpublicprive",),
    "code_postal": ("codepostal",),
    "code_commune": ("codecommune",),
    "commune": ("nomcommune",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "position": ("position",),
    "circonscription": ("nomcirconscription",),
    "ulis": ("ulis",),
    "pial": ("pial",),
    "effectif": ("nombredeleves",),
    "multi": ("etablissementmultilignes", "multiuai"),
}
_OBLIGATOIRES = {
    "uai": "identifiant de l'établissement (UAI)",
    "nom": "nom de l'établissement",
}
_VRAI = {"1", "oui", "o", "true", "vrai"}
_FAUX = {"", "0", "non", "n", "false", "faux"}
_EXEMPLES = 5  # UAIs quoted in a summary warning

# Columns of table ``etablissement`` (schema.py), in Etablissement order.
COLONNES = (
    "uai", "nom", "type", "statut", "code_commune", "commune", "code_postal",
    "latitude", "longitude", "circonscription", "ulis", "pial_uai",
)


class ReferentielError(Exception):
    """A référentiel that cannot be imported at all (French message)."""


@dataclass(slots=True)
class Referentiel:
    etablissements: list[Etablissement] = field(default_factory=list)
    effectifs: dict[str, int] = field(default_factory=dict)  # UAI → Nombre_d_eleves
    pial: dict[str, bool] = field(default_factory=dict)  # tête de PIAL → present in the data
    avertissements: list[str] = field(default_factory=list)
    lignes: int = 0  # rows read, skipped and duplicate ones included


def chemin_demo() -> Path:
    """The packaged Ille-et-Vilaine extract (see its SOURCE.md)."""
    return Path(str(files("agesh_tui").joinpath("data", "referentiel-035")))


def lire_annuaire(path: str | Path) -> Referentiel:
    """Read an Annuaire de l'éducation CSV extract (any vintage; BOM, CRLF,
    ``;`` or ``,`` separator)."""
    path = Path(path)
    if path.is_dir():
        raise ReferentielError(f"{path} est un dossier : indiquez le fichier CSV de l'Annuaire.")
    try:
        with ouvrir_ordinaire(path) as flux:
            data = flux.read()
    except FileNotFoundError:
        raise ReferentielError(f"fichier introuvable : {path}") from None
    except FichierRefuse as exc:
        raise ReferentielError(f"{exc} (indiquez le fichier lui-même).") from None
    except OSError as exc:
        raise ReferentielError(f"impossible de lire {path} : {raison_fichier(exc)}") from exc
    avertissements = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Re-saved by a spreadsheet on Windows: better read than refused.
        text = data.decode("cp1252", errors="replace")
        avertissements.append(f"{path} n'est pas en UTF-8 : lu comme Windows-1252.")
    premiere = text.split("\n", 1)[0]
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separateur)
    entete = _suivante(reader, text, separateur, path)
    if not entete or not any(c.strip() for c in entete):
        raise ReferentielError(f"{path} est vide : aucune ligne d'en-tête.")
    ignorees: list[int] = []
    lignes = _lignes(reader, entete, text, separateur, path, avertissements, ignorees)
    referentiel = _normaliser(entete, lignes, str(path), "ligne")
    referentiel.lignes += len(ignorees)
    referentiel.avertissements[:0] = avertissements
    return referentiel


def _lignes(reader: _csv.Reader, entete: list[str], text: str, separateur: str,
            path: Path, avertissements: list[str],
            ignorees: list[int]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row as a dict) of each row with the header's number of fields
    (empty ones after it are tolerated); the others are skipped with a
    warning, never applied, and their lines added to ``ignorees``."""
    largeur = len(entete)
    courte: tuple[int, int] | None = None  # (line, fields) of the last record, when short
    while True:
        debut = reader.line_num + 1
        valeurs = _suivante(reader, text, separateur, path)
        if valeurs is None:
            if courte is not None and not text.endswith(("\n", "\r")):
                # A short last record without its line end: the file was cut
                # (a download or a copy stopped). Its other lines may have
                # been superseded by what is missing: nothing is applied.
                raise ReferentielError(
                    f"{path} est tronqué : la dernière ligne ({courte[0]}) a {courte[1]} champs au "
                    f"lieu de {largeur} et le fichier ne finit pas par un saut de ligne. "
                    "Référentiel refusé : rien n'a été enregistré ; téléchargez-le de nouveau."
                )
            return
        if not any(v.strip() for v in valeurs):
            continue
        courte = None
        if len(valeurs) < largeur:
            courte = (debut, len(valeurs))
        if len(valeurs) < largeur or any(v.strip() for v in valeurs[largeur:]):
            avertissements.append(
                f"ligne {debut} : {len(valeurs)} champs au lieu de {largeur} (ligne tronquée ou "
                "séparateur en trop) : ligne ignorée, son établissement n'est pas modifié."
            )
            ignorees.append(debut)
            continue
        yield reader.line_num, dict(zip(entete, valeurs))


def _suivante(reader: _csv.Reader, text: str, separateur: str,
              path: Path) -> list[str] | None:
    """The next record, or None at the end; a field over the csv module's
    limit refuses the référentiel, naming its line and column."""
    debut = reader.line_num + 1
    try:
        return next(reader, None)
    except csv.Error as exc:
        if not champ_trop_long.est_trop_long(exc):
            raise ReferentielError(f"{path}, ligne {debut} : CSV illisible ({exc}).") from None
        flux = io.StringIO(text, newline="")
        for _ in range(debut - 1):
            flux.readline()
        colonne = champ_trop_long.colonne_trop_longue(flux, separateur)
        ou = f"ligne {debut}" + (f", colonne {colonne}" if colonne else "")
        raise ReferentielError(
            f"{path}, {ou} : {champ_trop_long.raison()} Référentiel refusé : rien n'a été enregistré."
        ) from None


def lire_enregistrements(
    records: Iterable[Mapping[str, object]], source: str
) -> Referentiel:
    """Normalise records already split into fields (API answers); warnings
    number them from 1."""
    records = list(records)
    if not records:
        return Referentiel(avertissements=[f"{source} : aucun établissement."])
    colonnes = list(dict.fromkeys(k for r in records for k in r))
    return _normaliser(colonnes, enumerate(records, 1), source, "enregistrement")


def enregistrer(store: Stockage, referentiel: Referentiel) -> dict[str, int]:
    """Write the établissements in one transaction. Établissements missing
    from the référentiel are kept: scolarités and secteurs still name them.
    Nothing is written (not even the change counter) when nothing differs."""
    lignes = [_ligne(e) for e in referentiel.etablissements]
    inseres = modifies = 0
    try:
        with store.ecriture() as tx:
            inseres, modifies = tx.upsert("etablissement", COLONNES, ("uai",), lignes)
            if not inseres and not modifies:
                raise RienAEcrire
    except RienAEcrire:
        pass
    return {"inseres": inseres, "modifies": modifies,
            "inchanges": len(lignes) - inseres - modifies}


# -- normalisation --------------------------------------------------------------


def _plier(nom: str) -> str:
    return re.sub(r"[\s_\-'’.]", "", replier(nettoyer(nom)))


def _colonnes(entete: Iterable[str], source: str) -> dict[str, str]:
    """Field → actual column name, for the fields the source has."""
    par_nom: dict[str, str] = {}
    for nom in entete:
        par_nom.setdefault(_plier(nom or ""), nom)
    trouvees = {}
    for champ, alias in _ALIAS.items():
        for a in alias:
            if a in par_nom:
                trouvees[champ] = par_nom[a]
                break
    manquantes = [libelle for champ, libelle in _OBLIGATOIRES.items() if champ not in trouvees]
    if manquantes:
        raise ReferentielError(
            f"{source} : colonne(s) obligatoire(s) absente(s) : {', '.join(manquantes)}. "
            "Ce n'est pas un extrait de l'Annuaire de l'éducation (colonnes attendues : "
            "Identifiant_de_l_etablissement, Nom_etablissement…)."
        )
    return trouvees


def _normaliser(
    entete: Iterable[str],
    lignes: Iterable[tuple[int, Mapping[str, object]]],
    source: str,
    unite: str,
) -> Referentiel:
    colonnes = _colonnes(entete, source)
    ref = Referentiel()
    avert = ref.avertissements
    par_uai: dict[str, tuple[int, Etablissement]] = {}
    for numero, row in lignes:
        ref.lignes += 1
        valeurs = {champ: row.get(nom) for champ, nom in colonnes.items()}
        valeur = valeurs.get
        ici = f"{unite} {numero}"
        uai = _texte(valeur("uai")).upper()
        if not UAI.fullmatch(uai):
            avert.append(f"{ici} : UAI « {uai} » invalide (7 chiffres et une lettre attendus) : ligne ignorée.")
            continue
        nom = _texte(valeur("nom"))
        if not nom:
            avert.append(f"{ici} : établissement {uai} sans nom : ligne ignorée.")
            continue
        latitude, longitude = _coordonnees(valeur("latitude"), valeur("longitude"), valeur("position"))
        ulis = _booleen(valeur("ulis"))
        if ulis is None:
            avert.append(f"{ici} : ULIS « {_texte(valeur('ulis'))} » illisible pour {uai} : compté sans ULIS.")
        pial = _texte(valeur("pial")).upper() or None
        if pial is not None and not UAI.fullmatch(pial):
            avert.append(f"{ici} : code PIAL « {pial} » invalide pour {uai} : compté hors PIAL.")
            pial = None
        etab = Etablissement(
            uai=uai,
            nom=nom,
            type=_texte(valeur("type")),
            statut=_statut(_texte(valeur("statut"))),
            code_commune=_texte(valeur("code_commune")),
            commune=_texte(valeur("commune")),
            code_postal=_texte(valeur("code_postal")),
            latitude=latitude,
            longitude=longitude,
            circonscription=_texte(valeur("circonscription")),
            ulis=bool(ulis),
            pial_uai=pial,
        )
        if uai in par_uai:
            multi = " (établissement sur plusieurs lignes)" if _booleen(valeur("multi")) else ""
            avert.append(
                f"{ici} : UAI {uai} déjà lu {unite} {par_uai[uai][0]}{multi} : "
                "la dernière ligne est conservée."
            )
            ref.effectifs.pop(uai, None)
        par_uai[uai] = (numero, etab)
        effectif = _entier(valeur("effectif"))
        if effectif is not None:
            ref.effectifs[uai] = effectif
        elif _texte(valeur("effectif")):
            avert.append(f"{ici} : nombre d'élèves « {_texte(valeur('effectif'))} » illisible pour {uai} : ignoré.")

    ref.etablissements = [etab for _, etab in par_uai.values()]
    sans_coordonnees = [e.uai for e in ref.etablissements if e.latitude is None]
    if sans_coordonnees:
        exemples = ", ".join(sans_coordonnees[:_EXEMPLES])
        suite = ", …" if len(sans_coordonnees) > _EXEMPLES else ""
        avert.append(
            f"{len(sans_coordonnees)} établissement(s) sans coordonnées ({exemples}{suite}) : "
            "les distances vers eux ne pourront pas être calculées."
        )
    for tete in sorted({e.pial_uai for e in ref.etablissements if e.pial_uai}):
        ref.pial[tete] = tete in par_uai
        if not ref.pial[tete]:
            avert.append(f"tête de PIAL {tete} absente de l'extrait : PIAL conservé, tête inconnue")
    return ref


def _texte(value: object) -> str:
    if value is None:
        return ""
    return nettoyer(value if isinstance(value, str) else str(value))


def _statut(text: str) -> str:
    plie = replier(text)
    if plie.startswith("public"):
        return "Public"
    if plie.startswith("prive"):
        return "Privé"
    return text


def _booleen(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value) if value in (0, 1) else None
    plie = replier(_texte(value))
    if plie in _VRAI:
        return True
    if plie in _FAUX:
        return False
    return None


def _nombre(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            # A spreadsheet may have turned the decimal point into a comma.
            number = float(_texte(value).replace(",", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _entier(value: object) -> int | None:
    number = _nombre(value)
    if number is None or number < 0 or not number.is_integer():
        return None
    return int(number)


def _coordonnees(lat: object, lon: object, position: object) -> tuple[float | None, float | None]:
    """WGS84 coordinates from latitude/longitude, else from ``position``
    ("lat, lon" text or an API object {"lat", "lon"}); (None, None) when
    absent or out of range."""
    latitude, longitude = _nombre(lat), _nombre(lon)
    if latitude is None or longitude is None:
        if isinstance(position, Mapping):
            latitude, longitude = _nombre(position.get("lat")), _nombre(position.get("lon"))
        else:
            parts = _texte(position).split(",")
            if len(parts) == 2:
                latitude, longitude = _nombre(parts[0]), _nombre(parts[1])
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def _ligne(e: Etablissement) -> tuple:
    return (
        e.uai, e.nom, e.type, e.statut, e.code_commune, e.commune, e.code_postal,
        e.latitude, e.longitude, e.circonscription, int(e.ulis), e.pial_uai,
    )
