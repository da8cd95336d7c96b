"""Détail d'un PIAL (SPEC F11, guide §9.1–9.4) for a school year, in three
sections: the missions affectées (change the volume, remove, after
confirmation), the missions disponibles (filters « accompagnant » and
nature, nearest to the tête de PIAL first, occupation bar) with
« Affecter », and the décisions d'accompagnement of the PIAL (Entrée: the
décision's detail; « Créer un accompagnement » on the selection). Writes are
the gestionnaire's: a superviseur consults, the keys are not offered."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ..api.erreurs import PermissionRefusee, RegleRefusee, StaleWriteError, StoreError
from ..api.vues_accueil import LigneDecision
from ..api.vues_pial import AffectationDuPial, FichePial, MissionDisponible, MissionPial
from ..engine.calendrier import format_date, libelle_annee
from ..widgets.affichage import distance, entier, heures, periode, pourcent, propre
from ..widgets.barre_occupation import segments_barre
from ..widgets.choix_filtres import ChoixFiltres
from ..widgets.etat_liste import EtatListe
from ..widgets.filtres import Filtre
from ..widgets.liste import Colonne, ListeDonnees
from .accueil import colonne_mise_en_oeuvre
from .base import EcranMenu
from .confirmation import Confirmation
from .missions import occupation_de
from .saisie_volume import SaisieVolume

OUI_NON = ("oui", "non")
# The sections: (pane id, list id, title)
AFFECTEES, DISPONIBLES, DECISIONS = "pial-affectees", "pial-disponibles", "pial-decisions"


@dataclass
class FicheChargee(Message):
    fiche: FichePial | None


class DetailPial(EcranMenu):
    MENU = "pial"
    AIDE = (
        "Détail d'un PIAL pour une année scolaire, en trois sections (m, d, e ou un clic sur "
        "l'onglet). Missions affectées : v change le volume horaire affecté (par exemple de 22 h "
        "à 20 h), Suppr retire la mission du PIAL après confirmation. Missions disponibles : les "
        "missions des bases RH qui ont encore des heures à affecter cette année ; f choisit les "
        "filtres (« Accompagnant », nature du support), la colonne Distance (de la résidence de "
        "l'AESH à la tête de PIAL) trie les plus proches d'abord ; a affecte la mission choisie "
        "(le volume proposé est le maximum encore disponible). Décisions : Entrée ouvre la "
        "décision, Espace en sélectionne, n crée un accompagnement. g ouvre la carte des AESH, "
        "p les propositions d'affectation. « Mise en œuvre » : la part des heures notifiées de ses "
        "décisions individuelles qui est en place sur l'année affichée (leur couverture pondérée par leurs heures, "
        "plafonnée à 100 % chacune) ; des accompagnements créés la font monter, alors que la "
        "couverture moyenne du tableau des PIAL (moyens ÷ besoin) ne suit que les missions "
        "affectées. Échap revient à la liste des PIAL."
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour", id="detail_pial.retour"),
        Binding("m", "section('pial-affectees')", "Affectées", id="detail_pial.affectees"),
        Binding("d", "section('pial-disponibles')", "Disponibles", id="detail_pial.disponibles"),
        Binding("e", "section('pial-decisions')", "Décisions", id="detail_pial.decisions"),
        Binding("v", "changer_volume", "Changer le volume", id="detail_pial.volume"),
        Binding("delete", "retirer", "Retirer", id="detail_pial.retirer"),
        Binding("a", "affecter", "Affecter", id="detail_pial.affecter"),
        Binding("f", "filtres", "Filtres", id="detail_pial.filtres"),
        Binding("n", "creer_accompagnement", "Créer un accompagnement",
                id="detail_pial.creer_accompagnement"),
        Binding("g", "carte", "Carte des AESH", show=False, id="detail_pial.carte"),
        Binding("p", "propositions", "Propositions", show=False, id="detail_pial.propositions"),
    ]
    CSS_PATH = "detail_pial.tcss"

    def __init__(self, pial_uai: str, annee: int):
        super().__init__()
        self.pial_uai = pial_uai
        self.annee = annee
        self._fiche: FichePial | None = None

    def contenu(self) -> ComposeResult:
        session = self.app.session_ouverte
        # Asked before the widgets mount: computed meanwhile, its answer
        # handled after on_mount, the lists there to take it.
        self._calculer()
        yield Static(Text.assemble(
            ("PIAL ", "bold"), (propre(session.nom_etablissement(self.pial_uai)), "bold"),
            f" ({propre(self.pial_uai)}) · année {libelle_annee(self.annee)}"),
            id="pial-entete")
        yield Static("Calcul des missions et des décisions du PIAL…", id="pial-resume",
                     markup=False)
        with TabbedContent(id="pial-sections"):
            with TabPane("Missions affectées", id=AFFECTEES):
                yield self._touches(("detail_pial.volume", "changer le volume"),
                                    ("detail_pial.retirer", "retirer"))
                yield ListeDonnees(self._colonnes_affectees(), cle_ligne=lambda v: v.affectation.id,
                                   id="liste-affectees")
            with TabPane("Missions disponibles", id=DISPONIBLES):
                yield self._touches(("detail_pial.affecter", "affecter"),
                                    ("detail_pial.filtres", "filtres"))
                liste = ListeDonnees(self._colonnes_disponibles(), cle_ligne=lambda v: v.id,
                                     filtres=self._filtres_disponibles(), id="liste-disponibles")
                liste.restaurer({"tri": [["distance", "asc"]]})  # the nearest first (guide §9.4)
                yield liste
                yield EtatListe(("mission", "missions"), True, id="etat-disponibles")
            with TabPane("Décisions", id=DECISIONS):
                yield self._touches(("detail_pial.creer_accompagnement",
                                     "créer un accompagnement (Espace : sélectionner)"))
                yield ListeDonnees(self._colonnes_decisions(), cle_ligne=lambda l: l.id,
                                   id="liste-decisions")

    def _touches(self, *actions: tuple[str, str]) -> Static:
        """The section's keys in a line (the footer, at 80 columns, shows the list's first).
        A superviseur consults: the writes are not offered, so not named."""
        if self.app.session_ouverte.profil != "gestionnaire":
            actions = tuple(a for a in actions if a[0] == "detail_pial.filtres")
            texte = "Consultation (profil Superviseur AESH) · Entrée : ouvrir"
        else:
            texte = "Entrée : ouvrir"
        for ident, libelle in actions:
            texte += f" · {self.app.touche(ident)} : {libelle}"
        return Static(Text(texte), classes="pial-touches")

    @on(ListeDonnees.AffichageModifie, "#liste-disponibles")
    def _etat_disponibles(self) -> None:
        self.query_one("#etat-disponibles", EtatListe).actualiser(self._liste(DISPONIBLES))

    def on_mount(self) -> None:
        self.query_one("#liste-affectees", ListeDonnees).focus()

    # -- the data: off the event loop ----------------------------------------------------
    @work(thread=True, exclusive=True, group="detail-pial")
    def _calculer(self) -> None:
        fiche = self.app.session_ouverte.fiche_pial(self.pial_uai, self.annee)
        if not get_current_worker().is_cancelled:
            self.post_message(FicheChargee(fiche))

    def on_fiche_chargee(self, message: FicheChargee) -> None:
        fiche = self._fiche = message.fiche
        resume = self.query_one("#pial-resume", Static)
        if fiche is None:
            resume.update(Text(f"{propre(self.pial_uai)} n'est plus un établissement tête de "
                               "PIAL dans les données rechargées."))
            return
        self.query_one("#liste-affectees", ListeDonnees).definir_lignes(fiche.affectees)
        self.query_one("#liste-disponibles", ListeDonnees).definir_lignes(fiche.disponibles)
        self.query_one("#liste-decisions", ListeDonnees).definir_lignes(fiche.decisions)
        resume.update(self._resume(fiche))
        onglets = self.query_one(TabbedContent)
        for pane, titre, n in ((AFFECTEES, "Missions affectées", len(fiche.affectees)),
                               (DISPONIBLES, "Missions disponibles", len(fiche.disponibles)),
                               (DECISIONS, "Décisions", len(fiche.decisions))):
            onglets.get_tab(pane).label = f"{titre} ({entier(n)})"
        self.refresh_bindings()

    def _resume(self, fiche: FichePial) -> Text:
        individuelles = [l for l in fiche.decisions if l.decision.individuelle]
        volume = sum(v.affectation.volume for v in fiche.affectees)
        resume = Text(f"{fiche.commune + ' · ' if fiche.commune else ''}"
                      f"{len(fiche.membres)} établissement(s) · ")
        resume.append(f"{len(individuelles)} décision(s) individuelle(s) "
                      f"({heures(sum(l.heures or 0 for l in individuelles))}), "
                      f"{len(fiche.decisions) - len(individuelles)} mutualisée(s) · "
                      f"{len(fiche.affectees)} mission(s) affectée(s), {heures(volume)}")
        if fiche.mise_en_oeuvre is not None:
            resume.append(f" · mise en œuvre {pourcent(fiche.mise_en_oeuvre)}")
        return resume

    def donnees_rechargees(self) -> None:
        self._calculer()

    # -- columns -------------------------------------------------------------------------
    def _barre(self, ligne: MissionPial, largeur: int) -> list[Segment]:
        # Computed for the rows painted only (a list holds thousands).
        complete = self.app.session_ouverte.occupation_mission(ligne.id)
        if complete is None:
            return [Segment(" " * largeur)]
        return segments_barre(occupation_de(complete), largeur, self.app.today)

    def _colonnes_affectees(self) -> list[Colonne]:
        return [
            Colonne("nom", "AESH", 20, lambda v: v.ligne.nom),
            Colonne("volume", "Affecté", 7, lambda v: v.affectation.volume,
                    texte=lambda v: heures(v.affectation.volume), alignement="droite"),
            Colonne("nature", "Nature", 6, lambda v: v.ligne.nature),
            Colonne("periode", "Période", 21, lambda v: v.affectation.debut,
                    texte=lambda v: f"{format_date(v.affectation.debut)}–"
                                    f"{format_date(v.affectation.fin)}"),
            Colonne("occupation", "Occupation", 16, lambda v: v.ligne.heures_aujourdhui,
                    texte=lambda v: "", cellule=lambda v, l: self._barre(v.ligne, l)),
            Colonne("mission", "Mission", 7, lambda v: v.ligne.volume,
                    texte=lambda v: heures(v.ligne.volume), alignement="droite"),
            Colonne("contrat", "Contrat", 7, lambda v: v.ligne.contrat),
            Colonne("id", "Affectation", 14, lambda v: v.affectation.id, visible=False),
        ]

    def _colonnes_disponibles(self) -> list[Colonne]:
        return [
            Colonne("nom", "AESH", 20, lambda v: v.ligne.nom),
            Colonne("distance", "Distance", 10, lambda v: v.distance,
                    texte=lambda v: distance(v.distance), alignement="droite"),
            Colonne("disponible", "Dispo.", 7, lambda v: v.disponible,
                    texte=lambda v: heures(v.disponible), alignement="droite"),
            Colonne("nature", "Nature", 6, lambda v: v.ligne.nature),
            Colonne("occupation", "Occupation", 16, lambda v: v.ligne.heures_aujourdhui,
                    texte=lambda v: "", cellule=lambda v, l: self._barre(v.ligne, l)),
            Colonne("volume", "Volume", 7, lambda v: v.ligne.volume,
                    texte=lambda v: heures(v.ligne.volume), alignement="droite"),
            Colonne("contrat", "Contrat", 7, lambda v: v.ligne.contrat),
            Colonne("commune", "Commune", 14, lambda v: v.ligne.commune),
            Colonne("employeur", "Établissement employeur", 25, lambda v: v.ligne.employeur),
            Colonne("id", "Mission", 10, lambda v: v.id, visible=False),
        ]

    def _filtres_disponibles(self) -> list[Filtre]:
        return [
            Filtre("accompagnant", "Accompagnant (peut porter des accompagnements d'élèves)",
                   "choix", lambda v: "oui" if v.ligne.accompagnant else "non", choix=OUI_NON,
                   court="accompagnant", propose=True, defaut=["oui"]),
            Filtre("nature", "Nature du support", "choix", lambda v: v.ligne.nature,
                   court="nature", propose=True),
            Filtre("contrat", "Type de contrat", "choix", lambda v: v.ligne.contrat,
                   court="contrat"),
        ]

    def _colonnes_decisions(self) -> list[Colonne]:
        return [
            Colonne("nom", "Élève", 22, lambda l: l.nom),
            Colonne("type", "Type", 12, lambda l: l.type),
            Colonne("heures", "Heures", 6, lambda l: l.heures, texte=lambda l: heures(l.heures),
                    alignement="droite"),
            # What a plan applied from here changes: seen where it was applied.
            colonne_mise_en_oeuvre(self.app.session_ouverte, self.app.today),
            Colonne("debut", "Début", 10, lambda l: l.debut, texte=lambda l: format_date(l.debut)),
            Colonne("fin", "Fin", 10, lambda l: l.fin, texte=lambda l: format_date(l.fin)),
            Colonne("etablissements", "Établissement(s)", 30,
                    lambda l: ", ".join(l.etablissements)),
            Colonne("id", "Décision", 10, lambda l: l.id, visible=False),
        ]

    # -- which section, which row --------------------------------------------------------
    @property
    def section(self) -> str:
        return self.query_one(TabbedContent).active

    def action_section(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        self._liste(pane).focus()
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    def _onglet(self) -> None:
        self.refresh_bindings()

    def _liste(self, pane: str) -> ListeDonnees:
        return self.query_one(f"#{pane.replace('pial-', 'liste-')}", ListeDonnees)

    def _courante(self, pane: str):
        return self._liste(pane).ligne_courante()

    # -- missions affectées ---------------------------------------------------------------
    def action_changer_volume(self) -> None:
        vue: AffectationDuPial | None = self._courante(AFFECTEES)
        if vue is None:
            self.notify("Aucune mission affectée choisie.", severity="warning")
            return
        a = vue.affectation
        lignes = [f"{vue.ligne.nom}, mission {a.mission_id} ({vue.ligne.nature}, "
                  f"{heures(vue.ligne.volume)}), affectée {heures(a.volume)} "
                  f"{periode(a.debut, a.fin)}.",
                  f"Nouveau volume horaire hebdomadaire ({heures(vue.maximum)} au plus) :"]

        def saisi(volume: float | None) -> None:
            if volume is not None and volume != a.volume:
                self._ecrire("Volume modifié", "Volume non modifié",
                             lambda s: s.modifier_volume_affectation(a.id, a.version, volume),
                             f"Affectation de {vue.ligne.nom} : {heures(volume)} au lieu de "
                             f"{heures(a.volume)}.")

        self.app.push_screen(SaisieVolume("Changer le volume affecté", lignes, a.volume), saisi)

    def action_retirer(self) -> None:
        vue: AffectationDuPial | None = self._courante(AFFECTEES)
        if vue is None:
            self.notify("Aucune mission affectée choisie.", severity="warning")
            return
        a = vue.affectation
        lignes = [f"La mission {a.mission_id} de {vue.ligne.nom} ({heures(a.volume)} "
                  f"{periode(a.debut, a.fin)}) ne sera plus affectée au PIAL "
                  f"{propre(self._nom_pial())} pour {libelle_annee(a.annee)}.",
                  "Ses accompagnements restent ; la mission redevient disponible."]

        def repondu(oui: bool | None) -> None:
            if oui:
                self._ecrire("Affectation retirée", "Rien n'a été retiré",
                             lambda s: s.retirer_affectation(a.id, a.version),
                             f"La mission {a.mission_id} de {vue.ligne.nom} n'est plus affectée "
                             "au PIAL.")

        self.app.push_screen(Confirmation("Retirer une mission du PIAL", lignes, oui="Retirer"),
                             repondu)

    # -- missions disponibles -------------------------------------------------------------
    def action_affecter(self) -> None:
        vue: MissionDisponible | None = self._courante(DISPONIBLES)
        if vue is None:
            self.notify("Aucune mission disponible choisie.", severity="warning")
            return
        lignes = [f"{vue.ligne.nom}, mission {vue.id} ({vue.ligne.nature}, "
                  f"{heures(vue.ligne.volume)}), au PIAL {propre(self._nom_pial())} "
                  f"{periode(vue.debut_affectation, vue.fin_affectation)}.",
                  f"Volume horaire hebdomadaire à affecter ({heures(vue.disponible)} au plus) :"]

        def saisi(volume: float | None) -> None:
            if volume is not None:
                self._ecrire("Mission affectée", "Affectation refusée",
                             lambda s: s.affecter_mission(vue.id, self.pial_uai, self.annee,
                                                          volume),
                             f"{vue.ligne.nom} ({vue.id}) affecté au PIAL pour {heures(volume)}.")

        self.app.push_screen(SaisieVolume("Affecter au PIAL", lignes, vue.disponible), saisi)

    def action_filtres(self) -> None:
        liste = self._liste(DISPONIBLES)

        def appliquer(parametres: dict | None) -> None:
            if parametres is not None:
                liste.appliquer_filtres(parametres)

        self.app.push_screen(ChoixFiltres(liste.filtres, liste.parametres_filtres, liste.lignes,
                                          today=self.app.today), appliquer)

    # -- décisions -------------------------------------------------------------------------
    @on(ListeDonnees.LigneChoisie, "#liste-decisions")
    def _ouvrir_decision(self, event: ListeDonnees.LigneChoisie) -> None:
        from .decision import DetailDecision

        self.app.push_screen(DetailDecision(event.ligne.id))

    @on(ListeDonnees.LigneChoisie, "#liste-affectees")
    @on(ListeDonnees.LigneChoisie, "#liste-disponibles")
    def _ouvrir_mission(self, event: ListeDonnees.LigneChoisie) -> None:
        from .detail_mission import DetailMission

        self.app.push_screen(DetailMission(event.ligne.ligne.id))

    def action_creer_accompagnement(self) -> None:
        from .formulaire_accompagnement import FormulaireAccompagnement

        liste = self._liste(DECISIONS)
        lignes: list[LigneDecision] = liste.selection() or (
            [liste.ligne_courante()] if liste.ligne_courante() is not None else [])
        if not lignes:
            self.notify("Aucune décision choisie.", severity="warning")
            return
        try:
            prop = self.app.session_ouverte.proposer_accompagnement([l.id for l in lignes])
        except (RegleRefusee, PermissionRefusee) as exc:
            self.notify(f"Création impossible : {propre(str(exc))}", severity="error", timeout=10,
                        markup=False)
            return
        par_id = {l.id: l for l in lignes}
        noms = [par_id[i].nom for i in prop.decision_ids]
        self.app.push_screen(FormulaireAccompagnement(prop, noms))

    # -- the other engineers' screens ----------------------------------------------------------
    def action_carte(self) -> None:
        from .carte_aesh import CarteAesh

        self.app.push_screen(CarteAesh(self.pial_uai, self.annee))

    def action_propositions(self) -> None:
        from .propositions import ouvrir_propositions_pial

        ouvrir_propositions_pial(self.app, self.pial_uai)

    def action_retour(self) -> None:
        self.dismiss()

    # -- writes ------------------------------------------------------------------------------
    def _nom_pial(self) -> str:
        return self.app.session_ouverte.nom_etablissement(self.pial_uai) or self.pial_uai

    @work(thread=True, exclusive=True, group="detail-pial-ecriture")
    def _ecrire(self, titre: str, echec: str, commande, texte: str) -> None:
        session = self.app.session_ouverte
        try:
            commande(session)
        except StaleWriteError as exc:
            self.app.call_from_thread(
                self._dire, f"{echec} : {propre(str(exc))} ({self.app.touche('app.recharger')} "
                            "recharge les données.)", echec, "error")
            return
        except (RegleRefusee, PermissionRefusee, StoreError) as exc:
            self.app.call_from_thread(self._dire, f"{echec} : {propre(str(exc))}", echec, "error")
            return
        self.app.call_from_thread(self._fait, texte, titre)

    def _fait(self, texte: str, titre: str) -> None:
        self.app.signal_donnees.publish(None)  # the table and this detail follow
        self._dire(texte, titre)

    def _dire(self, texte: str, titre: str, severite: str = "information") -> None:
        self.notify(texte, title=titre, severity=severite, timeout=12, markup=False)  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ecritures = {"changer_volume": AFFECTEES, "retirer": AFFECTEES, "affecter": DISPONIBLES,
                     "creer_accompagnement": DECISIONS}
        if action in ecritures:
            # The gestionnaire's (a superviseur consults), in its section.
            return (self.app.session_ouverte.profil == "gestionnaire"
                    and self._section_sure() == ecritures[action])
        if action == "filtres":
            return self._section_sure() == DISPONIBLES
        return True

    def _section_sure(self) -> str | None:
        try:
            return self.section
        except NoMatches:  # before the tabs are mounted
            return None
