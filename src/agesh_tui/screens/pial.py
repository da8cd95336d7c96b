"""PIAL (SPEC F11, guide §9): one row per tête de PIAL of the perimeter for
a school year — besoins (décisions individuelles, mutualisées, volume
estimé), moyens (missions affectées, volume), couverture moyenne as a
number and a bar —, the établissements hors PIAL as one row of their own,
with the list tools of §4. A banner says when the stored aggregates are
stale; the superviseur recalculates them one key away. Entrée opens a
PIAL's detail; a the affectation automatique."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.erreurs import PermissionRefusee, StoreError
from ..api.vues_pial import LignePial, TableauPial
from ..engine.calendrier import annee_scolaire, libelle_annee
from ..widgets.affichage import entier, heures, pourcent, propre
from ..widgets.barre_couverture import BANDES, bande_de, segments_couverture
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .affectation_auto import AffectationAuto
from .base import EcranMenu
from .detail_pial import DetailPial
from .preferences import ListeMemorisee

PREFERENCE = "pial"


@dataclass
class TableauCharge(Message):
    """The worker read the year's aggregates."""

    tableau: TableauPial


@dataclass
class Recalcule(Message):
    """The recalcul ended: ``erreur`` None when it succeeded."""

    annee: int
    erreur: str | None


def moment(tableau: TableauPial) -> str:
    assert tableau.calcule_le is not None
    return tableau.calcule_le.strftime("%d/%m/%Y à %H:%M")


