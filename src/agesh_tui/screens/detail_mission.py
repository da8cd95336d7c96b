"""Détail d'une mission (guide §8.1): the mission (periods, nature and its
activity, volume, quotité, contract), its AESH and RH data, its affectations
PIAL, its occupation — the bar across the width and the hours of each
period — and its accompagnements, each opening its own detail."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..api.vues_missions import LIBELLES_SOURCE, FicheMission
from ..engine.calendrier import format_date
from ..widgets.affichage import heures, nom_prenom, periode, pourcent, propre, texte
from ..widgets.barre_occupation import (
    ASPECTS_OCCUPATION,
    BarreOccupation,
    Occupation,
    legende_courte,
)
from ..widgets.couleurs import nommer
from .base import EcranMenu
from .choix_decisions import ChoixDecisions
from .decision import Tableau


def _titre(titre: str) -> Text:
    return Text(titre, style="bold underline")


def _grille() -> Table:
    grille = Table.grid(padding=(0, 2))
    grille.add_column(style="bold", no_wrap=True)
    grille.add_column(overflow="fold")
    return grille


class DetailMission(EcranMenu):
    MENU = "missions"
    AIDE = (
        "Détail d'une mission : la mission et son AESH, les données RH, les affectations PIAL, "
        "l'occupation (la barre sur la période de la mission et les heures de chaque période) et "
        "les accompagnements portés par la mission. ↑ ↓ font défiler le détail ; Tab va à la "
        "liste des accompagnements (↑ ↓ pour en choisir un, Entrée ouvre son détail). Une mission "
        "des bases RH, synchronisée chaque jour, ne se modifie pas ; une mission prévisionnelle, "
        "si : m. a crée un accompagnement sur la mission (les décisions à couvrir, les plus "
        "proches de l'AESH d'abord). Échap pour revenir à la liste des missions."
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour à la liste", id="mission.retour"),
        Binding("m", "modifier", "Modifier la mission", id="mission.modifier"),
        Binding("a", "creer_accompagnement", "Créer un accompagnement",
                id="mission.creer_accompagnement"),
    ]
    CSS_PATH = "detail_mission.tcss"

    def __init__(self, mission_id: str):
        super().__init__()
        self.mission_id = mission_id
        self._fiche: FicheMission | None = None  # what the screen shows

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="detail-mission"):
            yield from self._sections()

    def on_mount(self) -> None:
        # The detail read from its top; Tab reaches the accompagnements.
        self.query_one("#detail-mission").focus()

    def _sections(self) -> ComposeResult:
        fiche = self._fiche = self.app.session_ouverte.fiche_mission(self.mission_id)
        if fiche is None:
            yield Static(f"La mission {propre(self.mission_id)} n'existe plus dans les données "
                         "rechargées.", classes="detail-titre", markup=False)
            return
        ligne = fiche.ligne
        yield Static(Text(f"Mission {ligne.id} — {ligne.nom}", style="bold"), classes="detail-titre")
        # What the list's row says, then the bar across the width: read first at 80×24.
        yield Static(self._resume(fiche), classes="detail-bloc")
        occupation = Occupation(ligne.debut, ligne.fin_barre, ligne.occupation, ligne.volume)
        yield BarreOccupation(occupation, self.app.today, id="barre-mission")
        yield Static(legende_courte(couleurs=not self.app.no_color), id="legende-occupation")
        with Horizontal(id="mission-haut"):
            yield Static(self._mission(fiche), classes="detail-bloc")
            yield Static(self._aesh_rh(fiche), classes="detail-bloc")
        yield Static(Group(_titre("Occupation par période"), self._periodes(occupation)),
                     classes="detail-bloc")
        yield Static(self._affectations(fiche), classes="detail-bloc")
        yield Static(_titre(f"Accompagnements ({len(fiche.accompagnements)})"), classes="detail-bloc")
        if fiche.accompagnements:
            yield OptionList(*self._options(fiche), id="mission-accompagnements")
        else:
            yield Static("Aucun accompagnement n'est porté par cette mission.", markup=False)

    # -- sections --------------------------------------------------------------
    def _resume(self, fiche: FicheMission) -> Text:
        ligne = fiche.ligne
        resume = Text(f"{ligne.contrat} · {ligne.nature} · {heures(ligne.volume)} par semaine · "
                      f"{periode(ligne.debut, ligne.fin)}")
        if ligne.fin is None:
            resume.append(f" (barre jusqu'au {format_date(ligne.fin_barre)})")
        resume.append(f"\nOccupée aujourd'hui : {heures(ligne.heures_aujourdhui)} sur "
                      f"{heures(ligne.volume)}.", style="bold")
        resume.append(f"\n{self._modification(fiche)}", style="italic")
        return resume

    def _modification(self, fiche: FicheMission) -> str:
        """Whether the mission may be changed here, plainly (guide §8.2)."""
        mission = fiche.ligne.mission
        if not mission.previsionnel:
            return (f"Mission RH ({propre(mission.source)}) : synchronisée depuis la base RH, "
                    "non modifiable ici.")
        if not self.app.session_ouverte.saisie_permise:
            return "Mission prévisionnelle : modifiable par les gestionnaires."
        return (f"Mission prévisionnelle : {self.app.touche('mission.modifier')} pour la "
                "modifier.")

    def _mission(self, fiche: FicheMission) -> Group:
        ligne, mission = fiche.ligne, fiche.ligne.mission
        grille = _grille()
        grille.add_row("Identifiant", texte(mission.id))
        grille.add_row("Période", Text(periode(mission.debut, mission.fin)
                                       + ("" if mission.fin else " (sans fin : CDI)")))
        grille.add_row("Contrat", texte(mission.contrat))
        nature = texte(mission.nature)
        nature.append(f" — {fiche.activite}")
        grille.add_row("Nature", nature)
        grille.add_row("Accompagnante", Text(
            "oui : peut porter des accompagnements d'élèves" if ligne.accompagnant
            else "non : ne peut pas porter d'accompagnement d'élève"))
        grille.add_row("Volume", Text(f"{heures(mission.volume)} par semaine"))
        quotite = pourcent(mission.quotite)
        if mission.quotite is None:
            quotite += " (non renseignée dans les bases RH)"
        grille.add_row("Quotité", Text(quotite))
        etat = ["active" if mission.actif else "inactive [I] (plus dans les bases RH)"]
        if ligne.previsionnel:
            etat.append("📅 prévisionnelle")
        grille.add_row("État", Text(" · ".join(etat)))
        return Group(_titre("Mission"), grille)

    def _aesh_rh(self, fiche: FicheMission) -> Group:
        mission, aesh = fiche.ligne.mission, fiche.aesh
        grille = _grille()
        if aesh is None:
            grille.add_row("AESH", Text(f"{propre(mission.aesh_id)} (introuvable dans la base)"))
        else:
            nom = Text(nom_prenom(aesh))
            if not aesh.actif:
                nom.append(" [I]")
            grille.add_row("AESH", nom)
            grille.add_row("Résidence", texte(" ".join(p for p in (aesh.code_postal, aesh.commune) if p)
                                              or "—"))
            grille.add_row("Transport", texte(aesh.transport or "—"))
        # The RH data of the mission (read-only: they come from the RH bases).
        grille.add_row("Source RH", Text(LIBELLES_SOURCE.get(mission.source, propre(mission.source))))
        if fiche.base_nature:
            grille.add_row("Support", Text(fiche.base_nature))
        grille.add_row("Employeur", self._etablissement(fiche.ligne.employeur, mission.uai_employeur))
        grille.add_row("Payeur", self._etablissement(fiche.payeur, mission.uai_payeur))
        return Group(_titre("AESH et données RH"), grille)

    @staticmethod
    def _etablissement(nom: str, uai: str | None) -> Text:
        if not uai:
            return Text("non renseigné")
        return texte(f"{nom} ({uai})" if nom and nom != uai else uai)

    def _affectations(self, fiche: FicheMission) -> Group:
        if not fiche.affectations:
            return Group(_titre("Affectations PIAL"),
                         Text("Aucune affectation à un PIAL pour cette mission."))
        table = Tableau("PIAL", "UAI", "Période", "Heures", titre=("PIAL",))
        for vue in fiche.affectations:
            a = vue.affectation
            table.add_row(texte(vue.pial), texte(a.pial_uai), Text(periode(a.debut, a.fin)),
                          Text(heures(a.volume)))
        return Group(_titre("Affectations PIAL"), table)

    def _periodes(self, occupation: Occupation) -> Tableau:
        couleurs = not self.app.no_color
        table = Tableau("", "Période", "Heures", "Disponible", "État", titre=("Période",))
        for p in occupation.periodes:
            aspect = ASPECTS_OCCUPATION[occupation.etat(p)]
            glyphe = Text(aspect.glyphe * 2, style=aspect.couleur.code if aspect.couleur else "")
            libre = occupation.volume - p.heures
            table.add_row(
                glyphe, Text(periode(p.debut, p.fin)), Text(heures(p.heures)),
                Text(heures(libre) if libre >= 0 else f"dépassé de {heures(-libre)}"),
                Text(nommer(aspect.libelle, aspect.couleur.nom if aspect.couleur else "",
                            couleurs=couleurs)),
            )
        return table

    def _options(self, fiche: FicheMission) -> list[Option]:
        options = []
        for vu in fiche.accompagnements:
            acc = vu.acc
            haut = Text("▶ ")
            haut.append(", ".join(vu.eleves), style="bold")
            if vu.classes:
                haut.append(f" ({', '.join(vu.classes)})")
            haut.append(f" · {vu.etablissement}")
            bas = Text("  ")
            genre = "individualisé" if vu.individualise else f"mutualisé ({len(acc.decision_ids)})"
            bas.append(f"{genre} · {heures(acc.heures)} · "
                       f"du {format_date(acc.debut)} au {format_date(acc.fin)}")
            marques = [m for m, oui in (("📅 prévisionnel", vu.previsionnel),
                                        ("🔗 maintien", acc.maintien),
                                        ("! anomalie", vu.anomalie)) if oui]
            if marques:
                bas.append(" · " + " · ".join(marques))
            options.append(Option(Text.assemble(haut, "\n", bas), id=acc.id))
        return options

    # -- actions -----------------------------------------------------------------
    @on(OptionList.OptionSelected, "#mission-accompagnements")
    def _ouvrir_accompagnement(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.ouvrir_accompagnement(event.option.id)

    def ouvrir_accompagnement(self, acc_id: str) -> None:
        from .detail_accompagnement import DetailAccompagnement  # lazy: it opens this screen too

        self.app.push_screen(DetailAccompagnement(acc_id))

    def action_retour(self) -> None:
        self.dismiss()

    def action_modifier(self) -> None:
        from .formulaire_mission import FormulaireMission

        if self.check_action("modifier", ()):
            self.app.push_screen(FormulaireMission(mission_id=self.mission_id, menu=self.MENU))

    def action_creer_accompagnement(self) -> None:
        if self.check_action("creer_accompagnement", ()):
            self.app.push_screen(ChoixDecisions(self.mission_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "creer_accompagnement":
            session = self.app.session_ouverte
            return session.saisie_permise and session.mission(self.mission_id) is not None
        if action == "modifier":
            # Only a prévisionnelle mission, only by a gestionnaire.
            session = self.app.session_ouverte
            mission = session.mission(self.mission_id)
            return session.saisie_permise and mission is not None and mission.previsionnel
        return True

    def donnees_rechargees(self) -> None:
        self.suivre_fiche(self.app.session_ouverte.fiche_mission(self.mission_id), self._fiche,
                          "Cette mission n'existe plus après le rechargement.")
