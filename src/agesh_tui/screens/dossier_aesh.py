"""Dossier d'un AESH (SPEC F8, guide §7.1): the état civil, the adresse and
the RQTH, which come from the RH bases and are not changed here, the other
information, then the AESH's missions and accompagnements, each line
opening its detail (Entrée)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ..api.vues_aesh import AccompagnementAesh, MissionAesh
from ..api.vues_aesh import DossierAesh as Dossier
from ..engine.calendrier import format_date
from ..widgets.affichage import heures, nom_prenom, nombre, pourcent, propre, texte
from ..widgets.liste import Colonne, ListeDonnees
from .operations_accompagnement import AIDE_OPERATIONS, BINDINGS_OPERATIONS, EcranAccompagnements

# Lines of a section's list before it scrolls on its own.
LIGNES_MAX = 8


def _titre(titre: str, suite: str = "") -> Text:
    return Text.assemble((titre, "bold underline"), suite)


def _bloc(titre: str, note: str, grille: Table) -> Table:
    bloc = Table.grid()
    bloc.add_row(_titre(titre))
    bloc.add_row(Text(note, style="italic"))
    bloc.add_row(grille)
    return bloc


def _grille() -> Table:
    grille = Table.grid(padding=(0, 2))
    grille.add_column(style="bold", no_wrap=True)
    grille.add_column(overflow="fold")
    return grille


def _etat_mission(vue: MissionAesh, today) -> str:
    """Where the mission stands today, « 📅 prév. » before when prévisionnelle."""
    m = vue.mission
    if not m.actif:
        etat = "inactive"
    elif m.debut > today:
        etat = "à venir"
    elif m.fin is not None and m.fin < today:
        etat = "terminée"
    else:
        etat = "en cours"
    return f"📅 prév., {etat}" if vue.previsionnelle else etat


def _marques_accompagnement(vue: AccompagnementAesh) -> str:
    """The modifiers as icons with a word: readable without colour."""
    mots = []
    if vue.previsionnel:
        mots.append("📅 prév.")
    if vue.acc.maintien:
        mots.append("🔗 maint.")
    if vue.anomalie:
        mots.append("! anom.")
    return " ".join(mots)


class DossierAesh(EcranAccompagnements):
    MENU = "aesh"
    AIDE = (
        "Dossier d'un AESH : l'état civil, l'adresse et la RQTH viennent des bases RH et ne se "
        "modifient pas ici (un AESH prévisionnel se modifie en entier) ; puis ses missions et ses "
        "accompagnements. m ouvre « Modifier cet AESH », a « Ajouter une mission » "
        "prévisionnelle. Tab passe d'une liste à l'autre, ↑ ↓ choisissent une ligne, Entrée "
        "ouvre la mission ou l'accompagnement. Échap revient à la liste des AESH. "
        + AIDE_OPERATIONS
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour à la liste", id="dossier_aesh.retour"),
        Binding("m", "modifier", "Modifier cet AESH", id="dossier_aesh.modifier"),
        Binding("a", "ajouter_mission", "Ajouter une mission", id="dossier_aesh.ajouter_mission"),
        *BINDINGS_OPERATIONS,
    ]
    CSS_PATH = "dossier_aesh.tcss"

    def __init__(self, aesh_id: str):
        super().__init__()
        self.aesh_id = aesh_id
        self._dossier: Dossier | None = None  # what the screen shows

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="dossier"):
            yield from self._sections()

    def on_mount(self) -> None:
        self._focaliser()

    def _focaliser(self) -> None:
        # The first list, so that Entrée opens its line; the dossier stays
        # scrolled to its top (the état civil).
        for liste in self.query(ListeDonnees):
            liste.focus(scroll_visible=False)
            break

    def _sections(self) -> ComposeResult:
        dossier = self._dossier = self.app.session_ouverte.dossier_aesh(self.aesh_id)
        if dossier is None:
            yield Static(Text(f"L'AESH {propre(self.aesh_id)} n'existe plus dans les données "
                              "rechargées."), classes="dossier-titre")
            return
        aesh = dossier.aesh
        titre = Text(f"AESH {nom_prenom(aesh)}", style="bold")
        if not aesh.actif:
            titre.append(" [I] inactif", style="bold")
        if aesh.previsionnel:
            titre.append(" · 📅 prévisionnel")
        yield Static(titre, classes="dossier-titre")
        with Horizontal(id="dossier-haut"):
            yield Static(self._etat_civil(dossier), classes="dossier-bloc", id="dossier-rh")
            yield Static(self._complements(dossier), classes="dossier-bloc",
                         id="dossier-complements")
        yield Static(_titre(f"Missions ({len(dossier.missions)})",
                            " · Entrée ouvre la mission" if dossier.missions else ""),
                     classes="dossier-section")
        if dossier.missions:
            yield self._liste(self._colonnes_missions(), dossier.missions,
                              lambda v: v.mission.id, "dossier-missions")
        else:
            yield Static("Aucune mission.", classes="dossier-vide")
        yield Static(_titre(f"Accompagnements ({len(dossier.accompagnements)})",
                            " · Entrée ouvre l'accompagnement" if dossier.accompagnements else ""),
                     classes="dossier-section")
        if dossier.accompagnements:
            yield self._liste(self._colonnes_accompagnements(), dossier.accompagnements,
                              lambda v: v.acc.id, "dossier-accompagnements")
        else:
            yield Static("Aucun accompagnement.", classes="dossier-vide")

    @staticmethod
    def _liste(colonnes, lignes, cle, ident: str) -> ListeDonnees:
        liste = ListeDonnees(colonnes, lignes, cle_ligne=cle, id=ident, classes="dossier-liste")
        liste.styles.max_height = LIGNES_MAX + 2  # the header and a sideways scrollbar
        return liste

    # -- sections --------------------------------------------------------------
    def _etat_civil(self, dossier: Dossier) -> Table:
        a = dossier.aesh
        grille = _grille()
        grille.add_row("Nom", texte(f"{a.civilite} {a.nom} {a.prenom}"))
        grille.add_row("Naissance", Text(format_date(a.date_naissance) or "—"))
        grille.add_row("Adresse", texte(a.adresse or "—"))
        grille.add_row("Commune", texte(f"{a.code_postal} {a.commune}".strip() or "—"))
        grille.add_row("RQTH", Text("oui" if a.rqth else "non"))
        if a.previsionnel:
            origine = "AESH prévisionnel, hors bases RH"
        else:
            origine = f"données RH ({propre(a.source)}), non modifiables ici"
        return _bloc("État civil, adresse, RQTH", origine, grille)

    def _complements(self, dossier: Dossier) -> Table:
        a = dossier.aesh
        grille = _grille()
        grille.add_row("Identifiant", texte(a.id))
        grille.add_row("Source", texte("prévisionnel" if a.previsionnel else a.source))
        grille.add_row("État", Text("actif" if a.actif else "[I] inactif"))
        grille.add_row("Transport", texte(a.transport or "—"))
        if a.latitude is not None and a.longitude is not None:
            position = f"{nombre(a.latitude, 4)}, {nombre(a.longitude, 4)}"
        else:
            position = "non renseignée"
        grille.add_row("Position", Text(position))
        if self.app.session_ouverte.saisie_permise:
            note = f"{self.app.touche('dossier_aesh.modifier')} : « Modifier cet AESH »"
        else:
            note = "saisies par les gestionnaires"
        return _bloc("Informations complémentaires", note, grille)

    def _colonnes_missions(self) -> list[Colonne]:
        today = self.app.today
        return [
            Colonne("id", "Mission", 8, lambda v: v.mission.id),
            Colonne("contrat", "Contrat", 7, lambda v: v.mission.contrat),
            Colonne("nature", "Nature", 6, lambda v: v.mission.nature),
            Colonne("volume", "Volume", 7, lambda v: v.mission.volume,
                    texte=lambda v: heures(v.mission.volume), alignement="droite"),
            Colonne("debut", "Début", 10, lambda v: v.mission.debut),
            Colonne("fin", "Fin", 10, lambda v: v.mission.fin),
            Colonne("etat", "État", 18, lambda v: _etat_mission(v, today)),
            Colonne("quotite", "Quotité", 7, lambda v: v.mission.quotite,
                    texte=lambda v: "" if v.mission.quotite is None else pourcent(v.mission.quotite),
                    alignement="droite"),
            Colonne("activite", "Activité", 30, lambda v: v.activite),
            Colonne("employeur", "Établissement employeur", 26, lambda v: v.employeur),
        ]

    @staticmethod
    def _colonnes_accompagnements() -> list[Colonne]:
        return [
            Colonne("eleves", "Élève(s)", 20, lambda v: ", ".join(v.eleves)),
            Colonne("debut", "Début", 10, lambda v: v.acc.debut),
            Colonne("fin", "Fin", 10, lambda v: v.acc.fin),
            Colonne("heures", "Heures", 7, lambda v: v.acc.heures,
                    texte=lambda v: heures(v.acc.heures), alignement="droite"),
            Colonne("marques", "Marques", 16, _marques_accompagnement),
            Colonne("type", "Type", 14, lambda v: f"mutualisé ({len(v.acc.decision_ids)})"
                    if v.mutualise else "individualisé"),
            Colonne("etablissement", "Établissement", 26, lambda v: v.etablissement),
            Colonne("mission", "Mission", 8, lambda v: v.acc.mission_id),
            Colonne("id", "Accompagnement", 14, lambda v: v.acc.id),
        ]

    # -- actions -----------------------------------------------------------------
    @on(ListeDonnees.LigneChoisie, "#dossier-missions")
    def _ouvrir_mission(self, event: ListeDonnees.LigneChoisie) -> None:
        from .detail_mission import DetailMission  # lazy: it opens this screen too

        self.app.push_screen(DetailMission(event.ligne.mission.id))

    @on(ListeDonnees.LigneChoisie, "#dossier-accompagnements")
    def _ouvrir_accompagnement(self, event: ListeDonnees.LigneChoisie) -> None:
        from .detail_accompagnement import DetailAccompagnement  # lazy: it opens this screen too

        self.app.push_screen(DetailAccompagnement(event.ligne.acc.id))

    def action_retour(self) -> None:
        self.dismiss()

    def action_modifier(self) -> None:
        from .formulaire_aesh import FormulaireAesh

        self.app.push_screen(FormulaireAesh(self.aesh_id))

    def action_ajouter_mission(self) -> None:
        from .formulaire_mission import FormulaireMission

        self.app.push_screen(FormulaireMission(aesh_id=self.aesh_id, menu="aesh"))

    def accompagnement_vise(self) -> str | None:
        """The cursor's row of the accompagnements list, once Tab reached it."""
        for liste in self.query("#dossier-accompagnements").results(ListeDonnees):
            ligne = liste.ligne_courante()
            if liste.has_focus and ligne is not None:
                return str(ligne.acc.id)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("modifier", "ajouter_mission"):
            # The superviseur consults; a dossier reloaded away has nothing to change.
            session = self.app.session_ouverte
            return session.saisie_permise and session.aesh(self.aesh_id) is not None
        return super().check_action(action, parameters)

    def donnees_rechargees(self) -> None:
        self.suivre_fiche(self.app.session_ouverte.dossier_aesh(self.aesh_id), self._dossier,
                          "Cet AESH n'existe plus après le rechargement.")

    def focus_apres_recomposition(self) -> None:
        self._focaliser()
