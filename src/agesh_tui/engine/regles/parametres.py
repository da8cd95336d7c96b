"""Rules of the paramètres du département (SPEC F4, guide §3): the fields
of the cartouche courrier, all required, and the références de temps de
travail (weekly hours of a full-time contract)."""

from __future__ import annotations

import math

from .accompagnement import Refus

# The cartouche's fields, in the order the documents print them (guide §3.2).
CHAMPS_CARTOUCHE: tuple[tuple[str, str], ...] = (
    ("academie", "Académie"),
    ("service", "Service"),
    ("division", "Division"),
    ("adresse", "Adresse"),
    ("code_postal", "Code postal"),
    ("ville", "Ville"),
    ("telephone", "Téléphone"),
    ("mail", "Courriel"),
    ("signataire", "Signataire"),
    ("qualite_signataire", "Qualité du signataire"),
)
LONGUEUR_MAX_CHAMP = 300
BASES_RH = ("EPP", "ASSED")
# A full-time week: more than 0, and no contract gives more than this.
HEURES_MAX_SEMAINE = 48.0


def refus_cartouche(valeurs: dict[str, str]) -> list[Refus]:
    """Every field required (guide §3.2), one line each, not too long."""
    out = []
    for champ, libelle in CHAMPS_CARTOUCHE:
        valeur = valeurs.get(champ, "").strip()
        if not valeur:
            out.append(Refus(champ, f"{libelle} : obligatoire (imprimé sur les PV d'affectation)."))
        elif len(valeur) > LONGUEUR_MAX_CHAMP:
            out.append(Refus(champ, f"{libelle} : {LONGUEUR_MAX_CHAMP} caractères au plus."))
        elif "\n" in valeur:
            out.append(Refus(champ, f"{libelle} : une seule ligne."))
    if (cp := valeurs.get("code_postal", "").strip()) and not (len(cp) == 5 and cp.isdigit()):
        out.append(Refus("code_postal", "Code postal : 5 chiffres."))
    if (mail := valeurs.get("mail", "").strip()) and ("@" not in mail or " " in mail):
        out.append(Refus("mail", "Courriel : une adresse comme service@ac-academie.fr."))
    return out


def refus_reference(contrat: str, base: str, heures: float) -> list[Refus]:
    """A référence de temps de travail: a contract, a RH base, the hours of
    a full-time week."""
    out = []
    if not contrat.strip():
        out.append(Refus("contrat", "Contrat : obligatoire (CDD, CDI…)."))
    elif len(contrat.strip()) > 20:
        out.append(Refus("contrat", "Contrat : 20 caractères au plus."))
    if base not in BASES_RH:
        out.append(Refus("base", f"Base RH : {' ou '.join(BASES_RH)}."))
    if not (math.isfinite(heures) and 0 < heures <= HEURES_MAX_SEMAINE):
        out.append(Refus("heures", f"Heures : plus de 0 et au plus {HEURES_MAX_SEMAINE:g} h par "
                                   "semaine à temps plein."))
    return out
