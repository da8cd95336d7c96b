"""Import of an interchange folder (SPEC §4).

Everything is validated first — types, bounds, required cells, dates in
order, duplicate keys, references against the folder and the database —
and every error is collected. Only a clean folder is written, by key (an
upsert): a re-import of the same folder writes nothing at all. The
references are checked against the base inside the write transaction, so
that a row another session removes meanwhile can never be referenced.

Memory does not grow with the folder: each file is read as a stream, and
each checked row goes to an anonymous temporary file (600 and nameless: it
vanishes with the process, nobody else can open it) instead of staying in
memory; only the keys that other rows may reference are kept. The write
transaction reads the rows back from it, so the base is held no longer
than before: the parsing is done by then.
"""

from __future__ import annotations

import csv
import io
import itertools
import marshal
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from ..calendrier import format_date
from ..calendrier import today as aujourdhui
from ..fichiers import FichierRefuse, ouvrir_ordinaire, raison_fichier
from ..stockage import RienAEcrire, Stockage, Transaction
from ..stockage import accompagnements as liens
from . import champ_trop_long
from .format import (
    FICHIERS,
    LIBELLES_ENTITE,
    PAR_ENTITE,
    EchangeError,
    Erreur,
    Fichier,
    ImportEchangeError,
    Invalide,
    montrer,
)

# Marks a cell that could not be read, so that later checks skip it instead
# of piling a second error on the same cell. Ellipsis, because rows travel
# through ``marshal`` (the temporary file), which keeps it as itself.
_INVALIDE = ...

# A file with more errors than this is not worth reading further: its
# reading stops (and the folder is refused), which also bounds the memory
# that a hostile file can take with errors.
ERREURS_PAR_FICHIER = 1000
_LOT = 2000  # rows per record of the temporary file


class Reserve:
    """The checked rows of one file, ``(ligne, valeurs)``, kept in an
    anonymous temporary file rather than in memory."""

    def __init__(self) -> None:
        self._fichier = tempfile.TemporaryFile()  # 600, unlinked at once
        self._lot: list[tuple[int, tuple]] = []

    def ajouter(self, ligne: int, valeurs: tuple) -> None:
        self._lot.append((ligne, valeurs))
        if len(self._lot) >= _LOT:
            self._vider()

    def _vider(self) -> None:
        if self._lot:
            # Length-prefixed records: marshal.load on a file reads object by
            # object, far slower than one read and marshal.loads.
            data = marshal.dumps(self._lot)
            self._fichier.write(len(data).to_bytes(8, "little") + data)
            self._lot = []

    def __iter__(self) -> Iterator[tuple[int, tuple]]:
        self._vider()
        self._fichier.seek(0)
        while taille := self._fichier.read(8):
            yield from marshal.loads(self._fichier.read(int.from_bytes(taille, "little")))

    def fermer(self) -> None:
        self._fichier.close()


@dataclass
class Contenu:
    """One file as read: where its columns are, how many rows it has, and
    the keys it provides to the other files."""

    fichier: Fichier
    positions: dict[str, int] = field(default_factory=dict)  # column → 1-based position
    lus: int = 0  # rows read
    complet: bool = True  # False when a header, encoding or quoting error stopped the reading
    cles: set = field(default_factory=set)  # values of the key's first column
    reserve: Reserve | None = None  # the rows, for an import (an RH extract keeps its own)

    def rangees(self) -> Iterator[tuple[int, tuple]]:
        return iter(self.reserve) if self.reserve is not None else iter(())


@dataclass(frozen=True)
class ResultatImport:
    lus: dict[str, int]  # rows read per file present in the folder
    ajoutes: dict[str, int]
    modifies: dict[str, int]

    @property
    def changements(self) -> int:
        return sum(self.ajoutes.values()) + sum(self.modifies.values())


