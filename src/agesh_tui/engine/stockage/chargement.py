"""The département read into memory from one snapshot of the base.

Every table is read inside one read transaction and the change counter
with them: a write committed by another session during the load is either
wholly in the data or not at all, and the counter says which — so the
staleness check of a later write is always right.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ..memoire import sans_collecte
from ..modele.departement import Departement
from ..modele.model import (
    Accompagnement,
    Aesh,
    AffectationPial,
    Decision,
    Eleve,
    Etablissement,
    Mission,
    Parametres,
    Proche,
    ReferenceTemps,
    Scolarite,
    Secteur,
)
from .contrat import Stockage
from .parametres import lire_limites
from .transaction import Transaction

_d = date.fromisoformat


def _od(text: str | None) -> date | None:
    return _d(text) if text else None


Etape = Callable[[str, int, int], None]
ETAPES = ("Établissements et secteurs", "Élèves", "Scolarités", "Décisions", "AESH et missions",
          "Accompagnements", "Paramètres")


def charger(stockage: Stockage, etape: Etape | None = None) -> Departement:
    """Read the whole département from one state of the base. ``etape(quoi,
    faites, total)`` is told before each group of tables; an exception it
    raises stops the load (the read transaction ends, nothing changed)."""
    with sans_collecte():
        with stockage.lecture() as tx:
            dep = _charger(tx, etape or (lambda quoi, faites, total: None))
        # The loaded data lives as long as the session: keep later cyclic
        # collections from rescanning it (refcounting still frees it).
        gc.freeze()
        return dep


def _charger(tx: Transaction, etape: Etape) -> Departement:
    dep = Departement()
    rows = tx.lignes
    dep.changements = tx.compteur()
    avancer = iter(enumerate(ETAPES))

    def suivante() -> None:
        faites, quoi = next(avancer)
        etape(quoi, faites, len(ETAPES))

    suivante()
    dep.etablissements = {
        r[0]: Etablissement(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10]), r[11])
        for r in rows(
            "SELECT uai, nom, type, statut, code_commune, commune, code_postal, latitude, "
            "longitude, circonscription, ulis, pial_uai FROM etablissement"
        )
    }
    dep.secteurs = {r[0]: Secteur(*r) for r in rows("SELECT code, nom, erseh_nom, erseh_mail FROM secteur")}
    dep.secteur_par_uai = {
        uai: code for code, uai in rows("SELECT secteur_code, uai FROM secteur_etablissement")
    }
    suivante()
    dep.eleves = {
        r[0]: Eleve(r[0], r[1], r[2], _od(r[3]), r[4], r[5], r[6])
        for r in rows(
            "SELECT id, nom, prenom, date_naissance, etat_dossier, structure_soin, version FROM eleve"
        )
    }
    suivante()
    dep.scolarites = {
        r[0]: Scolarite(r[0], r[1], r[2], r[3], _d(r[4]), _od(r[5]))
        for r in rows("SELECT id, eleve_id, uai, classe, debut, fin FROM scolarite")
    }
    suivante()
    dep.decisions = {
        r[0]: Decision(r[0], r[1], r[2], r[3], r[4], r[5], _d(r[6]), _d(r[7]))
        for r in rows("SELECT id, eleve_id, type, heures, origine, nature, debut, fin FROM decision")
    }
    suivante()
    dep.aesh = {
        r[0]: Aesh(
            r[0], r[1], r[2], r[3], r[4], _od(r[5]), r[6], r[7], r[8], r[9], r[10], r[11],
            bool(r[12]), bool(r[13]), r[14],
        )
        for r in rows(
            "SELECT id, source, civilite, nom, prenom, date_naissance, adresse, code_postal, "
            "commune, latitude, longitude, transport, rqth, actif, version FROM aesh"
        )
    }
    dep.missions = {
        r[0]: Mission(
            r[0], r[1], r[2], r[3], r[4], r[5], _d(r[6]), _od(r[7]), r[8], r[9], r[10],
            bool(r[11]), r[12],
        )
        for r in rows(
            "SELECT id, aesh_id, contrat, nature, quotite, volume, debut, fin, uai_employeur, "
            "uai_payeur, source, actif, version FROM mission"
        )
    }
    dep.affectations = {
        r[0]: AffectationPial(r[0], r[1], r[2], r[3], r[4], _d(r[5]), _d(r[6]), r[7])
        for r in rows(
            "SELECT id, mission_id, pial_uai, annee, volume, debut, fin, version FROM affectation_pial"
        )
    }
    suivante()
    # Unsorted (an ORDER BY costs SQLite a temporary B-tree): only the
    # mutualisés, a few décisions each, are put in their order here.
    liens: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for acc_id, dec_id, rang in rows(
        "SELECT accompagnement_id, decision_id, rang FROM accompagnement_decision"
    ):
        liens[acc_id].append((rang, dec_id))
    decision_ids = {
        acc_id: (l[0][1],) if len(l) == 1 else tuple(d for _, d in sorted(l))
        for acc_id, l in liens.items()
    }
    dep.accompagnements = {
        r[0]: Accompagnement(
            r[0], r[1], decision_ids.get(r[0], ()), r[2], _d(r[3]), _d(r[4]), r[5],
            bool(r[6]), bool(r[7]), bool(r[8]), bool(r[9]), r[10], r[11],
        )
        for r in rows(
            "SELECT id, mission_id, uai, debut, fin, heures, repas, pause_meridienne, "
            "previsionnel, maintien, version, remplace FROM accompagnement"
        )
    }
    suivante()
    formules = rows("SELECT annee, texte, version FROM formule")
    dep.parametres = Parametres(
        references=[ReferenceTemps(*r) for r in rows("SELECT contrat, base, heures FROM reference_temps")],
        cartouche=dict(rows("SELECT champ, valeur FROM cartouche")),
        formules={r[0]: r[1] for r in formules},
        versions_formules={r[0]: r[2] for r in formules},
        limites=lire_limites(tx),
    )
    dep.reindex()
    return dep


def proches(tx: Transaction, eleve_id: str) -> list[Proche]:
    """The proches of one élève, read when a screen shows them: the family
    contacts of every pupil are not loaded with the département (a tenth
    of its load, for a detail seldom opened)."""
    return [Proche(*r) for r in tx.lignes(
        "SELECT eleve_id, nom, prenom, lien, telephone, mail FROM proche WHERE eleve_id = ? "
        "ORDER BY nom, prenom", (eleve_id,))]
