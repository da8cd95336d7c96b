"""Créer, modifier, insérer, maintenir un accompagnement (SPEC §2.3, guide
§10.2–10.3): from the décisions chosen on Accueil — one individuelle, or
mutualisées of pupils in the same établissement — or from an existing
accompagnement, with the guide's defaults (the décision's dates or their
intersection, ended at 31/08; the notified hours; the accompagnement's own
values), the rules checked as the user types, each refusal next to its
field, and the mission chosen among the candidates ranked by their free
hours on the period (the missions set aside are one key away, with their
reason). An insertion shows what is left of the original before saving.
Saving writes the accompagnement(s), the journal line and the ERSEH's
message in one transaction (off the event loop), then every screen
repaints from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ..api.erreurs import PermissionRefusee, RegleRefusee, StaleWriteError, StoreError
from ..engine.modele.model import Accompagnement
from ..engine.regles.accompagnement import (
    INDIVIDUALISE,
    INSERTION,
    MAINTIEN,
    MODIFICATION,
    MOTS_REFUS,
    Candidat,
    MissionRefusee,
    Proposition,
    Refus,
    changements,
    refus_insertion,
    restes_insertion,
    texte_periode,
)
from ..widgets.affichage import distance, heures, nom_prenom, nombre, propre
from ..widgets.cases import Case
from ..widgets.date_saisie import DateSaisie
from ..widgets.liste import Colonne, ListeDonnees
from .base import EcranMenu

if TYPE_CHECKING:
    from ..api.session import Session

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
    refusees: list[MissionRefusee] | None  # None: still being looked for
    erreur: str | None = None


@dataclass
class Enregistre(Message):
    acc_ids: list[str]


@dataclass
class EchecEnregistrement(Message):
    raison: str


@dataclass
class Perime(Message):
    """Another session wrote meanwhile: the data is reloaded; ``actuel`` is
    the accompagnement being changed as it stands now (None: deleted)."""

    actuel: Accompagnement | None


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


# The form's title and the verb of its notification, by what it does.
CREATION = "creation"
TITRES = {
    CREATION: "Créer un accompagnement",
    MODIFICATION: "Modifier l'accompagnement",
    INSERTION: "Insérer dans l'accompagnement",
    MAINTIEN: "Maintenir l'accompagnement",
}


class FormulaireAccompagnement(EcranMenu):
    """Returns the ids of the accompagnements written (the new one first),
    or None when abandoned. ``origine``: the accompagnement modified,
    inserted into or maintained (``operation``); ``mission_id``: the
    mission chosen beforehand (creation from a mission)."""

    MENU = "accueil"
    AIDE = (
        "Créer, modifier, insérer ou maintenir un accompagnement : les dates (a, z, t, +, -), les "
        "heures hebdomadaires, repas et pause méridienne ; Entrée sur une mission la choisit (les "
        "mieux placées d'abord : le plus d'heures libres sur la période) ; Ctrl+R montre les "
        "missions écartées et pourquoi. Chaque règle non respectée est dite à côté de son champ ; "
        "une insertion montre ce qui restera de l'accompagnement d'origine. Ctrl+S enregistre ; "
        "Échap abandonne (deux fois quand la saisie a changé)."
    )
    BINDINGS = [
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True, id="formulaire.enregistrer"),
        # Ctrl: a letter would be typed into the field that has the focus.
        Binding("ctrl+r", "ecartees", "Missions écartées", priority=True, id="formulaire.ecartees"),
        Binding("escape", "abandonner", "Abandonner", priority=True, id="formulaire.abandonner"),
        Binding("ctrl+o", "reprendre", "Reprendre la version actuelle", priority=True,
                id="formulaire.reprendre"),
    ]
    CSS_PATH = "formulaire_accompagnement.tcss"

    def __init__(self, proposition: Proposition, noms: Sequence[str], *,
                 operation: str = CREATION, origine: Accompagnement | None = None,
                 mission_id: str | None = None) -> None:
        super().__init__()
        if (operation == CREATION) != (origine is None):
            raise ValueError("un accompagnement d'origine pour modifier, insérer ou maintenir")
        # The menu it is opened from: Accueil, a mission, an accompagnement.
        if origine is not None:
            self.MENU = "accompagnements"
        elif mission_id is not None:
            self.MENU = "missions"
        self.proposition = proposition
        self.noms = list(noms)
        self.operation = operation
        self.origine = origine
        self.uai: str | None = origine.uai if origine is not None else None
        self.mission_id: str | None = origine.mission_id if origine is not None else mission_id
        self._candidats: list[Candidat] = []
        self._refusees: list[MissionRefusee] = []
        self._voir_refusees = False
        self._periode_candidats: tuple[date, date] | None = None
        self._minuterie: Timer | None = None
        self._abandon_demande = False
        self._modifie = False
        self._en_cours = False
        self._enregistre = False
        # After a refused stale write: the accompagnement as another session left it.
        self._actuel: Accompagnement | None = None

    # -- layout -----------------------------------------------------------------------
    def contenu(self) -> ComposeResult:
        prop, today, origine = self.proposition, self.app.today, self.origine
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
                yield Case("Repas", origine is not None and origine.repas, id="repas")
                yield Case("Pause méridienne", origine is not None and origine.pause_meridienne,
                           id="pause")
            if self._decisions_modifiables():
                # A mutualisé's décisions, kept or let go (at least one stays).
                with Horizontal(id="formulaire-decisions"):
                    yield Static("Décisions", classes="etiquette")
                    for rang, (decision_id, nom) in enumerate(zip(prop.decision_ids, self.noms)):
                        # Text: a pupil's name is data, never markup.
                        yield Case(Text(propre(f"{nom} ({decision_id})")), True,
                                   id=f"decision-{rang}", classes="decision")
            yield Static(id="message-periode", classes="refus")
            yield Static(id="message-heures", classes="refus")
            yield Static(id="resultat")
            yield Static(id="mission-choisie")
            yield Static(id="message-mission", classes="refus")
            yield ListeMissions(_colonnes_candidats(), cle_ligne=lambda c: c.mission.id, id="candidats")
            ecartees = ListeMissions(_colonnes_refusees(), cle_ligne=lambda r: r.mission.id, id="ecartees")
            ecartees.display = False
            yield ecartees
            yield Static(id="message-general", classes="refus")
            # Why the last save failed: kept while the rules are checked again.
            echec = Static(id="message-enregistrement", classes="refus")
            echec.display = False
            yield echec

    def _titre(self) -> str:
        prop = self.proposition
        if prop.type == INDIVIDUALISE:
            quoi = (f"individualisé de {self.noms[0]} ({prop.decision_ids[0]})"
                    + (f" · {heures(prop.heures)} notifiées" if self.origine is None else ""))
        else:
            quoi = f"mutualisé de {len(self.noms)} élève(s) : {', '.join(self.noms)}"
        if self.origine is None:
            return f"Accompagnement {quoi}"
        o = self.origine
        return (f"{TITRES[self.operation]} {o.id} ({quoi}) · actuellement "
                f"{texte_periode(o.debut, o.fin)}, {heures(o.heures)}")

    def on_mount(self) -> None:
        self._etablissement()
        # The first candidates before the first paint: only the missions
        # affected to the PIAL are examined (5 ms on demo L), where a thread
        # would cost a paint without them.
        self._demander_missions(sur_place=True)
        self.query_one("#du", DateSaisie).focus()

    # -- the établissement, the missions of the period ----------------------------------
    def _periode(self) -> tuple[date, date] | None:
        du, au = self.query_one("#du", DateSaisie).value, self.query_one("#au", DateSaisie).value
        return (du, au) if du is not None and au is not None and du <= au else None

    def _decisions_modifiables(self) -> bool:
        return self.operation == MODIFICATION and len(self.proposition.decision_ids) > 1

    def _decisions(self) -> tuple[str, ...]:
        """The décisions as the form stands (a modified mutualisé may let some go)."""
        ids = self.proposition.decision_ids
        if not self._decisions_modifiables() or not self.is_mounted:
            return tuple(ids)
        return tuple(i for rang, i in enumerate(ids)
                     if self.query_one(f"#decision-{rang}", Case).value)

    def _ignorer(self) -> tuple[str, ...]:
        """The accompagnement this one replaces: its hours are free for it."""
        if self.origine is not None and self.operation in (MODIFICATION, INSERTION):
            return (self.origine.id,)
        return ()

    def _etablissement(self) -> None:
        session = self.app.session_ouverte
        if self.origine is None:  # an existing accompagnement keeps its établissement
            periode = self._periode()
            debut = periode[0] if periode else self.proposition.debut
            try:
                self.uai = session.etablissement_accompagnement(self.proposition.decision_ids, debut)
            except (RegleRefusee, PermissionRefusee) as exc:
                self.uai = None
                self._dire("#formulaire-etablissement", f"Établissement : {exc}", refus=True)
                return
        assert self.uai is not None
        self._dire("#formulaire-etablissement",
                   f"Établissement : {session.libelle_etablissement(self.uai)}")

    def _demander_missions(self, sur_place: bool = False) -> None:
        periode = self._periode()
        if periode is None or self.uai is None:
            # No period, no missions: the lists and their titles say so.
            self._candidats, self._refusees, self._periode_candidats = [], [], None
            self._montrer_missions()
            return
        if sur_place:
            self.on_missions(self._candidats_de(self.uai, *periode, self._ignorer()))
        else:
            self._missions_de(self.uai, *periode, self._ignorer())

    def _candidats_de(self, uai: str, debut: date, fin: date, ignorer: tuple[str, ...]) -> Missions:
        """The candidates only: the missions set aside (behind Ctrl+R) are
        asked once these are painted."""
        try:
            candidats = [c for c in self.app.session_ouverte.candidats(uai, debut, fin, ignorer=ignorer)
                         if c.disponible > 0]
        except RegleRefusee as exc:
            return Missions((debut, fin), [], [], str(exc))
        return Missions((debut, fin), candidats, None)

    @work(thread=True, exclusive=True, group="formulaire-missions")
    def _missions_de(self, uai: str, debut: date, fin: date, ignorer: tuple[str, ...]) -> None:
        # Off the event loop, as the user types dates.
        message = self._candidats_de(uai, debut, fin, ignorer)
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    @work(thread=True, exclusive=True, group="formulaire-refusees")
    def _refusees_de(self, uai: str, debut: date, fin: date, ignorer: tuple[str, ...],
                     candidats: list[Candidat]) -> None:
        # Every mission of the département with its reason: seconds' worth of
        # French on a large one, which must not hold the candidates' paint.
        try:
            refusees = self.app.session_ouverte.missions_refusees(uai, debut, fin, ignorer)
        except RegleRefusee:
            return  # said with the candidates
        if not get_current_worker().is_cancelled:
            self.post_message(Missions((debut, fin), candidats, refusees))

    def on_missions(self, message: Missions) -> None:
        if message.periode != self._periode():
            return  # an older period's answer
        self._periode_candidats = message.periode
        self._refusees = message.refusees or []
        self._candidats = message.candidats
        self._montrer_missions()
        if message.refusees is None and self.uai is not None:
            self.call_after_refresh(self._refusees_de, self.uai, *message.periode, self._ignorer(),
                                    message.candidats)
        # A mission chosen in the list that the new period no longer offers
        # is dropped; the accompagnement's own mission stays, and the rules
        # say whether it may keep it.
        garder = self.origine.mission_id if self.origine is not None else None
        if (self.mission_id is not None and self.mission_id != garder
                and self._candidat() is None and self._periode_candidats is not None):
            self._dire("#mission-choisie", f"La mission {self.mission_id} n'est pas proposée sur "
                                           "cette période (Ctrl+R : les missions écartées et "
                                           "pourquoi) : choisissez-en une autre.", refus=True)
            self.mission_id = None
        self._verifier()

    def _candidat(self) -> Candidat | None:
        return next((c for c in self._candidats if c.mission.id == self.mission_id), None)

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
        self._verifier()

    @on(ListeDonnees.LigneChoisie)
    def _ligne_choisie(self, event: ListeDonnees.LigneChoisie) -> None:
        if isinstance(event.ligne, MissionRefusee):
            raisons = " ; ".join(r.message for r in event.ligne.raisons)
            self._dire("#message-mission", f"{event.ligne.mission.id} écartée : {raisons}", refus=True)
            return
        self.mission_id = event.ligne.mission.id
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
        elif not self._decisions():
            par_champ["general"].append("Gardez au moins une décision : pour n'en garder aucune, "
                                        "supprimez l'accompagnement (Suppr).")
        elif self.uai is not None:
            refus = self.app.session_ouverte.verifier_accompagnement(
                self.mission_id or "", self._decisions(), self.uai, *periode,
                self._heures(), maintien=self.operation == MAINTIEN, ignorer=self._ignorer(),
                avant=self.origine if self.operation == MODIFICATION else None)
            refus += self._refus_insertion(periode)
            for r in refus:
                if r.regle == "mission" and self.mission_id is None:
                    continue  # not chosen yet: said below, not as a refusal
                if r.regle == "heures" and texte_heures.strip() and self._heures() is None:
                    continue
                par_champ[CHAMP_DES_REGLES.get(r.regle, "general")].append(_phrase(r.message))
        if texte_heures.strip() and self._heures() is None:
            par_champ["heures"].append(HEURES_INVALIDES)
        for champ, messages in par_champ.items():
            self._dire(f"#message-{champ}", "\n".join(messages), refus=True)
        self._dire("#resultat", self._resultat(periode))
        self._dire("#mission-choisie", self._texte_mission())
        self.refresh_bindings()
        return refus

    def _refus_insertion(self, periode: tuple[date, date]) -> list[Refus]:
        o = self.origine
        if self.operation != INSERTION or o is None:
            return []
        return refus_insertion(o, *periode)

    def _resultat(self, periode: tuple[date, date] | None) -> str:
        """An insertion's result before it is saved: what is left of the original."""
        o = self.origine
        if self.operation != INSERTION or o is None or periode is None or self._refus_insertion(periode):
            return ""
        avant, apres = restes_insertion(o, *periode)
        nouveau = f"le nouvel accompagnement {texte_periode(*periode)}"
        if avant is not None and apres is not None:
            return (f"Résultat : {o.id} est coupé en deux ({texte_periode(avant.debut, avant.fin)} "
                    f"et {texte_periode(apres.debut, apres.fin)}), {nouveau} entre les deux.")
        if avant is not None:
            return f"Résultat : {o.id} est raccourci ({texte_periode(avant.debut, avant.fin)}), puis {nouveau}."
        if apres is not None:
            return f"Résultat : {nouveau}, puis {o.id} raccourci ({texte_periode(apres.debut, apres.fin)})."
        return f"Résultat : {o.id} est remplacé en entier par {nouveau}."

    def _texte_mission(self) -> str:
        if self.mission_id is None:
            return "Mission : aucune choisie — Entrée sur une ligne de la liste."
        c = self._candidat()
        if c is None:  # not offered (yet): the accompagnement's own, or the one it starts from
            actuelle = " (actuelle)" if self.origine is not None else ""
            return (f"Mission : {self.mission_id} · "
                    f"{self.app.session_ouverte.nom_aesh_de_mission(self.mission_id)}{actuelle}")
        return (f"Mission : {c.mission.id} · {nom_prenom(c.aesh)} · {c.mission.contrat} "
                f"{c.mission.nature} · {heures(c.disponible)} libres sur {heures(c.mission.volume)}"
                + (f" · {distance(c.distance_km)}" if c.distance_km is not None else ""))

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
        if self.mission_id is None:
            self.notify("Choisissez une mission (Entrée sur une ligne de la liste).", severity="error")
            return
        if not self._decisions():
            self.notify("Gardez au moins une décision : rien n'a été enregistré.", severity="error")
            return
        refus = self._verifier()
        if refus or heures_saisies is None:
            self.notify("Le formulaire ne respecte pas toutes les règles (voir les messages) : "
                        "rien n'a été enregistré.", severity="error")
            return
        self._en_cours = True
        self._dire("#message-enregistrement", "")
        self._ecrire(Saisie(self.mission_id, self.uai, *periode, heures_saisies,
                            self.query_one("#repas", Case).value, self.query_one("#pause", Case).value))

    @work(thread=True, exclusive=True, group="formulaire-enregistrer")
    def _ecrire(self, saisie: Saisie) -> None:
        session = self.app.session_ouverte
        try:
            ecrits = ecrire(session, self.operation, self.origine, self._decisions(),
                            saisie)
        except StaleWriteError as exc:
            # Reloaded here, at once: the user is told what changed.
            try:
                session.charger()
            except StoreError:
                self.post_message(EchecEnregistrement(str(exc)))
                return
            actuel = session.accompagnement(self.origine.id) if self.origine is not None else None
            self.post_message(Perime(actuel))
            return
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.post_message(EchecEnregistrement(str(exc)))
            return
        self.post_message(Enregistre(ecrits))

    def on_echec_enregistrement(self, message: EchecEnregistrement) -> None:
        self._en_cours = False
        self._dire("#message-enregistrement", f"Rien n'a été enregistré : {message.raison}", refus=True)

    def on_perime(self, message: Perime) -> None:
        self._en_cours = False
        self.app.signal_donnees.publish(None)  # every screen follows the reloaded data
        o = self.origine
        if o is None or message.actuel == o:
            self._dire("#message-enregistrement",
                       "Rien n'a été enregistré : une autre session a écrit entre-temps. Les données "
                       "sont rechargées et les règles revérifiées ; Ctrl+S pour enregistrer de nouveau.",
                       refus=True)
            self._demander_missions()
            self._verifier()
            return
        self._actuel = message.actuel
        lignes = [f"Rien n'a été enregistré : une autre session a changé l'accompagnement {o.id} "
                  "pendant votre saisie :"]
        lignes += [f"– {d}" for d in changements(o, message.actuel)]
        lignes.append("Ctrl+O reprend le formulaire sur la version actuelle (votre saisie est "
                      "remplacée) ; Échap abandonne." if message.actuel is not None
                      else "Échap pour revenir.")
        self._dire("#message-enregistrement", "\n".join(lignes), refus=True)
        self.refresh_bindings()

    def action_reprendre(self) -> None:
        """The form on the accompagnement as another session left it."""
        actuel = self._actuel
        if actuel is None:
            return
        self.origine, self._actuel = actuel, None
        self.mission_id = actuel.mission_id
        if self.operation == MODIFICATION:
            self.query_one("#du", DateSaisie).value = actuel.debut
            self.query_one("#au", DateSaisie).value = actuel.fin
            self.query_one("#heures", Input).value = nombre(actuel.heures, 2)
            self.query_one("#repas", Case).value = actuel.repas
            self.query_one("#pause", Case).value = actuel.pause_meridienne
        self.query_one("#formulaire-titre", Static).update(Text(self._titre()))
        self._dire("#message-enregistrement", "")
        self._modifie = self._abandon_demande = False
        self._demander_missions()
        self._verifier()

    def on_enregistre(self, message: Enregistre) -> None:
        self._enregistre = True
        self.app.signal_donnees.publish(None)  # every screen repaints from the new data
        periode = self._periode()
        quand = texte_periode(*periode) if periode else ""
        decisions = ", ".join(self._decisions())
        textes = {
            CREATION: f"Accompagnement {message.acc_ids[0]} créé ({decisions}, {quand}).",
            MODIFICATION: f"Accompagnement {message.acc_ids[0]} modifié ({decisions}, {quand}).",
            INSERTION: f"Accompagnement {message.acc_ids[0]} inséré ({quand}) ; "
                       f"{len(message.acc_ids) - 1} morceau(x) de l'accompagnement d'origine gardé(s).",
            MAINTIEN: f"Accompagnement de maintien {message.acc_ids[0]} créé ({decisions}, {quand}).",
        }
        self.notify(textes[self.operation], title=TITRES[self.operation], markup=False)
        self.dismiss(message.acc_ids)

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
        if action == "reprendre":
            return self._actuel is not None
        return True

    def donnees_rechargees(self) -> None:
        # Data reloaded meanwhile: the missions' hours may have moved (not
        # after its own save: it is closing).
        if not self._enregistre:
            self._demander_missions()


