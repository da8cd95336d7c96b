"""The cases of one incohérence of the tableau de bord (SPEC §2.4, guide
§10.2.2): the accompagnements that have it, what is wrong with each, and
the means to correct it here — M opens the modification form on the
chosen one (the other operations too), Entrée its détail. Saved, the case
leaves the list and the tableau de bord's count drops."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from ..api.vues_editions import LigneCasIncoherence
from ..engine.calendrier import format_date
from ..engine.regles.incoherences import LIBELLES_INCOHERENCES
from ..widgets.affichage import heures
from ..widgets.liste import Colonne, ListeDonnees
from ..widgets.outils_liste import OutilsListe
from .detail_accompagnement import DetailAccompagnement
from .liste_cas import EcranCas
from .operations_accompagnement import AIDE_OPERATIONS, BINDINGS_OPERATIONS, EcranAccompagnements


class CasIncoherence(EcranCas, EcranAccompagnements):
    AIDE = (
        "Les accompagnements qui ont cette incohérence, avec ce qui ne va pas (colonne « Motif »). "
        "Entrée ouvre le détail de l'accompagnement. " + AIDE_OPERATIONS + " Une fois corrigé, "
        "l'accompagnement quitte la liste et le tableau de bord le décompte. Échap revient au "
        "tableau de bord."
    )
    BINDINGS: ClassVar[list[BindingType]] = [*BINDINGS_OPERATIONS]  # after EcranCas's Échap
    CSS_PATH = "cas_incoherence.tcss"

    def contenu(self) -> ComposeResult:
        yield Static(self.titre(), id="cas-titre")
        if self.app.session_ouverte.superviseur:
            yield Static("Profil superviseur : consultation seule, les corrections sont faites par "
                         "les gestionnaires.", id="cas-consultation", markup=False)
        else:
            # The footer has no room for M at 80 columns: the way to correct, said here.
            touche = self.app.touche
            yield Static(f"{touche('accompagnement.modifier')} : corriger l'accompagnement choisi "
                         f"(formulaire de modification) · Entrée : son détail · "
                         f"{touche('accompagnement.supprimer')} : le supprimer",
                         id="cas-consultation", markup=False)
        liste = ListeDonnees(self._colonnes(), cle_ligne=lambda ligne: ligne.id, id="cas")
        yield OutilsListe(liste, unite=("accompagnement", "accompagnements"), feminin=False,
                          today=self.app.today)

    def en_tete(self) -> Text:
        return Text.assemble((f"Incohérence n° {self.type}", "bold"), " · ",
                             LIBELLES_INCOHERENCES[self.type])

    def lignes_cas(self) -> list[LigneCasIncoherence]:
        return self.app.session_ouverte.cas_incoherence(self.type)

    def _colonnes(self) -> list[Colonne]:
        return [
            Colonne("eleves", "Élève(s)", 20, lambda l: l.eleves),
            Colonne("motif", "Motif", 40, lambda l: l.detail),
            Colonne("aesh", "AESH", 18, lambda l: l.aesh),
            Colonne("etablissement", "Établissement", 22, lambda l: l.etablissement),
            Colonne("debut", "Début", 10, lambda l: l.debut, texte=lambda l: format_date(l.debut)),
            Colonne("fin", "Fin", 10, lambda l: l.fin, texte=lambda l: format_date(l.fin)),
            Colonne("heures", "Heures", 6, lambda l: l.heures, texte=lambda l: heures(l.heures),
                    alignement="droite"),
            Colonne("id", "Accompagnement", 14, lambda l: l.id, visible=False),
        ]

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        self.app.push_screen(DetailAccompagnement(event.ligne.id))

    def accompagnement_vise(self) -> str | None:
        ligne = self.query_one(ListeDonnees).ligne_courante()
        return ligne.id if ligne is not None else None
