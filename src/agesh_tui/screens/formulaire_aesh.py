"""« Modifier cet AESH » (guide §7.1) and « Ajouter un AESH » prévisionnel
(guide §7.2) with its missions prévisionnelles, in one form.

An AESH of an RH base (EPP, ASSED): its état civil, adresse and RQTH come
from the RH base, rewritten by every synchronisation; they are shown, read-
only and said so, and the gestionnaire enters the rest (the moyen de
transport). A prévisionnel AESH is in no RH base yet: everything is entered
here. Each rule is checked as the user types, its message next to its field;
Ctrl+S saves in one transaction off the event loop; a record another
session changed since it was loaded is refused with what changed, field by
field, and Ctrl+O takes the form up again on the current values. Returns
the AESH's id, None when abandoned."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from ..engine.calendrier import NAISSANCE_MIN, format_date
from ..engine.modele.model import Aesh, Mission
from ..engine.regles.aesh import (
    CHAMPS_AESH,
    CIVILITES,
    COMPARES_AESH,
    TEXTE_MAX,
    Refus,
    SaisieAesh,
    fusionner,
)
from ..engine.regles.differences import differences, texte_differences
from ..widgets.affichage import nom_prenom, nombre, propre
from ..widgets.bloc_mission import BlocMission
from ..widgets.date_saisie import DateSaisie
from ..widgets.saisie import LigneSaisie, champ_date, champ_texte, texte_select, valeur_lue
from .saisie import EcranSaisie, Enregistre

LIBELLES = {
    "civilite": "Civilité", "nom": "Nom", "prenom": "Prénom", "date_naissance": "Naissance",
    "adresse": "Adresse", "code_postal": "Code postal", "commune": "Commune",
    "transport": "Transport",
}
SECTIONS = (
    ("État civil", ("civilite", "nom", "prenom", "date_naissance")),
    ("Adresse", ("adresse", "code_postal", "commune")),
)


def _section(titre: str) -> Static:
    return Static(Text(titre, style="bold underline"), classes="saisie-section")


class FormulaireAesh(EcranSaisie):
    MENU = "aesh"
    AIDE = (
        "Modifier un AESH, ou ajouter un AESH prévisionnel et ses missions. Pour un AESH des bases "
        "RH (EPP, ASSED), l'état civil, l'adresse et la RQTH viennent de la base RH (mis à jour "
        "à chaque synchronisation) : ils sont affichés, pas modifiables ici ; le gestionnaire "
        "saisit le moyen de transport. Un AESH prévisionnel se saisit en entier. Tab passe au "
        "champ suivant ; dans une date : a, z, t, +, -. Chaque règle non respectée est dite à "
        "côté de son champ. Ctrl+N ajoute une mission, Ctrl+T retire celle du curseur. Ctrl+S "
        "enregistre ; Échap abandonne (deux fois quand la saisie a changé)."
    )
    BINDINGS = [
        Binding("ctrl+n", "ajouter_mission", "Ajouter une mission", priority=True,
                id="formulaire_aesh.ajouter_mission"),
        Binding("ctrl+t", "retirer_mission", "Retirer la mission", priority=True,
                id="formulaire_aesh.retirer_mission"),
    ]
    CSS_PATH = ["saisie.tcss", "formulaire_aesh.tcss"]

    def __init__(self, aesh_id: str | None = None) -> None:
        """``aesh_id``: the AESH to modify; None: a new prévisionnel one."""
        super().__init__()
        self.aesh_id = aesh_id
        self._origine: Aesh | None = None  # the AESH as loaded (its version)
        self._champs: tuple[str, ...] = CHAMPS_AESH
        self._initiale = SaisieAesh()
        # A new entry says its refusals once saving was tried; a change, at once.
        self._tout_montrer = aesh_id is not None
        self._missions = 0  # blocks added, for their ids

    # -- layout -----------------------------------------------------------------------
    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        if self.aesh_id is not None:
            self._origine = session.aesh(self.aesh_id)
            self._champs = session.champs_modifiables_aesh(self.aesh_id)
        a = self._origine
        if a is not None:
            self._initiale = SaisieAesh.de(a)
        with VerticalScroll(id="saisie"):
            yield Static(self._titre(), id="saisie-titre")
            if self.aesh_id is not None and a is None:
                yield Static(Text(f"L'AESH {propre(self.aesh_id)} n'existe plus dans les données."))
                yield Static(id="saisie-message")
                return
            if a is not None and not a.previsionnel:
                yield Static(Text(
                    f"État civil, adresse et RQTH : données RH ({propre(a.source)}), mises à jour par "
                    "chaque synchronisation avec la base RH — non modifiables ici.", style="italic"),
                    classes="saisie-note")
            elif a is not None:
                yield Static(Text("AESH prévisionnel : pas encore dans les bases RH, tout se "
                                  "saisit ici.", style="italic"), classes="saisie-note")
            for titre, champs in SECTIONS:
                yield _section(titre)
                for champ in champs:
                    yield self._ligne(champ)
                if champs == SECTIONS[0][1] and a is not None and not a.previsionnel:
                    yield LigneSaisie("RQTH", Static(Text("oui" if a.rqth else "non"),
                                                     id="valeur-rqth", classes="saisie-valeur"),
                                      champ="rqth")
            yield _section("Informations complémentaires")
            yield self._ligne("transport")
            if a is not None and a.latitude is not None and a.longitude is not None:
                position = f"{nombre(a.latitude, 4)}, {nombre(a.longitude, 4)}"
                if "adresse" in self._champs:
                    position += " (effacée si l'adresse change)"
                yield LigneSaisie("Position", Static(Text(position), classes="saisie-valeur"))
            if self.aesh_id is None:
                yield _section("Missions prévisionnelles")
                yield self._bloc()
                yield Static(id="aide-missions", classes="saisie-note")
            yield Static(id="saisie-message")

    def _titre(self) -> Text:
        if self.aesh_id is None:
            return Text("Ajouter un AESH prévisionnel (pas encore dans les bases RH)", style="bold")
        a = self._origine
        if a is None:
            return Text(f"Modifier l'AESH {propre(self.aesh_id)}", style="bold")
        titre = Text(f"Modifier l'AESH {nom_prenom(a)} ({propre(a.id)})", style="bold")
        titre.append(" · 📅 prévisionnel" if a.previsionnel else f" · base RH {propre(a.source)}")
        return titre

    def _ligne(self, champ: str) -> LigneSaisie:
        """An editable field, or an RH value shown as it is."""
        libelle = LIBELLES[champ]
        valeur = getattr(self._initiale, champ)
        if champ not in self._champs:
            texte = format_date(valeur) if champ == "date_naissance" else valeur
            return LigneSaisie(libelle, Static(Text(valeur_lue(texte)), id=f"valeur-{champ}",
                                               classes="saisie-valeur"), champ=champ)
        controle: Widget
        if champ == "civilite":
            controle = Select([(c, c) for c in CIVILITES], prompt="choisir", compact=True,
                              id=champ, value=valeur if valeur in CIVILITES else Select.NULL)
        elif champ == "date_naissance":
            controle = champ_date(valeur, champ, today=self.app.today, minimum=NAISSANCE_MIN,
                                  maximum=self.app.today)
        elif champ == "code_postal":
            controle = champ_texte(valeur, champ, max_length=10, placeholder="5 chiffres")
        elif champ == "transport":
            suggestions = SuggestFromList(self.app.session_ouverte.transports_connus(),
                                          case_sensitive=False)
            controle = champ_texte(valeur, champ, max_length=TEXTE_MAX, suggester=suggestions,
                                   placeholder="par ex. Vélo")
        else:
            controle = champ_texte(valeur, champ, max_length=TEXTE_MAX)
        return LigneSaisie(libelle, controle, champ=champ)

    def _bloc(self) -> BlocMission:
        self._missions += 1
        return BlocMission(today=self.app.today, titre="Mission", id=f"mission-{self._missions}",
                           classes="mission")

    def on_mount(self) -> None:
        self._numeroter()
        self.verifier()
        for champ in self.query("#saisie Input, #saisie Select"):
            champ.focus()
            break

    # -- the values --------------------------------------------------------------------------
    def _blocs(self) -> list[BlocMission]:
        return list(self.query(BlocMission))

    def _lignes_aesh(self) -> list[LigneSaisie]:
        return list(self.query("#saisie > LigneSaisie").results(LigneSaisie))

    def _saisie(self) -> SaisieAesh:
        """The form's values; the fields not entered here keep the AESH's."""
        valeurs: dict[str, object] = {}
        for champ in self._champs:
            if champ == "civilite":
                valeurs[champ] = texte_select(self.query_one("#civilite", Select))
            elif champ == "date_naissance":
                valeurs[champ] = self.query_one("#date_naissance", DateSaisie).value
            else:
                valeurs[champ] = self.query_one(f"#{champ}", Input).value
        return SaisieAesh(**{**{c: getattr(self._initiale, c) for c in CHAMPS_AESH}, **valeurs})

    def _remplir(self, saisie: SaisieAesh) -> None:
        for champ in self._champs:
            valeur = getattr(saisie, champ)
            if champ == "civilite":
                self.query_one("#civilite", Select).value = valeur if valeur in CIVILITES else Select.NULL
            elif champ == "date_naissance":
                self.query_one("#date_naissance", DateSaisie).value = valeur
            else:
                self.query_one(f"#{champ}", Input).value = valeur

    def modifie(self) -> bool:
        if not self.is_mounted or (self.aesh_id is not None and self._origine is None):
            return False
        return (self._saisie().nettoyee() != self._initiale.nettoyee()
                or len(self._blocs()) != (1 if self.aesh_id is None else 0)
                or any(b.modifie for b in self._blocs()))

    def _change(self, champ: str) -> bool:
        return getattr(self._saisie().nettoyee(), champ) != getattr(self._initiale.nettoyee(), champ)

    # -- checks as the user types ------------------------------------------------------
    @on(Input.Changed)
    @on(Select.Changed)
    @on(DateSaisie.Changed)
    def _changement(self) -> None:
        self.verifier()

    def verifier(self) -> list[Refus]:
        """The rules on the form as it stands, each refusal by its field;
        returns them all, those of the missions and unreadable values included."""
        if not self.is_mounted or (self.aesh_id is not None and self._origine is None):
            return []
        session = self.app.session_ouverte
        refus = session.verifier_aesh(self._saisie(), self._champs)
        par_champ: dict[str, list[str]] = {}
        for r in refus:
            par_champ.setdefault(r.regle, []).append(r.message)
        for ligne in self._lignes_aesh():
            if ligne.champ not in self._champs:
                continue
            messages = par_champ.get(ligne.champ, [])
            montrer = self._tout_montrer or self._change(ligne.champ)
            ligne.dire("\n".join(messages) if montrer else "")
        for bloc in self._blocs():
            refus_bloc = session.verifier_mission(bloc.saisie())
            bloc.afficher(refus_bloc, partial(self._montrer_mission, bloc))
            refus += refus_bloc
            refus += [Refus(c, m) for c, m in bloc.illisibles().items()]
        if "date_naissance" in self._champs and not self.query_one("#date_naissance",
                                                                    DateSaisie).valide:
            refus.append(Refus("date_naissance", ""))
        return refus

    def _montrer_mission(self, bloc: BlocMission, champ: str) -> bool:
        return self._tout_montrer or bloc.change(champ)

    # -- missions (a new AESH) ----------------------------------------------------------
    def _numeroter(self) -> None:
        blocs = self._blocs()
        for rang, bloc in enumerate(blocs, 1):
            for titre in bloc.query(".bloc-titre").results(Static):
                titre.update(Text(f"Mission {rang}"))
        if self.aesh_id is None:
            ajouter = self.app.touche("formulaire_aesh.ajouter_mission")
            retirer = self.app.touche("formulaire_aesh.retirer_mission")
            aide = (f"{ajouter} ajoute une mission, {retirer} retire celle où se trouve le curseur."
                    if blocs else f"Aucune mission : {ajouter} en ajoute une.")
            self.query_one("#aide-missions", Static).update(Text(aide, style="italic"))

    async def action_ajouter_mission(self) -> None:
        bloc = self._bloc()
        await self.query_one("#saisie", VerticalScroll).mount(
            bloc, before=self.query_one("#aide-missions"))
        self._numeroter()
        self.verifier()
        bloc.query_one("#contrat", Select).focus()
        bloc.scroll_visible(animate=False)

    async def action_retirer_mission(self) -> None:
        blocs = self._blocs()
        if not blocs:
            return
        focus = self.focused
        bloc = next((b for b in blocs if focus is not None and focus in b.query("*")), blocs[-1])
        await bloc.remove()
        self._numeroter()
        self.verifier()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ajouter_mission":
            return self.aesh_id is None
        if action == "retirer_mission":
            return self.aesh_id is None and bool(self._blocs())
        return super().check_action(action, parameters)

    # -- saving -----------------------------------------------------------------------
    def enregistrer(self) -> None:
        if self.aesh_id is not None and self._origine is None:
            return
        self._tout_montrer = True
        if self.verifier():
            self.refus_a_corriger()
            return
        session = self.app.session_ouverte
        saisie = self._saisie()
        if self._origine is None:
            self.ecrire(partial(session.ajouter_aesh, saisie, [b.saisie() for b in self._blocs()]))
        elif not self.modifie():
            self.dire("Aucun changement : rien à enregistrer.", refus=False)
        else:
            self.ecrire(partial(session.modifier_aesh, self._origine.id, self._origine.version,
                                saisie))

    def on_enregistre(self, message: Enregistre) -> None:
        resultat = message.resultat
        missions: list[Mission] = []
        if isinstance(resultat, tuple):
            aesh, missions = resultat
        else:
            aesh = resultat
        assert isinstance(aesh, Aesh)
        # Before the repaint: this form sees its own write as no change from elsewhere.
        self._origine = aesh
        self.app.signal_donnees.publish(None)
        if self.aesh_id is None:
            texte = f"AESH prévisionnel {nom_prenom(aesh)} ({aesh.id}) ajouté"
            if missions:
                texte += f" avec {len(missions)} mission(s) : {', '.join(m.id for m in missions)}"
            titre = "Ajouter un AESH"
        else:
            texte = f"AESH {nom_prenom(aesh)} ({aesh.id}) enregistré"
            titre = "Modifier cet AESH"
        self.notify(f"{texte}.", title=titre, markup=False)
        self.dismiss(aesh.id)

    # -- data reloaded under the form -------------------------------------------------------
    def donnees_rechargees(self) -> None:
        origine = self._origine
        if self.aesh_id is None or origine is None or not self.is_mounted:
            self.verifier()
            return
        actuel = self.app.session_ouverte.aesh(self.aesh_id)
        if not self.suivre_rechargement(
                origine, actuel, "Cet AESH n'existe plus après le rechargement : rien n'a été "
                                 "enregistré."):
            return
        assert actuel is not None, "suivre_rechargement said it changed"
        diffs = differences(origine, actuel, COMPARES_AESH)
        saisie = fusionner(self._initiale.nettoyee(), self._saisie().nettoyee(),
                           SaisieAesh.de(actuel).nettoyee())
        self._origine, self._initiale = actuel, SaisieAesh.de(actuel)
        for champ in CHAMPS_AESH:
            if champ not in self._champs:
                valeur = getattr(actuel, champ)
                texte = format_date(valeur) if champ == "date_naissance" else valeur
                self.query_one(f"#valeur-{champ}", Static).update(Text(valeur_lue(texte)))
        for rqth in self.query("#valeur-rqth").results(Static):
            rqth.update(Text("oui" if actuel.rqth else "non"))
        self._remplir(saisie)
        self.repris("cet AESH", texte_differences(diffs))
