"""Affectation automatique (SPEC §2.7, guide §9.5): for the school year
chosen (< >), the simulation first — what would be affected, the anomalies
and why, besoin/moyens/couverture of each PIAL before → after —, then
« Exécuter » (the gestionnaire's: a superviseur sees the simulation only)
with a progress bar that Échap cancels (the run is one transaction: nothing
written), then the result. The report is ``agesh affectation-auto --json``'s."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import ProgressBar, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ..api.erreurs import PermissionRefusee, StaleWriteError, StoreError
from ..api.session_pial import AffectationAnnulee
from ..api.vues_pial import LigneBilan, RapportAuto
from ..engine.calendrier import annee_scolaire, libelle_annee
from ..widgets.affichage import entier, heures, periode, pourcent, propre
from ..widgets.barre_couverture import segments_couverture
from ..widgets.liste import Colonne, ListeDonnees
from .base import EcranMenu

# The bar moves at most this often (a run of thousands of rows would post
# thousands of messages).
PAS_PROGRESSION = 0.05  # seconds

SIMULATION, EXECUTION, FAIT, ANNULE = "simulation", "execution", "fait", "annule"
# The sections: (pane id, list id)
BILANS, ANOMALIES, AFFECTATIONS = "auto-pial", "auto-anomalies", "auto-affectations"
LISTES = {BILANS: "auto-bilans", ANOMALIES: "auto-liste-anomalies",
          AFFECTATIONS: "auto-liste-affectations"}


@dataclass
class Rapporte(Message):
    rapport: RapportAuto | None
    erreur: str | None = None


@dataclass
class Progression(Message):
    fait: int
    total: int


@dataclass
class Annule(Message):
    """The run stopped on the user's Échap: rolled back."""


