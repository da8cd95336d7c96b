"""The synthèse of one établissement (SPEC F12, F14, guide §10.3): on one
day, its counts, its notified pupils with their décisions and AESH, and the
AESH who work there. Sent by « Courriel » to the établissement, written by
``agesh synthese``. The api gathers the texts; this module only lays out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable

from ..engine.calendrier import format_date
from .mise_en_page import document_pdf, largeur_utile, paragraphe, tableau, texte


@dataclass(frozen=True, slots=True)
class LigneEleve:
    nom: str
    classe: str
    decisions: str  # « individuelle 12 h ; mutualisée »
    aesh: str  # « NOM Prénom (12 h) ; … » or « — »


@dataclass(frozen=True, slots=True)
class LigneAesh:
    nom: str
    eleves: int
    heures: str


@dataclass(frozen=True, slots=True)
class Synthese:
    uai: str
    nom: str  # « Nom, commune »
    pial: str  # « tête de PIAL (UAI) » or « hors PIAL »
    jour: date
    individuelles: int
    mutualisees: int
    accompagnements: int
    nombre_aesh: int
    eleves: Sequence[LigneEleve]
    aesh: Sequence[LigneAesh]
    fait_le: date

    @property
    def titre(self) -> str:
        return "Synthèse des accompagnements"

    @property
    def etablissement(self) -> str:
        return f"{self.nom} ({self.uai})"


def synthese_pdf(s: Synthese) -> bytes:
    l = largeur_utile()
    contenu: list[Flowable] = [
        paragraphe(texte(s.titre), "titre"),
        paragraphe(texte(f"{s.etablissement} — PIAL : {s.pial} — situation au {format_date(s.jour)}"),
                   "sous_titre"),
        tableau(("Décisions individuelles", "Décisions mutualisées", "Accompagnements", "AESH"),
                [(str(s.individuelles), str(s.mutualisees), str(s.accompagnements),
                  str(s.nombre_aesh))], (0.25 * l,) * 4),
        paragraphe(texte(f"Élèves notifiés ({len(s.eleves)})"), "section"),
    ]
    if s.eleves:
        contenu.append(tableau(("Élève", "Classe", "Décision(s)", "AESH accompagnateur(s)"),
                               [(e.nom, e.classe or "—", e.decisions, e.aesh) for e in s.eleves],
                               (0.28 * l, 0.12 * l, 0.25 * l, 0.35 * l)))
    else:
        contenu.append(paragraphe(texte("Aucun élève notifié scolarisé ce jour-là.")))
    contenu.append(paragraphe(texte(f"AESH intervenant dans l'établissement ({len(s.aesh)})"),
                              "section"))
    if s.aesh:
        contenu.append(tableau(("AESH", "Élèves accompagnés", "Heures par semaine"),
                               [(a.nom, str(a.eleves), a.heures) for a in s.aesh],
                               (0.5 * l, 0.25 * l, 0.25 * l)))
    else:
        contenu.append(paragraphe(texte("Aucun accompagnement en cours ce jour-là.")))
    contenu.append(paragraphe(texte(
        "Document établi par le service de gestion des AESH de la DSDEN à partir des décisions de "
        "la MDPH et des accompagnements enregistrés. Une erreur ? Signalez-la au gestionnaire "
        "AESH."), "note"))
    return document_pdf(contenu, s.titre, s.etablissement, s.fait_le)
