"""Accompagnement par établissement (SPEC F12, guide §10.3): for each
établissement of the perimeter — and, with the « Niveau » filter, each
PIAL — the décisions individuelles and mutualisées of its pupils notified,
the accompagnements mis en œuvre there and the AESH who carry them, on
today. Entrée opens the « Détail » (pupils notified and their AESH);
« m » prepares the « Courriel » (the synthèse sent to the établissement);
« n » the « Accès ENT des AESH »."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ..api.vues_etablissements import NIVEAU_ETABLISSEMENT, NIVEAU_PIAL, LigneComptesEtablissement
from ..engine.calendrier import format_date
from ..widgets.affichage import entier
from ..widgets.base import EcranAgesh
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .base import EcranMenu
from .preferences import ListeMemorisee

PREFERENCE = "accompagnement_etablissement"
AIDE_TOUCHES = "Entrée : détail · m : courriel · n : accès ENT · f : filtres (niveau PIAL)"
# The superviseur consults: no « Courriel » (sent on behalf of the gestionnaires).
AIDE_TOUCHES_CONSULTATION = "Entrée : détail · n : accès ENT · f : filtres (niveau PIAL)"
SEULEMENT_ETABLISSEMENT = ("Cette ligne est un PIAL (la somme de ses établissements) : choisissez un "
                           "établissement (filtre « Niveau »).")


@dataclass
class LignesComptes(Message):
    lignes: list[LigneComptesEtablissement]


def ouvrir_courriel(ecran: EcranAgesh, uai: str) -> None:
    from .courriel import CourrielEtablissement  # lazy: the preview builds a PDF

    ecran.app.push_screen(CourrielEtablissement(uai))


def ouvrir_acces_ent(ecran: EcranAgesh, uai: str) -> None:
    from .acces_ent import AccesEntEtablissement

    ecran.app.push_screen(AccesEntEtablissement(uai))


class AccompagnementEtablissements(ListeMemorisee, EcranMenu):
    """No constructor argument: the Éditions hub opens it as it is."""

    MENU = "editions"
    PREFERENCE = PREFERENCE
    AIDE = (
        "Accompagnement par établissement : pour chaque établissement de votre périmètre (et "
        "chaque PIAL, filtre « Niveau »), au jour d'aujourd'hui, les décisions individuelles et "
        "mutualisées des élèves notifiés qui y sont scolarisés, les accompagnements mis en œuvre "
        "et les AESH qui les portent. Entrée ouvre le détail (élèves notifiés et leurs AESH) ; m "
        "prépare le courriel de la synthèse à l'établissement ; n les accès ENT des AESH. Les "
        "outils de liste (tri, filtres, colonnes, recherche) s'appliquent."
    )
    BINDINGS = [
        Binding("m", "courriel", "Courriel", id="etablissements.courriel"),
        Binding("n", "acces_ent", "Accès ENT", id="etablissements.acces_ent"),
        Binding("escape", "retour", "Retour", id="etablissements.retour"),
    ]
    CSS_PATH = "accompagnement_etablissement.tcss"

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        yield Static(Text.assemble(
            ("Accompagnement par établissement", "bold"),
            f" · au {format_date(self.app.today)} · {session.libelle_perimetre()}"),
            id="etablissements-titre")
        yield Static("Calcul des effectifs par établissement…", id="etablissements-calcul")
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda l: l.cle, filtres=self._filtres(),
                             id="etablissements")
        self.restaurer_choix(liste)
        yield OutilsListe(liste, unite=("ligne", "lignes"), today=self.app.today)

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self._calculer()

    @work(thread=True, exclusive=True, group="etablissements-lignes")
    def _calculer(self) -> None:
        lignes = self.app.session_ouverte.lignes_accompagnement_etablissement()
        if not get_current_worker().is_cancelled:
            self.post_message(LignesComptes(lignes))

    def on_lignes_comptes(self, message: LignesComptes) -> None:
        self.query_one(ListeDonnees).definir_lignes(message.lignes)
        # The footer is full of the list's keys: this screen's own, said here.
        permise = self.app.session_ouverte.saisie_permise
        self.query_one("#etablissements-calcul", Static).update(
            Text(AIDE_TOUCHES if permise else AIDE_TOUCHES_CONSULTATION))

    def donnees_rechargees(self) -> None:
        self._calculer()

    @staticmethod
    def _colonnes() -> list[Colonne]:
        def nombre(cle: str, titre: str, largeur: int, valeur) -> Colonne:
            return Colonne(cle, titre, largeur, valeur, texte=lambda l: entier(valeur(l)),
                           alignement="droite", decroissant_d_abord=True)

        # Name and the four counts first: they fit 80 columns.
        return [
            Colonne("nom", "Établissement", 30, lambda l: l.nom),
            nombre("individuelles", "Indiv.", 6, lambda l: l.individuelles),
            nombre("mutualisees", "Mutu.", 6, lambda l: l.mutualisees),
            nombre("accompagnements", "Accomp.", 7, lambda l: l.accompagnements),
            nombre("aesh", "AESH", 5, lambda l: l.aesh),
            Colonne("commune", "Commune", 16, lambda l: l.commune),
            Colonne("pial", "PIAL", 26, lambda l: l.pial),
            Colonne("uai", "UAI", 8, lambda l: l.uai),
            Colonne("niveau", "Niveau", 13, lambda l: l.niveau, visible=False),
            nombre("decisions", "Décisions", 9, lambda l: l.decisions),
        ]

    def _filtres(self) -> list[Filtre]:
        return [
            Filtre("niveau", "Niveau (établissement ou PIAL)", "choix", lambda l: l.niveau,
                   choix=(NIVEAU_ETABLISSEMENT, NIVEAU_PIAL), propose=True, defaut=[NIVEAU_ETABLISSEMENT],
                   court="niveau"),
            Filtre("pial", "PIAL", "choix", lambda l: l.pial, court="PIAL"),
            Filtre("commune", "Commune", "choix", lambda l: l.commune or None, court="commune"),
        ]

    def _etablissement_courant(self) -> str | None:
        ligne = self.query_one(ListeDonnees).ligne_courante()
        if ligne is None:
            self.notify("Aucun établissement : la liste est vide.", severity="warning")
            return None
        if ligne.niveau != NIVEAU_ETABLISSEMENT:
            self.notify(SEULEMENT_ETABLISSEMENT, severity="warning", markup=False)
            return None
        return ligne.uai

    @on(ListeDonnees.LigneChoisie)
    def _detail(self, event: ListeDonnees.LigneChoisie) -> None:
        if (uai := self._etablissement_courant()) is not None:
            from .detail_etablissement import DetailEtablissement

            self.app.push_screen(DetailEtablissement(uai))

    def action_courriel(self) -> None:
        if (uai := self._etablissement_courant()) is not None:
            ouvrir_courriel(self, uai)

    def action_acces_ent(self) -> None:
        if (uai := self._etablissement_courant()) is not None:
            ouvrir_acces_ent(self, uai)

    def action_retour(self) -> None:
        # Opened from the Éditions hub: back to it; alone in its mode, nothing to do.
        if len(self.app.screen_stack) > 1:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "courriel":
            return self.app.session_ouverte.saisie_permise  # sending is the gestionnaire's
        if action == "retour":
            return len(self.app.screen_stack) > 1
        return True