def importer(store: Stockage, dossier: Path, today: date | None = None) -> ResultatImport:
    """Import the folder, or raise ImportEchangeError (nothing written).
    ``today`` bounds the birth dates (default: calendrier.today())."""
    today = today or aujourdhui()
    ajoutes: dict[str, int] = {}
    modifies: dict[str, int] = {}
    with ExitStack() as pile:
        contenus, erreurs = lire_dossier(dossier, today, pile)
        try:
            with store.ecriture() as tx:
                erreurs += verifier_references(contenus, cles_existantes(tx))
                if erreurs:
                    ordre = {f.nom: i for i, f in enumerate(FICHIERS)}
                    erreurs.sort(key=lambda e: (ordre[e.fichier], e.ligne, e.colonne or 0))
                    raise ImportEchangeError(erreurs)
                ajoutes, modifies = _ecrire(tx, contenus)
                if not any(ajoutes.values()) and not any(modifies.values()):
                    raise RienAEcrire
        except RienAEcrire:
            pass
    lus = {nom: c.lus for nom, c in contenus.items()}
    return ResultatImport(lus, ajoutes, modifies)


# -- the folder --------------------------------------------------------------------

_NOMS = {f.nom: f for f in FICHIERS}
_PAR_NOM_PLIE = {f.nom.casefold(): f.nom for f in FICHIERS}


def fichiers_presents(dossier: Path) -> list[Fichier]:
    """The files of the format in ``dossier``, in dependency order. A name
    that differs only by its case (``Eleves.CSV``) or a link or folder in
    place of a file is refused, never skipped in silence."""
    try:
        entrees = sorted(os.scandir(dossier), key=lambda e: e.name)
    except FileNotFoundError:
        raise EchangeError(f"dossier introuvable : {dossier}") from None
    except NotADirectoryError:
        raise EchangeError(f"{dossier} n'est pas un dossier") from None
    except OSError as exc:
        raise EchangeError(f"{dossier} : lecture impossible ({raison_fichier(exc)})") from exc
    presents, problemes = set(), []
    for entree in entrees:
        nom = entree.name
        if nom in _NOMS:
            if entree.is_symlink():
                problemes.append(f"{nom} est un lien symbolique : il n'est pas lu")
            elif not entree.is_file(follow_symlinks=False):
                problemes.append(f"{nom} n'est pas un fichier ordinaire : il n'est pas lu")
            else:
                presents.add(nom)
        elif nom.strip().casefold() in _PAR_NOM_PLIE:
            attendu = _PAR_NOM_PLIE[nom.strip().casefold()]
            problemes.append(
                f"fichier « {montrer(nom)} » trouvé : le nom attendu est « {attendu} » "
                "(en minuscules, sans espace) ; renommez-le"
            )
    if problemes:
        raise EchangeError(f"import refusé, la base n'a pas été modifiée : {dossier} :\n"
                           + "\n".join(problemes))
    if not presents:
        attendus = ", ".join(_NOMS)
        trouves = [e.name for e in entrees if not e.name.startswith(".")]
        vus = ", ".join(montrer(n) for n in trouves[:10]) + (", …" if len(trouves) > 10 else "")
        raise EchangeError(
            f"aucun fichier du format d'échange dans {dossier} (attendus : {attendus} ; "
            f"trouvés : {vus or 'aucun fichier'})"
        )
    return [f for f in FICHIERS if f.nom in presents]


def lire_dossier(dossier: Path, today: date, pile: ExitStack) -> tuple[dict[str, Contenu], list[Erreur]]:
    """Read and check every file of the folder on its own (no database);
    the rows go to temporary files closed with ``pile``."""
    erreurs: list[Erreur] = []
    contenus = {}
    for fichier in fichiers_presents(dossier):
        reserve = Reserve()
        pile.callback(reserve.fermer)
        contenu = Contenu(fichier, reserve=reserve)
        try:
            flux = pile.enter_context(ouvrir_ordinaire(dossier / fichier.nom))
        except FichierRefuse as exc:
            raise EchangeError(str(exc)) from exc
        except OSError as exc:
            raise EchangeError(f"{fichier.nom} : lecture impossible ({raison_fichier(exc)})") from exc
        for ligne, valeurs in lire_fichier(contenu, flux, erreurs, today):
            reserve.ajouter(ligne, valeurs)
        contenus[fichier.nom] = contenu
    return contenus, erreurs


