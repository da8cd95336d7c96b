"""The files of « accès ENT des AESH » (SPEC §6): the accounts CSV an ENT
imports, and the JSON of a run — what a later run reads back with
``--depuis`` to know what to remove.

The CSV has one line per AESH who needs access, with the headers ENT
imports recognise (``nom;prenom;datedenaissance;fonction;classe;email``;
several classes separated by ``,`` inside the field); UTF-8 with a BOM, and
no cell a spreadsheet would run as a formula. The JSON read back is
untrusted like any file: bounded, its shape checked, its texts cleaned.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..fichiers import raison_fichier
from ..regles.acces_ent import ENTS, AccesAesh, Changement, ClasseManquante
from ..texte import nettoyer
from .archive import ouvrir_borne
from .format import EchangeError, montrer, neutraliser

FORMAT = "agesh-acces-ent"
VERSION = 1
TAILLE_MAX = 16 * 1024 * 1024
AESH_MAX = 10_000
CLASSES_MAX = 200
TEXTE_MAX = 200
ENTETES_CSV = ("nom", "prenom", "datedenaissance", "fonction", "classe", "email")


@dataclass(frozen=True)
class AccesEnt:
    """One run for one établissement."""

    uai: str
    nom_etablissement: str
    jour: date
    ent: str
    acces: tuple[AccesAesh, ...]
    ajouter: tuple[Changement, ...]
    retirer: tuple[Changement, ...]
    classes_manquantes: tuple[ClasseManquante, ...]
    depuis: date | None  # the day of the previous run, None for a first one
    classes_a_ouvrir: tuple[str, ...] = ()  # class spaces the AESH group gets (regles.espaces_classes)
    classes_a_fermer: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunPrecedent:
    uai: str
    jour: date
    ent: str
    acces: tuple[AccesAesh, ...]


# -- writing -------------------------------------------------------------------

def csv_comptes(acces: Sequence[AccesAesh], ent: str) -> bytes:
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    w.writerow(ENTETES_CSV)
    fonction = ENTS[ent].fonction
    for a in acces:
        naissance = a.naissance.strftime("%d/%m/%Y") if a.naissance else ""
        w.writerow([neutraliser(nettoyer(x)) for x in
                    (a.nom, a.prenom, naissance, fonction, ",".join(a.classes), "")])
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def _personne(x: AccesAesh | Changement) -> dict[str, Any]:
    return {"aesh_id": x.aesh_id, "civilite": x.civilite, "nom": x.nom, "prenom": x.prenom,
            "date_naissance": x.naissance.isoformat() if x.naissance else None}


def document(resultat: AccesEnt, fichiers: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON of a run (SPEC §5): the CLI prints it, ``--depuis`` reads it."""
    return {
        "format": FORMAT, "version": VERSION,
        "uai": resultat.uai, "etablissement": resultat.nom_etablissement,
        "date": resultat.jour.isoformat(), "ent": resultat.ent,
        "depuis": resultat.depuis.isoformat() if resultat.depuis else None,
        "acces": [{**_personne(a), "classes": list(a.classes)} for a in resultat.acces],
        "ajouter": [{**_personne(c), "groupes": list(c.groupes), "classes": list(c.classes),
                     "motif": c.motif} for c in resultat.ajouter],
        "retirer": [{**_personne(c), "groupes": list(c.groupes), "classes": list(c.classes),
                     "motif": c.motif} for c in resultat.retirer],
        "espaces_classes": {"ouvrir": list(resultat.classes_a_ouvrir),
                            "fermer": list(resultat.classes_a_fermer)},
        "classes_manquantes": [{"aesh_id": m.aesh_id, "eleve_id": m.eleve_id,
                                "decision_id": m.decision_id} for m in resultat.classes_manquantes],
        "fichiers": list(fichiers),
    }