class AffectationAuto(EcranMenu):
    MENU = "pial"
    AIDE = (
        "Affectation automatique (guide §9.5) : chaque mission active d'accompagnant, valide "
        "pendant l'année et pas encore affectée, est affectée au PIAL de son établissement "
        "(employeur, à défaut payeur) avec tout son volume. L'écran montre d'abord une "
        "simulation (rien n'est enregistré) : les affectations prévues, les anomalies et leur "
        "motif, et pour chaque PIAL le besoin, les moyens et la couverture avant → après. < et > "
        "changent d'année. x exécute (profil Gestionnaire AESH) : une barre de progression, Échap "
        "annule (rien n'est enregistré). Ensuite, les agrégats sont à recalculer par le "
        "superviseur. p, m et n passent d'un onglet à l'autre ; Entrée ouvre le détail du PIAL "
        "ou de la mission. Échap revient aux PIAL."
    )
    BINDINGS = [
        Binding("escape", "echap", "Retour / annuler", id="auto.echap"),
        Binding("less_than_sign", "annee(-1)", "Année préc.", key_display="<",
                id="auto.annee_precedente"),
        Binding("greater_than_sign", "annee(1)", "Année suiv.", key_display=">",
                id="auto.annee_suivante"),
        Binding("x", "executer", "Exécuter", id="auto.executer"),
        Binding("p", f"section('{BILANS}')", "PIAL", id="auto.pial"),
        Binding("m", f"section('{AFFECTATIONS}')", "Affectées", id="auto.affectations"),
        Binding("n", f"section('{ANOMALIES}')", "Anomalies", id="auto.anomalies"),
    ]
    CSS_PATH = "affectation_auto.tcss"

    def __init__(self, annee: int | None = None):
        super().__init__()
        self.annee = annee
        self.etat = SIMULATION
        self.rapport: RapportAuto | None = None
        self._annulation = threading.Event()

    def contenu(self) -> ComposeResult:
        if self.annee is None:
            self.annee = annee_scolaire(self.app.today)
        # Asked before the widgets mount: simulated meanwhile, its answer
        # handled after on_mount, the lists there to take it.
        self._simuler()
        yield Static(self._titre(), id="auto-titre")
        yield Static("Simulation en cours…", id="auto-etat", markup=False)
        yield ProgressBar(id="auto-progression", show_eta=False)
        # The tabs' keys, and Entrée's (the footer, at 80 columns, shows the list's first).
        touches = " · ".join(f"{self.app.touche(ident)} : {libelle}" for ident, libelle in (
            ("auto.pial", "PIAL"), ("auto.affectations", "missions affectées"),
            ("auto.anomalies", "anomalies"), ("liste.ouvrir", "ouvrir")))
        yield Static(Text(touches), id="auto-touches")
        with TabbedContent(id="auto-sections"):
            with TabPane("PIAL avant → après", id=BILANS):
                yield ListeDonnees(self._colonnes_bilans(), cle_ligne=lambda l: l.pial_uai,
                                   id=LISTES[BILANS])
            with TabPane("Anomalies", id=ANOMALIES):
                yield ListeDonnees(self._colonnes_anomalies(), cle_ligne=lambda l: l.mission_id,
                                   id=LISTES[ANOMALIES])
            with TabPane("Missions affectées", id=AFFECTATIONS):
                yield ListeDonnees(self._colonnes_affectations(), cle_ligne=lambda l: l.mission_id,
                                   id=LISTES[AFFECTATIONS])

    def on_mount(self) -> None:
        self.query_one("#auto-progression").display = False
        self.query_one(f"#{LISTES[BILANS]}", ListeDonnees).focus()

    def _titre(self) -> Text:
        return Text.assemble(("Affectation automatique", "bold"),
                             f" · année {libelle_annee(self.annee or 0)}")

    # -- the simulation -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="affectation-auto")
    def _simuler(self) -> None:
        assert self.annee is not None
        try:
            rapport = self.app.session_ouverte.rapport_affectation_auto(self.annee, dry_run=True)
        except (StoreError, ValueError) as exc:  # FormuleError is a ValueError
            self.post_message(Rapporte(None, propre(str(exc))))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(Rapporte(rapport))

    def on_rapporte(self, message: Rapporte) -> None:
        barre = self.query_one("#auto-progression")
        if message.rapport is None:
            self.etat = SIMULATION
            barre.display = False
            self._dire(f"Affectation automatique {libelle_annee(self.annee or 0)} impossible : "
                       f"{message.erreur}")
            self.refresh_bindings()
            return
        rapport = message.rapport
        if rapport.annee != self.annee:
            return  # an older year's answer, arrived after the switch
        self.rapport = rapport
        self.etat = SIMULATION if rapport.dry_run else FAIT
        barre.display = False
        self.query_one(f"#{LISTES[BILANS]}", ListeDonnees).definir_lignes(rapport.bilans)
        self.query_one(f"#{LISTES[ANOMALIES]}", ListeDonnees).definir_lignes(rapport.anomalies)
        self.query_one(f"#{LISTES[AFFECTATIONS]}", ListeDonnees).definir_lignes(rapport.affectations)
        onglets = self.query_one(TabbedContent)
        onglets.get_tab(ANOMALIES).label = f"Anomalies ({entier(len(rapport.anomalies))})"
        onglets.get_tab(AFFECTATIONS).label = (
            f"Missions affectées ({entier(len(rapport.affectations))})")
        self._dire(self._resume(rapport))
        if not rapport.dry_run:
            self.app.signal_donnees.publish(None)  # the PIAL and missions follow
        self.refresh_bindings()

    def _resume(self, rapport: RapportAuto) -> str:
        annee = libelle_annee(rapport.annee)
        n, a = len(rapport.affectations), len(rapport.anomalies)
        if not rapport.dry_run:
            return (f"Affectation automatique {annee} exécutée : {n} mission(s) affectée(s), "
                    f"{a} anomalie(s). Les agrégats des PIAL sont à recalculer (superviseur AESH).")
        texte = (f"Simulation {annee} : rien n'est enregistré. {n} mission(s) seraient "
                 f"affectée(s), {a} anomalie(s).")
        if self.etat == ANNULE:
            texte = f"Exécution annulée : rien n'a été enregistré. {texte}"
        if not n:
            return f"{texte} Rien à exécuter."
        if self.app.session_ouverte.profil != "gestionnaire":
            return f"{texte} L'exécution est réservée au profil Gestionnaire AESH."
        return f"{texte} {self.app.touche('auto.executer')} : exécuter."

    def _dire(self, texte: str) -> None:
        self.query_one("#auto-etat", Static).update(Text(texte))

    # -- the run --------------------------------------------------------------------------
    def action_executer(self) -> None:
        session = self.app.session_ouverte
        try:
            session.exiger_gestionnaire()
        except PermissionRefusee as exc:
            self.notify(f"Exécution impossible : {exc}", severity="error", markup=False)
            return
        if self.etat == EXECUTION or self.rapport is None or not self.rapport.affectations:
            return
        self.etat = EXECUTION
        self._annulation.clear()
        barre = self.query_one("#auto-progression", ProgressBar)
        barre.update(total=len(self.rapport.affectations), progress=0)
        barre.display = True
        self._dire(f"Exécution en cours… {self.app.touche('auto.echap')} annule : rien ne sera "
                   "enregistré.")
        self.refresh_bindings()
        self._executer(self.rapport.annee)

    @work(thread=True, exclusive=True, group="affectation-auto")
    def _executer(self, annee: int) -> None:
        annulation = self._annulation
        dernier = [0.0]

        def progres(fait: int, total: int) -> None:
            if annulation.is_set():
                raise AffectationAnnulee
            maintenant = time.monotonic()
            if fait == total or maintenant - dernier[0] >= PAS_PROGRESSION:
                dernier[0] = maintenant
                self.post_message(Progression(fait, total))

        try:
            rapport = self.app.session_ouverte.rapport_affectation_auto(annee, dry_run=False,
                                                                        progress=progres)
        except AffectationAnnulee:
            self.post_message(Annule())
            return
        except StaleWriteError as exc:
            self.post_message(Rapporte(None, f"{propre(str(exc))} "
                                             f"({self.app.touche('app.recharger')} recharge.)"))
            return
        except (StoreError, ValueError) as exc:
            self.post_message(Rapporte(None, propre(str(exc))))
            return
        self.post_message(Rapporte(rapport))

    def on_progression(self, message: Progression) -> None:
        self.query_one("#auto-progression", ProgressBar).update(total=message.total,
                                                                progress=message.fait)

    def on_annule(self, _: Annule) -> None:
        self.etat = ANNULE
        self.query_one("#auto-progression").display = False
        if self.rapport is not None:
            self._dire(self._resume(self.rapport))
        self.notify("Affectation automatique annulée : rien n'a été enregistré.",
                    title="Affectation automatique", markup=False)
        self.refresh_bindings()

    # -- keys -----------------------------------------------------------------------------
    def action_section(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        self.query_one(f"#{LISTES[pane]}", ListeDonnees).focus()

    @on(ListeDonnees.LigneChoisie, f"#{LISTES[BILANS]}")
    def _ouvrir_pial(self, event: ListeDonnees.LigneChoisie) -> None:
        from .detail_pial import DetailPial

        assert self.rapport is not None
        self.app.push_screen(DetailPial(event.ligne.pial_uai, self.rapport.annee))

    @on(ListeDonnees.LigneChoisie, f"#{LISTES[ANOMALIES]}")
    @on(ListeDonnees.LigneChoisie, f"#{LISTES[AFFECTATIONS]}")
    def _ouvrir_mission(self, event: ListeDonnees.LigneChoisie) -> None:
        from .detail_mission import DetailMission

        self.app.push_screen(DetailMission(event.ligne.mission_id))

    def action_echap(self) -> None:
        if self.etat == EXECUTION:
            self._annulation.set()  # the worker stops at its next row, rolled back
            self._dire("Annulation…")
            return
        self.dismiss()

    def action_annee(self, pas: int) -> None:
        assert self.annee is not None
        self.annee += pas
        self.etat = SIMULATION
        self.rapport = None
        self.query_one("#auto-titre", Static).update(self._titre())
        self._dire("Simulation en cours…")
        self._simuler()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "executer":
            # The gestionnaire's (guide §9.5); after a simulation with something to do.
            return (self.app.session_ouverte.profil == "gestionnaire"
                    and self.etat in (SIMULATION, ANNULE)
                    and self.rapport is not None and bool(self.rapport.affectations))
        if action == "annee":
            return self.etat != EXECUTION
        return True

    # -- columns ----------------------------------------------------------------------------
    def _colonnes_bilans(self) -> list[Colonne]:
        def barre(ligne: LigneBilan, largeur: int):
            return segments_couverture(ligne.couverture_apres, largeur)

        return [
            Colonne("nom", "Tête de PIAL", 24, lambda l: l.nom),
            Colonne("couverture_avant", "Couv. avant", 11, lambda l: l.couverture_avant,
                    texte=lambda l: pourcent(l.couverture_avant), alignement="droite"),
            Colonne("couverture_apres", "Couv. après", 11, lambda l: l.couverture_apres,
                    texte=lambda l: pourcent(l.couverture_apres), alignement="droite"),
            Colonne("barre", "Après", 10, lambda l: l.couverture_apres, texte=lambda l: "",
                    cellule=barre),
            Colonne("besoin", "Besoin", 8, lambda l: l.besoin, texte=lambda l: heures(l.besoin),
                    alignement="droite"),
            Colonne("moyens_avant", "Moyens avant", 12, lambda l: l.moyens_avant,
                    texte=lambda l: heures(l.moyens_avant), alignement="droite"),
            Colonne("moyens_apres", "Moyens après", 12, lambda l: l.moyens_apres,
                    texte=lambda l: heures(l.moyens_apres), alignement="droite"),
            Colonne("pial_uai", "UAI", 8, lambda l: l.pial_uai),
        ]

    @staticmethod
    def _colonnes_anomalies() -> list[Colonne]:
        return [
            Colonne("mission_id", "Mission", 10, lambda l: l.mission_id),
            Colonne("aesh", "AESH", 20, lambda l: l.aesh),
            Colonne("motif", "Motif", 60, lambda l: l.motif),
        ]

    @staticmethod
    def _colonnes_affectations() -> list[Colonne]:
        return [
            Colonne("aesh", "AESH", 20, lambda l: l.aesh),
            Colonne("pial", "PIAL", 24, lambda l: l.pial),
            Colonne("volume", "Volume", 7, lambda l: l.volume, texte=lambda l: heures(l.volume),
                    alignement="droite"),
            Colonne("periode", "Période", 25, lambda l: l.debut,
                    texte=lambda l: periode(l.debut, l.fin)),
            Colonne("mission_id", "Mission", 10, lambda l: l.mission_id),
        ]
