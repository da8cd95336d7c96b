"""Bench of the Accueil list: ListeDonnees against Textual's stock DataTable.

    python bench/bench_liste.py [--lignes 25000] [--repetitions 5] [--sans-datatable]

Synthetic décisions shaped like the Accueil (13 visible columns, one of them
a 20-cell frise of pre-styled segments, a hidden couverture column). Each
measure runs in a fresh Pilot app and is the latency from the action to the
widget's last repaint (a hook on the widget's ``render_lines`` that counts
only repaints that painted lines, not the compositor reusing the widget's
cached lines), not the ``pilot.press`` wall time, which also waits for the
app to be idle:

- premier affichage: from creating the widget with its rows to the first
  screen (DataTable: mount + add_rows);
- recherche: each keystroke of « dup » in the search bar (ListeDonnees:
  ``definir_recherche``; DataTable: clear + add_rows of the matching rows,
  matched on the same prepared texts);
- tri: « s » on the Nom column (DataTable: ``sort`` on that column).

Prints the medians and the ratios. Preparing the rows (texts for the
DataTable, the frise segments) is not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from time import perf_counter

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from agesh_tui.widgets.liste import Colonne, ListeDonnees, construire_bottes, plier

TAILLE = (160, 48)
LARGEUR_FRISE = 20
NOMS = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS",
        "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "ÉTIENNE",
        "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE"]
PRENOMS = ["Léa", "Hugo", "Chloé", "Louis", "Inès", "Gabriel", "Jade", "Raphaël", "Zoé",
           "Arthur", "Anaïs", "Noé", "Léo", "Manon", "Théo", "Camille", "Maël", "Lucie"]
ETABLISSEMENTS = [f"{t} {n}" for t in ("École", "Collège", "Lycée")
                  for n in ("Jules Ferry", "Anne de Bretagne", "Victor Hugo", "Jean Moulin",
                            "Chateaubriand", "Paul Éluard", "Les Gayeulles", "Bourg-l'Évêque")]
SECTEURS = ["Rennes Nord", "Rennes Sud", "Saint-Malo", "Fougères", "Vitré", "Redon", "Dinard"]
ETATS = [Style(color="#2ea043"), Style(color="#eab308"), Style(color="#dc2626"), Style(color="#e5e5e5")]
GLYPHES = ["█", "▓", "░", "·"]


@dataclass(frozen=True, slots=True)
class Ligne:
    id: str
    eleve_id: str
    nom: str
    type: str
    heures: float | None
    origine: str
    nature: str
    debut: date
    fin: date
    secteur: str
    tete_pial: str
    etablissements: str
    frise: tuple[Segment, ...]
    distance: float | None
    couverture: float | None


def lignes_synthetiques(n: int, graine: int = 2026) -> list[Ligne]:
    hasard = random.Random(graine)
    lignes = []
    for i in range(n):
        individuelle = hasard.random() < 0.6
        debut = date(2024, 9, 1) + timedelta(days=hasard.randrange(900))
        etats = [hasard.randrange(4) for _ in range(3)]
        frise = tuple(
            Segment(GLYPHES[etats[c * 3 // LARGEUR_FRISE]], ETATS[etats[c * 3 // LARGEUR_FRISE]])
            for c in range(LARGEUR_FRISE)
        )
        lignes.append(Ligne(
            id=f"D{i:06d}",
            eleve_id=f"{hasard.randrange(10**9, 10**10)}{hasard.choice('ABCDEFGHJK')}",
            nom=f"{hasard.choice(NOMS)} {hasard.choice(PRENOMS)}",
            type="individuelle" if individuelle else "mutualisée",
            heures=hasard.choice([6, 9, 12, 18, 24]) if individuelle else None,
            origine=hasard.choice(["Première demande", "Réexamen", "GEVASCO réexamen"]),
            nature=hasard.choice(["projet cible", "alternatif"]),
            debut=debut,
            fin=debut + timedelta(days=hasard.randrange(180, 1100)),
            secteur=hasard.choice(SECTEURS),
            tete_pial=hasard.choice(ETABLISSEMENTS),
            etablissements=", ".join(hasard.sample(ETABLISSEMENTS, hasard.choice([1, 1, 1, 2]))),
            frise=frise,
            distance=round(hasard.uniform(0.5, 60), 1) if hasard.random() < 0.8 else None,
            couverture=round(hasard.uniform(0, 120), 1) if hasard.random() < 0.9 else None,
        ))
    return lignes


COLONNES = [
    Colonne("eleve_id", "Identifiant élève", 12, lambda l: l.eleve_id),
    Colonne("nom", "Nom prénom", 24, lambda l: l.nom),
    Colonne("type", "Type", 12, lambda l: l.type),
    Colonne("heures", "Heures", 7, lambda l: l.heures, alignement="droite"),
    Colonne("origine", "Origine", 16, lambda l: l.origine),
    Colonne("nature", "Nature", 12, lambda l: l.nature),
    Colonne("debut", "Début", 10, lambda l: l.debut),
    Colonne("fin", "Fin", 10, lambda l: l.fin),
    Colonne("secteur", "Secteur", 12, lambda l: l.secteur),
    Colonne("tete_pial", "Tête de PIAL", 22, lambda l: l.tete_pial),
    Colonne("etablissements", "Établissement(s)", 30, lambda l: l.etablissements),
    Colonne("frise", "Mise en œuvre", LARGEUR_FRISE, lambda l: l.couverture, texte=lambda l: "",
            cellule=lambda l, largeur: list(l.frise[:largeur])),
    Colonne("distance", "Distance", 9, lambda l: l.distance, alignement="droite"),
    Colonne("couverture", "Couverture", 10, lambda l: l.couverture, visible=False),
]
VISIBLES = [c for c in COLONNES if c.visible]


def cellules_datatable(ligne: Ligne) -> list:
    """What the DataTable is given: the same texts, the frise as rich Text."""
    return [
        Text.assemble(*((s.text, s.style) for s in ligne.frise)) if c.cellule else c.afficher(ligne)
        for c in VISIBLES
    ]


class Chrono:
    """Called by the widget after each repaint."""

    def __init__(self) -> None:
        self.rendus: list[float] = []

    def __call__(self) -> None:
        self.rendus.append(perf_counter())

    def depuis(self, t0: float) -> float:
        apres = [t for t in self.rendus if t >= t0]
        if not apres:
            raise RuntimeError("aucun rendu après l'action")
        return apres[-1] - t0


class TableMesuree(DataTable):
    """DataTable with the same hook as ListeDonnees.sur_rendu: called after
    a repaint that painted lines (not when the compositor reuses its cache)."""

    sur_rendu: Chrono | None = None
    _lignes_peintes = 0

    def render_lines(self, crop):
        self._lignes_peintes = 0
        strips = super().render_lines(crop)
        if self.sur_rendu is not None and self._lignes_peintes:
            self.sur_rendu()
        return strips

    def render_line(self, y):
        self._lignes_peintes += 1
        return super().render_line(y)


class Banc(App):
    """Search bar and a host for the measured widget."""

    CSS = "#hote { height: 1fr; } TableMesuree { height: 1fr; }"
    BINDINGS = [Binding("s", "trier", "Trier")]

    def __init__(self, lignes: list[Ligne], datatable: bool) -> None:
        super().__init__()
        self.animation_level = "none"
        self.lignes = lignes
        self.datatable = datatable
        self.chrono = Chrono()
        self.widget: ListeDonnees | TableMesuree | None = None
        if datatable:
            self.cellules = [cellules_datatable(l) for l in lignes]
            self.bottes = construire_bottes(COLONNES, lignes)

    def compose(self) -> ComposeResult:
        yield Input(id="recherche")
        yield Vertical(id="hote")

    async def monter(self) -> None:
        if self.datatable:
            table = TableMesuree(cursor_type="row")
            table.sur_rendu = self.chrono
            self.widget = table
            await self.query_one("#hote").mount(table)
            for c in VISIBLES:
                table.add_column(c.titre, key=c.cle)
            table.add_rows(self.cellules)
        else:
            liste = ListeDonnees(COLONNES, self.lignes, cle_ligne=lambda l: l.id)
            liste.sur_rendu = self.chrono
            self.widget = liste
            await self.query_one("#hote").mount(liste)

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(self.widget, ListeDonnees):
            self.widget.definir_recherche(event.value)
        elif self.widget is not None:
            mots = plier(event.value).split()
            self.widget.clear()
            self.widget.add_rows(
                c for c, b in zip(self.cellules, self.bottes) if all(m in b for m in mots)
            )

    def action_trier(self) -> None:
        if isinstance(self.widget, TableMesuree):
            self.widget.sort("nom")


async def stabiliser(pilot, chrono: Chrono) -> None:
    """Wait until the widget stops repainting (the DataTable measures its
    rows when idle, after add_rows returned)."""
    avant = -1
    while avant != len(chrono.rendus):
        avant = len(chrono.rendus)
        await pilot.pause(0.1)


async def mesurer(lignes: list[Ligne], datatable: bool) -> dict[str, float]:
    plier.cache_clear()
    app = Banc(lignes, datatable)
    mesures = {}
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.pause()
        t0 = perf_counter()
        await app.monter()
        await stabiliser(pilot, app.chrono)
        mesures["premier affichage"] = app.chrono.depuis(t0)
        if isinstance(app.widget, ListeDonnees):
            # The search haystacks are built in a thread after the first
            # screen: a user does not type within the first second.
            await app.workers.wait_for_complete()
        app.query_one(Input).focus()
        await pilot.pause()
        # « dup » for DUPONT: 24 411, then 16 261, then 963 rows of 25 000.
        for nom, touche in (("recherche « d »", "d"), ("recherche « du »", "u"), ("recherche « dup »", "p")):
            t0 = perf_counter()
            await pilot.press(touche)
            await stabiliser(pilot, app.chrono)
            mesures[nom] = app.chrono.depuis(t0)
        app.query_one(Input).value = ""
        await stabiliser(pilot, app.chrono)
        app.widget.focus()
        if isinstance(app.widget, ListeDonnees):
            await pilot.press("right")  # the column cursor on Nom prénom
        await pilot.pause()
        t0 = perf_counter()
        await pilot.press("s")
        await stabiliser(pilot, app.chrono)
        mesures["tri (Nom prénom)"] = app.chrono.depuis(t0)
    return mesures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lignes", type=int, default=25_000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--sans-datatable", action="store_true")
    args = parser.parse_args()

    lignes = lignes_synthetiques(args.lignes)
    t0 = perf_counter()
    construire_bottes(COLONNES, lignes)
    index = perf_counter() - t0

    resultats: dict[str, dict[str, float]] = {}
    genres = [False] if args.sans_datatable else [False, True]
    for datatable in genres:
        nom = "DataTable" if datatable else "ListeDonnees"
        runs = []
        for r in range(args.repetitions):
            runs.append(asyncio.run(mesurer(lignes, datatable)))
            print(f"{nom} {r + 1}/{args.repetitions}", file=sys.stderr)
        resultats[nom] = {k: statistics.median(run[k] for run in runs) for k in runs[0]}

    print(f"{args.lignes:,}".replace(",", "\u00a0") + f" lignes, {len(VISIBLES)} colonnes affichées, "
          f"médiane de {args.repetitions} mesures, latence jusqu'au dernier rendu (ms)")
    entete = f"{'':28}{'ListeDonnees':>14}"
    if not args.sans_datatable:
        entete += f"{'DataTable':>14}{'rapport':>10}"
    print(entete)
    for mesure, valeur in resultats["ListeDonnees"].items():
        ligne = f"{mesure:28}{valeur * 1000:14.1f}"
        if not args.sans_datatable:
            autre = resultats["DataTable"][mesure]
            ligne += f"{autre * 1000:14.1f}{autre / valeur:9.0f}×"
        print(ligne)
    print(f"{'index de recherche (thread)':28}{index * 1000:14.1f}")


if __name__ == "__main__":
    main()