@dataclass(frozen=True)
class Saisie:
    """What the form holds when it is saved."""

    mission_id: str
    uai: str
    debut: date
    fin: date
    heures: float
    repas: bool
    pause_meridienne: bool


def ecrire(session: Session, operation: str, origine: Accompagnement | None,
           decision_ids: Sequence[str], saisie: Saisie) -> list[str]:
    """The form's write, through the Session; the ids written, the new
    accompagnement first (an insertion also gives the original's pieces)."""
    valeurs = dict(heures=saisie.heures, repas=saisie.repas, pause_meridienne=saisie.pause_meridienne)
    if origine is None:
        acc = session.creer_accompagnement(saisie.mission_id, decision_ids, uai=saisie.uai,
                                           debut=saisie.debut, fin=saisie.fin, **valeurs)
        return [acc.id]
    if operation == MODIFICATION:
        acc = session.modifier_accompagnement(origine.id, origine.version, debut=saisie.debut,
                                              fin=saisie.fin, mission_id=saisie.mission_id,
                                              decision_ids=decision_ids, **valeurs)
        return [acc.id]
    if operation == INSERTION:
        morceaux = session.inserer_accompagnement(origine.id, origine.version, saisie.debut,
                                                  saisie.fin, mission_id=saisie.mission_id, **valeurs)
        nouveau = next(a for a in morceaux if a.debut == saisie.debut)
        return [nouveau.id, *(a.id for a in morceaux if a is not nouveau)]
    acc = session.maintenir_accompagnement(origine.id, saisie.debut, saisie.fin,
                                           mission_id=saisie.mission_id, **valeurs)
    return [acc.id]


def _phrase(message: str) -> str:
    return message[:1].upper() + message[1:]
