"""Reading a SIECLE « Base élèves » export (SPEC §6, seed 003):
``ElevesSansAdresses.xml`` or ``ElevesAvecAdresses.xml``, or the ``.zip``
SIECLE delivers it in.

    BEE_ELEVES
      PARAMETRES/{UAJ, ANNEE_SCOLAIRE, DATE_EXPORT}
      DONNEES/ELEVES/ELEVE@ELEVE_ID/{ID_NATIONAL, NOM_DE_FAMILLE | NOM,
                                     PRENOM, DATE_NAISS, DATE_SORTIE}
      DONNEES/STRUCTURES/STRUCTURES_ELEVE@ELEVE_ID/STRUCTURE/
                                     {CODE_STRUCTURE, TYPE_STRUCTURE}  (D: division)

The file comes from outside: it is parsed as a stream (SAX, so memory does
not grow with it) by defusedxml's expat parser with any DTD refused — so
no external entity, no entity expansion (« billion laughs »), no DTD
fetched — under a bound on its size, on the depth of its elements and on
each text read. The encoding is the one the file declares (ISO-8859-15 and
UTF-8 are both seen). Every problem is reported with its line and column,
and a file with any is refused whole.
"""

from __future__ import annotations

import xml.sax
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from xml.sax.xmlreader import InputSource

from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

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
from .format import Erreur, Invalide, montrer, uai

# The largest lycée's ElevesAvecAdresses.xml (3 000 pupils, some fifty
# elements each) is under 10 Mo: more is another file, or a hostile one.
# The bounds on size and on elements also bound the time: a refused file
# costs at most about a second of parsing.
TAILLE_MAX = 32 * 1024 * 1024
ELEMENTS_MAX = 1_000_000
PROFONDEUR_MAX = 32
TEXTE_LU_MAX = 4096  # characters gathered for one element before it is refused
MEMBRES = ("ElevesSansAdresses.xml", "ElevesAvecAdresses.xml")

_CHAMPS_ELEVE = {"ID_NATIONAL", "NOM_DE_FAMILLE", "NOM", "PRENOM", "DATE_NAISS", "DATE_SORTIE"}
_CHAMPS_STRUCTURE = {"CODE_STRUCTURE", "TYPE_STRUCTURE"}
_PARAMETRES = {"UAJ", "ANNEE_SCOLAIRE", "DATE_EXPORT"}
DIVISION = "D"
T = TypeVar("T")


class _Arret(Exception):
    """Too many errors: the reading stops (the file is refused)."""


@dataclass
class _Eleve:
    ligne: int
    colonne: int
    champs: dict[str, str] = field(default_factory=dict)


