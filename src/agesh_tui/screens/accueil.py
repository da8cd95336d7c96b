"""Accueil (SPEC F7, guide §6): the décisions d'aide humaine of the
perimeter, with the list tools of §4, the frise de mise en œuvre, and the
creation of an accompagnement from the selected décisions."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.erreurs import PermissionRefusee, RegleRefusee
from ..api.vues_accueil import LigneDecision
from ..engine.modele.model import Decision
from ..widgets.affichage import TYPES_DECISION, distance, entier, heures, pourcent
from ..widgets.filtres import Filtre, filtre_annee_scolaire
from ..widgets.frise import segments_frise
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .decision import DetailDecision
from .formulaire_accompagnement import FormulaireAccompagnement
from .indicateurs import LIBELLES, Indicateurs
from .preferences import ListeMemorisee
from .refus import DetailRefus, a_resumer, resume

PREFERENCE = "accueil"


def lignes_accueil(session) -> list[LigneDecision]:
    """The rows, built once per load: the loading worker calls this first,
    so that Accueil gets them at once."""
    return session.lignes_accueil()


def colonne_mise_en_oeuvre(session, today) -> Colonne:
    """The décision's frise de mise en œuvre as a column of a list of
    décisions (LigneDecision), sorted by priorité, descending first (guide
    §4.5): what needs work (« nothing in place ») at the top. A row whose
    décision a reload removed has no frise: empty cells until the new rows
    replace it."""

    def priorite(ligne):
        f = session.frise(ligne.id)
        return None if f is None else f.priorite

    def cellule(ligne, largeur):
        f = session.frise(ligne.id)
        return [Segment(" " * largeur)] if f is None else segments_frise(f, largeur, today)

    return Colonne("mise_en_oeuvre", "Mise en œuvre", 22, priorite, texte=lambda l: "",
                   cellule=cellule, lente=True, decroissant_d_abord=True)


@dataclass
class LignesRechargees(Message):
    """The worker's rows after « R », with the ids of the indicator that
    filtered the list then (None: none)."""

    lignes: list[LigneDecision]
    indicateur: str | None
    ids: frozenset[str]


class Accueil(ListeMemorisee, EcranMenu):
    MENU = "accueil"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Accueil : les décisions d'aide humaine de votre périmètre. Entrée ouvre le détail, "
        "Espace sélectionne (plusieurs décisions mutualisées pour un accompagnement mutualisé), "
        "s trie par la colonne du curseur (← →), S ajoute un tri. La colonne « Mise en œuvre » "
        "est la frise de la décision et se trie par priorité. i ouvre les indicateurs ; Échap "
        "enlève le filtre d'un indicateur."
    )
    BINDINGS = [
        Binding("i", "indicateurs", "Indicateurs", id="accueil.indicateurs"),
        Binding("a", "creer_accompagnement", "Créer un accompagnement", id="accueil.creer_accompagnement"),
        # Out of the footer (full at 80 columns): the help and Ctrl+P list it.
        Binding("p", "propositions", "Propositions d'affectation", show=False, id="accueil.propositions"),
        # Shown only while an indicator filters the list (check_action).
        Binding("escape", "enlever_indicateur", "Enlever le filtre Indicateurs", id="accueil.enlever_indicateur"),
        # Shown after a refusal too long for its notification.
        Binding("d", "detail_refus", "Détail du refus", id="accueil.detail_refus"),
    ]

    CSS_PATH = "accueil.tcss"


    def __init__(self) -> None:
        super().__init__()
        # The indicator whose « voir le détail » filters the list, and its ids.
        self._indicateur: str | None = None
        self._ids_indicateur: frozenset[str] = frozenset()
        # The last refusal of « a », when its notification only summarised it.
        self._refus: RegleRefusee | None = None

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        yield Static(Text.assemble(("Décisions d'aide humaine", "bold"),
                                   f" · périmètre : {self._perimetre()}"), id="accueil-titre")
        bandeau = Static(id="accueil-indicateur")
        bandeau.display = False  # until an indicator filters the list
        yield bandeau
        liste = ListeDonnees(
            self._colonnes(), cle_ligne=lambda ligne: ligne.id, filtres=self._filtres(),
            id="decisions",
        )
        liste.definir_lignes(lignes_accueil(session))
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("décision", "décisions"), today=self.app.today,
                          tableur="decisions")

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()

    # -- columns and filters ---------------------------------------------------------
    def _colonnes(self) -> list[Colonne]:
        session, today = self.app.session_ouverte, self.app.today

        def frise(ligne):
            return session.frise(ligne.id)

        def couverture(ligne):
            f = frise(ligne)
            return None if f is None else f.couverture

        # The guide's columns (§6.1), the frise moved up after the hours so that
        # it shows on an 80-column terminal without scrolling sideways.
        return [
            Colonne("eleve_id", "Identifiant", 11, lambda l: l.eleve_id),
            Colonne("nom", "Nom prénom", 22, lambda l: l.nom),
            Colonne("type", "Type", 12, lambda l: l.type),
            Colonne("heures", "Heures", 6, lambda l: l.heures, texte=lambda l: heures(l.heures),
                    alignement="droite"),
            # Sorted by priorité (guide §4.5), descending first: what needs
            # work (« nothing in place ») at the top.
            colonne_mise_en_oeuvre(session, today),
            Colonne("debut", "Début", 10, lambda l: l.debut),
            Colonne("fin", "Fin", 10, lambda l: l.fin),
            Colonne("etablissements", "Établissement(s) de scolarisation", 30,
                    lambda l: ", ".join(l.etablissements)),
            Colonne("secteur", "Secteur", 16, lambda l: ", ".join(l.secteurs)),
            Colonne("tete_pial", "Tête de PIAL", 22, lambda l: l.tete_pial),
            Colonne("origine", "Origine", 16, lambda l: l.origine),
            Colonne("nature", "Nature", 12, lambda l: l.nature),
            Colonne("distance", "Distance", 9, lambda l: self._distance(l.decision),
                    texte=lambda l: distance(self._distance(l.decision)), alignement="droite"),
            Colonne("couverture", "Couverture", 10, couverture,
                    texte=lambda l: pourcent(couverture(l)), alignement="droite",
                    visible=False, lente=True),
            # Hidden, yet searched like every column: « 0350057X » finds the row.
            Colonne("uai", "UAI scolarisation", 18, lambda l: ", ".join(l.uais), visible=False),
            Colonne("uai_tete", "UAI tête de PIAL", 16, lambda l: l.uai_tete, visible=False),
        ]

    def _filtres(self) -> list[Filtre]:
        return [
            filtre_annee_scolaire("annee", lambda l: (l.debut, l.fin), self.app.today),
            Filtre("type", "Type de décision", "choix", lambda l: l.type,
                   choix=tuple(TYPES_DECISION.values()), court="type"),
            Filtre("secteur", "Secteur", "choix", lambda l: l.secteurs, court="secteur"),
            Filtre("tete_pial", "Établissement tête de PIAL", "choix", lambda l: l.tete_pial,
                   court="tête de PIAL"),
            # By UAI, shown before the name (never cut) with the commune:
            # typed, any of them narrows the list.
            Filtre("etablissement", "Établissement de scolarisation", "choix", lambda l: l.uais,
                   court="établissement", libelle_code=self.app.session_ouverte.libelle_etablissement),
            Filtre("origine", "Origine", "choix", lambda l: l.origine, court="origine"),
            Filtre("nature", "Nature", "choix", lambda l: l.nature, court="nature"),
        ]

    def _distance(self, decision: Decision) -> float | None:
        """AESH → établissement of the accompagnement covering today
        (see docs/application.md)."""
        return self.app.session_ouverte.distance_du_jour(decision.id)

    def _perimetre(self) -> str:
        return self.app.session_ouverte.libelle_perimetre()

    # -- actions -------------------------------------------------------------------
    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DetailDecision(event.ligne.id))

    def action_creer_accompagnement(self) -> None:
        """Checks the selection (the cursor's row when nothing is selected)
        with the rules of SPEC §2.3, then says where the form will come."""
        liste = self.query_one(ListeDonnees)
        lignes = liste.selection() or [l for l in [liste.ligne_courante()] if l is not None]
        if not lignes:
            self.notify("Aucune décision à accompagner : la liste est vide.", severity="warning")
            return
        self._refus = None
        try:
            prop = self.app.session_ouverte.proposer_accompagnement([l.id for l in lignes])
        except RegleRefusee as exc:
            if a_resumer(exc.refus):
                # One short notification; the names on demand (« d »).
                self._refus = exc
                texte = resume(exc.refus, self.app.touche("accueil.detail_refus"))
            else:
                texte = str(exc)
            self.notify(f"Création impossible : {texte}", severity="error", timeout=10,
                        markup=False)
            return
        except PermissionRefusee as exc:
            self.notify(f"Création impossible : {exc}", severity="error", timeout=10, markup=False)
            return
        finally:
            self.refresh_bindings()
        par_id = {l.id: l for l in lignes}
        noms = [par_id[i].nom for i in prop.decision_ids]
        self.app.push_screen(FormulaireAccompagnement(prop, noms), self._cree)

    def action_propositions(self) -> None:
        """The plan for the selected décisions, or the whole perimeter."""
        from .propositions import ouvrir_propositions  # lazy: a screen of its own

        ouvrir_propositions(self.app, [l.id for l in self.query_one(ListeDonnees).selection()])

    def _cree(self, acc_ids: list[str] | None) -> None:
        if acc_ids is not None:
            self.query_one(ListeDonnees).action_vider_selection()

    # -- indicateurs (SPEC F6) -------------------------------------------------------
    def action_indicateurs(self) -> None:
        self.app.push_screen(Indicateurs(self._perimetre()), self._voir_indicateur)

    def _voir_indicateur(self, choix: tuple[str, frozenset[str]] | None) -> None:
        """« Voir le détail » of a counter: the list shows exactly its décisions."""
        if choix is not None:
            self._filtrer_indicateur(*choix)

    def _filtrer_indicateur(self, categorie: str | None, ids: frozenset[str] = frozenset()) -> None:
        self._indicateur, self._ids_indicateur = categorie, ids
        liste = self.query_one(ListeDonnees)
        # Not one of the user's saved filters: it lasts until Échap.
        liste.definir_filtres({} if categorie is None else {"indicateur": lambda l: l.id in ids})
        self._annoncer_indicateur()
        self.refresh_bindings()

    def _annoncer_indicateur(self) -> None:
        bandeau = self.query_one("#accueil-indicateur", Static)
        bandeau.display = self._indicateur is not None
        if self._indicateur is None:
            return
        liste = self.query_one(ListeDonnees)
        texte = Text.assemble(
            ("Filtre « Indicateurs : ", "bold"), (LIBELLES[self._indicateur].lower(), "bold"),
            (" »", "bold"),
        )
        n = len(self._ids_indicateur)
        if liste.nombre_affiche != n:
            # The user's filters or the search still apply (AND): say so.
            texte.append(f" ({entier(n)} décision{'s' if n > 1 else ''}, dont "
                         f"{entier(liste.nombre_affiche)} avec vos filtres et la recherche)")
        texte.append(" · Échap : l'enlever")
        bandeau.update(texte)

    @on(ListeDonnees.AffichageModifie)
    def _affichage_modifie(self) -> None:
        if self._indicateur is not None:
            self._annoncer_indicateur()

    def action_enlever_indicateur(self) -> None:
        self._filtrer_indicateur(None)

    def action_detail_refus(self) -> None:
        if self._refus is not None:
            self.app.push_screen(DetailRefus("Création impossible", self._refus))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enlever_indicateur":
            return self._indicateur is not None
        if action == "detail_refus":
            return self._refus is not None
        return True

    def donnees_rechargees(self) -> None:
        self._recharger_lignes()

    @work(thread=True, exclusive=True, group="accueil-lignes")
    def _recharger_lignes(self) -> None:
        # Off the event loop: the rows (prepared by the loading worker) and
        # the indicator on the reloaded data.
        session, indicateur = self.app.session_ouverte, self._indicateur
        lignes = lignes_accueil(session)
        ids = session.indicateurs().ids[indicateur] if indicateur is not None else frozenset()
        if not get_current_worker().is_cancelled:
            self.post_message(LignesRechargees(lignes, indicateur, ids))

    def on_lignes_rechargees(self, message: LignesRechargees) -> None:
        self.query_one(ListeDonnees).definir_lignes(message.lignes)
        if message.indicateur is not None and message.indicateur == self._indicateur:
            self._filtrer_indicateur(message.indicateur, message.ids)
