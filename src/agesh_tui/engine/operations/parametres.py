"""Writes of the paramètres of the département (SPEC F4): the limits of
the propositions d'affectation (SPEC §2.8)."""

from __future__ import annotations

from ..modele.departement import Departement
from ..modele.model import Limites
from ..regles.accompagnement import RegleRefusee
from ..regles.propositions import refus_limites
from ..stockage import Stockage
from ..stockage.journal import journaliser
from ..stockage.parametres import ecrire_limites


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
