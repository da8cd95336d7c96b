"""Import of an interchange folder (SPEC §4).

Everything is validated first — types, required cells, dates in order,
duplicate keys, references against the folder and the database — and every
error is collected. Only a clean folder is written, in one transaction, by
key (``Store.upsert``): a re-import of the same folder writes nothing at all.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

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
from ..stockage.sqlite import RienAEcrire, Store

# Marks a cell that could not be read, so that later checks skip it instead
# of piling a second error on the same cell.
_INVALIDE = object()


@dataclass
class Contenu:
    """One file as read: its rows (cells in ``fichier.colonnes`` order) with
    their physical line numbers."""

    fichier: Fichier
    positions: dict[str, int] = field(default_factory=dict)  # column → 1-based position
    lignes: list[int] = field(default_factory=list)
    valeurs: list[list] = field(default_factory=list)
    complet: bool = True  # False when a header or encoding error stopped the reading

    def cles(self) -> set:
        i = self.fichier.noms.index(self.fichier.cle[0])
        return {v[i] for v in self.valeurs if v[i] is not _INVALIDE}


@dataclass(frozen=True)
class ResultatImport:
    lus: dict[str, int]  # rows read per file present in the folder
    ajoutes: dict[str, int]
    modifies: dict[str, int]

    @property
    def changements(self) -> int:
        return sum(self.ajoutes.values()) + sum(self.modifies.values())


def importer(store: Store, dossier: Path) -> ResultatImport:
    """Import the folder, or raise ImportEchangeError (nothing written)."""
    contenus, erreurs = lire_dossier(dossier)
    erreurs += verifier_references(contenus, cles_existantes(store))
    if erreurs:
        ordre = {f.nom: i for i, f in enumerate(FICHIERS)}
        erreurs.sort(key=lambda e: (ordre[e.fichier], e.ligne, e.colonne or 0))
        raise ImportEchangeError(erreurs)
    lus = {nom: len(c.valeurs) for nom, c in contenus.items()}
    ajoutes, modifies = _ecrire(store, contenus)
    return ResultatImport(lus, ajoutes, modifies)


# -- reading -------------------------------------------------------------------

def lire_dossier(dossier: Path) -> tuple[dict[str, Contenu], list[Erreur]]:
    """Read and check every file of the folder on its own (no database)."""
    if not dossier.is_dir():
        raise EchangeError(f"dossier introuvable : {dossier}")
    presents = [f for f in FICHIERS if (dossier / f.nom).is_file()]
    if not presents:
        attendus = ", ".join(f.nom for f in FICHIERS)
        raise EchangeError(f"aucun fichier du format d'échange dans {dossier} (attendus : {attendus})")
    erreurs: list[Erreur] = []
    contenus = {}
    for fichier in presents:
        try:
            data = (dossier / fichier.nom).read_bytes()
        except OSError as exc:
            raise EchangeError(f"{fichier.nom} : lecture impossible ({exc.strerror})") from exc
        contenus[fichier.nom] = lire_fichier(fichier, data, erreurs)
    return contenus, erreurs


def lire_fichier(fichier: Fichier, data: bytes, erreurs: list[Erreur]) -> Contenu:
    contenu = Contenu(fichier)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        erreurs.append(_erreur_encodage(fichier.nom, data, exc.start))
        contenu.complet = False
        return contenu
    entete = text.split("\n", 1)[0]
    separateur = "," if entete.count(",") > entete.count(";") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separateur, strict=True)
    lu = 0  # physical lines consumed so far: a record starts on the next one
    plan = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            erreurs.append(Erreur(
                fichier.nom, lu + 1, None, None,
                "guillemets mal placés (champ non fermé ou texte après le guillemet fermant)",
            ))
            contenu.complet = False
            break
        ligne, lu = lu + 1, reader.line_num
        if plan is None:
            if not _lire_entete(fichier, row, contenu, erreurs):
                contenu.complet = False
                return contenu
            plan = _Plan(fichier, contenu.positions)
        elif "".join(row).strip():  # rows of bare separators are blank lines too
            _lire_ligne(plan, row, ligne, contenu, erreurs)
    if plan is None and contenu.complet:
        erreurs.append(Erreur(fichier.nom, 1, None, None, "fichier vide : ligne d'en-tête attendue"))
        contenu.complet = False
    _verifier_doublons(contenu, erreurs)
    return contenu


def _erreur_encodage(nom: str, data: bytes, position: int) -> Erreur:
    debut_ligne = data.rfind(b"\n", 0, position) + 1
    premiere = data.split(b"\n", 1)[0]
    sep = b"," if premiere.count(b",") > premiere.count(b";") else b";"
    return Erreur(
        nom, data.count(b"\n", 0, position) + 1, data.count(sep, debut_ligne, position) + 1, None,
        f"encodage invalide (octet 0x{data[position]:02X}) : le fichier doit être en UTF-8 "
        "(« CSV UTF-8 » dans un tableur)",
    )


def _lire_entete(fichier: Fichier, row: list[str], contenu: Contenu, erreurs: list[Erreur]) -> bool:
    noms = [cell.strip().lower() for cell in row]
    while noms and not noms[-1]:  # trailing separators some spreadsheets add
        noms.pop()
    attendus = set(fichier.noms)
    avant = len(erreurs)
    for i, nom in enumerate(noms):
        if not nom:
            erreurs.append(Erreur(fichier.nom, 1, i + 1, None, "colonne sans nom"))
        elif nom not in attendus:
            liste = ", ".join(fichier.noms)
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

    def __init__(self, fichier: Fichier, positions: dict[str, int]):
        self.fichier = fichier
        self.largeur = len(positions)
        self.cellules = [(positions[c.nom] - 1, c.lire) for c in fichier.colonnes]
        noms = fichier.noms
        self.dates = (noms.index("debut"), noms.index("fin")) if "fin" in noms else None
        self.decision = (noms.index("type"), noms.index("heures")) if fichier.table == "decision" else None


def _lire_ligne(plan: _Plan, row: list[str], ligne: int, contenu: Contenu, erreurs: list[Erreur]) -> None:
    fichier = plan.fichier
    if len(row) != plan.largeur and (
        len(row) < plan.largeur or "".join(row[plan.largeur:]).strip()
    ):
        erreurs.append(Erreur(
            fichier.nom, ligne, min(len(row), plan.largeur) + 1, None,
            f"{len(row)} champs au lieu de {plan.largeur}",
        ))
        return
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
        erreurs.append(Erreur(fichier.nom, ligne, contenu.positions[nom], nom, raison))
    contenu.lignes.append(ligne)
    contenu.valeurs.append(valeurs)


def _incoherences(plan: _Plan, valeurs: list) -> list[tuple[int, str]]:
    """Checks across the cells of one row: (column index, reason)."""
    out = []
    if plan.dates:
        i_debut, i_fin = plan.dates
        debut, fin = valeurs[i_debut], valeurs[i_fin]
        # ISO dates sort as text; None (open end) and _INVALIDE are skipped.
        if isinstance(debut, str) and isinstance(fin, str) and fin < debut:
            out.append((i_fin, f"fin « {fin} » antérieure au début « {debut} »"))
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


def _verifier_doublons(contenu: Contenu, erreurs: list[Erreur]) -> None:
    fichier = contenu.fichier
    indices = [fichier.noms.index(k) for k in fichier.cle]
    position = contenu.positions.get(fichier.cle[0])
    vues: dict[tuple, int] = {}
    for ligne, valeurs in zip(contenu.lignes, contenu.valeurs):
        cle = tuple(valeurs[i] for i in indices)
        if _INVALIDE in cle:
            continue
        premiere = vues.setdefault(cle, ligne)
        if premiere != ligne:
            texte = " / ".join(cle)
            erreurs.append(Erreur(
                fichier.nom, ligne, position, fichier.cle[0],
                f"clé en double « {texte} » (déjà à la ligne {premiere})",
            ))


# -- references ------------------------------------------------------------------

def cles_existantes(store: Store) -> dict[str, set[str]]:
    """Keys already in the database, per entity that files may reference."""
    return {
        entite: {r[0] for r in store.rows(f"SELECT {f.cle[0]} FROM {f.table}")}
        for entite, f in PAR_ENTITE.items()
    }


def verifier_references(contenus: dict[str, Contenu], existantes: dict[str, set[str]]) -> list[Erreur]:
    connues: dict[str, set[str] | None] = {}
    for entite, fichier in PAR_ENTITE.items():
        contenu = contenus.get(fichier.nom)
        if contenu is not None and not contenu.complet:
            # Its rows are unknown: checking against them would only add
            # false errors to the one that matters.
            connues[entite] = None
        else:
            connues[entite] = existantes[entite] | (contenu.cles() if contenu else set())
    erreurs = []
    for contenu in contenus.values():
        fichier = contenu.fichier
        for i, colonne in enumerate(fichier.colonnes):
            if colonne.reference is None or connues[colonne.reference] is None:
                continue
            cles = connues[colonne.reference]
            source = PAR_ENTITE[colonne.reference].nom
            libelle = LIBELLES_ENTITE[colonne.reference]
            position = contenu.positions[colonne.nom]
            for ligne, valeurs in zip(contenu.lignes, contenu.valeurs):
                valeur = valeurs[i]
                if valeur is _INVALIDE:
                    continue
                for cle in valeur if isinstance(valeur, tuple) else (valeur,):
                    if cle not in cles:
                        erreurs.append(Erreur(
                            fichier.nom, ligne, position, colonne.nom,
                            f"{libelle} « {cle} » introuvable (ni dans {source} ni dans la base)",
                        ))
    return erreurs


# -- writing ---------------------------------------------------------------------

def _ecrire(store: Store, contenus: dict[str, Contenu]) -> tuple[dict[str, int], dict[str, int]]:
    ajoutes: dict[str, int] = {}
    modifies: dict[str, int] = {}
    try:
        with store.write() as con:
            for fichier in FICHIERS:  # dependency order
                contenu = contenus.get(fichier.nom)
                if contenu is None:
                    continue
                if fichier.table == "accompagnement":
                    a, m = _ecrire_accompagnements(con, fichier, contenu)
                else:
                    a, m = Store.upsert(
                        con, fichier.table, fichier.noms, fichier.cle, contenu.valeurs,
                        versioned=fichier.versionne,
                    )
                ajoutes[fichier.nom], modifies[fichier.nom] = a, m
            if not any(ajoutes.values()) and not any(modifies.values()):
                raise RienAEcrire
    except RienAEcrire:
        pass
    except sqlite3.IntegrityError as exc:
        # Validation read the database before the transaction: another
        # session removed a referenced row in between.
        raise EchangeError(
            f"la base a changé pendant l'import ({exc}) : rien n'a été écrit, relancez l'import."
        ) from exc
    return ajoutes, modifies


def _ecrire_accompagnements(con: sqlite3.Connection, fichier: Fichier, contenu: Contenu) -> tuple[int, int]:
    """Rows by key, then each accompagnement's décisions (in order, ``rang``
    from 1) replaced only where they differ; a change of décisions alone is
    still a change of the accompagnement, so its version moves."""
    colonnes = fichier.colonnes_table
    i_ids = fichier.noms.index("decision_ids")
    rows = [tuple(v[:i_ids] + v[i_ids + 1:]) for v in contenu.valeurs]
    avant = {r[0]: r for r in con.execute(f"SELECT {', '.join(colonnes)} FROM accompagnement")}
    liens: dict[str, list[str]] = {}
    for acc_id, dec_id in con.execute(
        "SELECT accompagnement_id, decision_id FROM accompagnement_decision "
        "ORDER BY accompagnement_id, rang"
    ):
        liens.setdefault(acc_id, []).append(dec_id)
    ajoutes, modifies = Store.upsert(
        con, fichier.table, colonnes, fichier.cle, rows, versioned=fichier.versionne
    )
    changes = [
        (row, v[i_ids]) for row, v in zip(rows, contenu.valeurs)
        if tuple(liens.get(row[0], ())) != v[i_ids]
    ]
    con.executemany(
        "DELETE FROM accompagnement_decision WHERE accompagnement_id = ?",
        [(row[0],) for row, _ in changes if row[0] in liens],
    )
    con.executemany(
        "INSERT INTO accompagnement_decision (accompagnement_id, decision_id, rang) VALUES (?, ?, ?)",
        [(row[0], d, rang) for row, ids in changes for rang, d in enumerate(ids, 1)],
    )
    seuls_liens = [(row[0],) for row, _ in changes if avant.get(row[0]) == row]
    con.executemany("UPDATE accompagnement SET version = version + 1 WHERE id = ?", seuls_liens)
    return ajoutes, modifies + len(seuls_liens)
