"""The PV d'affectation of one accompagnement (SPEC F14, §2.3 rule 10,
guide §13.3): the cartouche courrier of the département, the gestionnaire's
coordonnées, then the AESH, the pupil(s), the établissement, the période,
the weekly hours and the mission, and the signatures. The api checks the
cartouche is complete and gathers the texts; this module only lays out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ..engine.calendrier import format_date
from .mise_en_page import document_pdf, gras, largeur_utile, paragraphe, tableau, texte


@dataclass(frozen=True, slots=True)
class EleveDuPv:
    nom: str  # « NOM Prénom »
    date_naissance: date | None
    classe: str
    decision: str  # « individuelle, 12 h, du … au … »


@dataclass(frozen=True, slots=True)
class Pv:
    """Everything the PV prints, as plain texts (data, never markup)."""

    acc_id: str
    cartouche: Mapping[str, str]
    gestionnaire: str
    gestionnaire_mail: str
    gestionnaire_telephone: str
    gestionnaire_adresse: str
    aesh: str  # « Mme NOM Prénom »
    mission: str  # « CDD, nature …, employeur … »
    etablissement: str  # « Nom (UAI), commune »
    debut: date
    fin: date
    heures: str  # « 12 h »
    modalites: str  # repas, pause méridienne, prévisionnel, maintien
    eleves: Sequence[EleveDuPv]
    fait_le: date
    civilite: str = ""  # « Mme », « M. » (the sentence agrees), else unknown


def _phrase(pv: Pv) -> str:
    """The sentence of affectation, agreed with the AESH and the pupils."""
    affecte = {"Mme": "affectée", "M.": "affecté"}.get(pv.civilite, "affecté(e)")
    aupres = "de l'élève ci-dessus" if len(pv.eleves) == 1 else "des élèves ci-dessus"
    return (f"{pv.aesh} est {affecte} auprès {aupres}, à {pv.etablissement}, du "
            f"{format_date(pv.debut)} au {format_date(pv.fin)}, pour {pv.heures} par semaine.")


def pv_pdf(pv: Pv) -> bytes:
    c = pv.cartouche
    l = largeur_utile()
    contenu: list[Flowable] = [_en_tete(pv, l), Spacer(1, 0.6 * cm)]
    contenu += [
        paragraphe(texte("Procès-verbal d'affectation"), "titre"),
        paragraphe(texte("Accompagnement d'élève(s) en situation de handicap par un AESH — "
                         f"accompagnement {pv.acc_id}"), "sous_titre"),
        paragraphe(texte("AESH et mission"), "section"),
        tableau(("AESH", "Mission"), [(pv.aesh, pv.mission)], (0.4 * l, 0.6 * l)),
        paragraphe(texte("Affectation"), "section"),
        tableau(("Établissement", "Période", "Heures par semaine", "Modalités"),
                [(pv.etablissement, f"du {format_date(pv.debut)} au {format_date(pv.fin)}",
                  pv.heures, pv.modalites or "—")],
                (0.38 * l, 0.27 * l, 0.15 * l, 0.2 * l)),
        paragraphe(texte("Élève(s) accompagné(s)"), "section"),
        tableau(("Élève", "Né(e) le", "Classe", "Décision d'aide humaine"),
                [(e.nom, format_date(e.date_naissance) or "—", e.classe or "—", e.decision)
                 for e in pv.eleves],
                (0.3 * l, 0.14 * l, 0.14 * l, 0.42 * l)),
        Spacer(1, 0.3 * cm),
        paragraphe(texte(_phrase(pv))),
        Spacer(1, 0.5 * cm),
        _signatures(c, pv, l),
    ]
    return document_pdf(contenu, "Procès-verbal d'affectation", pv.etablissement, pv.fait_le)


def _en_tete(pv: Pv, l: float) -> Table:
    """The cartouche on the left, the affaire suivie par on the right."""
    c = pv.cartouche
    gauche = [paragraphe(gras(texte(c.get("academie", ""))))]
    gauche += [paragraphe(texte(c.get(cle, ""))) for cle in ("service", "division", "adresse")]
    gauche.append(paragraphe(texte(f"{c.get('code_postal', '')} {c.get('ville', '')}")))
    gauche.append(paragraphe(texte(f"Tél. {c.get('telephone', '')} — {c.get('mail', '')}")))
    droite = [paragraphe(gras(texte("Affaire suivie par")))]
    droite += [paragraphe(texte(v)) for v in (pv.gestionnaire, pv.gestionnaire_telephone,
                                              pv.gestionnaire_mail, pv.gestionnaire_adresse) if v]
    droite.append(paragraphe(texte(f"{c.get('ville', '')}, le {format_date(pv.fait_le)}")))
    t = Table([[gauche, droite]], colWidths=[0.58 * l, 0.42 * l], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _signatures(c: Mapping[str, str], pv: Pv, l: float) -> Table:
    gauche = [paragraphe(gras(texte("L'AESH"))), paragraphe(texte("Pris connaissance le :")),
              paragraphe(texte("Signature :"))]
    droite = [paragraphe(texte(c.get("qualite_signataire", ""))),
              paragraphe(gras(texte(c.get("signataire", ""))))]
    t = Table([[gauche, droite]], colWidths=[0.45 * l, 0.55 * l], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t
