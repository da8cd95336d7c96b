"""The stored PIAL aggregates and the formule du besoin (SPEC §2.5, F4):
computed by regles.besoin, written here in one transaction."""

from __future__ import annotations

from datetime import datetime

from ..calendrier import libelle_annee
from ..modele.departement import Departement
from ..regles.besoin import AgregatStocke, agregats
from ..regles.formule import parse
from ..stockage import RienAEcrire, StaleWriteError, Stockage
from ..stockage import agregats as lignes


def recalculer(store: Stockage, dep: Departement, annee: int, maintenant: datetime) -> int:
    """Recompute and store the year's aggregates (replacing the old ones);
    returns the number of PIAL.

    ``dep`` must be the data as of the store's change counter: the stored
    aggregates are stamped with it, so they are « à jour » until the next
    write. Aggregates are derived data, so this write does not bump the
    counter (it would make them stale at once)."""
    resultat = agregats(dep, annee)  # before the write: a failing formula writes nothing
    with store.ecriture(dep, "relancez le recalcul des agrégats", compter=False) as tx:
        lignes.remplacer(tx, annee, resultat, maintenant, dep.changements)
    return len(resultat)


def lire_agregats(store: Stockage, annee: int) -> list[AgregatStocke]:
    """The stored aggregates of the year, sorted by PIAL; empty when the
    year was never computed."""
    compteur, rows = lignes.lire(store, annee)
    return sorted(
        (AgregatStocke(pial, d_i, d_m, h_i, besoin, moyens, couverture,
                       datetime.fromisoformat(calcule_le), changements == compteur)
         for pial, d_i, d_m, h_i, besoin, moyens, couverture, calcule_le, changements in rows),
        key=lambda a: a.pial_uai,
    )


def lire_formule(store: Stockage, annee: int) -> tuple[str | None, int]:
    """The stored formula of the year and its version (None, 0 when none):
    a screen shows the text and hands the version back when saving."""
    with store.lecture() as tx:
        return lignes.formule(tx, annee)


def enregistrer_formule(store: Stockage, annee: int, texte: str, dep: Departement | None = None,
                        version_attendue: int | None = None) -> bool:
    """Store the formula of a school year (superviseur, F4). An invalid
    formula raises FormuleError and writes nothing. The write bumps the
    change counter, so the stored aggregates become stale: the guide requires
    a recalcul after any change of the formula. Returns False when the same
    text was already stored (nothing written). ``dep``, when given, is kept
    in step. ``version_attendue`` (from lire_formule): refused with
    StaleWriteError when another superviseur changed the formula since."""
    parse(texte)
    return _ecrire_formule(store, annee, texte, dep, version_attendue)


def supprimer_formule(store: Stockage, annee: int, dep: Departement | None = None,
                      version_attendue: int | None = None) -> bool:
    """Remove the year's formula: the national default applies again.
    Returns False when there was none."""
    return _ecrire_formule(store, annee, None, dep, version_attendue)


def _ecrire_formule(store: Stockage, annee: int, texte: str | None, dep: Departement | None,
                    version_attendue: int | None) -> bool:
    try:
        with store.ecriture() as tx:
            compteur = tx.compteur_initial
            actuel, version = lignes.formule(tx, annee)
            if version_attendue is not None and version != version_attendue:
                raise StaleWriteError(
                    f"la formule {libelle_annee(annee)} a été modifiée par ailleurs depuis son "
                    "affichage : rechargez-la avant de l'enregistrer."
                )
            if actuel == texte:
                raise RienAEcrire
            lignes.ecrire_formule(tx, annee, texte)
            _, nouvelle = lignes.formule(tx, annee)
    except RienAEcrire:
        return False
    if dep is not None:
        if texte is None:
            dep.parametres.formules.pop(annee, None)
            dep.parametres.versions_formules.pop(annee, None)
        else:
            dep.parametres.formules[annee] = texte
            dep.parametres.versions_formules[annee] = nouvelle
        if dep.changements == compteur:
            dep.changements = compteur + 1
    return True