class _Lecteur(xml.sax.ContentHandler):
    """Gathers what the export needs, and nothing else, as expat streams it."""

    def __init__(self, nom: str) -> None:
        super().__init__()
        self.nom = nom
        self.erreurs: list[Erreur] = []
        self.parametres: dict[str, tuple[str, int, int]] = {}
        self.eleves: dict[str, _Eleve] = {}
        self.divisions: dict[str, str] = {}
        self._chemin: list[str] = []
        self._elements = 0
        self._texte: list[str] | None = None
        self._debut_texte = (1, 1)  # where the element being read starts
        self._taille_texte = 0
        self._eleve: _Eleve | None = None
        self._structure_eleve: str | None = None
        self._structure: dict[str, str] = {}
        self._locator: xml.sax.xmlreader.Locator | None = None

    # -- where we are --------------------------------------------------------
    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802 (SAX API)
        self._locator = locator

    def position(self) -> tuple[int, int]:
        if self._locator is None:
            return 1, 1
        return self._locator.getLineNumber() or 1, (self._locator.getColumnNumber() or 0) + 1

    def erreur(self, raison: str, position: tuple[int, int] | None = None,
               nom_colonne: str | None = None) -> None:
        ligne, colonne = position or self.position()
        self.erreurs.append(Erreur(self.nom, ligne, colonne, nom_colonne, raison))
        if len(self.erreurs) >= ERREURS_MAX:
            raise _Arret

    # -- SAX events ----------------------------------------------------------
    def startElement(self, nom: str, attributs: xml.sax.xmlreader.AttributesImpl) -> None:  # noqa: N802
        chemin = self._chemin
        chemin.append(nom)
        self._elements += 1
        if self._elements > ELEMENTS_MAX:
            self.erreur(f"plus de {ELEMENTS_MAX} éléments XML : ce n'est pas un export SIECLE")
            raise _Arret
        if len(chemin) > PROFONDEUR_MAX:
            self.erreur(f"éléments imbriqués sur plus de {PROFONDEUR_MAX} niveaux : ce n'est pas "
                        "un export SIECLE")
            raise _Arret
        if len(chemin) == 1:
            if nom != "BEE_ELEVES":
                self.erreur(f"élément racine « {montrer(nom)} » : un export SIECLE « Base élèves » "
                            "commence par BEE_ELEVES")
                raise _Arret
            return
        parent = chemin[-2]
        if nom == "ELEVE" and parent == "ELEVES":
            ligne, colonne = self.position()
            self._eleve = _Eleve(ligne, colonne)
            ident = attributs.get("ELEVE_ID", "")
            if not ident:
                self.erreur("attribut ELEVE_ID manquant", nom_colonne="ELEVE_ID")
            elif ident in self.eleves:
                self.erreur(f"ELEVE_ID « {montrer(ident)} » en double", nom_colonne="ELEVE_ID")
            elif len(self.eleves) >= ELEVES_MAX:
                self.erreur(f"plus de {ELEVES_MAX} élèves : ce n'est pas l'export d'un établissement")
                raise _Arret
            else:
                self.eleves[ident] = self._eleve
        elif nom == "STRUCTURES_ELEVE" and parent == "STRUCTURES":
            self._structure_eleve = attributs.get("ELEVE_ID", "")
        elif nom == "STRUCTURE" and parent == "STRUCTURES_ELEVE":
            self._structure = {}
        elif ((nom in _CHAMPS_ELEVE and parent == "ELEVE" and self._eleve is not None)
              or (nom in _CHAMPS_STRUCTURE and parent == "STRUCTURE")
              or (nom in _PARAMETRES and parent == "PARAMETRES")):
            self._texte, self._taille_texte = [], 0
            self._debut_texte = self.position()

    def characters(self, contenu: str) -> None:
        if self._texte is None:
            return  # text of an element we do not read: never kept
        self._taille_texte += len(contenu)
        if self._taille_texte > TEXTE_LU_MAX:
            self.erreur(f"texte de plus de {TEXTE_LU_MAX} caractères dans {self._chemin[-1]}")
            raise _Arret
        self._texte.append(contenu)

    def endElement(self, nom: str) -> None:  # noqa: N802
        chemin = self._chemin
        parent = chemin[-2] if len(chemin) > 1 else ""
        if self._texte is not None:
            valeur = "".join(self._texte)
            self._texte = None
            if parent == "ELEVE" and self._eleve is not None:
                self._eleve.champs[nom] = valeur
            elif parent == "STRUCTURE":
                self._structure[nom] = valeur
            elif parent == "PARAMETRES":
                self.parametres[nom] = (valeur, *self._debut_texte)
        elif nom == "ELEVE" and parent == "ELEVES":
            self._eleve = None
        elif nom == "STRUCTURE" and parent == "STRUCTURES_ELEVE":
            if self._structure.get("TYPE_STRUCTURE", "").strip() == DIVISION and self._structure_eleve:
                self.divisions.setdefault(self._structure_eleve, self._structure.get("CODE_STRUCTURE", ""))
        chemin.pop()


def lire_siecle(chemin: Path, taille_max: int = TAILLE_MAX) -> ExportClasses:
    """The export ``chemin`` names (XML or zip), checked whole; ExportInvalide
    (with lines and columns) or EchangeError when it is refused."""
    with ouvrir_borne(chemin, taille_max, MEMBRES) as (nom, flux):
        lecteur = _Lecteur(nom)
        analyseur = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        analyseur.setContentHandler(lecteur)
        # Belt and braces: never fetch anything named by the document.
        analyseur.setFeature(xml.sax.handler.feature_external_ges, False)
        analyseur.setFeature(xml.sax.handler.feature_external_pes, False)
        source = InputSource(nom)
        source.setByteStream(flux)
        try:
            analyseur.parse(source)
        except _Arret:
            pass
        except DefusedXmlException:
            lecteur.erreur("déclaration DTD ou d'entité interdite (un export SIECLE n'en a pas) : "
                           "fichier refusé par précaution")
        except xml.sax.SAXParseException as exc:
            lecteur.erreur(mal_forme(exc.getMessage()),
                           (exc.getLineNumber() or 1, (exc.getColumnNumber() or 0) + 1))
    return _export(lecteur)


