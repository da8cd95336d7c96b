"""« Détail » of Accompagnement par établissement (guide §10.3): the
établissement's counts, its pupils notified with their décisions and AESH,
and the AESH who work there, on today; the synthèse as a PDF (« p »), sent
by « Courriel » (« m »), the « Accès ENT des AESH » (« n »)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.vues_etablissements import AeshDetail
from ..api.vues_etablissements import DetailEtablissement as Detail
from ..engine.calendrier import format_date
from ..widgets.affichage import heures, propre
from ..widgets.export_document import ExportDocument, taille_lisible
from ..widgets.export_tableur import dossier_par_defaut
from ..widgets.liste import Colonne, ListeDonnees
from .accompagnement_etablissement import ouvrir_acces_ent, ouvrir_courriel
from .base import EcranMenu


def resume_comptes(detail: Detail) -> str:
    c = detail.comptes
    return (f"décisions : {c.individuelles} individuelle(s), {c.mutualisees} mutualisée(s) · "
            f"{c.accompagnements} accompagnement(s) · {len(c.aesh)} AESH")


def texte_aesh(aesh: tuple[AeshDetail, ...]) -> Text:
    if not aesh:
        return Text("Aucun accompagnement en cours aujourd'hui.", style="italic")
    return Text("\n").join(Text(f"{a.nom} — {a.eleves} élève(s), {heures(a.heures)} par semaine")
                           for a in aesh)


class DetailEtablissement(EcranMenu):
    MENU = "editions"
    AIDE = (
        "Détail d'un établissement : ses effectifs du jour, ses élèves notifiés (Entrée : le "
        "détail de la décision ; classe, "
        "décisions, AESH accompagnateurs avec leurs heures) et les AESH qui y interviennent. p "
        "enregistre la synthèse en PDF, m prépare son envoi par courriel à l'établissement, n "
        "montre les accès ENT des AESH. Échap revient à la liste."
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour", id="etablissement.retour"),
        Binding("p", "synthese", "Synthèse PDF", id="etablissement.synthese"),
        Binding("m", "courriel", "Courriel", id="etablissement.courriel"),
        Binding("n", "acces_ent", "Accès ENT", id="etablissement.acces_ent"),
    ]
    CSS_PATH = "detail_etablissement.tcss"

    def __init__(self, uai: str) -> None:
        super().__init__()
        self.uai = uai
        self._detail: Detail | None = None

    def contenu(self) -> ComposeResult:
        detail = self._detail = self.app.session_ouverte.detail_etablissement(self.uai)
        if detail is None:
            yield Static(f"L'établissement {propre(self.uai)} n'existe plus dans les données "
                         "rechargées.", classes="detail-titre", markup=False)
            return
        yield Static(Text(f"{detail.nom} ({detail.uai}) — PIAL : {detail.pial}", style="bold"),
                     classes="detail-titre")
        courriel = " · m : courriel" if self.app.session_ouverte.saisie_permise else ""
        yield Static(Text(f"Au {format_date(detail.jour)} · {resume_comptes(detail)}\n"
                          f"p : synthèse PDF{courriel} · n : accès ENT"),
                     id="etablissement-comptes")
        yield Static(Text(f"Élèves notifiés ({len(detail.eleves)})", style="bold underline"),
                     classes="detail-section")
        yield ListeDonnees([
            Colonne("nom", "Élève", 20, lambda e: e.nom),
            Colonne("classe", "Classe", 6, lambda e: e.classe),
            Colonne("decisions", "Décision(s)", 19, lambda e: e.decisions),
            Colonne("aesh", "AESH (heures)", 26, lambda e: e.aesh),
        ], detail.eleves, cle_ligne=lambda e: e.eleve_id, id="etablissement-eleves")
        yield Static(Text(f"AESH intervenant dans l'établissement ({len(detail.aesh)})",
                          style="bold underline"), classes="detail-section")
        yield Static(texte_aesh(detail.aesh), id="etablissement-aesh")

    def on_mount(self) -> None:
        for liste in self.query(ListeDonnees):
            liste.focus()

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        from .decision import DetailDecision  # lazy: a detail opens from many screens

        self.app.push_screen(DetailDecision(event.ligne.decision_id))

    def donnees_rechargees(self) -> None:
        self.suivre_fiche(self.app.session_ouverte.detail_etablissement(self.uai), self._detail,
                          "Cet établissement n'est plus dans la base : son détail est fermé.")

    def action_retour(self) -> None:
        self.dismiss()

    def action_courriel(self) -> None:
        ouvrir_courriel(self, self.uai)

    def action_acces_ent(self) -> None:
        ouvrir_acces_ent(self, self.uai)

    def action_synthese(self) -> None:
        session = self.app.session_ouverte
        uai = self.uai
        defaut = dossier_par_defaut() / f"synthese-{uai}-{session.today.isoformat()}.pdf"

        def ecrire(chemin: Path, remplacer: bool) -> int:
            return session.ecrire_synthese(uai, chemin, remplacer)

        def fini(resultat: tuple[Path, int] | None) -> None:
            if resultat is not None:
                self.notify(f"Synthèse écrite : {resultat[0]} ({taille_lisible(resultat[1])}).",
                            title="Synthèse", markup=False)

        self.app.push_screen(ExportDocument(
            "synthèse de l'établissement", f"Synthèse de {uai} (élèves notifiés et AESH), en PDF.",
            defaut, ecrire), fini)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("synthese", "courriel", "acces_ent") and self._detail is None:
            return False
        if action == "courriel":
            return self.app.session_ouverte.saisie_permise
        return True
