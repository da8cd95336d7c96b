"""What the forms of the Paramètres département share (SPEC F4): saved by
a superviseur only, and a write refused because another session changed
the data meanwhile offers Ctrl+O — the data reloaded, the form taken up
again on the current values."""

from __future__ import annotations

from ..api.erreurs import ModifieAilleurs, RegleRefusee, StaleWriteError, StoreError
from ..widgets.saisie import LigneSaisie
from .saisie import EcranSaisie


class EcranParametre(EcranSaisie):
    MENU = "parametres"
    CSS_PATH = ["saisie.tcss", "parametres.tcss"]

    def on_mount(self) -> None:
        # Nothing to say yet: the empty message takes no room (under the formula, above its preview).
        self.query_one("#saisie-message").display = False

    def ligne(self, champ: str) -> LigneSaisie:
        """The row of the field ``champ``."""
        return next(l for l in self.query(LigneSaisie) if l.champ == champ)

    def action_enregistrer(self) -> None:
        if self._en_cours:
            return
        if not self.app.session_ouverte.superviseur:
            self.dire("Réservé au profil Superviseur AESH : rien n'a été enregistré.")
            return
        self.enregistrer()

    def texte_refus(self, erreur: StoreError | RegleRefusee) -> str:
        # EcranSaisie.on_refuse offers Ctrl+O for one record changed elsewhere;
        # the paramètres are refused when anything changed: offered too.
        if isinstance(erreur, StaleWriteError) and not isinstance(erreur, ModifieAilleurs):
            self.reprise_proposee = True
            self.refresh_bindings()
            return (f"Rien n'a été enregistré : une autre session a modifié les données depuis "
                    f"l'ouverture du formulaire ({erreur}). {self.app.touche('saisie.reprendre')} "
                    "recharge les données : le formulaire garde votre saisie, vérifiez-la puis "
                    f"{self.app.touche('saisie.enregistrer')}.")
        return super().texte_refus(erreur)
