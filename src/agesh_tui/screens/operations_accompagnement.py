"""The operations on one accompagnement (SPEC §2.3.8, guide §10.2) — the
same keys wherever accompagnements are shown (their list, a detail, an
AESH's dossier): modifier, insérer, maintenir open the form on it;
supprimer asks first, naming what will go; the last deletion of the
session can be undone. Each screen says which accompagnement is meant."""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from ..api.erreurs import PermissionRefusee, RegleRefusee, StoreError
from ..engine.regles.accompagnement import INSERTION, MAINTIEN, MODIFICATION
from ..widgets.affichage import propre
from .base import EcranMenu
from .confirmation import Confirmation
from .formulaire_accompagnement import FormulaireAccompagnement

AIDE_OPERATIONS = (
    "Sur l'accompagnement choisi : M le modifie (dates, heures, mission), I insère un autre "
    "accompagnement sur une partie de sa période (il est coupé, le formulaire montre le "
    "résultat), N le maintient après la fin de la décision (🔗), Suppr le supprime après "
    "confirmation ; Ctrl+Z annule la dernière suppression de la session."
)


# After each screen's own keys (a subclass lists them last: the footer
# shows the screen's first).
BINDINGS_OPERATIONS = [
    Binding("M", "operer('modification')", "Modifier l'accompagnement",
            id="accompagnement.modifier"),
    # Out of the footer, which has no room for them at 80 columns: the
    # help (?) and the palette (Ctrl+P) list them.
    Binding("I", "operer('insertion')", "Insérer un accompagnement",
            id="accompagnement.inserer", show=False),
    Binding("N", "operer('maintien')", "Maintenir l'accompagnement",
            id="accompagnement.maintenir", show=False),
    Binding("delete", "supprimer", "Supprimer l'accompagnement", id="accompagnement.supprimer"),
    Binding("ctrl+z", "annuler_suppression", "Annuler la suppression",
            id="accompagnement.annuler_suppression", show=False),
]


class EcranAccompagnements(EcranMenu):
    """A screen that shows accompagnements: the keys of BINDINGS_OPERATIONS
    act on ``accompagnement_vise()``."""

    def accompagnement_vise(self) -> str | None:
        """The id of the accompagnement the keys act on; each screen says
        which (the cursor's row, the one shown). None: none chosen."""
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A superviseur consults: the operations are not offered at all.
        if action in ("operer", "supprimer", "annuler_suppression"):
            return not self.app.session_ouverte.superviseur
        return True

    def _vise(self) -> str | None:
        acc_id = self.accompagnement_vise()
        if acc_id is None or self.app.session_ouverte.accompagnement(acc_id) is None:
            self.notify("Aucun accompagnement choisi.", severity="warning")
            return None
        return acc_id

    # -- modifier, insérer, maintenir ----------------------------------------------------
    def action_operer(self, operation: str) -> None:
        if operation not in (MODIFICATION, INSERTION, MAINTIEN):
            raise ValueError(operation)
        acc_id = self._vise()
        if acc_id is None:
            return
        session = self.app.session_ouverte
        try:
            session.exiger_gestionnaire()
            proposition, noms = session.proposition_depuis(acc_id, operation)
        except (PermissionRefusee, RegleRefusee) as exc:
            self.notify(f"Impossible : {exc}", severity="error", timeout=10, markup=False)
            return
        origine = session.accompagnement(acc_id)
        self.app.push_screen(FormulaireAccompagnement(proposition, noms, operation=operation,
                                                      origine=origine))

    # -- supprimer, annuler la suppression -----------------------------------------------
    def action_supprimer(self) -> None:
        acc_id = self._vise()
        if acc_id is None:
            return
        session = self.app.session_ouverte
        try:
            session.exiger_gestionnaire()
        except PermissionRefusee as exc:
            self.notify(f"Suppression impossible : {exc}", severity="error", markup=False)
            return
        acc = session.accompagnement(acc_id)
        assert acc is not None, "_vise checked it"
        lignes = [f"L'accompagnement {acc.id} {session.resume_accompagnement(acc.id)}, "
                  f"{session.libelle_etablissement(acc.uai)}, sera supprimé, et l'ERSEH prévenue."]
        if acc.remplace is not None:
            lignes.append("Il avait été inséré dans un autre accompagnement : celui-ci sera "
                          "rétabli sur ces jours si les règles le permettent encore.")
        lignes.append(f"{self.app.touche('accompagnement.annuler_suppression')} annulera cette "
                      "suppression tant que la session reste ouverte.")

        def repondu(oui: bool | None) -> None:
            if oui:
                self._supprimer(acc.id, acc.version)

        self.app.push_screen(Confirmation("Supprimer un accompagnement", lignes,
                                          oui="Supprimer"), repondu)

    @work(thread=True, exclusive=True, group="accompagnement-operation")
    def _supprimer(self, acc_id: str, version: int) -> None:
        session = self.app.session_ouverte
        try:
            resultat = session.supprimer_accompagnement(acc_id, version)
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.app.call_from_thread(self._dire_echec, "Rien n'a été supprimé", exc)
            return
        texte = f"Accompagnement {acc_id} supprimé."
        if resultat.retabli is not None:
            texte += f" L'accompagnement d'origine {resultat.retabli.id} est rétabli."
        for refus in resultat.refus:
            texte += f" L'accompagnement d'origine n'a pas pu être rétabli : {refus.message}"
        texte += (f" {self.app.touche('accompagnement.annuler_suppression')} pour annuler.")
        self.app.call_from_thread(self._fait, texte, "Supprimer un accompagnement")

    def action_annuler_suppression(self) -> None:
        session = self.app.session_ouverte
        if session.suppression_annulable is None:
            self.notify("Aucune suppression à annuler dans cette session.", severity="warning")
            return
        self._annuler()

    @work(thread=True, exclusive=True, group="accompagnement-operation")
    def _annuler(self) -> None:
        try:
            restaures = self.app.session_ouverte.annuler_suppression()
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.app.call_from_thread(self._dire_echec, "La suppression n'est pas annulée", exc)
            return
        ids = ", ".join(a.id for a in restaures)
        self.app.call_from_thread(
            self._fait, f"Suppression annulée : l'accompagnement est de nouveau là ({ids}).",
            "Annuler la suppression")

    def _fait(self, texte: str, titre: str) -> None:
        self.app.signal_donnees.publish(None)  # every screen repaints from the new data
        self.notify(texte, title=titre, timeout=10, markup=False)

    def _dire_echec(self, debut: str, exc: Exception) -> None:
        self.notify(f"{debut} : {propre(str(exc))}", severity="error", timeout=12, markup=False)
