"""Propositions d'affectation (SPEC §2.8, issue 14): the plan computed in a
worker (progress bar, Échap stops it and nothing is kept), its summary
(hours covered by the plan, by the greedy rule, already in place; km × h;
bound and gap), and three views — per PIAL, per décision (frise before →
after, and why a décision stays uncovered), per AESH (occupation before →
after, km). Lines are removed (Suppr, Ctrl+Z puts them back) before « a »
applies the rest in one transaction, after a confirmation naming them.

Opened from Accueil (the perimeter or the selection) and, for one PIAL,
by ``ouvrir_propositions_pial`` (the PIAL screens call it)."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import ContentSwitcher, Static
from textual.worker import Worker, get_current_worker

from ..api.erreurs import (
    ChargementAnnule,
    PermissionRefusee,
    RegleRefusee,
    StaleWriteError,
    StoreError,
)
from ..engine.calendrier import annee_scolaire, format_date
from ..engine.regles.couverture import Segment as SegmentFrise
from ..engine.regles.propositions_plan import FIN_DU_CALCUL, Ligne, Plan
from ..engine.regles.propositions_vues import VueAesh, VueDecision, VuePial, Vues
from ..widgets.affichage import entier, heures, nombre, pourcent, propre
from ..widgets.barre_occupation import Occupation, segments_barre
from ..widgets.frise import ASPECTS, segments_frise
from ..widgets.liste import Colonne, ListeDonnees
from .base import EcranMenu
from .chargement import Annule, Echec, Etape, barre
from .confirmation import Confirmation

# The views, in the order « v » goes through them: (id of the list, name).
VUES = (("vue-decision", "par décision"), ("vue-aesh", "par AESH"), ("vue-pial", "par PIAL"))
LIGNES_CONFIRMATION = 5  # lines named in the confirmation; the rest counted
# The motifs of engine/regles/propositions_motifs.py in a few words, for the
# column; the cursor's row gives the whole sentence and what to do.
MOTIFS_COURTS = {
    "etablissement": "scolarité ?", "aucune_mission_pial": "PIAL sans mission",
    "aucune_mission": "aucune mission", "distance": "trop loin", "regles": "aucune éligible",
    "missions_pleines": "missions pleines", "limite_aesh": "limite AESH/élève",
    "limite_etablissements": "limite étab./AESH", "concurrence": "prises ailleurs",
}
# The clock of the computing time shown (the user's wait, to the plan's views:
# Plan.duree_s stops before the reasons are computed); tests fix it.
chronometre = time.monotonic
LARGE = 120  # from this width, wider frises and the whole reasons in the list


def ouvrir_propositions_pial(app: App, pial_uai: str) -> None:
    """The propositions for one PIAL (the UAI of its tête), from any screen."""
    nom = app.session_ouverte.nom_etablissement(pial_uai)  # type: ignore[attr-defined]
    app.push_screen(Propositions(f"PIAL {propre(nom)} ({propre(pial_uai)})", pial_uai=pial_uai,
                                 menu="pial"))


def ouvrir_propositions(app: App, decision_ids: Collection[str] = ()) -> None:
    """The propositions for the selected décisions, or the whole perimeter."""
    session = app.session_ouverte  # type: ignore[attr-defined]
    if decision_ids:
        n = len(decision_ids)
        libelle = f"{entier(n)} décision{'s' if n > 1 else ''} sélectionnée{'s' if n > 1 else ''}"
        app.push_screen(Propositions(libelle, decision_ids=tuple(decision_ids)))
    else:
        app.push_screen(Propositions(session.libelle_perimetre()))


@dataclass
class Calcule(Message):
    """The worker's plan and its views."""

    plan: Plan
    vues: Vues
    duree: float  # seconds, the whole computation


@dataclass
class VuesPretes(Message):
    """The views again, after lines were removed or put back."""

    vues: Vues
    sans: frozenset[str]


@dataclass
class Applique(Message):
    nombre: int


