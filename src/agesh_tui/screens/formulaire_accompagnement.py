"""Créer un accompagnement (SPEC §2.3, guide §10.3): from the décisions
chosen on Accueil — one individuelle, or mutualisées of pupils in the same
établissement —, with the guide's defaults (the décision's dates or their
intersection, ended at 31/08; the notified hours), the rules checked as the
user types, each refusal next to its field, and the mission chosen among
the candidates ranked by their free hours on the period (the missions set
aside are one key away, with their reason). Saving writes the
accompagnement, its journal line and the ERSEH's message in one
transaction (off the event loop), then every screen repaints from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from ..api.erreurs import PermissionRefusee, RegleRefusee, StoreError
from ..engine.regles.accompagnement import (
    INDIVIDUALISE,
    MOTS_REFUS,
    Candidat,
    MissionRefusee,
    Proposition,
    Refus,
    texte_periode,
)
from ..widgets.affichage import distance, heures, nom_prenom, nombre, propre
from ..widgets.cases import Case
from ..widgets.date_saisie import DateSaisie
from ..widgets.liste import Colonne, ListeDonnees
from .base import EcranMenu

# Which field each rule speaks of: its refusal is shown there.
CHAMP_DES_REGLES = {
    "dates": "periode", "annee_scolaire": "periode", "periode_decision": "periode", "maintien": "periode",
    "heures": "heures", "occupation": "heures",
    "mission": "mission", "mission_inactive": "mission", "aesh_inactif": "mission",
    "nature_non_accompagnante": "mission", "pial": "mission", "cdd": "mission", "mission_couvre": "mission",
}
HEURES_INVALIDES = "Heures : un nombre, par exemple 12 ou 12,5."
# The candidates are asked again this long after the last change of a date.
DELAI_CANDIDATS = 0.3


def lire_heures(texte: str) -> float | None:
    """« 12,5 » or « 12.5 » → 12.5; anything else (empty included) → None."""
    try:
        valeur = float(texte.strip().replace(",", "."))
    except ValueError:
        return None
    return valeur if valeur == valeur else None  # NaN is no number of hours


@dataclass
class Missions(Message):
    """The missions offered and set aside for one period (a worker's answer)."""

    periode: tuple[date, date]
    candidats: list[Candidat]
    refusees: list[MissionRefusee]
    erreur: str | None = None


@dataclass
class Enregistre(Message):
    acc_id: str


@dataclass
class EchecEnregistrement(Message):
    raison: str


def _colonnes_candidats() -> list[Colonne]:
    return [
        Colonne("aesh", "AESH", 24, lambda c: nom_prenom(c.aesh)),
        Colonne("mission", "Mission", 11, lambda c: c.mission.id),
        Colonne("contrat", "Contrat", 7, lambda c: c.mission.contrat),
        Colonne("nature", "Nature", 6, lambda c: c.mission.nature),
        Colonne("libre", "Libre", 7, lambda c: c.disponible, texte=lambda c: heures(c.disponible),
                alignement="droite"),
        Colonne("volume", "Volume", 7, lambda c: c.mission.volume, texte=lambda c: heures(c.mission.volume),
                alignement="droite"),
        Colonne("secteur", "Secteur", 8, lambda c: c.secteur or ""),
        Colonne("distance", "Distance", 9, lambda c: c.distance_km, texte=lambda c: distance(c.distance_km),
                alignement="droite"),
    ]


def _colonnes_refusees() -> list[Colonne]:
    return [
        Colonne("aesh", "AESH", 24, lambda r: nom_prenom(r.aesh) if r.aesh else r.mission.aesh_id),
        Colonne("mission", "Mission", 11, lambda r: r.mission.id),
        Colonne("raison", "Écartée car", 30,
                lambda r: ", ".join(MOTS_REFUS.get(x.regle, x.regle) for x in r.raisons)),
        Colonne("distance", "Distance", 9, lambda r: r.distance_km, texte=lambda r: distance(r.distance_km),
                alignement="droite"),
    ]


class ListeMissions(ListeDonnees):
    """The list's keys, named for a choice: Enter chooses; selecting
    several rows means nothing here (kept out of the footer)."""

    BINDINGS = [
        Binding("enter", "choisir", "Choisir la mission", id="formulaire.choisir"),
        Binding("space", "basculer", "Sélectionner", show=False, id="formulaire.selectionner"),
        Binding("s", "trier", "Trier", show=False, id="formulaire.trier"),
    ]


class FormulaireAccompagnement(EcranMenu):
    """Returns the new accompagnement's id, or None when abandoned."""

    MENU = "accueil"
    AIDE = (
        "Créer un accompagnement : les dates (a, z, t, +, -), les heures hebdomadaires, repas et "
        "pause méridienne ; Entrée sur une mission la choisit (les mieux placées d'abord : le plus "
        "d'heures libres sur la période) ; Ctrl+R montre les missions écartées et pourquoi. Chaque "
        "règle non respectée est dite à côté de son champ. Ctrl+S enregistre ; Échap abandonne "
        "(deux fois quand la saisie a changé)."
    )
    BINDINGS = [
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True, id="formulaire.enregistrer"),
        # Ctrl: a letter would be typed into the field that has the focus.
        Binding("ctrl+r", "ecartees", "Missions écartées", priority=True, id="formulaire.ecartees"),
        Binding("escape", "abandonner", "Abandonner", priority=True, id="formulaire.abandonner"),
    ]
    CSS_PATH = "formulaire_accompagnement.tcss"

    def __init__(self, proposition: Proposition, noms: Sequence[str]) -> None:
        super().__init__()
        self.proposition = proposition
        self.noms = list(noms)
        self.uai: str | None = None
        self.mission: Candidat | None = None
        self._candidats: list[Candidat] = []
        self._refusees: list[MissionRefusee] = []
        self._voir_refusees = False
        self._periode_candidats: tuple[date, date] | None = None
        self._minuterie: Timer | None = None
        self._abandon_demande = False
        self._modifie = False
        self._en_cours = False

    # -- layout -----------------------------------------------------------------------
    def contenu(self) -> ComposeResult:
        prop, today = self.proposition, self.app.today
        with Vertical(id="formulaire"):
            yield Static(Text(self._titre()), id="formulaire-titre")
            yield Static(id="formulaire-etablissement")
            with Horizontal(id="formulaire-champs"):
                yield Static("Du", classes="etiquette")
                du = DateSaisie(prop.debut, today=today, id="du")
                yield du
                yield Static("au", classes="etiquette")
                yield DateSaisie(prop.fin, today=today, debut=du, id="au")
                yield Static("Heures", classes="etiquette")
                yield Input("" if prop.heures is None else nombre(prop.heures, 2), id="heures",
                            restrict=r"[0-9,.]*", max_length=6, placeholder="h / sem.")
            with Horizontal(id="formulaire-cases"):
                yield Case("Repas", id="repas")
                yield Case("Pause méridienne", id="pause")
            yield Static(id="message-periode", classes="refus")
            yield Static(id="message-heures", classes="refus")
            yield Static(id="mission-choisie")
            yield Static(id="message-mission", classes="refus")
            yield ListeMissions(_colonnes_candidats(), cle_ligne=lambda c: c.mission.id, id="candidats")
            ecartees = ListeMissions(_colonnes_refusees(), cle_ligne=lambda r: r.mission.id, id="ecartees")
            ecartees.display = False
            yield ecartees
            yield Static(id="message-general", classes="refus")

    def _titre(self) -> str:
        prop = self.proposition
        if prop.type == INDIVIDUALISE:
            return (f"Accompagnement individualisé de {self.noms[0]} ({prop.decision_ids[0]}) · "
                    f"{heures(prop.heures)} notifiées")
        return f"Accompagnement mutualisé de {len(self.noms)} élève(s) : {', '.join(self.noms)}"

    def on_mount(self) -> None:
        self._etablissement()
        self._demander_missions()
        self.query_one("#du", DateSaisie).focus()

    # -- the établissement, the missions of the period ----------------------------------
    def _periode(self) -> tuple[date, date] | None:
        du, au = self.query_one("#du", DateSaisie).value, self.query_one("#au", DateSaisie).value
        return (du, au) if du is not None and au is not None and du <= au else None

    def _etablissement(self) -> None:
        periode = self._periode()
        debut = periode[0] if periode else self.proposition.debut
        session = self.app.session_ouverte
        try:
            self.uai = session.etablissement_accompagnement(self.proposition.decision_ids, debut)
        except (RegleRefusee, PermissionRefusee) as exc:
            self.uai = None
            self._dire("#formulaire-etablissement", f"Établissement : {exc}", refus=True)
            return
        self._dire("#formulaire-etablissement",
                   f"Établissement : {session.libelle_etablissement(self.uai)}")

    def _demander_missions(self) -> None:
        periode = self._periode()
        if periode is None or self.uai is None:
            self.query_one("#candidats", ListeDonnees).definir_lignes([])
            return
        self._missions_de(self.uai, *periode)

    @work(thread=True, exclusive=True, group="formulaire-missions")
    def _missions_de(self, uai: str, debut: date, fin: date) -> None:
        # Off the event loop: the refused ones look at every mission of the period.
        session = self.app.session_ouverte
        try:
            candidats = [c for c in session.candidats(uai, debut, fin) if c.disponible > 0]
            refusees = session.missions_refusees(uai, debut, fin)
        except RegleRefusee as exc:
            self.post_message(Missions((debut, fin), [], [], str(exc)))
            return
        self.post_message(Missions((debut, fin), candidats, refusees))

    def on_missions(self, message: Missions) -> None:
        if message.periode != self._periode():
            return  # an older period's answer
        self._periode_candidats = message.periode
        self._refusees = message.refusees
        self._candidats = message.candidats
        self._montrer_missions()
        if self.mission is not None and all(c.mission.id != self.mission.mission.id for c in message.candidats):
            self._dire("#mission-choisie", f"La mission {self.mission.mission.id} n'est plus proposée "
                                           "sur cette période : choisissez-en une autre.", refus=True)
            self.mission = None
        self._verifier()

    def _montrer_missions(self) -> None:
        candidats = self.query_one("#candidats", ListeDonnees)
        ecartees = self.query_one("#ecartees", ListeDonnees)
        candidats.definir_lignes(self._candidats)
        ecartees.definir_lignes(self._refusees)
        candidats.border_title = f"Missions proposées ({len(self._candidats)}), les plus libres d'abord"
        ecartees.border_title = f"Missions écartées ({len(self._refusees)}), les plus proches d'abord"
        a_fermer, a_montrer = (candidats, ecartees) if self._voir_refusees else (ecartees, candidats)
        focus = a_fermer.has_focus
        a_fermer.display, a_montrer.display = False, True
        if focus:
            a_montrer.focus()

    # -- changes as the user types -------------------------------------------------------
    @on(DateSaisie.Changed)
    def _date_changee(self) -> None:
        self._modifie = True
        self._etablissement()
        if self._minuterie is not None:
            self._minuterie.stop()
        self._minuterie = self.set_timer(DELAI_CANDIDATS, self._demander_missions)
        self._verifier()

    @on(Input.Changed, "#heures")
    def _heures_changees(self) -> None:
        self._modifie = True
        self._verifier()

    @on(Case.Changed)
    def _case_changee(self) -> None:
        self._modifie = True

    @on(ListeDonnees.LigneChoisie)
    def _ligne_choisie(self, event: ListeDonnees.LigneChoisie) -> None:
        if isinstance(event.ligne, MissionRefusee):
            raisons = " ; ".join(r.message for r in event.ligne.raisons)
            self._dire("#message-mission", f"{event.ligne.mission.id} écartée : {raisons}", refus=True)
            return
        self.mission = event.ligne
        self._modifie = True
        self._verifier()

    def _heures(self) -> float | None:
        return lire_heures(self.query_one("#heures", Input).value)

    def _verifier(self) -> list[Refus]:
        """The rules on the form as it stands, each refusal by its field."""
        if not self.is_mounted:
            return []
        periode, texte_heures = self._periode(), self.query_one("#heures", Input).value
        par_champ: dict[str, list[str]] = {"periode": [], "heures": [], "mission": [], "general": []}
        refus: list[Refus] = []
        if periode is None:
            du, au = self.query_one("#du", DateSaisie), self.query_one("#au", DateSaisie)
            if du.value is not None and au.value is not None:
                par_champ["periode"].append("Le début doit précéder la fin.")
        elif self.uai is not None:
            mission_id = self.mission.mission.id if self.mission else ""
            refus = self.app.session_ouverte.verifier_accompagnement(
                mission_id, self.proposition.decision_ids, self.uai, *periode, self._heures())
            for r in refus:
                if r.regle == "mission" and self.mission is None:
                    continue  # not chosen yet: said below, not as a refusal
                if r.regle == "heures" and texte_heures.strip() and self._heures() is None:
                    continue
                par_champ[CHAMP_DES_REGLES.get(r.regle, "general")].append(_phrase(r.message))
        if texte_heures.strip() and self._heures() is None:
            par_champ["heures"].append(HEURES_INVALIDES)
        for champ, messages in par_champ.items():
            self._dire(f"#message-{champ}", "\n".join(messages), refus=True)
        if self.mission is None:
            self._dire("#mission-choisie", "Mission : aucune choisie — Entrée sur une ligne de la liste.")
        else:
            c = self.mission
            self._dire("#mission-choisie",
                       f"Mission : {c.mission.id} · {nom_prenom(c.aesh)} · {c.mission.contrat} "
                       f"{c.mission.nature} · {heures(c.disponible)} libres sur {heures(c.mission.volume)}"
                       + (f" · {distance(c.distance_km)}" if c.distance_km is not None else ""))
        self.refresh_bindings()
        return refus

    def _dire(self, selecteur: str, texte: str, refus: bool = False) -> None:
        widget = self.query_one(selecteur, Static)
        widget.update(Text(propre(texte)))
        widget.display = bool(texte)
        widget.set_class(refus, "refus")

    # -- save, abandon, the refused missions -------------------------------------------------
    def action_ecartees(self) -> None:
        self._voir_refusees = not self._voir_refusees
        self._montrer_missions()
        if not self._voir_refusees:
            self._dire("#message-mission", "")
        self._verifier()

    def action_enregistrer(self) -> None:
        if self._en_cours:
            return
        periode, heures_saisies = self._periode(), self._heures()
        if periode is None or self.uai is None:
            self.notify("Dates à compléter : rien n'a été enregistré.", severity="error")
            return
        if self.mission is None:
            self.notify("Choisissez une mission (Entrée sur une ligne de la liste).", severity="error")
            return
        refus = [r for r in self._verifier()]
        if refus or heures_saisies is None:
            self.notify("Le formulaire ne respecte pas toutes les règles (voir les messages) : "
                        "rien n'a été enregistré.", severity="error")
            return
        self._en_cours = True
        self._ecrire(self.mission.mission.id, self.uai, *periode, heures_saisies,
                     self.query_one("#repas", Case).value, self.query_one("#pause", Case).value)

    @work(thread=True, exclusive=True, group="formulaire-enregistrer")
    def _ecrire(self, mission_id: str, uai: str, debut: date, fin: date, heures_saisies: float,
                repas: bool, pause: bool) -> None:
        try:
            acc = self.app.session_ouverte.creer_accompagnement(
                mission_id, self.proposition.decision_ids, uai=uai, debut=debut, fin=fin,
                heures=heures_saisies, repas=repas, pause_meridienne=pause)
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.post_message(EchecEnregistrement(str(exc)))
            return
        self.post_message(Enregistre(acc.id))

    def on_echec_enregistrement(self, message: EchecEnregistrement) -> None:
        self._en_cours = False
        self._dire("#message-general", f"Rien n'a été enregistré : {message.raison}", refus=True)

    def on_enregistre(self, message: Enregistre) -> None:
        prop = self.proposition
        self.app.signal_donnees.publish(None)  # every screen repaints from the new data
        periode = self._periode()
        quand = texte_periode(*periode) if periode else ""
        self.notify(f"Accompagnement {message.acc_id} créé ({', '.join(prop.decision_ids)}, {quand}).",
                    title="Créer un accompagnement", markup=False)
        self.dismiss(message.acc_id)

    def action_abandonner(self) -> None:
        if self._modifie and not self._abandon_demande:
            self._abandon_demande = True
            self._dire("#message-general", "La saisie a changé : Échap de nouveau pour l'abandonner "
                                           "(rien ne sera enregistré), Ctrl+S pour enregistrer.", refus=True)
            return
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enregistrer":
            return not self._en_cours
        return True

    def donnees_rechargees(self) -> None:
        # Data reloaded meanwhile: the missions' hours may have moved.
        self._demander_missions()


def _phrase(message: str) -> str:
    return message[:1].upper() + message[1:]