class ListePial(ListeMemorisee, EcranMenu):
    MENU = "pial"
    PREFERENCE = PREFERENCE
    AIDE = (
        "PIAL : pour chaque établissement tête de PIAL de votre périmètre et l'année scolaire "
        "choisie (< et > changent d'année), les besoins (décisions individuelles, mutualisées, "
        "volume horaire hebdomadaire estimé), les moyens (missions affectées, volume) et la "
        "couverture moyenne (moyens / besoin), en nombre et en barre : la longueur dit la part "
        "couverte (pleine et « » » au-delà de 100 %), la couleur aussi (rouge sous 50 %, orange "
        "sous 90 %, vert jusqu'à 110 %, bleu au-delà). La dernière ligne regroupe les "
        "établissements hors PIAL. Les chiffres sont ceux du dernier recalcul des agrégats : un "
        "bandeau dit quand les données ont changé depuis ; le superviseur AESH relance le "
        "recalcul (r). Entrée ouvre le détail du PIAL ; a ouvre l'affectation automatique."
    )
    BINDINGS = [
        Binding("less_than_sign", "annee(-1)", "Année préc.", key_display="<",
                id="pial.annee_precedente"),
        Binding("greater_than_sign", "annee(1)", "Année suiv.", key_display=">",
                id="pial.annee_suivante"),
        Binding("a", "affectation_auto", "Affectation auto.", id="pial.affectation_auto"),
        Binding("r", "recalculer", "Recalculer", id="pial.recalculer"),
    ]
    CSS_PATH = "pial.tcss"

    def __init__(self, annee: int | None = None) -> None:
        super().__init__()
        self.annee = annee
        self._tableau: TableauPial | None = None
        self._recalcul_en_cours = False

    def contenu(self) -> ComposeResult:
        if self.annee is None:
            self.annee = annee_scolaire(self.app.today)
        # Asked before the widgets mount: the read runs meanwhile, and its
        # answer is handled after on_mount, the list there to take it.
        self._lire()
        yield Static(self._titre(), id="pial-titre")
        yield Static("Lecture des agrégats…", id="pial-bandeau", markup=False)
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda l: l.pial_uai or "hors",
                             filtres=self._filtres(), id="pial")
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("PIAL", "PIAL"), feminin=False, today=self.app.today,
                          tableur="pial")

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()

    def _titre(self) -> Text:
        session = self.app.session_ouverte
        return Text.assemble(("PIAL", "bold"), f" · année {libelle_annee(self.annee or 0)}",
                             f" ({self.app.touche('pial.annee_precedente')} "
                             f"{self.app.touche('pial.annee_suivante')} : changer)",
                             f" · {session.libelle_perimetre()}")

    # -- rows: off the event loop (the stored aggregates are read from the base) -------
    @work(thread=True, exclusive=True, group="pial-tableau")
    def _lire(self) -> None:
        assert self.annee is not None
        session = self.app.session_ouverte
        tableau = session.tableau_pial(self.annee)
        if get_current_worker().is_cancelled:
            return
        self.post_message(TableauCharge(tableau))

    def on_tableau_charge(self, message: TableauCharge) -> None:
        if message.tableau.annee != self.annee:
            return  # an older year's answer, arrived after the switch
        self._tableau = message.tableau
        self.query_one(ListeDonnees).definir_lignes(message.tableau.lignes)
        self._annoncer()
        self.refresh_bindings()
        # Once the table is on screen: what every PIAL's detail shares, so
        # that the first one opens as fast as the next.
        self.call_after_refresh(self._preparer, message.tableau.annee)

    @work(thread=True, exclusive=True, group="pial-preparation")
    def _preparer(self, annee: int) -> None:
        self.app.session_ouverte.preparer_detail_pial(annee)

    def _annoncer(self) -> None:
        """The banner: how fresh the figures are, and who can refresh them."""
        bandeau = self.query_one("#pial-bandeau", Static)
        tableau = self._tableau
        if tableau is None:
            return
        session = self.app.session_ouverte
        annee = libelle_annee(tableau.annee)
        touche = self.app.touche("pial.recalculer")
        qui = (f" {touche} : recalculer." if session.superviseur
               else " Le recalcul est fait par un superviseur AESH.")
        bandeau.set_class(False, "-perime", "-a-jour")
        if self._recalcul_en_cours:
            texte = f"Recalcul des agrégats {annee} en cours…"
        elif tableau.erreur is not None:
            texte = (f"La formule du besoin {annee} ne s'applique pas : {tableau.erreur} "
                     "Le superviseur la corrige dans Paramètres département.")
            bandeau.add_class("-perime")
        elif tableau.calcule_le is None:
            texte = (f"Agrégats {annee} jamais recalculés : chiffres calculés à l'instant, "
                     f"non enregistrés.{qui}")
            bandeau.add_class("-perime")
        elif not tableau.a_jour:
            # The missions are counted now: after an affectation their
            # column moves, the recalcul's figures do not — say which is which.
            texte = (f"Besoin, moyens et couverture du recalcul du {moment(tableau)} : des "
                     f"données ont changé depuis.{qui}")
            bandeau.add_class("-perime")
        else:
            texte = f"Agrégats recalculés le {moment(tableau)}, à jour."
            bandeau.add_class("-a-jour")
        bandeau.update(Text(texte))

    def donnees_rechargees(self) -> None:
        self._lire()

    # -- columns and filters ---------------------------------------------------------
    def _colonnes(self) -> list[Colonne]:
        def barre(ligne: LignePial, largeur: int):
            return segments_couverture(ligne.couverture, largeur)

        # Keys of api/tableaux.py's « pial »: e exports what is shown.
        return [
            Colonne("nom", "Tête de PIAL", 24, lambda l: l.nom),
            Colonne("couverture", "Couv.", 7, lambda l: l.couverture,
                    texte=lambda l: pourcent(l.couverture), alignement="droite"),
            Colonne("barre", "Couverture", 12, lambda l: l.couverture,
                    texte=lambda l: "", cellule=barre),
            Colonne("decisions_individuelles", "Indiv.", 6, lambda l: l.decisions_individuelles,
                    texte=lambda l: entier(l.decisions_individuelles), alignement="droite"),
            Colonne("decisions_mutualisees", "Mutu.", 5, lambda l: l.decisions_mutualisees,
                    texte=lambda l: entier(l.decisions_mutualisees), alignement="droite"),
            Colonne("besoin", "Besoin", 8, lambda l: l.besoin, texte=lambda l: heures(l.besoin),
                    alignement="droite"),
            Colonne("missions", "Missions", 8, lambda l: l.missions,
                    texte=lambda l: entier(l.missions), alignement="droite"),
            Colonne("moyens", "Moyens", 8, lambda l: l.moyens, texte=lambda l: heures(l.moyens),
                    alignement="droite"),
            Colonne("commune", "Commune", 16, lambda l: l.commune),
            Colonne("pial_uai", "UAI", 8, lambda l: l.pial_uai),
            Colonne("heures_individuelles", "Heures indiv.", 13, lambda l: l.heures_individuelles,
                    texte=lambda l: heures(l.heures_individuelles), alignement="droite",
                    visible=False),
        ]

    def _filtres(self) -> list[Filtre]:
        return [
            Filtre("commune", "Commune de la tête de PIAL", "choix", lambda l: l.commune or None,
                   court="commune"),
            Filtre("niveau", "Couverture moyenne", "choix", lambda l: bande_de(l.couverture),
                   court="couverture", choix=BANDES),
        ]

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        ligne: LignePial = event.ligne
        if ligne.hors_pial:
            self.notify("Les établissements hors PIAL n'ont pas de détail PIAL : leurs décisions "
                        "sont sur Accueil (filtre « Établissement tête de PIAL »).", markup=False)
            return
        assert self.annee is not None
        self.app.push_screen(DetailPial(ligne.pial_uai, self.annee))

    # -- actions -----------------------------------------------------------------------
    def action_annee(self, pas: int) -> None:
        assert self.annee is not None
        self.annee += pas
        self.query_one("#pial-titre", Static).update(self._titre())
        self.query_one("#pial-bandeau", Static).update(Text("Lecture des agrégats…"))
        self._lire()

    def action_affectation_auto(self) -> None:
        self.app.push_screen(AffectationAuto(self.annee))

    def action_recalculer(self) -> None:
        session = self.app.session_ouverte
        try:
            session.exiger_superviseur()
        except PermissionRefusee as exc:
            self.notify(f"Recalcul impossible : {exc}", severity="error", markup=False)
            return
        if self._recalcul_en_cours:
            return
        self._recalcul_en_cours = True
        self._annoncer()
        assert self.annee is not None
        self._recalculer(self.annee)

    @work(thread=True, exclusive=True, group="pial-recalcul")
    def _recalculer(self, annee: int) -> None:
        from ..engine.regles.formule import FormuleError

        session = self.app.session_ouverte
        erreur = None
        try:
            session.recalculer_agregats(annee, session.maintenant())
        except (FormuleError, StoreError) as exc:
            erreur = propre(str(exc))
        self.post_message(Recalcule(annee, erreur))

    def on_recalcule(self, message: Recalcule) -> None:
        self._recalcul_en_cours = False
        annee = libelle_annee(message.annee)
        if message.erreur is None:
            self.notify(f"Agrégats {annee} recalculés.", title="Recalcul", markup=False)
        else:
            self.notify(f"Recalcul {annee} impossible : {message.erreur}", severity="error",
                        timeout=12, markup=False)
        self._lire()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "recalculer":
            # The superviseur's (SPEC §2.5): not offered to a gestionnaire.
            return self.app.session_ouverte.superviseur
        return True

