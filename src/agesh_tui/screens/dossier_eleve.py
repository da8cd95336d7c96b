"""Dossier d'un élève (SPEC F12, F13, guide §11.1 and §12): the élève's
dossier (état civil, état du dossier), where it is schooled, the décisions
current or coming (each opens the décision's détail), the history of its
scolarités and décisions, its proches (read from the base off the UI
thread) and its structure de soin.

Opened from the dossiers élèves, the search or elsewhere. Outside the
user's secteurs the dossier is for consultation only, and says so: the
Session refuses every write on it."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.vues_accompagnements import DecisionAccompagnee
from ..api.vues_eleves import FicheEleve
from ..engine.calendrier import format_date
from ..engine.modele.model import LIBELLES_ETAT_DOSSIER, Proche
from ..widgets.affichage import TYPES_DECISION, heures, nom_prenom, periode, pourcent, propre, texte
from .base import EcranMenu
from .decision import Tableau, bloc_proches, bloc_scolarites
from .detail_accompagnement import CarteDecision

LECTURE_SEULE = "consultation seule : élève hors de vos secteurs"


def _titre(titre: str) -> Text:
    return Text(titre, style="bold underline")


class DossierEleve(EcranMenu):
    AIDE = (
        "Dossier d'un élève : son état civil et l'état du dossier, sa scolarisation, les "
        "décisions en cours ou à venir (Tab passe de l'une à l'autre, Entrée ouvre son détail), "
        "l'historique de ses scolarités et de ses décisions, ses proches et sa structure de soin. "
        "Hors de vos secteurs, le dossier se consulte seulement. ↑ ↓ pour défiler, Échap pour "
        "revenir."
    )
    BINDINGS = [Binding("escape", "retour", "Retour", id="eleve.retour")]
    CSS_PATH = "dossier_eleve.tcss"

    def __init__(self, eleve_id: str, lecture_seule: bool = False) -> None:
        """``lecture_seule``: said even inside the perimeter (the caller
        offers no write); outside it, always."""
        super().__init__()
        self.eleve_id = eleve_id
        self.lecture_seule = lecture_seule
        self._fiche: FicheEleve | None = None
        self._proches: tuple[Proche, ...] | None = None
        self._proches_lus = False

    def compose(self) -> ComposeResult:
        # The menu it was opened from stays lit (Éditions, Rechercher, PIAL…).
        self.MENU = self.app.current_mode
        yield from super().compose()

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield from self._sections()

    @property
    def consultation(self) -> bool:
        fiche = self._fiche
        return self.lecture_seule or (fiche is not None and not fiche.dans_perimetre)

    def _sections(self) -> ComposeResult:
        fiche = self._fiche = self.app.session_ouverte.fiche_eleve(self.eleve_id)
        if fiche is None:
            yield Static(f"L'élève {propre(self.eleve_id)} n'existe plus dans les données "
                         "rechargées.", classes="detail-titre", markup=False)
            return
        titre = Text(f"Dossier de l'élève {nom_prenom(fiche.eleve)}", style="bold")
        if self.consultation:
            titre.append(f" · {LECTURE_SEULE}", style="italic")
        yield Static(titre, classes="detail-titre", id="eleve-titre")
        with Horizontal(id="detail-haut"):
            yield Static(self._etat_civil(fiche), classes="detail-bloc")
            yield Static(self._scolarisation(fiche), classes="detail-bloc")
        n = len(fiche.en_cours)
        yield Static(Group(_titre(f"Décisions en cours ou à venir ({n})"), Text(
            f"Tab : d'une décision à l'autre · {self.app.touche('accompagnement.ouvrir_decision')}"
            " : son détail" if n else "Aucune décision en cours ou à venir.")),
            classes="detail-bloc")
        for vue in fiche.en_cours:
            yield CarteDecision(DecisionAccompagnee(vue.decision, fiche.eleve, nom_prenom(fiche.eleve),
                                                    vue.frise), self.app.today, not self.app.no_color)
        yield Static(bloc_scolarites(fiche.scolarites, "Historique des scolarisations"),
                     classes="detail-bloc")
        yield Static(self._historique(fiche), classes="detail-bloc")
        yield Static(self._texte_proches(), classes="detail-bloc", id="proches")
        yield Static(Group(_titre("Accompagnement de soins"),
                           texte(fiche.eleve.structure_soin or "Aucune structure de soin renseignée.")),
                     classes="detail-bloc", id="soins")

    def _etat_civil(self, fiche: FicheEleve) -> Group:
        e = fiche.eleve
        grille = Table.grid(padding=(0, 2))
        grille.add_column(style="bold", no_wrap=True)
        grille.add_column(overflow="fold")
        grille.add_row("Identifiant", texte(e.id))
        grille.add_row("Nom", texte(e.nom))
        grille.add_row("Prénom", texte(e.prenom))
        grille.add_row("Date de naissance", Text(format_date(e.date_naissance) or "—"))
        etat = LIBELLES_ETAT_DOSSIER.get(e.etat_dossier, propre(e.etat_dossier))
        grille.add_row("État du dossier", Text(etat, style="" if e.etat_dossier == "actif" else "bold"))
        return Group(_titre("Dossier"), grille)

    def _scolarisation(self, fiche: FicheEleve) -> Group:
        ligne = fiche.ligne
        grille = Table.grid(padding=(0, 2))
        grille.add_column(style="bold", no_wrap=True)
        grille.add_column(overflow="fold")
        if ligne.debut is None:
            grille.add_row("Scolarité", Text("aucune scolarité saisie par l'ERSEH"))
        else:
            grille.add_row("Établissement", texte(ligne.etablissement).append(f" ({propre(ligne.uai)})"))
            grille.add_row("Période", Text(periode(ligne.debut, ligne.fin)))
            grille.add_row("Secteur", texte(ligne.secteur or "aucun"))
        grille.add_row("Périmètre", Text(LECTURE_SEULE if not fiche.dans_perimetre
                                         else "dans vos secteurs"))
        return Group(_titre("Scolarisation"), grille)

    def _historique(self, fiche: FicheEleve) -> Group:
        if not fiche.decisions:
            return Group(_titre("Historique des décisions"), Text("Aucune décision notifiée."))
        table = Tableau("Décision", "Type", "Heures", "Période", "Couverture",
                        titre=("Décision", "Type"))
        for vue in fiche.decisions:
            d = vue.decision
            table.add_row(texte(d.id), Text(TYPES_DECISION.get(d.type, propre(d.type))),
                          Text(heures(d.heures) if d.individuelle else ""),
                          Text(periode(d.debut, d.fin)),
                          Text(pourcent(vue.frise.couverture) if vue.frise else "—"))
        return Group(_titre("Historique des décisions"), table)

    # -- proches: read from the base, off the UI thread --------------------------------
    def on_mount(self) -> None:
        self._lire_proches()

    @work(thread=True, exclusive=True, group="eleve-proches")
    def _lire_proches(self) -> None:
        proches = self.app.session_ouverte.proches(self.eleve_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._montrer_proches, proches)

    def _montrer_proches(self, proches: tuple[Proche, ...] | None) -> None:
        self._proches, self._proches_lus = proches, True
        for bloc in self.query("#proches").results(Static):
            bloc.update(self._texte_proches())

    def _texte_proches(self) -> Group:
        if not self._proches_lus:
            return Group(_titre("Proches"), Text("Lecture des proches…", style="italic"))
        return bloc_proches(self._proches)

    # -- actions -----------------------------------------------------------------
    def action_retour(self) -> None:
        self.dismiss()

    def donnees_rechargees(self) -> None:
        self.suivre_fiche(self.app.session_ouverte.fiche_eleve(self.eleve_id), self._fiche,
                          "Ce dossier élève n'existe plus après le rechargement.")