def json_run(resultat: AccesEnt, fichiers: Sequence[str] = ()) -> bytes:
    return (json.dumps(document(resultat, fichiers), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- reading a previous run -------------------------------------------------------

class _Refus(Exception):
    pass


def lire_precedent(chemin: Path) -> RunPrecedent:
    """The previous run ``chemin`` holds; EchangeError naming the file and
    where it is wrong."""
    with ouvrir_borne(chemin, TAILLE_MAX) as (nom, flux):
        brut = flux.read()
    try:
        doc = json.loads(brut.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise EchangeError(f"{nom} : encodage invalide (UTF-8 attendu)") from None
    except json.JSONDecodeError as exc:
        raise EchangeError(f"{nom}:{exc.lineno}:{exc.colno} : JSON invalide ({exc.msg})") from None
    except RecursionError:
        raise EchangeError(f"{nom} : JSON trop imbriqué, refusé") from None
    try:
        return _precedent(doc)
    except _Refus as exc:
        raise EchangeError(f"{nom} : {exc} — est-ce bien le fichier .json d'un « agesh acces-ent » ?") from None


def _precedent(doc: object) -> RunPrecedent:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Refus("champ « format » différent de « agesh-acces-ent »")
    if doc.get("version") != VERSION:
        raise _Refus(f"version {montrer(str(doc.get('version')))} inconnue (attendu {VERSION})")
    ent = doc.get("ent")
    if ent not in ENTS:
        raise _Refus(f"ENT « {montrer(str(ent))} » inconnu")
    acces = doc.get("acces")
    if not isinstance(acces, list) or len(acces) > AESH_MAX:
        raise _Refus(f"« acces » : liste d'au plus {AESH_MAX} AESH attendue")
    return RunPrecedent(_texte(doc, "uai", "uai"), _jour(doc.get("date"), "date"), ent,
                        tuple(_acces(a, f"acces[{i}]") for i, a in enumerate(acces)))


def _texte(objet: dict, cle: str, ou: str, requis: bool = True) -> str:
    valeur = objet.get(cle)
    if valeur is None and not requis:
        return ""
    if not isinstance(valeur, str) or len(valeur) > TEXTE_MAX:
        raise _Refus(f"« {ou} » : texte d'au plus {TEXTE_MAX} caractères attendu")
    return nettoyer(valeur)


def _jour(valeur: object, ou: str) -> date:
    if isinstance(valeur, str):
        try:
            return date.fromisoformat(valeur)
        except ValueError:
            pass
    raise _Refus(f"« {ou} » : date aaaa-mm-jj attendue")


def _acces(a: object, ou: str) -> AccesAesh:
    if not isinstance(a, dict):
        raise _Refus(f"« {ou} » : objet attendu")
    classes = a.get("classes")
    if not isinstance(classes, list) or len(classes) > CLASSES_MAX or not all(
            isinstance(c, str) and len(c) <= TEXTE_MAX for c in classes):
        raise _Refus(f"« {ou}.classes » : liste d'au plus {CLASSES_MAX} classes attendue")
    brute = a.get("date_naissance")
    naissance = None if brute is None else _jour(brute, f"{ou}.date_naissance")
    return AccesAesh(_texte(a, "aesh_id", f"{ou}.aesh_id"), _texte(a, "civilite", f"{ou}.civilite", False),
                     _texte(a, "nom", f"{ou}.nom"), _texte(a, "prenom", f"{ou}.prenom"), naissance,
                     tuple(sorted({nettoyer(c) for c in classes} - {""})))


def nom_fichiers(uai: str, jour: date) -> str:
    """The files of a run share this name: ``acces-ent-UAI-AAAA-MM-JJ``."""
    return f"acces-ent-{uai}-{jour.isoformat()}"


def precedent_dans(dossier: Path, uai: str, jour: date) -> Path | None:
    """The latest run's JSON for ``uai`` in ``dossier`` made before ``jour``
    (by the date in its name), None when there is none: ``--depuis`` may
    name the folder where every run is written."""
    prefixe = f"acces-ent-{uai}-"
    jours = []
    try:
        noms = [p.name for p in dossier.iterdir()]
    except OSError as exc:
        raise EchangeError(f"{dossier} : lecture impossible ({raison_fichier(exc)})") from None
    for n in noms:
        if n.startswith(prefixe) and n.endswith(".json"):
            try:
                d = date.fromisoformat(n[len(prefixe):-len(".json")])
            except ValueError:
                continue
            if d < jour:
                jours.append(d)
    return dossier / f"{nom_fichiers(uai, max(jours))}.json" if jours else None