# expat's messages, in the user's words.
_MESSAGES_EXPAT = {
    "no element found": "fin de fichier inattendue (fichier tronqué ?)",
    "not well-formed (invalid token)": "caractère invalide (encodage autre que celui déclaré, "
                                       "ou fichier endommagé)",
    "mismatched tag": "balise fermante qui ne correspond pas à la balise ouverte",
    "unclosed token": "balise non fermée (fichier tronqué ?)",
    "junk after document element": "texte après la fin de l'élément racine",
    "undefined entity": "entité non définie",
    "unknown encoding": "encodage déclaré inconnu",
    "syntax error": "ce n'est pas un fichier XML",
}


def mal_forme(message: str) -> str:
    return f"XML mal formé : {_MESSAGES_EXPAT.get(message, message)}"


def _export(lecteur: _Lecteur) -> ExportClasses:
    if lecteur.erreurs:
        raise ExportInvalide(lecteur.erreurs)
    nom = lecteur.nom
    erreurs: list[Erreur] = []

    def parametre(cle: str, lire: Callable[[str], T]) -> T | None:
        valeur, ligne, colonne = lecteur.parametres.get(cle, ("", 1, 1))
        if cle not in lecteur.parametres:
            erreurs.append(Erreur(nom, 1, None, cle, f"PARAMETRES/{cle} manquant : ce n'est pas un "
                                                     "export SIECLE « Base élèves »"))
            return None
        try:
            return lire(valeur)
        except Invalide as exc:
            erreurs.append(Erreur(nom, ligne, colonne, cle, str(exc)))
            return None

    uaj = parametre("UAJ", uai)
    # « 15/01/2026 » or « 15/01/2026 10:12:00 »: the day is what matters.
    jour = parametre("DATE_EXPORT", lambda v: date_exportee(v.strip()[:10], "date d'export"))
    annee = parametre("ANNEE_SCOLAIRE", _annee) if "ANNEE_SCOLAIRE" in lecteur.parametres else None
    eleves, sortis = [], 0
    for ident, e in lecteur.eleves.items():
        lu = _eleve(nom, e, lecteur.divisions.get(ident, ""), erreurs)
        if lu is None:
            continue
        sortie = e.champs.get("DATE_SORTIE", "").strip()
        if sortie and jour is not None:
            try:
                depart = date_exportee(sortie[:10], "date de sortie")
            except Invalide as exc:
                erreurs.append(Erreur(nom, e.ligne, e.colonne, "DATE_SORTIE", str(exc)))
                continue
            if depart is not None and depart < jour:
                sortis += 1  # left before the export: no longer there
                continue
        eleves.append(lu)
    if erreurs:
        raise ExportInvalide(sorted(erreurs, key=lambda x: (x.ligne, x.colonne or 0)))
    assert uaj is not None and jour is not None
    return ExportClasses(nom, "SIECLE", uaj, jour, annee, tuple(eleves), sortis)


def _annee(valeur: str) -> int:
    texte = valeur.strip()
    if not (texte.isdigit() and len(texte) == 4):
        raise Invalide(f"année scolaire « {montrer(valeur)} » invalide (attendu aaaa)")
    return int(texte)


def _eleve(nom: str, e: _Eleve, division: str, erreurs: list[Erreur]) -> EleveExporte | None:
    champs = e.champs
    avant = len(erreurs)

    def champ(cle: str, lire: Callable[[str], T], brut: str | None = None) -> T | None:
        try:
            return lire(champs.get(cle, "") if brut is None else brut)
        except Invalide as exc:
            erreurs.append(Erreur(nom, e.ligne, e.colonne, cle, str(exc)))
            return None

    # NOM_DE_FAMILLE since the 2019 exports, NOM before.
    cle_nom = "NOM_DE_FAMILLE" if "NOM_DE_FAMILLE" in champs else "NOM"
    nom_eleve = champ(cle_nom, lambda v: texte_borne(v, "nom"))
    prenom = champ("PRENOM", lambda v: texte_borne(v, "prénom"))
    code_ine = champ("ID_NATIONAL", ine)
    naissance = champ("DATE_NAISS", lambda v: date_exportee(v, "date de naissance", naissance=True,
                                                             facultative=True))
    classe = champ("CODE_STRUCTURE", lambda v: texte_borne(v, "code de division"), division)
    if len(erreurs) > avant or nom_eleve is None or prenom is None or code_ine is None or classe is None:
        return None
    if not nom_eleve or not prenom:
        erreurs.append(Erreur(nom, e.ligne, e.colonne, None,
                              "élève sans NOM_DE_FAMILLE (ou NOM) ou sans PRENOM"))
        return None
    return EleveExporte(e.ligne, e.colonne, code_ine, nom_eleve, prenom, naissance, classe)