# -- one file ----------------------------------------------------------------------

def lire_fichier(contenu: Contenu, flux: BinaryIO, erreurs: list[Erreur],
                 today: date) -> Iterator[tuple[int, tuple]]:
    """The checked rows of one file, as ``(ligne, valeurs)``, read as a
    stream; its errors go to ``erreurs``, its header and keys to ``contenu``."""
    fichier = contenu.fichier
    avant = len(erreurs)
    texte = io.TextIOWrapper(flux, encoding="utf-8-sig", newline="")
    try:
        entete = texte.readline()
    except UnicodeDecodeError:
        erreurs.append(_erreur_encodage(fichier.nom, flux))
        contenu.complet = False
        return
    separateur = "," if entete.count(",") > entete.count(";") else ";"
    reader = csv.reader(itertools.chain([entete], texte), delimiter=separateur, strict=True)
    lu = 0  # physical lines consumed so far: a record starts on the next one
    plan = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError:
            erreurs.append(_erreur_encodage(fichier.nom, flux))
            contenu.complet = False
            break
        except csv.Error as exc:
            erreurs.append(_erreur_csv(fichier.nom, flux, lu + 1, separateur, exc))
            contenu.complet = False
            break
        ligne, lu = lu + 1, reader.line_num
        if plan is None:
            if not _lire_entete(fichier, row, contenu, erreurs):
                contenu.complet = False
                return
            plan = _Plan(fichier, contenu.positions, today)
        elif "".join(row).strip():  # rows of bare separators are blank lines too
            valeurs = _lire_ligne(plan, row, ligne, erreurs)
            if valeurs is None:
                continue
            contenu.lus += 1
            plan.doublon(valeurs, ligne, contenu, erreurs)
            yield ligne, valeurs
        if len(erreurs) - avant >= ERREURS_PAR_FICHIER:
            erreurs.append(Erreur(
                fichier.nom, ligne, None, None,
                f"plus de {ERREURS_PAR_FICHIER} erreurs : lecture du fichier arrêtée ici",
            ))
            contenu.complet = False
            return
    if plan is None and contenu.complet:
        erreurs.append(Erreur(fichier.nom, 1, None, None, "fichier vide : ligne d'en-tête attendue"))
        contenu.complet = False


def _erreur_encodage(nom: str, flux: BinaryIO) -> Erreur:
    """Where the first byte that is not UTF-8 is: line and column, found
    again line by line (the decoder's position is lost inside its buffer)."""
    flux.seek(0)
    sep, numero = b";", 0
    for numero, data in enumerate(flux, 1):
        if numero == 1:
            sep = b"," if data.count(b",") > data.count(b";") else b";"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            position = exc.start
            return Erreur(
                nom, numero, data.count(sep, 0, position) + 1, None,
                f"encodage invalide (octet 0x{data[position]:02X}) : le fichier doit être en "
                "UTF-8 (« CSV UTF-8 » dans un tableur)",
            )
    return Erreur(nom, max(numero, 1), None, None, "encodage invalide : le fichier doit être en UTF-8")


def _erreur_csv(nom: str, flux: BinaryIO, ligne: int, separateur: str, exc: csv.Error) -> Erreur:
    """A record the csv module refuses: a field over its size limit (told
    with its column), else a misplaced quote."""
    if not champ_trop_long.est_trop_long(exc):
        return Erreur(nom, ligne, None, None,
                      "guillemets mal placés (champ non fermé ou texte après le guillemet fermant)")
    flux.seek(0)
    texte = io.TextIOWrapper(flux, encoding="utf-8-sig", newline="", errors="replace")
    for _ in range(ligne - 1):
        texte.readline()
    return Erreur(nom, ligne, champ_trop_long.colonne_trop_longue(texte, separateur), None,
                  champ_trop_long.raison())


