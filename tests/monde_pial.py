"""Tiny départements with PIAL for the besoin and affectation tests, and a
way to write one into a store (the rules read memory, the writes a base)."""

from __future__ import annotations

from datetime import date

from agesh_tui.engine.modele.departement import Departement
from agesh_tui.engine.modele.model import (
    AffectationPial,
    Aesh,
    Decision,
    Eleve,
    Etablissement,
    Mission,
    Scolarite,
)
from agesh_tui.engine.stockage.sqlite import Store

PIAL_A = "0350001A"  # tête du PIAL A, with the école 0350002B
PIAL_C = "0350003C"  # tête du PIAL C
HORS_PIAL = "0350009Z"


def departement() -> Departement:
    dep = Departement()
    for uai, nom, pial in (
        (PIAL_A, "Collège A", PIAL_A),
        ("0350002B", "École B", PIAL_A),
        (PIAL_C, "Collège C", PIAL_C),
        (HORS_PIAL, "Lycée Z", None),
    ):
        dep.etablissements[uai] = Etablissement(uai, nom, "Collège", pial_uai=pial)
    dep.reindex()
    return dep


def eleve(dep: Departement, eleve_id: str, *scolarites: tuple[str, date, date | None]) -> None:
    dep.eleves[eleve_id] = Eleve(eleve_id, "NOM" + eleve_id, "Prénom")
    for i, (uai, debut, fin) in enumerate(scolarites, 1):
        sid = f"{eleve_id}-S{i}"
        dep.scolarites[sid] = Scolarite(sid, eleve_id, uai, "6A", debut, fin)
    dep.reindex()


def decision(dep: Departement, decision_id: str, eleve_id: str, type_: str = "individuelle",
             heures: float | None = 12.0, debut=date(2026, 9, 1), fin=date(2027, 8, 31)) -> None:
    dep.decisions[decision_id] = Decision(
        decision_id, eleve_id, type_, heures if type_ == "individuelle" else None,
        "Première demande", "projet cible", debut, fin,
    )
    dep.reindex()


def aesh(dep: Departement, aesh_id: str, actif: bool = True) -> None:
    dep.aesh[aesh_id] = Aesh(aesh_id, "EPP", "Mme", "NOM" + aesh_id, "Anne", actif=actif)
    dep.reindex()


def mission(dep: Departement, mission_id: str, aesh_id: str = "A1", nature: str = "HP2D",
            volume: float = 24.0, debut=date(2025, 9, 1), fin: date | None = None,
            employeur: str | None = PIAL_A, payeur: str | None = None, actif: bool = True) -> None:
    dep.missions[mission_id] = Mission(mission_id, aesh_id, "CDD", nature, 100.0, volume, debut,
                                       fin, employeur, payeur, "EPP", actif)
    dep.reindex()


def affectation(dep: Departement, affectation_id: str, mission_id: str, pial: str,
                volume: float, debut: date, fin: date, annee: int = 2026) -> None:
    dep.affectations[affectation_id] = AffectationPial(affectation_id, mission_id, pial, annee,
                                                       volume, debut, fin)
    dep.reindex()


def _iso(d):
    return d.isoformat() if d else None


def sauver(store: Store, dep: Departement) -> None:
    """Write every row of ``dep`` into an empty store, in one write."""
    with store.write() as con:
        con.executemany(
            "INSERT INTO etablissement VALUES (?, ?, ?, ?, '', '', '', NULL, NULL, '', 0, ?)",
            [(e.uai, e.nom, e.type, e.statut, e.pial_uai) for e in dep.etablissements.values()],
        )
        con.executemany(
            "INSERT INTO eleve (id, nom, prenom, etat_dossier, structure_soin) "
            "VALUES (?, ?, ?, 'actif', '')",
            [(e.id, e.nom, e.prenom) for e in dep.eleves.values()],
        )
        con.executemany(
            "INSERT INTO scolarite VALUES (?, ?, ?, ?, ?, ?)",
            [(s.id, s.eleve_id, s.uai, s.classe, _iso(s.debut), _iso(s.fin))
             for s in dep.scolarites.values()],
        )
        con.executemany(
            "INSERT INTO decision VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(d.id, d.eleve_id, d.type, d.heures, d.origine, d.nature, _iso(d.debut), _iso(d.fin))
             for d in dep.decisions.values()],
        )
        con.executemany(
            "INSERT INTO aesh (id, source, civilite, nom, prenom, adresse, code_postal, commune, "
            "transport, rqth, actif) VALUES (?, ?, ?, ?, ?, '', '', '', '', 0, ?)",
            [(a.id, a.source, a.civilite, a.nom, a.prenom, int(a.actif)) for a in dep.aesh.values()],
        )
        con.executemany(
            "INSERT INTO mission (id, aesh_id, contrat, nature, quotite, volume, debut, fin, "
            "uai_employeur, uai_payeur, source, actif) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(m.id, m.aesh_id, m.contrat, m.nature, m.quotite, m.volume, _iso(m.debut),
              _iso(m.fin), m.uai_employeur, m.uai_payeur, m.source, int(m.actif))
             for m in dep.missions.values()],
        )
        con.executemany(
            "INSERT INTO affectation_pial (id, mission_id, pial_uai, annee, volume, debut, fin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(a.id, a.mission_id, a.pial_uai, a.annee, a.volume, _iso(a.debut), _iso(a.fin))
             for a in dep.affectations.values()],
        )
        con.executemany("INSERT INTO formule (annee, texte) VALUES (?, ?)",
                        list(dep.parametres.formules.items()))


def dump(store: Store) -> list[str]:
    """Every statement that would rebuild the base: equal dumps, equal data."""
    return list(store.con.iterdump())
