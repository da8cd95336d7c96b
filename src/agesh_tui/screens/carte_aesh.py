"""Carte des AESH d'un PIAL (guide §9.5 « Positionnements géographiques des
AESH »): where the AESH live around the tête de PIAL — those affectés to the
PIAL for the year and those free nearby —, the établissements of the PIAL,
a scale in km. A cursor goes from AESH to AESH, nearest first (→ ↓ Tab,
← ↑ Maj+Tab); the line under the map names the one chosen: commune,
distance to the tête, free hours. Opened from the PIAL's detail (c)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.vues_carte import AFFECTE, CartePial
from ..engine.calendrier import libelle_annee
from ..engine.nombres import heures, nombre
from ..engine.texte import propre
from ..widgets.carte import CarteAeshWidget, legende
from .base import EcranMenu


class CarteAesh(EcranMenu):
    MENU = "pial"
    AIDE = (
        "Carte des AESH du PIAL : ★ la tête de PIAL, ▲ ses établissements, ● les AESH dont une "
        "mission est affectée au PIAL pour l'année, ○ les AESH disponibles à proximité (mission "
        "accompagnante active, non affectée, des heures libres, dans la distance maximale des "
        "propositions), placés à leur résidence. → ↓ ou Tab : l'AESH suivant (du plus proche au "
        "plus loin), ← ↑ ou Maj+Tab : le précédent ; + et - zooment autour de la tête de PIAL ; "
        "la ligne sous la carte dit son nom, sa commune, sa distance à la tête de PIAL et ses heures libres aujourd'hui. Échap revient "
        "au PIAL."
    )
    BINDINGS = [
        Binding("right,down,tab", "suivant", "AESH suivant", key_display="→", id="carte.suivant"),
        Binding("left,up,shift+tab", "precedent", "AESH précédent", key_display="←",
                id="carte.precedent"),
        Binding("plus", "zoom(1)", "Zoom avant", key_display="+", id="carte.zoom_avant"),
        Binding("minus", "zoom(-1)", "Zoom arrière", key_display="-", id="carte.zoom_arriere"),
        Binding("escape", "retour", "Retour au PIAL", id="carte.retour"),
    ]
    CSS_PATH = "carte_aesh.tcss"

    def __init__(self, pial_uai: str, annee: int):
        super().__init__()
        self.pial_uai = pial_uai
        self.annee = annee
        self.carte: CartePial | None = None

    def contenu(self) -> ComposeResult:
        # Mounted at once, filled when the view comes (the view walks every
        # mission, 0.1 s on demo L: a worker): no widget mounted nor focus
        # moved later, which would lay out the footer again.
        yield Static(Text(f"Carte des AESH du PIAL {propre(self.pial_uai)} en préparation…"),
                     id="carte-titre")
        yield CarteAeshWidget(None, id="carte")
        yield Static(id="carte-info")
        yield Static(Text(legende(couleurs=not self.app.no_color)), id="carte-legende")

    @work(thread=True, exclusive=True, group="carte-aesh")
    def _preparer(self) -> None:
        carte = self.app.session_ouverte.carte_pial(self.pial_uai, self.annee)
        self.app.call_from_thread(self._prete_a_dessiner, carte)

    def _prete_a_dessiner(self, carte: CartePial | None) -> None:
        widget = self.query_one(CarteAeshWidget)
        avant = widget.aesh_choisi()
        self.carte = widget.carte = carte
        titre = self.query_one("#carte-titre", Static)
        if carte is None:
            titre.update(Text(f"Le PIAL {propre(self.pial_uai)} n'existe pas dans les données."))
            widget.display = self.query_one("#carte-legende").display = False
            return
        titre.update(self._titre(carte))
        ids = [a.aesh_id for a in carte.aesh]
        widget.curseur = ids.index(avant) if avant in ids else 0
        widget.refresh()
        self.call_after_refresh(self._info)  # once drawn: whether the AESH is on the map

    def _titre(self, carte: CartePial) -> Text:
        affectes = sum(a.statut == AFFECTE for a in carte.aesh)
        titre = Text(f"Carte des AESH — PIAL {carte.nom} ({carte.pial_uai}) · "
                     f"{libelle_annee(carte.annee)}", style="bold")
        titre.append(f"\n{affectes} AESH du PIAL, {len(carte.aesh) - affectes} disponibles à "
                     f"moins de {nombre(carte.distance_max_km)} km")
        if carte.sans_position:
            titre.append(f" · {carte.sans_position} AESH du PIAL sans adresse localisée")
        return titre

    def on_mount(self) -> None:
        self.query_one(CarteAeshWidget).focus()
        self._preparer()

    @property
    def info(self) -> str:
        """The line under the map (tests)."""
        return str(self.query_one("#carte-info", Static).render())

    def _info(self) -> None:
        carte = self.carte
        if carte is None:
            return
        infos = self.query("#carte-info")
        if not infos:
            return
        if not carte.aesh:
            infos.first(Static).update(Text("Aucun AESH du PIAL ni disponible à proximité."))
            return
        widget = self.query_one(CarteAeshWidget)
        i = widget.curseur
        a = carte.aesh[i]
        statut = "affecté au PIAL" if a.statut == AFFECTE else "disponible"
        infos.first(Static).update(Text(
            f"{i + 1}/{len(carte.aesh)} · {a.nom} · {a.commune or 'commune inconnue'} · "
            f"{nombre(a.distance_km, 1)} km de la tête · {heures(a.heures_libres)} libres · "
            f"{statut}" + ("" if widget.sur_la_carte(i) else
                           f" · hors de la carte : {self.app.touche('carte.zoom_arriere')} pour "
                           "l'y voir")))

    def _deplacer(self, pas: int) -> None:
        for widget in self.query(CarteAeshWidget):
            widget.curseur += pas
        self._info()

    def action_suivant(self) -> None:
        self._deplacer(1)

    def action_precedent(self) -> None:
        self._deplacer(-1)

    def action_zoom(self, pas: int) -> None:
        for widget in self.query(CarteAeshWidget):
            widget.zoom += pas
        self.call_after_refresh(self._info)  # once drawn at the new scale

    def action_retour(self) -> None:
        self.dismiss(None)

    def donnees_rechargees(self) -> None:
        self._preparer()