def _lire_entete(fichier: Fichier, row: list[str], contenu: Contenu, erreurs: list[Erreur]) -> bool:
    noms = [cell.strip().lower() for cell in row]
    while noms and not noms[-1]:  # trailing separators some spreadsheets add
        noms.pop()
    attendus = set(fichier.noms)
    liste = ", ".join(fichier.noms)
    if noms and not attendus.intersection(noms):
        # Not a file of this kind at all (a file of something else under
        # this name): say so without quoting what it holds.
        erreurs.append(Erreur(
            fichier.nom, 1, None, None,
            f"en-tête non reconnu : aucune des colonnes attendues ({liste})",
        ))
        return False
    avant = len(erreurs)
    for i, nom in enumerate(noms):
        if not nom:
            erreurs.append(Erreur(fichier.nom, 1, i + 1, None, "colonne sans nom"))
        elif nom not in attendus:
            erreurs.append(Erreur(
                fichier.nom, 1, i + 1, montrer(nom),
                f"colonne inconnue (colonnes attendues : {liste})",
            ))
        elif nom in contenu.positions:
            erreurs.append(Erreur(fichier.nom, 1, i + 1, nom, "colonne en double"))
        else:
            contenu.positions[nom] = i + 1
    for nom in fichier.noms:
        if nom not in contenu.positions:
            # A missing column has no position: point just past the header's
            # last column, where it can be added.
            erreurs.append(Erreur(
                fichier.nom, 1, len(noms) + 1, nom, "colonne manquante dans l'en-tête",
            ))
    return len(erreurs) == avant


class _Plan:
    """How to read the rows of one file, once its header is known."""

    def __init__(self, fichier: Fichier, positions: dict[str, int], today: date):
        self.fichier = fichier
        self.largeur = len(positions)
        self.cellules = [(positions[c.nom] - 1, c.lire) for c in fichier.colonnes]
        noms = fichier.noms
        self.positions = positions
        self.dates = (noms.index("debut"), noms.index("fin")) if "fin" in noms else None
        self.decision = (noms.index("type"), noms.index("heures")) if fichier.table == "decision" else None
        self.naissance = noms.index("date_naissance") if "date_naissance" in noms else None
        self.today = today.isoformat()
        self.libelle_today = format_date(today)
        self.cle = [noms.index(k) for k in fichier.cle]
        # key → its first line. A key of several columns is kept as one text
        # (its cells joined by NUL, which no cleaned cell holds): the one
        # thing the reading keeps per row, so it is kept small.
        self.vues: dict[str, int] = {}

    def doublon(self, valeurs: tuple, ligne: int, contenu: Contenu, erreurs: list[Erreur]) -> None:
        """A key seen on an earlier line is an error; the keys of an entity
        are kept for the references of the other files."""
        cle = tuple(valeurs[i] for i in self.cle)
        if _INVALIDE in cle:
            return
        premiere = self.vues.setdefault(cle[0] if len(cle) == 1 else "\0".join(cle), ligne)
        if premiere != ligne:
            erreurs.append(Erreur(
                self.fichier.nom, ligne, self.positions[self.fichier.cle[0]], self.fichier.cle[0],
                f"clé en double « {' / '.join(cle)} » (déjà à la ligne {premiere})",
            ))
        if self.fichier.entite:
            contenu.cles.add(cle[0])