@dataclass
class Refuse(Message):
    """Applying wrote nothing: ``perime`` when the data changed since the plan."""

    message: str
    perime: bool


def _n(nombre: int, mot: str) -> str:
    """« 1 proposition », « 2 propositions »."""
    return f"{entier(nombre)} {mot}{'s' if nombre > 1 else ''}"


def _avant_apres(vue: VuePial) -> str:
    """« 41,3 % → 58,1 % »: the mise en œuvre without and with the plan."""
    return f"{pourcent(vue.mise_en_oeuvre_avant)} → {pourcent(vue.mise_en_oeuvre_apres)}"


def _h(valeur: float) -> str:
    """Hours of the summary, to the tenth: 4733,6 h."""
    return f"{nombre(valeur, 1)} h"


def _dates(ligne: Ligne) -> str:
    return f"{format_date(ligne.debut)} → {format_date(ligne.fin)}"


def _segment(seg: SegmentFrise) -> str:
    """A stretch of a frise in words (the state, prévisionnel, its hours)."""
    mots = [f"{format_date(seg.debut)} → {format_date(seg.fin)} {ASPECTS[seg.etat].libelle}"]
    if seg.previsionnel:
        mots.append("📅 prévisionnel")
    if seg.heures:
        mots.append(heures(seg.heures))
    return ", ".join(mots)


