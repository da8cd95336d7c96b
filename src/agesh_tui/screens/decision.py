"""Détail d'une décision (guide §6, §11.1): the élève, the décision and its
frise across the width with the dates, the accompagnements that implement
it, the élève's scolarités, décisions and proches."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ..api.vues_decision import FicheDecision
from ..engine.calendrier import format_date
from ..engine.modele.model import LIBELLES_ETAT_DOSSIER
from ..widgets.affichage import (
    TYPES_DECISION,
    distance,
    heures,
    nom_prenom,
    nombre,
    periode,
    pourcent,
    propre,
    texte,
)
from ..widgets.frise import ASPECTS, Frise, aspect_segment, segments_frise
from .base import EcranMenu

LARGEUR_PETITE_FRISE = 24


# Columns that never wrap (dates, numbers, short words): the long names wrap instead.
SANS_COUPURE = {"", "Période", "Heures", "Distance", "Type", "Couverture", "Mise en œuvre",
                "UAI", "Décision", "Téléphone", "Classe"}
# Narrower than this, a column that wraps folds its words into slivers.
LARGEUR_LISIBLE = 14
# SIMPLE_HEAD without edges: a divider and two padding cells between columns.
ECART_COLONNES = 3


def _largeur(cellule: Text) -> int:
    return max(cell_len(ligne) for ligne in cellule.plain.split("\n"))


class Tableau:
    """A table where it fits readably, else one label/value block per row
    (80 columns): the unbreakable columns at their widest plus
    ``LARGEUR_LISIBLE`` cells for each other one must fit the width; squeezed
    below that, names folded into 1 to 3 characters a line. Chosen at each
    render, so a resized terminal switches. ``titre``: the columns that head
    a block, the others are its labelled lines."""

    def __init__(self, *colonnes: str, titre: tuple[str, ...]) -> None:
        self.colonnes = colonnes
        self.titre = titre
        self.lignes: list[tuple[Text, ...]] = []

    def add_row(self, *cellules: Text) -> None:
        self.lignes.append(cellules)

    def largeur_lisible(self) -> int:
        total = ECART_COLONNES * (len(self.colonnes) - 1)
        for j, colonne in enumerate(self.colonnes):
            plus_large = max([cell_len(colonne), *(_largeur(l[j]) for l in self.lignes)])
            total += plus_large if colonne in SANS_COUPURE else min(plus_large, LARGEUR_LISIBLE)
        return total

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.largeur_lisible():
            yield self._table()
        else:
            yield from self._blocs()

    def _table(self) -> Table:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        for colonne in self.colonnes:
            table.add_column(colonne, overflow="fold", no_wrap=colonne in SANS_COUPURE)
        for ligne in self.lignes:
            table.add_row(*ligne)
        return table

    def _blocs(self) -> RenderResult:
        for ligne in self.lignes:
            marque = Text()  # the "" column (« ▶ », a frise glyph): before the title
            parties: list[Text] = []
            lignes = Table.grid(padding=(0, 2))
            lignes.add_column(style="bold", no_wrap=True)
            lignes.add_column(overflow="fold")
            for colonne, cellule in zip(self.colonnes, ligne):
                if not cellule.plain:
                    continue
                if colonne == "":
                    marque = cellule + " "
                elif colonne in self.titre:
                    parties.append(cellule)
                else:
                    lignes.add_row(Text(colonne), cellule)
            yield Text.assemble(marque, Text(" · ").join(parties), style="bold")
            yield Padding(lignes, (0, 0, 0, 2))


def _titre(titre: str) -> Text:
    return Text(titre, style="bold underline")


def bloc_scolarites(scolarites, titre: str = "Scolarités") -> Group:
    """The élève's scolarités (ScolariteVue), shared with the dossier élève."""
    if not scolarites:
        return Group(_titre(titre), Text("Aucune scolarité saisie par l'ERSEH."))
    table = Tableau("Établissement", "UAI", "Classe", "Période", titre=("Établissement",))
    for vue in scolarites:
        s = vue.scolarite
        table.add_row(texte(vue.etablissement or "établissement inconnu"), texte(s.uai),
                      texte(s.classe), Text(periode(s.debut, s.fin)))
    return Group(_titre(titre), table)


