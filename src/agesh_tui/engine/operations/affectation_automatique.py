"""Affectation automatique of the missions to their PIAL (SPEC §2.7, guide §9.5).

For a school year, every mission that can accompany an élève and is valid
during the year is affected to the PIAL of its établissement for the overlap
of the mission and the year, with its full weekly volume — unless something
prevents it, which the report lists as an anomaly.

Choices where the guide is silent:

* candidates are the *active* missions of an accompagnant nature (§1.1) valid
  on part of the year; inactive missions (RH history) and natures that carry
  no accompagnement (AESH référent, collectif, adulte) are not candidates and
  are not listed: they would drown the anomalies in expected cases;
  prévisionnel missions are candidates like the others;
* the établissement is the employeur, else the payeur when the mission has
  no employeur; an employeur unknown or hors PIAL is an anomaly, with no
  silent fallback to the payeur;
* one motif per mission, the first found in this order: déjà affectée (a
  mission the gestionnaire affected by hand is left alone, whatever else),
  AESH inconnu or inactif, volume nul, sans établissement, établissement
  inconnu, établissement hors PIAL. So a second run lists every mission of
  the first as « déjà affectée ».

The plan is regles.affectation's. A real run is one transaction (inserts and a journal line): interrupted, even
by SIGKILL, it leaves the data as before. It is refused when the in-memory
département is behind the store, so that it never duplicates an affectation
made meanwhile by another session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from ..calendrier import libelle_annee
from ..modele.departement import Departement
from ..modele.model import AffectationPial
from ..regles.affectation import Anomalie, plan
from ..regles.besoin import AgregatPial, agregats, avec_moyens, moyens_par_pial
from ..stockage import Stockage
from ..stockage import affectations as lignes
from ..stockage.journal import journaliser

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BilanPial:
    """Besoin, moyens and couverture of one PIAL before and after the run."""

    avant: AgregatPial
    apres: AgregatPial

    @property
    def pial_uai(self) -> str:
        return self.avant.pial_uai


@dataclass(frozen=True, slots=True)
class Rapport:
    annee: int
    dry_run: bool
    affectations: list[AffectationPial]  # created (or, in a dry run, that would be)
    anomalies: list[Anomalie]
    pial: list[BilanPial]  # every PIAL, sorted by UAI

    def document(self) -> dict:
        """The report as plain data (SPEC §5 JSON)."""

        def chiffres(a: AgregatPial) -> dict:
            return {
                "besoin": round(a.besoin, 2),
                "moyens": round(a.moyens, 2),
                "couverture": None if a.couverture is None else round(a.couverture, 2),
            }

        return {
            "annee": self.annee,
            "dry_run": self.dry_run,
            "affectations": [
                {"id": a.id, "mission_id": a.mission_id, "pial_uai": a.pial_uai,
                 "annee": a.annee, "volume": a.volume, "debut": a.debut.isoformat(),
                 "fin": a.fin.isoformat()}
                for a in self.affectations
            ],
            "anomalies": [{"mission_id": a.mission_id, "motif": a.motif} for a in self.anomalies],
            "pial": [
                {"pial_uai": b.pial_uai, "avant": chiffres(b.avant), "apres": chiffres(b.apres)}
                for b in self.pial
            ],
        }


def _identifier(nouvelles: list[AffectationPial], premier: int) -> list[AffectationPial]:
    return [
        replace(a, id=f"AF{a.annee}-{premier + i:06d}") for i, a in enumerate(nouvelles)
    ]


def affectation_automatique(
    store: Stockage,
    dep: Departement,
    annee: int,
    maintenant: datetime,
    dry_run: bool = False,
    progress: Progress | None = None,
    auteur: str = "agesh",
) -> Rapport:
    """Affect the year's candidate missions to their PIAL.

    ``progress(done, total)`` is called with 0 first, then after each
    affectation written (or planned, in a dry run); an exception it raises
    cancels the run, rolled back (the UI's « Annuler »). A real run updates
    ``dep`` (affectations, index and change counter); a dry run, or a run
    with nothing to affect, writes nothing and leaves ``dep`` alone.

    Raises FormuleError when the year's formula fails on a PIAL (the
    before/after report needs it; nothing written) and StoreError when
    ``dep`` is behind the store."""
    avant = agregats(dep, annee)
    nouvelles, anomalies = plan(dep, annee)
    total = len(nouvelles)
    signaler = progress or (lambda done, total: None)
    signaler(0, total)
    if dry_run or not nouvelles:
        # Nothing to write: no transaction, so the aggregates stay à jour.
        with store.lecture() as tx:
            nouvelles = _identifier(nouvelles, lignes.premier_numero(tx, annee))
        for done in range(1, total + 1):
            signaler(done, total)
    else:
        nouvelles = _ecrire(store, dep, annee, nouvelles, anomalies, maintenant, auteur, signaler)
    ajout = moyens_par_pial(nouvelles, annee)
    bilans = [
        BilanPial(a, avec_moyens(a, a.moyens + ajout[a.pial_uai]) if a.pial_uai in ajout else a)
        for a in avant
    ]
    return Rapport(annee, dry_run, nouvelles, anomalies, bilans)


def _ecrire(store: Stockage, dep: Departement, annee: int, nouvelles: list[AffectationPial],
            anomalies: list[Anomalie], maintenant: datetime, auteur: str,
            signaler: Progress) -> list[AffectationPial]:
    total = len(nouvelles)
    with store.ecriture(dep, "relancez l'affectation automatique") as tx:
        nouvelles = _identifier(nouvelles, lignes.premier_numero(tx, annee))
        # Row by row rather than all at once: progress is reported as we go.
        for done, a in enumerate(nouvelles, 1):
            lignes.inserer(tx, a)
            signaler(done, total)
        journaliser(tx, maintenant, auteur, "affectation automatique",
                    f"{libelle_annee(annee)} : {total} mission(s) affectée(s), "
                    f"{len(anomalies)} anomalie(s)")
    for a in nouvelles:
        dep.ajouter_affectation(a)
    return nouvelles
