"""What the entry forms (AESH, missions) share: Ctrl+S saves — off the event
loop, in a thread worker —, Échap abandons (twice when the entry changed),
Ctrl+O takes the form up again on the current values (the data reloaded)
when the base refused a record another session changed meanwhile, and the
message under the form. A base class: each form is its own screen
(formulaire_aesh.py, formulaire_mission.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from ..api.erreurs import ModifieAilleurs, PermissionRefusee, RegleRefusee, StoreError
from ..widgets.saisie import LigneSaisie, lignes_propres
from .base import EcranMenu


@dataclass
class Enregistre(Message):
    """The worker saved: what the command returned."""

    resultat: object


@dataclass
class Refuse(Message):
    """The worker's write was refused: nothing was saved."""

    erreur: StoreError | RegleRefusee


class EcranSaisie(EcranMenu):
    """A form. Subclasses compose a ``Static`` with id ``saisie-message``,
    say whether the entry changed (``modifie``), check it and call
    ``ecrire`` from ``enregistrer``, and answer ``on_enregistre`` and
    ``on_refuse``."""

    BINDINGS = [
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True, id="saisie.enregistrer"),
        # Not priority: a list opened from a field (Select) closes first.
        Binding("escape", "abandonner", "Abandonner", id="saisie.abandonner"),
        # Ctrl: a letter would be typed into the field that has the focus.
        Binding("ctrl+o", "reprendre", "Reprendre sur les valeurs actuelles", priority=True,
                id="saisie.reprendre"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._abandon_demande = False
        self._en_cours = False
        # The base refused a record changed elsewhere: Ctrl+O is offered.
        self.reprise_proposee = False

    # -- what subclasses give -------------------------------------------------------------
    def modifie(self) -> bool:
        """The entry differs from what the form opened with."""
        return False

    def enregistrer(self) -> None:
        """Check the entry, then ``ecrire`` the command (or say why not)."""

    def verifier(self) -> object:
        """Check the entry as it stands, each refusal by its field."""
        return None

    # -- a reload under the form -------------------------------------------------------------
    def suivre_rechargement(self, origine: object, actuel: object | None, disparu: str) -> bool:
        """The data was reloaded under a form on an existing record
        (``origine`` as the form holds it, ``actuel`` as it is now). Gone:
        the form closes and says ``disparu``. Unchanged: the entry is
        checked again. Changed: True — the caller takes the current values
        in, then calls ``repris``."""
        if actuel is None:
            self.dismiss(None)
            self.app.notify(disparu, markup=False)
            return False
        if actuel == origine:
            self.verifier()
            return False
        return True

    def repris(self, quoi: str, differences: str) -> None:
        """Said once the form shows the values another session changed."""
        self.reprise_proposee = False
        self.refresh_bindings()
        self.verifier()
        self.dire(
            f"Une autre session a modifié {quoi} pendant votre saisie — "
            f"{differences or 'valeurs changées'}. Le formulaire montre ses valeurs actuelles sur "
            "ces champs, vos autres saisies sont gardées : vérifiez, puis "
            f"{self.app.touche('saisie.enregistrer')}.", refus=False)

    # -- saving ----------------------------------------------------------------------------
    def action_enregistrer(self) -> None:
        if self._en_cours:
            return
        if not self.app.session_ouverte.saisie_permise:
            self.dire("Réservé au profil Gestionnaire AESH : rien n'a été enregistré.")
            return
        self.enregistrer()

    def ecrire(self, commande: Callable[[], object]) -> None:
        """Run ``commande`` (a Session command) off the event loop; its
        result comes back as Enregistre, its refusal as Refuse."""
        self._en_cours = True
        self.refresh_bindings()
        self._ecrire(commande)

    @work(thread=True, exclusive=True, group="saisie-enregistrer")
    def _ecrire(self, commande: Callable[[], object]) -> None:
        try:
            resultat = commande()
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.post_message(Refuse(exc))
            return
        self.post_message(Enregistre(resultat))

    def on_refuse(self, message: Refuse) -> None:
        self._en_cours = False
        self.reprise_proposee = isinstance(message.erreur, ModifieAilleurs)
        self.refresh_bindings()
        self.dire(self.texte_refus(message.erreur))

    def texte_refus(self, erreur: StoreError | RegleRefusee) -> str:
        if isinstance(erreur, ModifieAilleurs):
            changes = " ; ".join(str(d) for d in erreur.differences)
            return (
                f"Rien n'a été enregistré : une autre session a modifié cet enregistrement depuis "
                f"l'ouverture du formulaire — {changes or 'valeurs changées'}. "
                f"{self.app.touche('saisie.reprendre')} reprend le formulaire sur les valeurs "
                "actuelles : les champs qu'elle a changés prennent leur nouvelle valeur, vos autres "
                "saisies sont gardées."
            )
        return f"Rien n'a été enregistré : {erreur}"

    # -- abandon, taking up again ------------------------------------------------------------------
    def action_abandonner(self) -> None:
        if self.modifie() and not self._abandon_demande:
            self._abandon_demande = True
            self.dire(f"La saisie a changé : {self.app.touche('saisie.abandonner')} de nouveau "
                      f"pour l'abandonner (rien ne sera enregistré), "
                      f"{self.app.touche('saisie.enregistrer')} pour enregistrer.")
            return
        self.dismiss(None)

    def action_reprendre(self) -> None:
        """Reload the data: the form then follows it (donnees_rechargees)."""
        self.reprise_proposee = False
        self.refresh_bindings()
        self.app.action_recharger()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enregistrer":
            return not self._en_cours
        if action == "reprendre":
            return self.reprise_proposee
        return True

    def refus_a_corriger(self) -> None:
        """Saving was refused by the form's own checks: say so, and take the
        user to the first field that says why."""
        self.dire("Le formulaire ne respecte pas toutes les règles (voir les messages à côté des "
                  "champs) : rien n'a été enregistré.")
        for ligne in self.query(LigneSaisie):
            if ligne.refuse:
                ligne.controle.focus()
                ligne.scroll_visible(animate=False)
                return

    # -- the message under the form ------------------------------------------------------
    def dire(self, texte: str, refus: bool = True) -> None:
        widget = self.query_one("#saisie-message", Static)
        widget.update(lignes_propres(texte))
        widget.display = bool(texte)
        widget.set_class(refus, "refus")

    @property
    def message(self) -> str:
        """What the form says under its fields (tests)."""
        widget = self.query_one("#saisie-message", Static)
        return str(widget.render()) if widget.display else ""