class Propositions(EcranMenu):
    MENU = "accueil"
    AIDE = (
        "Propositions d'affectation : le meilleur plan d'accompagnements pour le périmètre (le plus "
        "d'heures notifiées couvertes, puis le moins de route), comparé à la règle gloutonne et à ce "
        "qui est déjà en place. Échap arrête le calcul (rien n'est gardé) ou revient. v change de "
        "vue : par décision (frise avant → après, et pourquoi une décision reste non couverte), par "
        "AESH (occupation avant → après, km), par PIAL. Suppr retire les propositions de la ligne "
        "(ou des lignes sélectionnées par Espace), Ctrl+Z les remet. a applique le reste en une "
        "seule transaction, après confirmation (gestionnaires seulement) ; r recalcule."
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour", id="propositions.retour"),
        Binding("v", "vue_suivante", "Vue suivante", id="propositions.vue"),
        Binding("delete", "retirer", "Retirer", id="propositions.retirer"),
        Binding("ctrl+z", "remettre", "Remettre", id="propositions.remettre"),
        Binding("a", "appliquer", "Appliquer", id="propositions.appliquer"),
        Binding("r", "recalculer", "Recalculer", id="propositions.recalculer"),
    ]
    CSS_PATH = "propositions.tcss"

    def __init__(self, libelle: str, *, pial_uai: str | None = None,
                 decision_ids: tuple[str, ...] | None = None, menu: str = "accueil") -> None:
        """``menu``: the menu it is opened from (Accueil, PIAL)."""
        super().__init__()
        self.MENU = menu
        self.libelle = libelle
        self.pial_uai = pial_uai
        self.decision_ids = decision_ids
        self.plan: Plan | None = None
        self.vues: Vues | None = None
        self.sans: frozenset[str] = frozenset()
        # Each Suppr's lines, so that Ctrl+Z puts back the last ones first.
        self._retraits: list[frozenset[str]] = []
        self._calcul: Worker | None = None
        self._duree = 0.0  # seconds the last computation took
        self._application = False  # « a » confirmed, the transaction under way
        self.perime = False  # the data changed since the plan was computed

    # -- layout --------------------------------------------------------------------------
    def contenu(self) -> ComposeResult:
        yield Static(self._titre(), id="propositions-titre")
        yield Static(barre(0, 1, "Besoins et moyens"), id="propositions-etape")
        resume = Static(id="propositions-resume")
        resume.display = False
        yield resume
        with ContentSwitcher(initial=VUES[0][0], id="propositions-vues"):
            yield ListeDonnees(self._colonnes_decision(), cle_ligne=lambda v: v.decision_id,
                               id="vue-decision")
            yield ListeDonnees(self._colonnes_aesh(), cle_ligne=lambda v: v.aesh_id, id="vue-aesh")
            yield ListeDonnees(self._colonnes_pial(), cle_ligne=lambda v: v.pial_uai or "",
                               id="vue-pial")
        yield Static(id="propositions-detail")

    def on_mount(self) -> None:
        self.query_one("#propositions-vues").display = False
        self.query_one("#propositions-detail").display = False
        for liste in self.query(ListeDonnees):
            self.watch(liste, "curseur", lambda _: self._detailler(), init=False)
        self._calculer()

    # -- computing -----------------------------------------------------------------------
    def _calculer(self) -> None:
        self.plan, self.vues, self.sans, self._retraits, self.perime = None, None, frozenset(), [], False
        self.query_one("#propositions-etape", Static).update(barre(0, 1, "Besoins et moyens"))
        self.query_one("#propositions-etape").display = True
        for ident in ("#propositions-resume", "#propositions-vues", "#propositions-detail"):
            self.query_one(ident).display = False
        self.refresh_bindings()
        self._calcul = self._travail_calcul()

    @work(thread=True, exclusive=True, exit_on_error=False, group="propositions-calcul")
    def _travail_calcul(self) -> None:
        worker = get_current_worker()
        session = self.app.session_ouverte

        def progression(etape: str, faites: int, total: int) -> None:
            # Between two steps of the computation: the place to stop.
            if worker.is_cancelled:
                raise ChargementAnnule()
            self.post_message(Etape(etape, faites, total))

        debut = chronometre()
        try:
            plan = session.propositions(pial_uai=self.pial_uai, decision_ids=self.decision_ids,
                                        progression=progression)
            vues = session.vues_propositions(plan)
        except ChargementAnnule:
            self.post_message(Annule())
            return
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.post_message(Echec(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(Calcule(plan, vues, chronometre() - debut))

    def on_etape(self, message: Etape) -> None:
        self.query_one("#propositions-etape", Static).update(
            barre(message.faites, message.total, message.quoi))

    def on_annule(self) -> None:
        self.dismiss()
        self.app.notify("Calcul des propositions arrêté : rien n'a été proposé ni écrit.",
                        markup=False)

    def on_echec(self, message: Echec) -> None:
        self.query_one("#propositions-etape", Static).update(
            Text(f"✖ Calcul impossible : {propre(message.message)} Échap pour revenir."))

    def on_calcule(self, message: Calcule) -> None:
        self.plan, self.vues, self._duree = message.plan, message.vues, message.duree
        # Another session may have written during the computation.
        self.perime = self.plan.changements != self.app.session_ouverte.dep.changements
        self.query_one("#propositions-etape").display = False
        for ident in ("#propositions-resume", "#propositions-vues", "#propositions-detail"):
            self.query_one(ident).display = True
        self._montrer()
        self._liste().focus()

    # -- the summary and the views -------------------------------------------------------
    def _montrer(self) -> None:
        assert self.vues is not None
        # The uncovered first: what the gestionnaire must act on.
        self.query_one("#vue-decision", ListeDonnees).definir_lignes(
            sorted(self.vues.par_decision, key=lambda v: v.non_couvert is None))
        self.query_one("#vue-aesh", ListeDonnees).definir_lignes(self.vues.par_aesh)
        self.query_one("#vue-pial", ListeDonnees).definir_lignes(self.vues.par_pial)
        self.query_one("#propositions-resume", Static).update(self._resume())
        self._detailler()
        self.refresh_bindings()

    def lignes_gardees(self) -> list[Ligne]:
        return [] if self.plan is None else [l for l in self.plan.lignes if l.id not in self.sans]

    def _resume(self) -> Text:
        plan = self.plan
        assert plan is not None
        t, g = plan.termes, plan.glouton
        gardees = self.lignes_gardees()
        texte = Text()
        texte.append(f"{format_date(plan.periode.debut)} → {format_date(plan.periode.fin)} : ")
        texte.append(_n(len(gardees), "proposition"), style="bold")
        texte.append(f", {_h(sum(l.heures for l in gardees))}/sem. en tout")
        if self.sans:
            texte.append(f", {entier(len(self.sans))} retirée{'s' if len(self.sans) > 1 else ''} "
                         f"({self.app.touche('propositions.remettre')} pour remettre)")
        if plan.non_couverts:
            n = len(plan.non_couverts)
            texte.append(f" · {entier(n)} non couvert{'s' if n > 1 else ''}")
        # Weighted by days: 12 h proposed for half the period count 6 h.
        texte.append("\nHeures/sem. en moyenne sur la période : ")
        if self.sans:  # what the lines kept cover, then what the plan computed did
            texte.append(f"plan {_h(plan.termes_sans(self.sans).heures_couvertes)}", style="bold")
            texte.append(f" (calculé {_h(t.heures_couvertes)})")
        else:
            texte.append(f"plan {_h(t.heures_couvertes)}", style="bold")
        texte.append(f" · gloutonne {_h(g.heures_couvertes)} · à couvrir "
                     f"{_h(plan.heures_a_couvrir)}\n")
        # At the limit, the best plan found: the gap says how far it may be.
        fin_calcul = FIN_DU_CALCUL[plan.statut]
        texte.append(f"Déjà en place {_h(plan.heures_en_place)} · borne {_h(plan.borne)} · "
                     f"écart {pourcent(plan.ecart)} ({fin_calcul})\n"
                     "Route : ")
        if self.sans:  # as the hours: the lines kept, then the plan computed
            texte.append(f"plan {nombre(plan.termes_sans(self.sans).distance_totale)} km×h "
                         f"(calculé {nombre(t.distance_totale)})")
        else:
            texte.append(f"plan {nombre(t.distance_totale)} km×h")
        texte.append(f" · gloutonne {nombre(g.distance_totale)} km×h · calcul "
                     f"{nombre(self._duree, 1)} s")
        if self.perime:
            texte.append("\nLes données ont changé depuis le calcul : ", style="bold")
            texte.append(f"{self.app.touche('propositions.recalculer')} pour recalculer.",
                         style="bold")
        if not self.app.session_ouverte.saisie_permise:
            texte.append("\nProfil superviseur : consultation seulement, seuls les gestionnaires "
                         "appliquent des propositions.", style="italic")
        return texte

    def _liste(self) -> ListeDonnees:
        courante = self.query_one(ContentSwitcher).current or VUES[0][0]
        return self.query_one(f"#{courante}", ListeDonnees)

    def _detailler(self) -> None:
        """Under the list, the cursor's row in full: its lines, or why it stays uncovered."""
        if self.plan is None:
            return
        ligne = self._liste().ligne_courante()
        detail = self.query_one("#propositions-detail", Static)
        nom = dict(VUES)[self._liste().id or VUES[0][0]]
        self.query_one("#propositions-titre", Static).update(self._titre(nom))
        entete = Text(self._touches(), style="italic")
        if ligne is None:
            detail.update(Text.assemble(entete, "\nAucune ligne dans cette vue."))
            return
        detail.update(Text.assemble(entete, "\n", self._detail(ligne)))

    def _titre(self, vue: str = "") -> Text:
        titre = Text.assemble(("Propositions d'affectation", "bold"), f" · {propre(self.libelle)}")
        if vue:
            titre.append(f" · vue {vue}", style="bold")
        return titre

    def _touches(self) -> str:
        """The screen's keys, said where they are read: the footer at 80
        columns has room for the list's only."""
        touche = self.app.touche
        actions = [f"{touche('propositions.vue')} autre vue"]
        if self.check_action("retirer", ()):
            actions += [f"{touche('propositions.retirer')} retirer",
                        f"{touche('propositions.remettre')} remettre",
                        f"{touche('propositions.appliquer')} appliquer"]
        actions.append(f"{touche('propositions.recalculer')} recalculer")
        return " · ".join(actions)

    def _detail(self, vue: VueDecision | VueAesh | VuePial) -> Text:
        session = self.app.session_ouverte
        assert self.plan is not None
        texte = Text()
        if isinstance(vue, VueDecision):
            for l in self._lignes(vue.lignes):
                texte.append(f"← {propre(session.nom_aesh_de_mission(l.mission_id))} "
                             f"({propre(l.mission_id)}) · {heures(l.heures)} · "
                             f"{_dates(l)} · {nombre(l.distance_km, 1)} km\n")
            if vue.periode_apres:
                texte.append("Sur la période, après le plan : ")
                texte.append(" ; ".join(_segment(seg) for seg in vue.periode_apres))
                texte.append(".\n")
            assert self.plan is not None
            retirees = [l for l in self.plan.lignes
                        if l.id in self.sans and vue.decision_id in l.decision_ids]
            if retirees:
                texte.append(f"{_n(len(retirees), 'proposition')} retirée{'s' if len(retirees) > 1 else ''} "
                             f"({heures(sum(l.heures for l in retirees))}) : la frise « Après » est "
                             f"sans {'elles' if len(retirees) > 1 else 'elle'} "
                             f"({self.app.touche('propositions.remettre')} pour remettre).\n")
            n = vue.non_couvert
            if n is not None:
                # A partial cover says its hours in the message already.
                avec = " avec le plan calculé" if retirees else ""
                texte.append(f"Non couvert{avec} : " if n.couvertes > 0
                             else f"Non couvert{avec} ({heures(n.manquantes)}) : ", style="bold")
                texte.append(f"{propre(n.message)}\nÀ faire : {propre(n.conseil)}.")
            texte.rstrip()
            return texte if texte.plain else Text("Aucune proposition.")
        if isinstance(vue, VueAesh):
            avant, apres = len(vue.etablissements_avant), len(vue.etablissements_apres)
            texte.append(f"{propre(vue.nom)} : {heures(self._heures(vue.lignes))} proposées, "
                         f"{nombre(vue.km_heures)} km×h, établissements {avant} → {apres}\n")
            for l in self._lignes(vue.lignes):
                # The établissement last: what a narrow screen may cut.
                texte.append(f"{propre(l.mission_id)} → {self._eleves(l)} · {heures(l.heures)} · "
                             f"{_dates(l)} · {nombre(l.distance_km, 1)} km · "
                             f"{propre(session.nom_etablissement(l.uai))}\n")
            texte.rstrip()
            return texte
        texte.append(f"{propre(vue.nom)} : {_n(len(vue.lignes), 'proposition')}, "
                     f"{heures(vue.heures_proposees)} par semaine, "
                     f"{_n(vue.non_couverts, 'besoin')} non couvert{'s' if vue.non_couverts > 1 else ''}.")
        if vue.mise_en_oeuvre_avant is not None:
            texte.append(f"\nMise en œuvre de ses décisions individuelles (heures notifiées en "
                         f"place) : {_avant_apres(vue)} avec ces propositions.")
        return texte

    def _lignes(self, idents: Collection[str]) -> list[Ligne]:
        """The plan's lines of a row of a view."""
        plan = self.plan
        assert plan is not None
        return [l for i in idents if (l := plan.ligne(i)) is not None]

    def _heures(self, idents: Collection[str]) -> float:
        return sum(l.heures for l in self._lignes(idents))

    def _eleves(self, ligne: Ligne) -> str:
        dep = self.app.session_ouverte.dep
        noms = []
        for d in ligne.decision_ids:
            decision = dep.decisions.get(d)
            eleve = dep.eleves.get(decision.eleve_id) if decision else None
            noms.append(f"{eleve.nom} {eleve.prenom}" if eleve else d)
        return propre(", ".join(noms))

    # -- columns -------------------------------------------------------------------------
    def _large(self) -> bool:
        return self.app.size.width >= LARGE

    def _largeur_frise(self) -> int:
        return 24 if self._large() else 14

    def _colonnes_decision(self) -> list[Colonne]:
        def frise(f):
            def cellule(v: VueDecision, largeur: int) -> list[Segment]:
                return segments_frise(f(v), largeur, self.app.today, not self.app.no_color)
            return cellule

        return [
            Colonne("eleve", "Élève", 20, lambda v: v.eleve),
            Colonne("avant", "Avant", self._largeur_frise(), lambda v: v.avant.priorite,
                    texte=lambda v: "", cellule=frise(lambda v: v.avant), decroissant_d_abord=True),
            Colonne("apres", "Après", self._largeur_frise(), lambda v: v.apres.priorite,
                    texte=lambda v: "", cellule=frise(lambda v: v.apres), decroissant_d_abord=True),
            Colonne("heures", "Proposé", 7, lambda v: self._heures(v.lignes),
                    texte=lambda v: heures(self._heures(v.lignes)) if v.lignes else "—",
                    alignement="droite"),
            Colonne("non_couvert", "Non couvert", 17,
                    lambda v: MOTIFS_COURTS.get(v.non_couvert.motif, v.non_couvert.motif)
                    if v.non_couvert else ""),
            Colonne("motif", "Pourquoi", 46, lambda v: v.non_couvert.message if v.non_couvert else "",
                    visible=self._large()),
            Colonne("decision", "Décision", 10, lambda v: v.decision_id, visible=self._large()),
        ]

    def _colonnes_aesh(self) -> list[Colonne]:
        def barre_de(quand: str):
            def cellule(v: VueAesh, largeur: int) -> list[Segment]:
                return segments_barre(self._occupation(v, quand), largeur, self.app.today,
                                      not self.app.no_color)
            return cellule

        return [
            Colonne("aesh", "AESH", 20, lambda v: v.nom),
            Colonne("avant", "Occup. avant", self._largeur_frise(), lambda v: None,
                    texte=lambda v: "", cellule=barre_de("avant")),
            Colonne("apres", "Après", self._largeur_frise(), lambda v: None, texte=lambda v: "",
                    cellule=barre_de("apres")),
            Colonne("heures", "Proposé", 7, lambda v: self._heures(v.lignes),
                    texte=lambda v: heures(self._heures(v.lignes)), alignement="droite"),
            Colonne("km", "km×h", 7, lambda v: v.km_heures, texte=lambda v: nombre(v.km_heures),
                    alignement="droite"),
            Colonne("etablissements", "Étab.", 6, lambda v: len(v.etablissements_apres),
                    texte=lambda v: f"{len(v.etablissements_avant)}→{len(v.etablissements_apres)}"),
            Colonne("identifiant", "Identifiant", 12, lambda v: v.aesh_id, visible=self._large()),
        ]

    def _occupation(self, vue: VueAesh, quand: str) -> Occupation:
        """The first mission's occupation over the plan's period (the detail
        names every mission)."""
        assert self.plan is not None
        p = self.plan.periode
        if not vue.missions:
            return Occupation(p.debut, p.fin, (), 0.0)
        m = vue.missions[0]
        mission = self.app.session_ouverte.mission(m.mission_id)
        volume = mission.volume if mission is not None else 0.0
        return Occupation(p.debut, p.fin, m.avant if quand == "avant" else m.apres, volume)

    def _colonnes_pial(self) -> list[Colonne]:
        large = self._large()  # at 80 columns, narrower names: the mise en œuvre fits
        return [
            Colonne("pial", "PIAL", 30 if large else 20, lambda v: v.nom),
            Colonne("uai", "UAI", 9, lambda v: v.pial_uai or "hors PIAL"),
            Colonne("lignes", "Propositions" if large else "Prop.", 12 if large else 5,
                    lambda v: len(v.lignes), texte=lambda v: entier(len(v.lignes)),
                    alignement="droite"),
            Colonne("heures", "Heures", 8, lambda v: v.heures_proposees,
                    texte=lambda v: heures(v.heures_proposees), alignement="droite"),
            Colonne("non_couverts", "Non couverts" if large else "Non couv.", 12 if large else 9,
                    lambda v: v.non_couverts,
                    texte=lambda v: entier(v.non_couverts), alignement="droite"),
            Colonne("mise_en_oeuvre", "Mise en œuvre", 15, lambda v: v.mise_en_oeuvre_apres,
                    texte=_avant_apres, alignement="droite"),
        ]

    # -- actions -------------------------------------------------------------------------
    def action_retour(self) -> None:
        if self._calcul is not None and not self._calcul.is_finished:
            self._calcul.cancel()  # it stops at its next step, then Annule
            self.query_one("#propositions-etape", Static).update("Arrêt du calcul…")
        else:
            self.dismiss()

    def action_vue_suivante(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        ordre = [v for v, _ in VUES]
        switcher.current = ordre[(ordre.index(switcher.current or ordre[0]) + 1) % len(ordre)]
        self._liste().focus()
        self._detailler()

    def action_retirer(self) -> None:
        liste = self._liste()
        rangs = liste.selection() or [l for l in [liste.ligne_courante()] if l is not None]
        retirees = frozenset(i for v in rangs for i in v.lignes) - self.sans
        if not retirees:
            self.notify("Aucune proposition à retirer sur cette ligne.", severity="warning")
            return
        self._retraits.append(retirees)
        liste.action_vider_selection()
        self._revoir(self.sans | retirees)

    def action_remettre(self) -> None:
        if not self._retraits:
            self.notify("Aucune proposition retirée à remettre.", severity="warning")
            return
        self._revoir(self.sans - self._retraits.pop())

    def _revoir(self, sans: frozenset[str]) -> None:
        self.sans = sans
        self.query_one("#propositions-resume", Static).update(self._resume())
        self._travail_vues(sans)

    @work(thread=True, exclusive=True, group="propositions-vues")
    def _travail_vues(self, sans: frozenset[str]) -> None:
        assert self.plan is not None
        vues = self.app.session_ouverte.vues_propositions(self.plan, sans)
        if not get_current_worker().is_cancelled:
            self.post_message(VuesPretes(vues, sans))

    def on_vues_pretes(self, message: VuesPretes) -> None:
        if message.sans == self.sans:  # the last removal's, not an earlier one's
            self.vues = message.vues
            self._montrer()

    def action_recalculer(self) -> None:
        if not self.sans:
            self._calculer()
            return
        n = len(self.sans)

        def repondu(oui: bool | None) -> None:
            if oui:
                self._calculer()

        # A new plan has lines of its own: what was removed is forgotten.
        self.app.push_screen(Confirmation(
            "Recalculer le plan",
            [f"Le plan sera calculé à nouveau : {_n(n, 'proposition')} retirée{'s' if n > 1 else ''} "
             "ne pourr" + ("ont" if n > 1 else "a") + " plus être remise" + ("s" if n > 1 else "")
             + " (Ctrl+Z), et le nouveau plan les proposera peut-être encore."],
            oui="Recalculer"), repondu)

    def action_appliquer(self) -> None:
        session = self.app.session_ouverte
        try:
            session.exiger_gestionnaire()
        except PermissionRefusee as exc:
            self.notify(f"Application impossible : {exc}", severity="error", markup=False)
            return
        if self.perime:  # known already: no question whose answer would be refused
            self.notify(self._perime(), severity="error", timeout=15, markup=False)
            return
        gardees = self.lignes_gardees()
        if not gardees:
            self.notify("Aucune proposition à appliquer.", severity="warning")
            return
        plan = self.plan
        assert plan is not None
        n = len(gardees)
        lignes = [f"{entier(n)} accompagnement{'s' if n > 1 else ''} ser{'ont' if n > 1 else 'a'} "
                  f"créé{'s' if n > 1 else ''} ({heures(sum(l.heures for l in gardees))} par semaine), "
                  "en une seule transaction :"]
        for l in gardees[:LIGNES_CONFIRMATION]:
            lignes.append(f"• {self._eleves(l)} ← {propre(session.nom_aesh_de_mission(l.mission_id))}, "
                          f"{heures(l.heures)}, {_dates(l)}")
        if n > LIGNES_CONFIRMATION:
            lignes.append(f"… et {entier(n - LIGNES_CONFIRMATION)} autres (voir les vues).")
        lignes.append("Chacun est journalisé et l'ERSEH prévenue, comme une création à la main. "
                      "Si les données ont changé depuis le calcul, rien n'est écrit.")

        def repondu(oui: bool | None) -> None:
            if oui and self.plan is plan:
                self._application = True
                self.refresh_bindings()
                self._appliquer(plan, self.sans)

        self.app.push_screen(Confirmation("Appliquer les propositions", lignes, oui="Appliquer"),
                             repondu)

    @work(thread=True, exclusive=True, group="propositions-application")
    def _appliquer(self, plan: Plan, sans: frozenset[str]) -> None:
        try:
            crees = self.app.session_ouverte.appliquer_propositions(plan, sans)
        except StaleWriteError:
            self.post_message(Refuse(self._perime(), True))
            return
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.post_message(Refuse(f"Rien n'a été écrit : {exc}", False))
            return
        self.post_message(Applique(len(crees)))

    def _perime(self) -> str:
        return ("Rien n'a été écrit : les données ont changé depuis le calcul des propositions "
                f"(une autre session a écrit). {self.app.touche('propositions.recalculer')} pour "
                "les recalculer.")

    def on_applique(self, message: Applique) -> None:
        self.app.signal_donnees.publish(None)  # every screen repaints: the frises turn green
        n = message.nombre
        self.dismiss()
        self.app.notify(f"Propositions appliquées : {entier(n)} accompagnement{'s' if n > 1 else ''} "
                        f"créé{'s' if n > 1 else ''}.", title="Propositions", timeout=10, markup=False)

    def on_refuse(self, message: Refuse) -> None:
        self._application = False
        if message.perime:
            self.perime = True
            self.query_one("#propositions-resume", Static).update(self._resume())
        self.refresh_bindings()
        self.notify(propre(message.message), severity="error", timeout=15, markup=False)

    @on(ListeDonnees.LigneChoisie)
    def _ouvrir(self, event: ListeDonnees.LigneChoisie) -> None:
        if isinstance(event.ligne, VueDecision):
            from .decision import DetailDecision

            self.app.push_screen(DetailDecision(event.ligne.decision_id))
        elif isinstance(event.ligne, VueAesh):
            from .dossier_aesh import DossierAesh

            self.app.push_screen(DossierAesh(event.ligne.aesh_id))
        elif isinstance(event.ligne, VuePial) and self.plan is not None:
            if event.ligne.pial_uai is None:
                self.notify("Hors PIAL : ces établissements n'ont pas de détail de PIAL (leurs "
                            "décisions sont dans la vue par décision).", markup=False)
                return
            from .detail_pial import DetailPial

            self.app.push_screen(DetailPial(event.ligne.pial_uai,
                                            annee_scolaire(self.plan.periode.debut)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("vue_suivante", "recalculer"):
            return self.plan is not None
        if action in ("retirer", "remettre", "appliquer"):
            # A superviseur consults: nothing to remove or apply.
            return (self.plan is not None and not self._application
                    and self.app.session_ouverte.saisie_permise)
        return True

    def donnees_rechargees(self) -> None:
        # The plan is kept as computed; applying it now would be refused.
        if self.plan is not None and self.plan.changements != self.app.session_ouverte.dep.changements:
            self.perime = True
            self.query_one("#propositions-resume", Static).update(self._resume())