def _lire_ligne(plan: _Plan, row: list[str], ligne: int, erreurs: list[Erreur]) -> tuple | None:
    """The row's stored values (``_INVALIDE`` for a cell that cannot be
    read), or None when the row has the wrong number of fields."""
    fichier = plan.fichier
    if len(row) != plan.largeur and (
        len(row) < plan.largeur or "".join(row[plan.largeur:]).strip()
    ):
        erreurs.append(Erreur(
            fichier.nom, ligne, min(len(row), plan.largeur) + 1, None,
            f"{len(row)} champs au lieu de {plan.largeur}",
        ))
        return None
    try:
        valeurs = [lire(row[i]) for i, lire in plan.cellules]
    except Invalide:
        # Slow path, rare: read again cell by cell to report every bad one.
        valeurs = []
        for (i, lire), colonne in zip(plan.cellules, fichier.colonnes):
            try:
                valeurs.append(lire(row[i]))
            except Invalide as exc:
                valeurs.append(_INVALIDE)
                erreurs.append(Erreur(fichier.nom, ligne, i + 1, colonne.nom, str(exc)))
    for j, raison in _incoherences(plan, valeurs):
        nom = fichier.colonnes[j].nom
        erreurs.append(Erreur(fichier.nom, ligne, plan.positions[nom], nom, raison))
    return tuple(valeurs)


def _incoherences(plan: _Plan, valeurs: list) -> list[tuple[int, str]]:
    """Checks across the cells of one row: (column index, reason)."""
    out = []
    if plan.dates:
        i_debut, i_fin = plan.dates
        debut, fin = valeurs[i_debut], valeurs[i_fin]
        # ISO dates sort as text; None (open end) and _INVALIDE are skipped.
        if isinstance(debut, str) and isinstance(fin, str) and fin < debut:
            out.append((i_fin, f"fin « {fin} » antérieure au début « {debut} »"))
    if plan.naissance is not None:
        # An ISO text (interchange) or a date (RH extracts): both compare
        # as their ISO text; None (unknown) and _INVALIDE are skipped.
        naissance = valeurs[plan.naissance]
        if naissance is not None and naissance is not _INVALIDE and str(naissance) > plan.today:
            jour = format_date(date.fromisoformat(str(naissance)))
            out.append((plan.naissance, f"date de naissance {jour} postérieure à aujourd'hui "
                                        f"({plan.libelle_today})"))
    if plan.decision:
        i_type, i_heures = plan.decision
        type_, heures = valeurs[i_type], valeurs[i_heures]
        if heures is _INVALIDE or type_ is _INVALIDE:
            return out
        if type_ == "individuelle" and not heures:
            out.append((i_heures, "heures notifiées (> 0) requises pour une décision individuelle"))
        elif type_ == "mutualisee" and heures is not None:
            out.append((i_heures, "heures à laisser vides pour une décision mutualisée"))
    return out


# -- references ------------------------------------------------------------------

def cles_existantes(tx: Transaction) -> dict[str, set[str]]:
    """Keys already in the database, per entity that files may reference
    (``pial``: the PIAL codes the établissements carry)."""
    cles = {entite: tx.valeurs(f.table, f.cle[0]) for entite, f in PAR_ENTITE.items()}
    cles["pial"] = tx.valeurs("etablissement", "pial_uai") - {None}
    return cles


