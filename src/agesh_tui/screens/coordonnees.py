"""Mon compte › Mes coordonnées (guide §2.1): the mail fonctionnel, the
service's telephone and the professional address that the documents print
instead of the user's own. Each rule is checked as the user types, its
message next to its field; nothing typed is lost on a refusal; Ctrl+S saves
off the event loop; coordonnées changed meanwhile by another session of the
same user are refused with what changed, and Ctrl+O takes the form up again
on the current values, keeping the other fields typed. Any profile: the
coordonnées are the user's own."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from ..api.erreurs import RegleRefusee, StoreError
from ..api.session_compte import CoordonneesModifiees
from ..engine.modele.model import Utilisateur
from ..engine.regles.compte import (
    ADRESSE_MAX,
    CHAMPS_COORDONNEES,
    COMPARES_COORDONNEES,
    MAIL_MAX,
    Refus,
    SaisieCoordonnees,
)
from ..engine.regles.differences import differences, texte_differences
from ..widgets.affichage import propre
from ..widgets.saisie import LigneSaisie, champ_texte
from .saisie import EcranSaisie, Enregistre

LIBELLES = {"mail": "Mail", "telephone": "Téléphone", "adresse": "Adresse"}
EXEMPLES = {"mail": "prenom.nom@ac-rennes.fr", "telephone": "02 99 12 34 56",
            "adresse": "1 quai Dujardin, 35000 Rennes"}
MAXIMUM = {"mail": MAIL_MAX, "telephone": 30, "adresse": ADRESSE_MAX}


def _saisie_de(u: Utilisateur) -> SaisieCoordonnees:
    # One line on screen: the lines of a stored address joined by « , ».
    return SaisieCoordonnees(u.mail, u.telephone, ", ".join(u.adresse.splitlines()))


class Coordonnees(EcranSaisie):
    MENU = "compte"
    AIDE = (
        "Mes coordonnées : le mail fonctionnel remplace votre mail académique personnel dans "
        "les échanges et les documents ; le téléphone est celui du service, imprimé dans les "
        "courriers ; l'adresse postale professionnelle n'est pas obligatoire. Chaque règle non "
        "respectée est dite à côté de son champ. Ctrl+S enregistre ; Échap revient (deux fois "
        "quand la saisie a changé)."
    )
    CSS_PATH = ["saisie.tcss", "coordonnees.tcss"]

    def __init__(self) -> None:
        super().__init__()
        self._origine: Utilisateur | None = None
        self._initiale = SaisieCoordonnees()

    def contenu(self) -> ComposeResult:
        self._origine = u = self.app.session_ouverte.utilisateur
        self._initiale = _saisie_de(u)
        with VerticalScroll(id="saisie"):
            yield Static(Text.assemble(("Mes coordonnées", "bold"),
                                       f" · {propre(u.nom)} ({propre(u.login)})"),
                         id="saisie-titre")
            yield Static(Text(
                "Vos coordonnées professionnelles, utilisées dans les courriers et documents de "
                "l'application à la place de vos coordonnées personnelles. Chaque champ peut "
                "rester vide.", style="italic"), classes="saisie-note")
            for champ in CHAMPS_COORDONNEES:
                yield LigneSaisie(LIBELLES[champ], champ_texte(
                    getattr(self._initiale, champ), champ, max_length=MAXIMUM[champ],
                    placeholder=f"par ex. {EXEMPLES[champ]}"), champ=champ)
            yield Static(id="saisie-message")

    def on_mount(self) -> None:
        self.query_one("#mail", Input).focus()
        self.verifier()

    # -- the values --------------------------------------------------------------------------
    def _saisie(self) -> SaisieCoordonnees:
        return SaisieCoordonnees(**{c: self.query_one(f"#{c}", Input).value
                                    for c in CHAMPS_COORDONNEES})

    def modifie(self) -> bool:
        return self.is_mounted and self._saisie().nettoyee() != self._initiale.nettoyee()

    @on(Input.Changed)
    def _changement(self) -> None:
        self.verifier()

    def verifier(self) -> list[Refus]:
        """The rules on the form as it stands, each refusal next to its field."""
        if not self.is_mounted:
            return []
        saisie = self._saisie()
        refus = self.app.session_ouverte.verifier_coordonnees(saisie)
        par_champ: dict[str, list[str]] = {}
        for r in refus:
            par_champ.setdefault(r.regle, []).append(r.message)
        for ligne in self.query(LigneSaisie):
            ligne.dire("\n".join(par_champ.get(ligne.champ, [])))
        return refus

    # -- saving -----------------------------------------------------------------------
    def action_enregistrer(self) -> None:
        # Any profile: the coordonnées are the user's own (not a gestionnaire's entry).
        if self._en_cours:
            return
        self.enregistrer()

    def enregistrer(self) -> None:
        if self.verifier():
            self.refus_a_corriger()
            return
        if not self.modifie():
            self.dire("Aucun changement : rien à enregistrer.", refus=False)
            return
        self.ecrire(lambda: self.app.session_ouverte.enregistrer_coordonnees(self._saisie()))

    def on_enregistre(self, message: Enregistre) -> None:
        self._en_cours = False
        self.notify("Vos coordonnées sont enregistrées : les documents les utilisent désormais.",
                    title="Mes coordonnées", markup=False)
        self.dismiss(message.resultat)

    def texte_refus(self, erreur: StoreError | RegleRefusee) -> str:
        if isinstance(erreur, CoordonneesModifiees):
            return (
                "Rien n'a été enregistré : une autre session a modifié vos coordonnées depuis "
                f"l'ouverture du formulaire — {texte_differences(erreur.differences)}. "
                f"{self.app.touche('saisie.reprendre')} reprend le formulaire sur les valeurs "
                "actuelles : les champs qu'elle a changés prennent leur nouvelle valeur, vos "
                "autres saisies sont gardées."
            )
        return super().texte_refus(erreur)

    # -- taking up again on the current values -------------------------------------------
    def action_reprendre(self) -> None:
        """Read the account again (not the whole département: only it changed)."""
        self.reprise_proposee = False
        self.refresh_bindings()
        self._relire()

    @work(thread=True, exclusive=True, group="coordonnees-relire")
    def _relire(self) -> None:
        try:
            actuel = self.app.session_ouverte.compte_actuel()
        except StoreError as exc:
            self.app.call_from_thread(self.dire, f"Lecture impossible : {exc}")
            return
        self.app.call_from_thread(self._reprendre_sur, actuel)

    def _reprendre_sur(self, actuel: Utilisateur | None) -> None:
        origine = self._origine
        if actuel is None or origine is None:
            self.dire("Votre compte n'existe plus dans la base : rien n'a été enregistré.")
            return
        avant, saisie, maintenant = self._initiale, self._saisie(), _saisie_de(actuel)
        # The fields another session changed take its values; the others keep what was typed.
        for champ in CHAMPS_COORDONNEES:
            if getattr(avant, champ) != getattr(maintenant, champ):
                saisie = replace(saisie, **{champ: getattr(maintenant, champ)})
        self._origine, self._initiale = actuel, maintenant
        for champ in CHAMPS_COORDONNEES:
            self.query_one(f"#{champ}", Input).value = getattr(saisie, champ)
        self.repris("vos coordonnées",
                    texte_differences(differences(origine, actuel, COMPARES_COORDONNEES)))
