"""The cases of one cas particulier of the tableau de bord (SPEC §2.4,
guide §10.2.3): the décisions to check — followed by an accompagnement yet
not covered, or ending this school year without renewal. Entrée opens the
décision's détail."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from ..api.vues_editions import LigneCasParticulier
from ..engine.calendrier import format_date
from ..engine.regles.incoherences import LIBELLES_CAS_PARTICULIERS
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .decision import DetailDecision
from .liste_cas import EcranCas


class CasParticuliers(EcranCas):
    AIDE = (
        "Les décisions de ce cas particulier, avec ce qui est à vérifier (colonne « Motif »). "
        "Entrée ouvre le détail de la décision (frise, accompagnements, scolarités). Échap "
        "revient au tableau de bord."
    )
    A_FAIRE = "à vérifier"
    CSS_PATH = "cas_particuliers.tcss"

    def contenu(self) -> ComposeResult:
        yield Static(self.titre(), id="cas-titre")
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda ligne: ligne.id, id="cas")
        yield OutilsListe(liste, unite=("décision", "décisions"), today=self.app.today)

    def en_tete(self) -> Text:
        return Text.assemble(("Cas particulier", "bold"), " · ", LIBELLES_CAS_PARTICULIERS[self.type])

    def lignes_cas(self) -> list[LigneCasParticulier]:
        return self.app.session_ouverte.cas_particuliers_lignes(self.type)

    def _colonnes(self) -> list[Colonne]:
        return [
            Colonne("eleve", "Élève", 20, lambda l: l.eleve),
            Colonne("debut", "Début", 10, lambda l: l.debut, texte=lambda l: format_date(l.debut)),
            Colonne("fin", "Fin", 10, lambda l: l.fin, texte=lambda l: format_date(l.fin)),
            Colonne("type", "Type", 12, lambda l: l.type_decision),
            Colonne("etablissement", "Établissement", 24, lambda l: l.etablissement),
            Colonne("motif", "Motif", 50, lambda l: l.detail),
            Colonne("id", "Décision", 10, lambda l: l.id, visible=False),
        ]

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DetailDecision(event.ligne.id))
