"""The Session's door to the neighbouring systems and to spreadsheets
(SPEC §6): classes from SIECLE and ONDE, the ENT access of the AESH, and
any list written as ``.xlsx`` or ``.csv``. A mixin of ``Session``
(api/session.py): the screens and the commands call these methods.

A file that cannot be read, or is refused, raises ``RefusFichier`` with
the French message (and, for an export with errors, their list with line
and column): the base is then untouched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.echange.format import EchangeError, Erreur, FichiersInvalides
from ..engine.fichiers import FichierExistant, raison_fichier
from ..engine.fichiers import FichierRefuse as _FichierRefuse
from ..engine.modele.model import Accompagnement
from ..engine.regles.acces_ent import ENTS
from ..engine.regles.classes import PlanClasses
from ..engine.stockage import StoreError
from .tableaux import Tableau

if TYPE_CHECKING:
    from ..engine.echange.classes import ExportClasses
    from ..engine.echange.ent import AccesEnt
    from ..engine.modele.departement import Departement
    from ..engine.stockage import Stockage

ENT_PAR_DEFAUT = "entmip"


class RefusFichier(StoreError):
    """A file read or written for the neighbouring systems was refused:
    nothing was written. ``erreurs``: the problems with their line and
    column, for a file read; ``existe``: the target exists (replace it
    only when the user says so)."""

    def __init__(self, message: str, erreurs: Sequence[Erreur] = (), existe: bool = False):
        super().__init__(message)
        self.erreurs = list(erreurs)
        self.existe = existe


@dataclass
class RapportClasses:
    """A SIECLE or ONDE run: the export, the plan, what was written."""

    export: ExportClasses
    plan: PlanClasses
    dry_run: bool
    ecrites: int = 0


class SessionVoisins:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        today: date

        @property
        def secteurs(self) -> tuple[str, ...]: ...
        @property
        def login(self) -> str: ...
        @property
        def dep(self) -> Departement: ...
        def exiger_gestionnaire(self) -> None: ...
        def _apres_ecriture(self) -> None: ...
        def vue(self, cle: str, calcul: Any) -> Any: ...
        def nom_etablissement(self, uai: str) -> str: ...

    # -- classes from SIECLE and ONDE ------------------------------------------------
    def classes_siecle(self, chemin: Path, dry_run: bool = False,
                       maintenant: datetime | None = None) -> RapportClasses:
        """Read a SIECLE export (XML or its zip) and update the classes of
        the scolarités of its établissement covering its day."""
        from ..engine.echange.siecle import lire_siecle

        return self._classes(lambda: lire_siecle(chemin), dry_run, maintenant)

    def classes_onde(self, chemin: Path, uai: str, jour: date | None = None, dry_run: bool = False,
                     encodage: str | None = None, maintenant: datetime | None = None) -> RapportClasses:
        """The same from the ONDE pupils CSV of school ``uai`` (on ``jour``,
        default today: ONDE does not date its export)."""
        from ..engine.echange.onde import lire_onde

        return self._classes(lambda: lire_onde(chemin, uai, jour or self.today, encodage), dry_run,
                             maintenant)

    def _classes(self, lire: Any, dry_run: bool, maintenant: datetime | None) -> RapportClasses:
        from ..engine.operations.classes import appliquer_classes
        from ..engine.regles.classes import rapprocher

        if not dry_run:
            self.exiger_gestionnaire()
        export = _lire(lire)
        self._exiger_etablissement(export.uai)
        plan = rapprocher(self.dep, export.uai, export.jour, export.eleves)
        rapport = RapportClasses(export, plan, dry_run)
        if not dry_run and plan.mises_a_jour:
            rapport.ecrites = appliquer_classes(self._stockage, self.dep, plan, export.source,
                                                self.login, maintenant)
            self._apres_ecriture()
        return rapport

    def _exiger_etablissement(self, uai: str) -> None:
        from .session import PermissionRefusee

        dep = self.dep
        if uai not in dep.etablissements:
            raise RefusFichier(f"établissement « {uai} » inconnu de la base (référentiel à importer ?)")
        if self.secteurs and dep.secteur_par_uai.get(uai) not in self.secteurs:
            raise PermissionRefusee(f"l'établissement {uai} n'est pas dans vos secteurs "
                                    "(Mon compte › Mes secteurs).")

    # -- ENT access of the AESH ---------------------------------------------------------
    def acces_ent(self, uai: str, jour: date | None = None, ent: str = ENT_PAR_DEFAUT,
                  depuis: Path | None = None) -> AccesEnt:
        """Who needs the ENT of ``uai`` on ``jour`` (default today) and, since
        the previous run ``depuis`` (its JSON, or the folder of the runs:
        the latest before ``jour`` there), what to add and to remove."""
        from ..engine.echange.ent import AccesEnt, lire_precedent, precedent_dans
        from ..engine.regles.acces_ent import besoins, comparer, espaces_classes

        if ent not in ENTS:
            raise RefusFichier(f"ENT « {ent} » inconnu (attendu : {', '.join(ENTS)})")
        jour = jour or self.today
        self._exiger_etablissement(uai)
        precedent = None
        if depuis is not None and depuis.is_dir() and not depuis.is_symlink():
            depuis = _lire(lambda: precedent_dans(depuis, uai, jour))
        if depuis is not None:
            precedent = _lire(lambda: lire_precedent(depuis))
            if precedent.uai != uai:
                raise RefusFichier(f"{depuis} concerne l'établissement {precedent.uai}, pas {uai}")
            if precedent.ent != ent:
                raise RefusFichier(f"{depuis} a été fait pour l'ENT « {precedent.ent} », pas « {ent} » "
                                    f"(--ent {precedent.ent} ?)")
            if precedent.jour > jour:
                raise RefusFichier(f"{depuis} date du {precedent.jour:%d/%m/%Y}, après le "
                                    f"{jour:%d/%m/%Y} : donnez l'export précédent")
        dep = self.dep
        par_uai = self.vue("accompagnements_par_uai", _accompagnements_par_uai)
        acces, manquantes = besoins(dep, uai, jour, par_uai.get(uai, ()))
        anciens = precedent.acces if precedent else None
        inactifs = self.vue("aesh_inactifs", _aesh_inactifs)  # once for a whole département's runs
        ajouter, retirer = comparer(anciens, acces, ENTS[ent].groupes, inactifs)
        ouvrir, fermer = espaces_classes(anciens, acces)
        return AccesEnt(uai, self.nom_etablissement(uai), jour, ent, tuple(acces), tuple(ajouter),
                        tuple(retirer), tuple(manquantes), precedent.jour if precedent else None,
                        ouvrir, fermer)

    def ecrire_acces_ent(self, liste: Sequence[AccesEnt], dossier: Path,
                         remplacer: bool = False) -> list[list[Path]]:
        """For each run of ``liste``, write the accounts CSV, the PDF
        procedure and the JSON for the next ``depuis`` into ``dossier``
        (created 700); returns their paths. An existing file is replaced
        only with ``remplacer``: every target is checked, and every
        procedure laid out (a name ReportLab cannot place refuses the run),
        before the first file is written; then several at a time."""
        from ..documents.procedure_ent import procedures_pdf
        from ..engine.echange.ent import csv_comptes, json_run, nom_fichiers
        from ..engine.fichiers import creer_dossier_prive, ecrire_prives, verifier_cible

        tous = [[dossier / f"{nom_fichiers(a.uai, a.jour)}.{ext}" for ext in ("csv", "pdf", "json")]
                for a in liste]
        try:
            for chemin in (c for chemins in tous for c in chemins):
                verifier_cible(chemin)
                if not remplacer and chemin.exists():
                    raise FichierExistant(f"{chemin} existe déjà : rien n'a été écrit")
            with closing(procedures_pdf(liste, self.today)) as procedures:
                pdfs = list(procedures)
            creer_dossier_prive(dossier)

            def fichiers() -> Iterator[tuple[Path, bytes]]:
                for acces, chemins, pdf in zip(liste, tous, pdfs):
                    en_csv, en_pdf, en_json = chemins
                    yield en_csv, csv_comptes(acces.acces, acces.ent)
                    yield en_pdf, pdf
                    yield en_json, json_run(acces, [str(c) for c in chemins])

            ecrire_prives(fichiers(), remplacer=remplacer)
        except FichierExistant as exc:
            raise RefusFichier(str(exc), existe=True) from None
        except OSError as exc:
            raise RefusFichier(str(exc) if isinstance(exc, _FichierRefuse)
                               else f"{dossier} : écriture impossible ({raison_fichier(exc)})") from None
        return tous

    # -- lists as spreadsheets ------------------------------------------------------------
    def tableau(self, liste: str, *, annee: int | None = None, filtres: dict[str, list[str]] | None = None,
                recherche: str = "", tri: Sequence[tuple[str, bool]] = (),
                colonnes: Sequence[str] | None = None) -> Tableau:
        """A list (api.tableaux.LISTES) as the user set it: filters, search,
        sort, columns. ListeInconnue for a name that does not exist."""
        from .tableaux import definition, vue

        definie, lignes = definition(self, liste, annee)  # type: ignore[arg-type]
        return vue(definie, lignes, annee=None if liste == "pial" else annee, filtres=filtres,
                   recherche=recherche, tri=tri, colonnes=colonnes)

    def tableau_affiche(self, liste: str, lignes: Sequence[Any], colonnes: Sequence[str]) -> Tableau:
        """The rows a screen shows, in its order, with its visible columns
        (those the spreadsheet knows: a screen's keys are the list's)."""
        from .tableaux import definition

        definie = definition(self, liste)[0]  # type: ignore[arg-type]
        connues = {c.cle: c for c in definie.colonnes}
        return Tableau(definie.titre, [connues[c] for c in colonnes if c in connues], list(lignes))

    def exporter_tableau(self, tableau: Tableau, chemin: Path, format: str | None = None,
                         remplacer: bool = False) -> int:
        """Write ``tableau`` as ``.xlsx`` or ``.csv`` (by ``format`` or the
        extension), 600; returns the rows written. RefusFichier (``existe``
        set) when ``chemin`` exists and ``remplacer`` is false."""
        from ..engine.echange.tableur import TableurError, ecrire_tableur
        from ..engine.memoire import sans_collecte

        try:
            with sans_collecte():  # a cell object each, hundreds of thousands of them
                return ecrire_tableur(chemin, tableau.colonnes_tableur(), tableau.valeurs(), format=format,
                                      remplacer=remplacer, feuille=tableau.titre)
        except FichierExistant as exc:
            raise RefusFichier(str(exc), existe=True) from None
        except TableurError as exc:
            raise RefusFichier(str(exc)) from None
        except OSError as exc:
            raise RefusFichier(str(exc) if isinstance(exc, _FichierRefuse)
                                else f"{chemin} : écriture impossible ({raison_fichier(exc)})") from None


def _lire(lire: Any) -> Any:
    """What ``lire()`` reads, its refusals as RefusFichier."""
    try:
        return lire()
    except FichiersInvalides as exc:
        raise RefusFichier(str(exc), exc.erreurs) from None
    except EchangeError as exc:
        raise RefusFichier(str(exc)) from None


def _accompagnements_par_uai(session: Any) -> dict[str, list[Accompagnement]]:
    par_uai: dict[str, list[Accompagnement]] = {}
    for acc in session.dep.accompagnements.values():
        par_uai.setdefault(acc.uai, []).append(acc)
    return par_uai


def _aesh_inactifs(session: Any) -> frozenset[str]:
    return frozenset(a.id for a in session.dep.aesh.values() if not a.actif)
