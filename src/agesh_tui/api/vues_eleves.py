"""Élèves (SPEC F12, F13, guide §11.1 and §12): the rows of « Dossiers élèves
par secteur ERSEH », the dossier of one élève, and the search across the
whole base (nom and prénom exact once case and accents are folded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.departement import Departement
from ..engine.modele.model import Decision, Eleve, Scolarite
from ..engine.regles.couverture import Frise
from ..engine.regles.perimetre import dans_perimetre
from ..engine.texte import propre, replier
from .vues_decision import ScolariteVue

if TYPE_CHECKING:
    from .session import Session


@dataclass(slots=True)
class LigneEleve:
    id: str
    nom: str  # « NOM Prénom », cleaned
    naissance: date | None
    debut: date | None  # of the scolarité shown (today's, else the last one)
    fin: date | None
    etablissement: str  # its name, else its UAI; "" without scolarité
    uai: str
    secteur: str  # the secteur's name, else its code
    secteur_code: str
    etat: str  # état du dossier


def scolarite_affichee(scolarites: list[Scolarite], today: date) -> Scolarite | None:
    """The scolarité covering today, else the last one (they are sorted by
    début): where a pupil « is » for the lists."""
    for s in scolarites:
        if s.debut <= today and (s.fin is None or s.fin >= today):
            return s
    return scolarites[-1] if scolarites else None


def eleve_dans_perimetre(dep: Departement, eleve_id: str, secteurs: Collection[str]) -> bool:
    """No secteur chosen = the whole base; else one of the élève's décisions
    is in the secteurs, or one of its scolarités is there (a pupil not yet
    notified still has a dossier in the secteur)."""
    if not secteurs:
        return True
    if any(dep.secteur_par_uai.get(s.uai) in secteurs
           for s in dep.scolarites_par_eleve.get(eleve_id, ())):
        return True
    return any(dans_perimetre(dep, d, secteurs) for d in dep.decisions_par_eleve.get(eleve_id, ()))


def ligne_eleve(dep: Departement, eleve: Eleve, today: date) -> LigneEleve:
    s = scolarite_affichee(dep.scolarites_par_eleve.get(eleve.id, []), today)
    uai = s.uai if s else ""
    etab = dep.etablissements.get(uai) if uai else None
    code = dep.secteur_par_uai.get(uai, "") if uai else ""
    secteur = dep.secteurs.get(code) if code else None
    return LigneEleve(
        id=eleve.id,
        nom=propre(f"{eleve.nom} {eleve.prenom}"),
        naissance=eleve.date_naissance,
        debut=s.debut if s else None,
        fin=s.fin if s else None,
        etablissement=propre(etab.nom) if etab else propre(uai),
        uai=uai,
        secteur=propre(secteur.nom) if secteur else propre(code),
        secteur_code=code,
        etat=eleve.etat_dossier,
    )


def lignes_eleves(session: Session) -> list[LigneEleve]:
    """The élèves of the perimeter, by name then id."""
    dep, secteurs = session.dep, session.secteurs
    lignes = [ligne_eleve(dep, e, session.today) for e in dep.eleves.values()
              if eleve_dans_perimetre(dep, e.id, secteurs)]
    lignes.sort(key=lambda l: (replier(l.nom), l.id))
    return lignes


# -- the dossier of one élève ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DecisionVue:
    decision: Decision
    frise: Frise | None  # None: removed by a reload meanwhile


@dataclass(frozen=True, slots=True)
class FicheEleve:
    eleve: Eleve
    ligne: LigneEleve
    scolarites: tuple[ScolariteVue, ...]  # all, by début
    decisions: tuple[DecisionVue, ...]  # all, by début (the history)
    en_cours: tuple[DecisionVue, ...]  # ending today or later (current and coming)
    dans_perimetre: bool


def fiche_eleve(session: Session, eleve_id: str) -> FicheEleve | None:
    """The dossier (the proches are read apart: Session.proches), None when
    the élève no longer exists."""
    dep = session.dep
    eleve = dep.eleves.get(eleve_id)
    if eleve is None:
        return None
    scolarites = []
    for s in dep.scolarites_par_eleve.get(eleve_id, ()):
        etab = dep.etablissements.get(s.uai)
        scolarites.append(ScolariteVue(s, etab.nom if etab else None))
    decisions = tuple(DecisionVue(d, session.frise(d.id))
                      for d in dep.decisions_par_eleve.get(eleve_id, ()))
    return FicheEleve(
        eleve=eleve,
        ligne=ligne_eleve(dep, eleve, session.today),
        scolarites=tuple(scolarites),
        decisions=decisions,
        en_cours=tuple(v for v in decisions if v.decision.fin >= session.today),
        dans_perimetre=eleve_dans_perimetre(dep, eleve_id, session.secteurs),
    )


# -- the search (SPEC F13) ----------------------------------------------------------------

IndexNoms = dict[tuple[str, str], list[str]]


def cle_nom(nom: str, prenom: str) -> tuple[str, str]:
    """Exact match once case, accents and surrounding blanks are folded
    (« Léa » = « LEA », but « Lé » ≠ « Léa »)."""
    return replier(propre(nom)), replier(propre(prenom))


def index_noms(dep: Departement) -> IndexNoms:
    """(nom, prénom) folded → ids: one pass over the base, then each search
    is a look-up."""
    index: IndexNoms = defaultdict(list)
    for e in dep.eleves.values():
        index[cle_nom(e.nom, e.prenom)].append(e.id)
    return dict(index)


@dataclass(frozen=True, slots=True)
class ResultatRecherche:
    ligne: LigneEleve
    dans_perimetre: bool


def rechercher(session: Session, index: IndexNoms, nom: str, prenom: str,
               naissance: date | None) -> list[ResultatRecherche]:
    dep = session.dep
    trouves = []
    for eleve_id in index.get(cle_nom(nom, prenom), ()):
        eleve = dep.eleves.get(eleve_id)
        if eleve is None or (naissance is not None and eleve.date_naissance != naissance):
            continue
        trouves.append(ResultatRecherche(ligne_eleve(dep, eleve, session.today),
                                         eleve_dans_perimetre(dep, eleve_id, session.secteurs)))
    trouves.sort(key=lambda r: (r.ligne.naissance or date.min, r.ligne.id))
    return trouves
