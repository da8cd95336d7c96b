"""« Ajouter une mission » prévisionnelle (guide §8.2) — from the Missions
list (the AESH typed, by name or identifier) or from an AESH's dossier —,
and « Modifier » a prévisionnelle mission. RH missions are not entered
here: synchronised from the RH bases, they are read-only.

Each rule is checked as the user types, its message next to its field (the
établissement's name next to its UAI); Ctrl+S saves in one transaction off
the event loop; a mission another session changed since it was loaded is
refused with what changed, field by field, and Ctrl+O takes the form up
again on the current values. Returns the mission's id, None when abandoned."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from ..api.vues_aesh import source
from ..engine.modele.model import Aesh, Mission
from ..engine.regles.aesh import (
    COMPARES_MISSION,
    Refus,
    SaisieMission,
    fusionner,
)
from ..engine.regles.differences import differences, texte_differences
from ..widgets.affichage import nom_prenom, propre
from ..widgets.bloc_mission import BlocMission
from ..widgets.date_saisie import DateSaisie
from ..widgets.saisie import LigneSaisie, champ_texte
from .saisie import EcranSaisie, Enregistre


def _qui(aesh: Aesh) -> str:
    """« NOEL Paul (A4) · prévisionnel »."""
    texte = f"{nom_prenom(aesh)} ({propre(aesh.id)}) · {source(aesh)}"
    return texte + ("" if aesh.actif else " · [I] inactif")


class FormulaireMission(EcranSaisie):
    MENU = "missions"
    AIDE = (
        "Ajouter une mission prévisionnelle, ou modifier une mission prévisionnelle (les missions "
        "des bases RH, synchronisées chaque jour, ne se modifient pas). L'AESH se tape par son "
        "nom ou son identifiant (→ complète la suggestion). Contrat, heures hebdomadaires, "
        "quotité, nature du support, établissements employeur et payeur (UAI du référentiel, "
        "facultatifs), dates (a, z, t, +, -). Chaque règle non respectée est dite à côté de son "
        "champ. Ctrl+S enregistre ; Échap abandonne (deux fois quand la saisie a changé)."
    )
    CSS_PATH = ["saisie.tcss", "formulaire_mission.tcss"]

    def __init__(self, *, aesh_id: str | None = None, mission_id: str | None = None,
                 menu: str = "missions") -> None:
        """``mission_id``: the prévisionnelle mission to modify; otherwise a
        new one, for ``aesh_id`` (None: the AESH is typed). ``menu``: the
        menu it is opened from (Missions, AESH)."""
        super().__init__()
        self.MENU = menu
        self.aesh_id = aesh_id
        self.mission_id = mission_id
        self._origine: Mission | None = None  # the mission as loaded (its version)
        self._tout_montrer = mission_id is not None
        self._erreur = ""  # why there is nothing to enter

    # -- layout -----------------------------------------------------------------------
    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        if self.mission_id is not None:
            self._origine = session.mission(self.mission_id)
            if self._origine is None:
                self._erreur = f"La mission {propre(self.mission_id)} n'existe plus dans les données."
            elif not self._origine.previsionnel:
                self._erreur = (f"La mission {propre(self.mission_id)} vient de la base RH "
                                f"{propre(self._origine.source)} : synchronisée depuis les bases "
                                "RH, elle ne se modifie pas ici.")
            else:
                self.aesh_id = self._origine.aesh_id
        aesh = session.aesh(self.aesh_id) if self.aesh_id else None
        with VerticalScroll(id="saisie"):
            yield Static(self._titre(aesh), id="saisie-titre")
            if self._erreur:
                yield Static(Text(self._erreur))
                yield Static(id="saisie-message")
                return
            if self.mission_id is None and self.aesh_id is None:
                suggestions = SuggestFromList(session.noms_aesh(), case_sensitive=False)
                yield LigneSaisie("AESH", champ_texte("", "aesh", suggester=suggestions,
                                                      placeholder="nom ou identifiant"),
                                  champ="aesh")
            else:
                qui = _qui(aesh) if aesh else propre(self.aesh_id or "")
                yield LigneSaisie("AESH", Static(Text(qui), classes="saisie-valeur"))
            initiale = SaisieMission.de(self._origine) if self._origine else None
            yield BlocMission(initiale, today=self.app.today, id="mission")
            yield Static(id="saisie-message")

    def _titre(self, aesh: Aesh | None) -> Text:
        if self.mission_id is not None:
            titre = f"Modifier la mission prévisionnelle {propre(self.mission_id)}"
        else:
            titre = "Ajouter une mission prévisionnelle"
        if aesh is not None:
            titre += f" de {nom_prenom(aesh)}"
        return Text(titre, style="bold")

    def on_mount(self) -> None:
        self.verifier()
        for champ in self.query("#saisie Input, #saisie Select"):
            champ.focus()
            break

    # -- the values --------------------------------------------------------------------------
    def _bloc(self) -> BlocMission | None:
        blocs = list(self.query(BlocMission))
        return blocs[0] if blocs else None

    def _aesh_choisi(self) -> tuple[Aesh | None, str]:
        """The AESH of the mission, or None and why."""
        session = self.app.session_ouverte
        if self.aesh_id is not None:
            return session.aesh(self.aesh_id), ""
        texte = self.query_one("#aesh", Input).value
        if not texte.strip():
            return None, "Le nom ou l'identifiant de l'AESH."
        trouves = session.chercher_aesh(texte)
        if not trouves:
            return None, "Aucun AESH ne correspond."
        if len(trouves) > 1:
            noms = ", ".join(f"{nom_prenom(a)} ({propre(a.id)})" for a in trouves[:3])
            suite = "…" if len(trouves) > 3 else ""
            return None, f"{len(trouves)} AESH correspondent ({noms}{suite}) : précisez."
        return trouves[0], ""

    def modifie(self) -> bool:
        bloc = self._bloc()
        if bloc is None:
            return False
        tape = bool(self.query("#aesh").results(Input)) and bool(self.query_one("#aesh", Input).value)
        return tape or bloc.modifie

    # -- checks as the user types ------------------------------------------------------
    @on(Input.Changed)
    @on(Select.Changed)
    @on(DateSaisie.Changed)
    def _changement(self) -> None:
        self.verifier()

    def verifier(self) -> list[Refus]:
        bloc = self._bloc()
        if bloc is None or not self.is_mounted:
            return []
        session = self.app.session_ouverte
        refus = session.verifier_mission(bloc.saisie(), self.mission_id)
        bloc.afficher(refus, self._montrer)
        refus += [Refus(c, m) for c, m in bloc.illisibles().items()]
        if self.aesh_id is None:
            aesh, raison = self._aesh_choisi()
            ligne = self.query_one("#saisie > LigneSaisie", LigneSaisie)
            if aesh is None:
                champ_vu = self._tout_montrer or bool(self.query_one("#aesh", Input).value)
                ligne.dire(raison if champ_vu else "")
                refus.append(Refus("aesh", raison))
            else:
                ligne.dire(_qui(aesh), refus=False)
        return refus

    def _montrer(self, champ: str) -> bool:
        bloc = self._bloc()
        return self._tout_montrer or (bloc is not None and bloc.change(champ))

    # -- saving -----------------------------------------------------------------------
    def enregistrer(self) -> None:
        bloc = self._bloc()
        if bloc is None:
            return
        self._tout_montrer = True
        if self.verifier():
            self.refus_a_corriger()
            return
        session = self.app.session_ouverte
        if self._origine is not None:
            if not bloc.modifie:
                self.dire("Aucun changement : rien à enregistrer.", refus=False)
                return
            self.ecrire(partial(session.modifier_mission, self._origine.id, self._origine.version,
                                bloc.saisie()))
            return
        aesh, _ = self._aesh_choisi()
        assert aesh is not None, "verifier refuses a form without its AESH"
        self.ecrire(partial(session.ajouter_mission, aesh.id, bloc.saisie()))

    def on_enregistre(self, message: Enregistre) -> None:
        mission = message.resultat
        assert isinstance(mission, Mission)
        self._origine = mission if self.mission_id is not None else None
        self.app.signal_donnees.publish(None)
        aesh = self.app.session_ouverte.aesh(mission.aesh_id)
        pour = f" de {nom_prenom(aesh)}" if aesh else ""
        verbe = "enregistrée" if self.mission_id is not None else "ajoutée"
        self.notify(f"Mission prévisionnelle {mission.id}{pour} {verbe}.",
                    title="Mission prévisionnelle", markup=False)
        self.dismiss(mission.id)

    # -- data reloaded under the form -------------------------------------------------------
    def donnees_rechargees(self) -> None:
        bloc, origine = self._bloc(), self._origine
        if bloc is None or origine is None or not self.is_mounted:
            self.verifier()
            return
        actuelle = self.app.session_ouverte.mission(origine.id)
        if not self.suivre_rechargement(
                origine, actuelle, "Cette mission n'existe plus après le rechargement : rien n'a "
                                   "été enregistré."):
            return
        assert actuelle is not None, "suivre_rechargement said it changed"
        diffs = differences(origine, actuelle, COMPARES_MISSION)
        saisie = fusionner(bloc.initiale.nettoyee(), bloc.saisie().nettoyee(),
                           SaisieMission.de(actuelle).nettoyee())
        self._origine = actuelle
        bloc.initiale = SaisieMission.de(actuelle)
        bloc.remplir(saisie)
        self.repris("cette mission", texte_differences(diffs))
