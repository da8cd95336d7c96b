"""Reading the pupils CSV that ONDE (the primary schools' base) exports
(SPEC §6): ``Nom élève``, ``Prénom élève``, ``Date naissance``, ``INE``,
``Libellé classe`` among other columns, in any order.

ONDE names neither the school nor the day in the file: the caller gives
both. Headers are matched case and accents folded; ``;``, ``,`` or a tab
separate the fields. The encoding is UTF-8 when the file is valid UTF-8
(with or without a BOM), else Windows-1252, what ONDE and spreadsheets
write on French systems (``encodage`` forces one). The file is read whole
under a size bound, every row checked; any error refuses it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

from ..texte import replier
from .archive import ouvrir_borne
from .classes import (
    ELEVES_MAX,
    ERREURS_MAX,
    EleveExporte,
    ExportClasses,
    ExportInvalide,
    date_exportee,
    ine,
    texte_borne,
)
from .format import EchangeError, Erreur, Invalide, montrer

TAILLE_MAX = 8 * 1024 * 1024  # a school of a thousand pupils writes under 1 Mo
ENCODAGES = ("utf-8", "windows-1252", "iso-8859-15", "iso-8859-1")
ENCODAGE_DE_REPLI = "windows-1252"

# column → its header, folded (« Prénom élève » → « prenom eleve »)
COLONNES = {"nom": "Nom élève", "prenom": "Prénom élève", "naissance": "Date naissance",
            "ine": "INE", "classe": "Libellé classe"}
REQUISES = ("nom", "prenom", "naissance", "classe")
T = TypeVar("T")


def _plier(entete: str) -> str:
    return " ".join(replier(entete).replace("\ufeff", "").split())


_PAR_ENTETE = {_plier(v): k for k, v in COLONNES.items()}


def lire_onde(chemin: Path, uai: str, jour: date, encodage: str | None = None) -> ExportClasses:
    """The pupils of school ``uai`` on ``jour`` as ``chemin`` lists them;
    ExportInvalide (lines and columns) or EchangeError when refused."""
    if encodage is not None and encodage.lower() not in ENCODAGES:
        raise EchangeError(f"encodage « {montrer(encodage)} » non pris en charge "
                           f"(attendu : {', '.join(ENCODAGES)})")
    with ouvrir_borne(chemin, TAILLE_MAX) as (nom, flux):
        brut = flux.read()
    texte = _decoder(nom, brut, encodage)
    erreurs: list[Erreur] = []
    eleves = list(_lignes(nom, texte, erreurs))
    if erreurs:
        raise ExportInvalide(erreurs)
    return ExportClasses(nom, "ONDE", uai, jour, None, tuple(eleves))


def _decoder(nom: str, brut: bytes, encodage: str | None) -> str:
    if encodage is not None:
        try:
            return brut.decode(encodage).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            ligne = brut.count(b"\n", 0, exc.start) + 1
            raise ExportInvalide([Erreur(nom, ligne, None, None,
                                         f"octet 0x{brut[exc.start]:02X} invalide en {encodage}")]) from None
    try:
        return brut.decode("utf-8-sig")
    except UnicodeDecodeError:
        return brut.decode(ENCODAGE_DE_REPLI, errors="replace")


def _lignes(nom: str, texte: str, erreurs: list[Erreur]) -> Iterator[EleveExporte]:
    premiere = texte.split("\n", 1)[0]
    separateur = max((";", ",", "\t"), key=premiere.count)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur, strict=True)
    positions: dict[str, int] | None = None
    lu, n = 0, 0
    while True:
        try:
            ligne = next(lecteur)
        except StopIteration:
            break
        except csv.Error:
            erreurs.append(Erreur(nom, lu + 1, None, None, "guillemets mal placés (champ non fermé ?)"))
            return
        numero, lu = lu + 1, lecteur.line_num
        if positions is None:
            positions = _entete(nom, ligne, erreurs)
            if positions is None:
                return
            continue
        if not "".join(ligne).strip():
            continue
        n += 1
        if n > ELEVES_MAX:
            erreurs.append(Erreur(nom, numero, None, None,
                                  f"plus de {ELEVES_MAX} élèves : ce n'est pas l'export d'une école"))
            return
        eleve = _eleve(nom, numero, ligne, positions, erreurs)
        if eleve is not None:
            yield eleve
        if len(erreurs) >= ERREURS_MAX:
            return
    if positions is None:
        erreurs.append(Erreur(nom, 1, None, None, "fichier vide : ligne d'en-tête attendue"))


def _entete(nom: str, ligne: list[str], erreurs: list[Erreur]) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for i, titre in enumerate(ligne):
        cle = _PAR_ENTETE.get(_plier(titre))
        if cle is not None and cle not in positions:
            positions[cle] = i
    manquantes = [COLONNES[c] for c in REQUISES if c not in positions]
    if manquantes:
        erreurs.append(Erreur(nom, 1, None, None,
                              f"colonne(s) manquante(s) : {', '.join(manquantes)} — est-ce bien "
                              "l'export des élèves d'ONDE ?"))
        return None
    return positions


def _eleve(nom: str, numero: int, ligne: list[str], positions: dict[str, int],
           erreurs: list[Erreur]) -> EleveExporte | None:
    avant = len(erreurs)

    def champ(cle: str, lire: Callable[[str], T]) -> T | None:
        position = positions.get(cle)
        brut = ligne[position] if position is not None and position < len(ligne) else ""
        try:
            return lire(brut)
        except Invalide as exc:
            erreurs.append(Erreur(nom, numero, (position or 0) + 1, COLONNES[cle], str(exc)))
            return None

    nom_eleve = champ("nom", lambda v: texte_borne(v, "nom"))
    prenom = champ("prenom", lambda v: texte_borne(v, "prénom"))
    naissance = champ("naissance", lambda v: date_exportee(v, "date de naissance", naissance=True,
                                                           facultative=True))
    code_ine = champ("ine", ine)
    classe = champ("classe", lambda v: texte_borne(v, "libellé de classe"))
    if len(erreurs) > avant or nom_eleve is None or prenom is None or code_ine is None or classe is None:
        return None
    if not nom_eleve or not prenom:
        erreurs.append(Erreur(nom, numero, positions["nom"] + 1, COLONNES["nom"],
                              "nom et prénom de l'élève requis"))
        return None
    return EleveExporte(numero, None, code_ine, nom_eleve, prenom, naissance, classe)