def verifier_references(contenus: dict[str, Contenu], existantes: dict[str, set[str]]) -> list[Erreur]:
    connues: dict[str, set[str] | None] = {}
    for entite, fichier in PAR_ENTITE.items():
        contenu = contenus.get(fichier.nom)
        if contenu is not None and not contenu.complet:
            # Its rows are unknown: checking against them would only add
            # false errors to the one that matters.
            connues[entite] = None
        else:
            connues[entite] = existantes[entite] | (contenu.cles if contenu else set())
    connues["pial"] = _pial_connus(contenus, existantes, connues["etablissement"])
    erreurs: list[Erreur] = []
    for contenu in contenus.values():
        fichier = contenu.fichier
        # (cell index, column, entity it names, the keys it may name)
        colonnes: list[tuple[int, str, str, set[str]]] = []
        for i, colonne in enumerate(fichier.colonnes):
            if colonne.reference is not None:
                cles = connues[colonne.reference]
                if cles is not None:
                    colonnes.append((i, colonne.nom, colonne.reference, cles))
        if not colonnes:
            continue
        avant = len(erreurs)
        for ligne, valeurs in contenu.rangees():
            for i, nom, entite, cles in colonnes:
                valeur = valeurs[i]
                if valeur is _INVALIDE or valeur is None:
                    continue
                for cle in valeur if isinstance(valeur, tuple) else (valeur,):
                    if cle not in cles:
                        erreurs.append(Erreur(
                            fichier.nom, ligne, contenu.positions[nom], nom,
                            f"{LIBELLES_ENTITE[entite]} « {cle} » introuvable "
                            f"(ni dans {PAR_ENTITE.get(entite, PAR_ENTITE['etablissement']).nom} "
                            "ni dans la base)",
                        ))
            if len(erreurs) - avant >= ERREURS_PAR_FICHIER:
                break
    return erreurs


def _pial_connus(contenus: dict[str, Contenu], existantes: dict[str, set[str]],
                 etablissements: set[str] | None) -> set[str] | None:
    """The PIAL an affectation may name: a tête among the établissements, or
    a PIAL code an établissement carries (file or base)."""
    if etablissements is None:
        return None
    connus = etablissements | existantes["pial"]
    contenu = contenus.get(PAR_ENTITE["etablissement"].nom)
    if contenu is not None:
        i = contenu.fichier.noms.index("pial_uai")
        connus |= {v[i] for _, v in contenu.rangees() if isinstance(v[i], str)}
    return connus


# -- writing ---------------------------------------------------------------------

def _ecrire(tx: Transaction, contenus: dict[str, Contenu]) -> tuple[dict[str, int], dict[str, int]]:
    ajoutes: dict[str, int] = {}
    modifies: dict[str, int] = {}
    for fichier in FICHIERS:  # dependency order
        contenu = contenus.get(fichier.nom)
        if contenu is None:
            continue
        if fichier.table == "accompagnement":
            a, m = _ecrire_accompagnements(tx, fichier, contenu)
        else:
            a, m = tx.upsert(fichier.table, fichier.noms, fichier.cle,
                             (valeurs for _, valeurs in contenu.rangees()),
                             versioned=fichier.versionne)
        ajoutes[fichier.nom], modifies[fichier.nom] = a, m
    return ajoutes, modifies


def _ecrire_accompagnements(tx: Transaction, fichier: Fichier, contenu: Contenu) -> tuple[int, int]:
    """Rows by key, then each accompagnement's décisions (in order, ``rang``
    from 1) replaced only where they differ; a change of décisions alone is
    still a change of the accompagnement, so its version moves."""
    colonnes = fichier.colonnes_table
    i_ids = fichier.noms.index("decision_ids")
    rows, ids = [], []
    for _, v in contenu.rangees():
        rows.append(v[:i_ids] + v[i_ids + 1:])
        ids.append(v[i_ids])
    avant = {r[0]: r for r in tx.table("accompagnement", colonnes)}
    existants = liens.liens_decisions(tx)
    ajoutes, modifies = tx.upsert(fichier.table, colonnes, fichier.cle, rows,
                                  versioned=fichier.versionne)
    changes = [(row[0], d) for row, d in zip(rows, ids) if tuple(existants.get(row[0], ())) != d]
    liens.remplacer_liens(tx, changes, set(existants))
    seuls_liens = [row[0] for row, d in zip(rows, ids)
                   if tuple(existants.get(row[0], ())) != d and avant.get(row[0]) == row]
    liens.nouvelle_version(tx, seuls_liens)
    return ajoutes, modifies + len(seuls_liens)