def bloc_proches(proches) -> Group:
    """The élève's proches; None: the base could not be read (shared with
    the dossier élève)."""
    if proches is None:
        return Group(_titre("Proches"), Text("Proches indisponibles : la base est occupée, "
                                             "rouvrez le détail dans un instant."))
    if not proches:
        return Group(_titre("Proches"), Text("Aucun proche renseigné."))
    table = Tableau("Nom", "Prénom", "Lien", "Téléphone", "Courriel", titre=("Nom", "Prénom"))
    for p in proches:
        table.add_row(texte(p.nom), texte(p.prenom), texte(p.lien), texte(p.telephone), texte(p.mail))
    return Group(_titre("Proches"), table)


def _marques(previsionnel: bool, maintien: bool, anomalie: bool) -> Text:
    """Modifiers as words with their icons: readable without colour."""
    mots = []
    if previsionnel:
        mots.append("📅 prévisionnel")
    if maintien:
        mots.append("🔗 maintien")
    if anomalie:
        mots.append("! anomalie")
    return Text(" · ".join(mots))


class DetailDecision(EcranMenu):
    MENU = "accueil"
    AIDE = (
        "Détail d'une décision : l'élève, la frise de mise en œuvre (couleurs et caractères : "
        "voir la légende ci-dessous), les accompagnements, les scolarités, les décisions et "
        "les proches de l'élève. ↑ ↓ pour défiler, Échap pour revenir à la liste."
    )
    BINDINGS = [Binding("escape", "retour", "Retour à la liste", id="decision.retour")]
    CSS_PATH = "decision.tcss"

    def __init__(self, decision_id: str):
        super().__init__()
        self.decision_id = decision_id
        self._fiche: FicheDecision | None = None  # what the screen shows

    def contenu(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield from self._sections()

    def _sections(self) -> ComposeResult:
        fiche = self._fiche = self.app.session_ouverte.fiche_decision(self.decision_id)
        if fiche is None:
            # Reloaded meanwhile, and another session removed it.
            yield Static(f"La décision {propre(self.decision_id)} n'existe plus dans les données "
                         "rechargées.", classes="detail-titre", markup=False)
            return
        decision, eleve, frise = fiche.decision, fiche.eleve, fiche.frise
        nom = nom_prenom(eleve) if eleve else propre(decision.eleve_id)

        yield Static(Text(f"Décision {propre(decision.id)} — {nom}", style="bold"),
                     classes="detail-titre")
        with Horizontal(id="detail-haut"):
            yield Static(self._eleve(eleve, decision), classes="detail-bloc")
            yield Static(self._decision(decision, frise), classes="detail-bloc")
        yield Frise(frise, self.app.today, fin_decision=decision.fin, id="frise-detail")
        yield Static(self._periodes(frise), classes="detail-bloc")
        yield Static(self._accompagnements(fiche), classes="detail-bloc")
        yield Static(self._scolarites(fiche), classes="detail-bloc")
        yield Static(self._decisions_eleve(fiche), classes="detail-bloc")
        yield Static(self._proches(fiche), classes="detail-bloc")

    # -- sections --------------------------------------------------------------
    def _eleve(self, eleve, decision) -> Group:
        grille = Table.grid(padding=(0, 2))
        grille.add_column(style="bold")
        grille.add_column()
        if eleve is None:
            grille.add_row("Identifiant", texte(decision.eleve_id))
            grille.add_row("Dossier", Text("élève introuvable dans la base"))
        else:
            grille.add_row("Identifiant", texte(eleve.id))
            grille.add_row("Nom", texte(eleve.nom))
            grille.add_row("Prénom", texte(eleve.prenom))
            grille.add_row("Date de naissance", Text(format_date(eleve.date_naissance) or "—"))
            etat = LIBELLES_ETAT_DOSSIER.get(eleve.etat_dossier, eleve.etat_dossier)
            grille.add_row("État du dossier", Text(propre(etat), style="" if etat == "actif" else "bold"))
            grille.add_row("Structure de soin", texte(eleve.structure_soin or "aucune"))
        return Group(_titre("Élève"), grille)

    def _decision(self, decision, frise) -> Group:
        grille = Table.grid(padding=(0, 2))
        grille.add_column(style="bold")
        grille.add_column()
        grille.add_row("Type", Text(TYPES_DECISION.get(decision.type, propre(decision.type))))
        if decision.individuelle:
            grille.add_row("Heures notifiées", Text(heures(decision.heures) + " par semaine"))
        grille.add_row("Origine", texte(decision.origine))
        grille.add_row("Nature", texte(decision.nature))
        grille.add_row("Période", Text(periode(decision.debut, decision.fin)))
        grille.add_row("Couverture", Text(pourcent(frise.couverture)))
        priorite = "—" if frise.priorite is None else nombre(frise.priorite, 2)
        grille.add_row("Priorité", Text(f"{priorite} (0 = complète, 1 = rien de mis en œuvre)"))
        return Group(_titre("Décision et mise en œuvre"), grille)

    def _periodes(self, frise) -> Tableau:
        table = Tableau("", "Période", "État", "Heures", titre=("Période",))
        for seg in frise.segments:
            aspect = aspect_segment(seg)
            glyphe = Text(aspect.glyphe * 2, style=aspect.couleur.code if aspect.couleur else "")
            # The marks under the state they hide on the frise (one column less at 80).
            etat = Text(ASPECTS[seg.etat].sens(couleurs=not self.app.no_color))
            marques = _marques(seg.previsionnel, seg.maintien, seg.anomalie)
            if marques:
                etat.append("\n")
                etat.append_text(marques)
            table.add_row(glyphe, Text(periode(seg.debut, seg.fin)), etat,
                          Text(heures(seg.heures) if seg.heures else ""))
        return table

    def _accompagnements(self, fiche) -> Group:
        if not fiche.accompagnements:
            return Group(_titre("Accompagnements"),
                         Text("Aucun accompagnement n'est mis en œuvre pour cette décision."))
        table = Tableau("AESH", "Mission", "Établissement", "Période", "Heures", "Distance",
                        "Type", titre=("AESH",))
        for vu in fiche.accompagnements:
            acc, mission, aesh = vu.acc, vu.mission, vu.aesh
            nom_aesh = nom_prenom(aesh) if aesh else "AESH introuvable"
            if aesh is not None and not aesh.actif:
                nom_aesh += " [I]"
            nature = (f"{propre(mission.id)} {propre(mission.nature)} {heures(mission.volume)}"
                      if mission else propre(acc.mission_id))
            genre = Text("individualisé" if vu.individualise
                         else f"mutualisé ({len(acc.decision_ids)})")
            marques = _marques(vu.previsionnel, acc.maintien, bool(vu.incoherences))
            if marques:
                genre.append("\n")
                genre.append_text(marques)
            table.add_row(
                Text(nom_aesh), Text(nature), texte(vu.etablissement),
                Text(f"{format_date(acc.debut)} → {format_date(acc.fin)}"),
                Text(heures(acc.heures)), Text(distance(vu.distance_km)), genre,
            )
        lignes: list = [_titre("Accompagnements"), table]
        for vu in fiche.accompagnements:
            for inc in vu.incoherences:
                lignes.append(Text(f"! {propre(vu.acc.id)} — incohérence {inc.type} : "
                                   f"{propre(inc.detail)}"))
        return Group(*lignes)

    def _scolarites(self, fiche) -> Group:
        return bloc_scolarites(fiche.scolarites)

    def _decisions_eleve(self, fiche) -> Group:
        table = Tableau("", "Décision", "Type", "Heures", "Période", "Mise en œuvre", "Couverture",
                        titre=("Décision", "Type", "Heures"))
        for d, f in fiche.decisions_eleve:
            barre = Text()
            for seg in segments_frise(f, LARGEUR_PETITE_FRISE, self.app.today):
                barre.append(seg.text, seg.style)
            table.add_row(
                Text("▶" if d.id == fiche.decision.id else ""), texte(d.id),
                Text(TYPES_DECISION.get(d.type, propre(d.type))), Text(heures(d.heures)),
                Text(periode(d.debut, d.fin)), barre, Text(pourcent(f.couverture)),
            )
        return Group(_titre("Décisions de l'élève"), table)

    def _proches(self, fiche) -> Group:
        return bloc_proches(fiche.proches)

    # -- actions -----------------------------------------------------------------
    def action_retour(self) -> None:
        self.dismiss()

    def donnees_rechargees(self) -> None:
        self.suivre_fiche(self.app.session_ouverte.fiche_decision(self.decision_id), self._fiche,
                          "Cette décision n'existe plus après le rechargement.")
