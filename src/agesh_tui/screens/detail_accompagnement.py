"""Détail d'un accompagnement (SPEC F10, guide §10.1): the accompagnement
(période, heures, repas, établissement), its AESH and mission (a key opens
each), the incohérences it has (SPEC §2.4), and its décisions, each with its
frise and couverture (Entrée opens the décision's détail); the operations
on it (operations_accompagnement), and « p » writes its PV d'affectation
(screens/pv_affectation.py)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from ..api.vues_accompagnements import DecisionAccompagnee, FicheAccompagnement
from ..widgets.affichage import (
    TYPES_DECISION,
    distance,
    heures,
    nom_prenom,
    periode,
    pourcent,
    propre,
    texte,
)
from ..widgets.base import EcranAgesh
from ..widgets.couleurs import ORANGE
from ..widgets.frise import Frise
from .decision import DetailDecision
from .operations_accompagnement import AIDE_OPERATIONS, BINDINGS_OPERATIONS, EcranAccompagnements


def annoncer_pv(ecran: EcranAgesh, acc_id: str) -> None:
    """« PV d'affectation »: the PDF, written where the user says
    (screens/pv_affectation.py)."""
    from .pv_affectation import demander_pv

    demander_pv(ecran, acc_id)


def _titre(titre: str) -> Text:
    return Text(titre, style="bold underline")


def _grille() -> Table:
    grille = Table.grid(padding=(0, 2))
    grille.add_column(style="bold", no_wrap=True)
    grille.add_column(overflow="fold")
    return grille


def _oui_non(valeur: bool) -> str:
    return "oui" if valeur else "non"


class CarteDecision(Vertical, can_focus=True):
    """One décision of the accompagnement: a line about it, its frise with
    the dates. Focused (Tab), Entrée opens its détail."""

    BINDINGS = [
        Binding("enter", "ouvrir", "Détail de la décision", id="accompagnement.ouvrir_decision"),
    ]
    DEFAULT_CSS = """
    CarteDecision {
        height: auto;
        margin-top: 1;
        padding: 0 1;
        border-left: blank;
        &:focus {
            border-left: thick $accent;
            background: $boost;
        }
    }
    """

    def __init__(self, vue: DecisionAccompagnee, today, couleurs: bool) -> None:
        super().__init__(classes="carte-decision")
        self.vue = vue
        self.decision_id = vue.decision.id
        self.today = today
        self.couleurs = couleurs

    def compose(self) -> ComposeResult:
        d = self.vue.decision
        ligne = Text.assemble((f"Décision {propre(d.id)} — ", "bold"), (self.vue.nom, "bold"))
        details = [TYPES_DECISION.get(d.type, propre(d.type))]
        if d.individuelle:
            details.append(f"{heures(d.heures)} notifiées")
        details.append(periode(d.debut, d.fin))
        frise = self.vue.frise
        if frise is not None:
            details.append(f"couverture {pourcent(frise.couverture)}")
        ligne.append("\n" + " · ".join(details))
        yield Static(ligne, classes="carte-entete")
        if frise is not None:
            yield Frise(frise, self.today, fin_decision=d.fin)

    def action_ouvrir(self) -> None:
        self.app.push_screen(DetailDecision(self.decision_id))

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.action_ouvrir()


class DetailAccompagnement(EcranAccompagnements):
    MENU = "accompagnements"
    AIDE = (
        "Détail d'un accompagnement : sa période, ses heures, son établissement, l'AESH et la "
        "mission qui le portent (a ouvre le dossier de l'AESH, m le détail de la mission), ses "
        "incohérences, et ses décisions avec leur frise de mise en œuvre : Tab passe de l'une à "
        "l'autre, Entrée ouvre son détail. p : PV d'affectation. ↑ ↓ pour défiler, Échap pour "
        "revenir. " + AIDE_OPERATIONS
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour", id="accompagnement.retour"),
        Binding("a", "aesh", "Dossier de l'AESH", id="accompagnement.aesh"),
        Binding("m", "mission", "Mission", id="accompagnement.mission"),
        Binding("p", "pv", "PV d'affectation", id="accompagnement.pv"),
        *BINDINGS_OPERATIONS,
    ]
    CSS_PATH = "detail_accompagnement.tcss"

    def __init__(self, acc_id: str):
        super().__init__()
        self.acc_id = acc_id
        self._fiche: FicheAccompagnement | None = None

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield from self._sections()

    def _sections(self) -> ComposeResult:
        fiche = self._fiche = self.app.session_ouverte.fiche_accompagnement(self.acc_id)
        if fiche is None:
            # Reloaded meanwhile, and another session removed it.
            yield Static(f"L'accompagnement {propre(self.acc_id)} n'existe plus dans les données "
                         "rechargées.", classes="detail-titre", markup=False)
            return
        acc = fiche.acc
        nom = nom_prenom(fiche.aesh) if fiche.aesh else "AESH introuvable"
        titre = Text(f"Accompagnement {propre(acc.id)} — {nom}", style="bold")
        titre.append_text(self._marques(fiche))
        yield Static(titre, classes="detail-titre")
        # The incohérences first: what asks for action reads without scrolling at 80×24.
        yield Static(self._incoherences(fiche), classes="detail-bloc", id="incoherences")
        with Horizontal(id="detail-haut"):
            yield Static(self._accompagnement(fiche), classes="detail-bloc")
            yield Static(self._aesh_mission(fiche), classes="detail-bloc")
        yield Static(Group(
            _titre(f"Décisions accompagnées ({len(fiche.decisions)})"),
            Text(f"Tab : d'une décision à l'autre · {self.app.touche('accompagnement.ouvrir_decision')}"
                 " : son détail"),
        ), classes="detail-bloc")
        if not fiche.decisions:
            yield Static("Aucune décision de cet accompagnement n'existe plus dans la base.",
                         markup=False)
        couleurs = not self.app.no_color
        for vue in fiche.decisions:
            yield CarteDecision(vue, self.app.today, couleurs)

    # -- sections --------------------------------------------------------------
    def _marques(self, fiche: FicheAccompagnement) -> Text:
        marques = Text()
        for present, mot in ((fiche.previsionnel, "📅 prévisionnel"), (fiche.acc.maintien, "🔗 maintien")):
            if present:
                marques.append(f" · {mot}")
        if fiche.incoherences:
            n = len(fiche.incoherences)
            marques.append(" · ")
            marques.append(f"! {n} incohérence{'s' if n > 1 else ''}",
                           style=f"bold {ORANGE.code}" if not self.app.no_color else "bold")
        return marques

    def _accompagnement(self, fiche: FicheAccompagnement) -> Group:
        acc, etab = fiche.acc, fiche.etablissement
        grille = _grille()
        genre = fiche.type + (f" ({len(acc.decision_ids)} décisions)" if acc.mutualise else "")
        grille.add_row("Type", Text(genre))
        grille.add_row("Période", Text(periode(acc.debut, acc.fin)))
        grille.add_row("Heures", Text(f"{heures(acc.heures)} par semaine"))
        grille.add_row("Repas", Text(f"{_oui_non(acc.repas)} · pause méridienne : "
                                     f"{_oui_non(acc.pause_meridienne)}"))
        if etab is None:
            lieu = Text(f"{propre(acc.uai)} (établissement inconnu)")
        else:
            lieu = texte(f"{etab.nom}, {etab.commune}" if etab.commune else etab.nom)
            lieu.append(f" ({propre(acc.uai)})")
        grille.add_row("Établissement", lieu)
        secteur = texte(fiche.secteur or "aucun")
        secteur.append(" · ")
        secteur.append_text(texte(f"tête de PIAL : {fiche.tete_pial}" if fiche.tete_pial else "hors PIAL"))
        grille.add_row("Secteur", secteur)
        grille.add_row("Distance", Text(distance(fiche.distance_km) or "inconnue")
                       .append(" (résidence de l'AESH → établissement)"))
        etat = []
        if fiche.previsionnel:
            etat.append("📅 prévisionnel")
        if acc.maintien:
            etat.append("🔗 maintien après la fin de la décision")
        if etat:
            grille.add_row("Marques", Text(" · ".join(etat)))
        return Group(_titre("Accompagnement"), grille)

    def _aesh_mission(self, fiche: FicheAccompagnement) -> Group:
        acc, mission, aesh = fiche.acc, fiche.mission, fiche.aesh
        grille = _grille()
        if aesh is None:
            grille.add_row("AESH", Text("introuvable dans la base"))
        else:
            nom = Text(nom_prenom(aesh))
            if not aesh.actif:
                nom.append(" [I] inactif")
            if aesh.previsionnel:
                nom.append(" · 📅 prévisionnel")
            nom.append(f"  ({self.app.touche('accompagnement.aesh')} : son dossier)", style="italic")
            grille.add_row("AESH", nom)
        if mission is None:
            grille.add_row("Mission", Text(f"{propre(acc.mission_id)} (introuvable dans la base)"))
        else:
            ligne = texte(f"{mission.id} · {mission.nature} · {mission.contrat}")
            if not mission.actif:
                ligne.append(" · [I] inactive")
            if mission.previsionnel:
                ligne.append(" · 📅 prévisionnelle")
            ligne.append(f"  ({self.app.touche('accompagnement.mission')} : son détail)",
                         style="italic")
            grille.add_row("Mission", ligne)
            grille.add_row("Période", Text(periode(mission.debut, mission.fin)))
            volume = f"{heures(mission.volume)} par semaine"
            if mission.quotite is not None:
                volume += f", quotité {pourcent(mission.quotite)}"
            grille.add_row("Volume", Text(volume))
            if fiche.occupation_max is not None:
                occupation = Text(f"jusqu'à {heures(fiche.occupation_max)} par semaine "
                                  "(cet accompagnement et les autres de la mission)")
                if fiche.occupation_max > mission.volume:
                    occupation.append(" : au-delà du volume", style="bold")
                grille.add_row("Occupation", occupation)
        return Group(_titre("AESH et mission"), grille)

    def _incoherences(self, fiche: FicheAccompagnement) -> Group:
        if not fiche.incoherences:
            return Group(_titre("Incohérences"), Text("Aucune incohérence."))
        style = "bold" if self.app.no_color else f"bold {ORANGE.code}"
        lignes: list = [_titre(f"Incohérences ({len(fiche.incoherences)})")]
        for vue in fiche.incoherences:
            ligne = Text()
            ligne.append("! ", style=style)  # on this mark only: the rest reads plainly
            ligne.append(f"n° {vue.incoherence.type} — {vue.libelle} : ", style="bold")
            ligne.append(propre(vue.incoherence.detail))
            lignes.append(ligne)
        return Group(*lignes)

    # -- actions -----------------------------------------------------------------
    def action_retour(self) -> None:
        self.dismiss()

    def action_aesh(self) -> None:
        fiche = self._fiche
        if fiche is None or fiche.aesh is None:
            self.notify("L'AESH de cet accompagnement est introuvable dans la base.",
                        severity="warning")
            return
        from .dossier_aesh import DossierAesh  # lazy: that screen opens this one too

        self.app.push_screen(DossierAesh(fiche.aesh.id))

    def action_mission(self) -> None:
        fiche = self._fiche
        if fiche is None or fiche.mission is None:
            self.notify("La mission de cet accompagnement est introuvable dans la base.",
                        severity="warning")
            return
        from .detail_mission import DetailMission  # lazy: that screen opens this one too

        self.app.push_screen(DetailMission(fiche.mission.id))

    def action_pv(self) -> None:
        annoncer_pv(self, self.acc_id)

    def accompagnement_vise(self) -> str | None:
        return self.acc_id if self._fiche is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing to open when the accompagnement is gone.
        if action in ("aesh", "mission", "pv"):
            return self._fiche is not None
        return super().check_action(action, parameters)

    def donnees_rechargees(self) -> None:
        self.suivre_fiche(self.app.session_ouverte.fiche_accompagnement(self.acc_id), self._fiche,
                          "Cet accompagnement n'existe plus (supprimé) : son détail est fermé.")
