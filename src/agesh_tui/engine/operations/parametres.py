"""Writes of the paramètres of the département (SPEC F4): the limits of
the propositions d'affectation (SPEC §2.8), the cartouche courrier and the
références de temps de travail (guide §3)."""

from __future__ import annotations

from ..modele.departement import Departement
from ..modele.model import Limites, ReferenceTemps
from ..regles.accompagnement import RegleRefusee
from ..regles.parametres import CHAMPS_CARTOUCHE, refus_cartouche, refus_reference
from ..regles.propositions import refus_limites
from ..stockage import Stockage
from ..stockage.journal import journaliser
from ..stockage.parametres import ecrire_cartouche, ecrire_limites, ecrire_reference


def enregistrer_limites(store: Stockage, dep: Departement, auteur: str, limites: Limites) -> None:
    """Store new limits (RegleRefusee for values that cannot be, then
    nothing is written). Decided on ``dep``: refused when another session
    wrote since it was loaded; other sessions see the counter move."""
    refus = refus_limites(limites)
    if refus:
        raise RegleRefusee(refus)
    with store.ecriture(dep, "recommencez la modification des paramètres") as tx:
        ecrire_limites(tx, limites)
        journaliser(tx, None, auteur, "parametres_propositions",
                    f"distance maximale {limites.distance_max_km:g} km, "
                    f"{limites.etablissements_par_aesh} établissements par AESH, "
                    f"{limites.aesh_par_decision} AESH par élève")
    dep.parametres.limites = limites


def enregistrer_cartouche(store: Stockage, dep: Departement, auteur: str,
                          valeurs: dict[str, str]) -> None:
    """Store the cartouche courrier (guide §3.2: every field required);
    refused like the limits."""
    propres = {champ: valeurs.get(champ, "").strip() for champ, _ in CHAMPS_CARTOUCHE}
    refus = refus_cartouche(propres)
    if refus:
        raise RegleRefusee(refus)
    with store.ecriture(dep, "recommencez la modification de la cartouche") as tx:
        ecrire_cartouche(tx, propres)
        journaliser(tx, None, auteur, "parametres_cartouche", "cartouche courrier modifiée")
    dep.parametres.cartouche = propres


def enregistrer_reference(store: Stockage, dep: Departement, auteur: str,
                          reference: ReferenceTemps) -> None:
    """Create or change the référence of (contrat, base) (guide §3.1); the
    volumes it gives follow with ``appliquer_references`` (the Session
    runs it next, as « forcer la mise à jour » does)."""
    refus = refus_reference(reference.contrat, reference.base, reference.heures)
    if refus:
        raise RegleRefusee(refus)
    with store.ecriture(dep, "recommencez la modification de la référence") as tx:
        ecrire_reference(tx, reference.contrat.strip(), reference.base, reference.heures)
        journaliser(tx, None, auteur, "parametres_temps_travail",
                    f"{reference.contrat} {reference.base} : {reference.heures:g} h à temps plein")
    autres = [r for r in dep.parametres.references
              if (r.contrat, r.base) != (reference.contrat.strip(), reference.base)]
    dep.parametres.references = sorted(
        [*autres, ReferenceTemps(reference.contrat.strip(), reference.base, reference.heures)],
        key=lambda r: (r.contrat, r.base))
