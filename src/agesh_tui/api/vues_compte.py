"""The rows of Mon compte's lists (SPEC F2, guide §2): the messages of the
perimeter, the secteurs ERSEH to choose from, the établissements of the
département with their PIAL, secteur and coordinates. Texts cleaned of
control characters here; the screens show them as plain text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..engine.modele.departement import Departement
from ..engine.modele.model import Message, Secteur
from ..engine.nombres import nombre
from ..engine.regles.compte import libelle_nature
from ..engine.texte import propre

if TYPE_CHECKING:
    from .session import Session

NON_LU = "●"  # the mark of an unread message; its text twin is the « Lu » filter


@dataclass(frozen=True, slots=True)
class LigneMessage:
    id: int
    ids: tuple[int, ...]  # the copies of the same operation (gestionnaires, ERSEH): marked together
    quand: datetime
    lu: bool
    nature: str  # a key of regles.compte.NATURES_MESSAGE
    libelle_nature: str
    secteur: str  # the secteur's name, « — » for the gestionnaires' list
    auteur: str
    texte: str

    @property
    def etat(self) -> str:
        return "" if self.lu else NON_LU

    @property
    def lecture(self) -> str:
        return "lu" if self.lu else "non lu"


@dataclass(frozen=True, slots=True)
class LigneSecteur:
    code: str
    nom: str
    erseh: str  # the enseignant référent's name and mail
    etablissements: int


@dataclass(frozen=True, slots=True)
class LigneEtablissement:
    uai: str
    nom: str
    type: str
    statut: str
    commune: str
    code_postal: str
    circonscription: str
    ulis: bool
    pial: str  # « Nom (UAI) » of its PIAL, « hors PIAL »
    secteur: str  # the secteur's name, « » when none
    secteur_erseh: str  # « Nom (ERSEH nom, mail) »
    latitude: float | None
    longitude: float | None

    @property
    def coordonnees(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        # « ; » apart: the French decimal comma is inside each number.
        return f"{nombre(self.latitude, 4)} ; {nombre(self.longitude, 4)}"


def lignes_messages(secteurs: Mapping[str, Secteur],
                    messages: list[tuple[Message, str, tuple[int, ...]]]) -> list[LigneMessage]:
    """``secteurs``: the département's, to name them."""
    # Secteurs, authors and kinds are a handful of values: cleaned once each.
    noms: dict[str | None, str] = {None: "—"}
    auteurs: dict[str, str] = {}
    libelles: dict[str, str] = {}
    lignes = []
    for m, nature, ids in messages:
        secteur = noms.get(m.secteur_code)
        if secteur is None:
            s = secteurs.get(m.secteur_code or "")
            secteur = noms[m.secteur_code] = propre(s.nom) if s else propre(m.secteur_code)
        auteur = auteurs.get(m.auteur) or auteurs.setdefault(m.auteur, propre(m.auteur))
        libelle = libelles.get(nature) or libelles.setdefault(nature, libelle_nature(nature))
        lignes.append(LigneMessage(m.id, ids, m.quand, m.lu, nature, libelle, secteur, auteur,
                                   propre(m.texte)))
    return lignes


def lignes_secteurs(dep: Departement) -> list[LigneSecteur]:
    compte: dict[str, int] = {}
    for code in dep.secteur_par_uai.values():
        compte[code] = compte.get(code, 0) + 1
    return [LigneSecteur(s.code, propre(s.nom),
                         propre(" · ".join(x for x in (s.erseh_nom, s.erseh_mail) if x)),
                         compte.get(s.code, 0))
            for s in sorted(dep.secteurs.values(), key=lambda s: (propre(s.nom), s.code))]


def lignes_etablissements(session: Session) -> list[LigneEtablissement]:
    dep = session.dep
    noms_secteurs = {code: propre(s.nom) for code, s in dep.secteurs.items()}
    erseh = {code: propre(f"{s.nom} (ERSEH {' · '.join(x for x in (s.erseh_nom, s.erseh_mail) if x)})"
                          if s.erseh_nom or s.erseh_mail else s.nom)
             for code, s in dep.secteurs.items()}
    noms_pial: dict[str, str] = {}
    lignes = []
    for e in sorted(dep.etablissements.values(), key=lambda e: e.uai):
        pial = e.pial_uai
        if pial and pial not in noms_pial:
            tete = dep.etablissements.get(pial)
            noms_pial[pial] = f"{propre(tete.nom)} ({propre(pial)})" if tete else propre(pial)
        code = dep.secteur_par_uai.get(e.uai)
        lignes.append(LigneEtablissement(
            uai=propre(e.uai), nom=propre(e.nom), type=propre(e.type), statut=propre(e.statut),
            commune=propre(e.commune), code_postal=propre(e.code_postal),
            circonscription=propre(e.circonscription), ulis=e.ulis,
            pial=noms_pial[pial] if pial else "hors PIAL",
            secteur=noms_secteurs.get(code, propre(code)) if code else "",
            secteur_erseh=erseh.get(code, propre(code)) if code else "",
            latitude=e.latitude, longitude=e.longitude,
        ))
    return lignes
