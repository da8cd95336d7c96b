"""ListeDonnees: the list behind Accueil, AESH, Missions and Accompagnements.

Textual's DataTable measures every cell when rows are added and is refilled
on every filter (seconds at 25 000 rows, see DESIGN.md). This list keeps the
rows outside the widget, works on lists of row indices (sort, filters,
search never rebuild anything) and paints only the visible lines with the
Line API (``render_line``), with fixed column widths.

Tools of the guide (§4): columns shown or hidden, filters, full-text search
over every column (words combined with AND, case and accents folded), sort by
one or several columns (▲/▼ and the rank in the header), multi-selection.
Everything from data is painted as plain segments, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..engine.calendrier import format_date
from ..engine.texte import nettoyer, replier
from .filtres import Filtre, Predicat, parametres_initiaux, predicats_filtres

Alignement = Literal["gauche", "droite"]

# Two cells on the left, never scrolled: the cursor mark and the selection
# mark, so that both read without colour (NO_COLOR, 16 colours over SSH).
MARQUE_CURSEUR = "›"
MARQUE_SELECTION = "✓"
LARGEUR_MARQUES = 2


@lru_cache(maxsize=1 << 16)
def plier(texte: str) -> str:
    """``replier`` with a fast path: folding ASCII text is lower-casing it.
    Cached, because lists repeat the same établissements, types and dates."""
    return texte.lower() if texte.isascii() else replier(texte)


def texte_par_defaut(valeur: object) -> str:
    """How a value reads when the column gives no ``texte``."""
    if valeur.__class__ is str:  # the common case first: lists paint it a lot
        return valeur
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, date):
        return format_date(valeur)
    if isinstance(valeur, float):
        return f"{valeur:g}".replace(".", ",")
    return str(valeur)


def ajuster(texte: str, largeur: int, alignement: Alignement = "gauche") -> str:
    """``texte`` in exactly ``largeur`` cells: padded, or cut with « … »."""
    if largeur <= 0:
        return ""
    longueur = len(texte) if texte.isascii() else cell_len(texte)
    if longueur > largeur:
        coupe = set_cell_size(texte, largeur - 1).rstrip()
        return ajuster(coupe + "…", largeur, alignement)
    marge = " " * (largeur - longueur)
    return marge + texte if alignement == "droite" else texte + marge


@dataclass
class BottesPretes(Message):
    """The search haystacks built in a thread for the rows of ``generation``
    (or the exception a faulty column raised)."""

    bubble = False
    generation: int
    resultat: list[str] | Exception


@dataclass
class LignesPreparees(Message):
    """New rows with what their display waits for, computed in a thread:
    the sort keys of the slow columns of the current sorts and, when a
    search is typed, the haystacks (or the exception a faulty column raised)."""

    bubble = False
    jeton: int
    lignes: list
    resultat: tuple[dict[str, list], list[str] | None] | Exception


@dataclass
class ClesPretes(Message):
    """The sort keys of slow columns computed in a thread."""

    bubble = False
    generation: int
    colonnes: list[Colonne]
    resultat: dict[str, list] | Exception


@dataclass(frozen=True, slots=True)
class Colonne:
    """One column: ``valeur`` is what sorts (None last in both directions),
    ``texte`` what is shown and searched (default: the value as text),
    ``cle_tri`` overrides the sort key, ``cellule`` paints pre-styled
    segments of exactly ``largeur`` cells (the frise). ``lente``: the sort
    key is slow to compute (a frise per row), so a sort by this column
    computes the keys in a thread before it applies. ``decroissant_d_abord``:
    the first sort by this column is ▼ (« Mise en œuvre »: the highest
    priority, what needs work, first)."""

    cle: str
    titre: str
    largeur: int
    valeur: Callable[[Any], object]
    texte: Callable[[Any], str] | None = None
    cle_tri: Callable[[Any], object] | None = None
    visible: bool = True
    alignement: Alignement = "gauche"
    cellule: Callable[[Any, int], list[Segment]] | None = None
    lente: bool = False
    decroissant_d_abord: bool = False

    def afficher(self, ligne: Any) -> str:
        """The displayed text, cleaned of control characters."""
        brut = self.texte(ligne) if self.texte is not None else texte_par_defaut(self.valeur(ligne))
        return nettoyer(brut)


class ListeDonnees(ScrollView, can_focus=True, inherit_bindings=False):
    """A fast list of rows kept outside the widget (see the module doc)."""

    AIDE = (
        "Liste : ↑ ↓ Page préc. Page suiv. Début Fin pour se déplacer, Entrée pour ouvrir la ligne. "
        "Espace sélectionne ou désélectionne la ligne (✓), Ctrl+A sélectionne toutes les lignes "
        "affichées, Échap vide la sélection. ← → choisissent une colonne (titre souligné) : s la trie "
        "(▲ croissant, encore : ▼ décroissant), S l'ajoute aux tris (▲, ▼, puis retirée) ; "
        "un clic sur un titre trie, Maj+clic ajoute."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "ligne(-1)", "Ligne précédente", show=False, id="liste.ligne_precedente"),
        Binding("down", "ligne(1)", "Ligne suivante", show=False, id="liste.ligne_suivante"),
        Binding("pageup", "page(-1)", "Page précédente", show=False, id="liste.page_precedente"),
        Binding("pagedown", "page(1)", "Page suivante", show=False, id="liste.page_suivante"),
        Binding("home,ctrl+home", "premiere", "Première ligne", show=False, id="liste.premiere"),
        Binding("end,ctrl+end", "derniere", "Dernière ligne", show=False, id="liste.derniere"),
        Binding("left", "colonne(-1)", "Colonne précédente", show=False, id="liste.colonne_precedente"),
        Binding("right", "colonne(1)", "Colonne suivante", show=False, id="liste.colonne_suivante"),
        Binding("enter", "choisir", "Ouvrir", id="liste.ouvrir"),
        Binding("space", "basculer", "Sélectionner", id="liste.selectionner"),
        Binding("ctrl+a", "tout_selectionner", "Tout sélectionner", show=False, id="liste.tout_selectionner"),
        Binding("escape", "vider_selection", "Désélectionner", id="liste.deselectionner"),
        Binding("s", "trier", "Trier", id="liste.trier"),
        Binding("S", "ajouter_tri", "Tri secondaire", show=False, id="liste.tri_secondaire"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "liste-donnees--entete",
        "liste-donnees--entete-curseur",
        "liste-donnees--curseur",
        "liste-donnees--selection",
        "liste-donnees--vide",
    }

    DEFAULT_CSS = """
    ListeDonnees {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .liste-donnees--entete {
            text-style: bold;
            background: $panel;
        }
        & > .liste-donnees--entete-curseur {
            text-style: bold underline;
            background: $panel;
        }
        &:focus > .liste-donnees--entete-curseur {
            background: $accent;
            color: $text;
        }
        & > .liste-donnees--curseur {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .liste-donnees--curseur {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .liste-donnees--selection {
            background: $accent 25%;
        }
        & > .liste-donnees--vide {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    class LigneChoisie(Message):
        """Enter (or a click on the current line) on a row."""

        def __init__(self, liste: ListeDonnees, ligne: Any) -> None:
            super().__init__()
            self.liste = liste
            self.ligne = ligne

        @property
        def control(self) -> ListeDonnees:
            return self.liste

    class SelectionModifiee(Message):
        """The multi-selection changed; ``nombre`` rows are selected."""

        def __init__(self, liste: ListeDonnees, nombre: int) -> None:
            super().__init__()
            self.liste = liste
            self.nombre = nombre

        @property
        def control(self) -> ListeDonnees:
            return self.liste

    class AffichageModifie(Message):
        """The rows shown changed (data, search, filters, sort, columns)."""

        def __init__(self, liste: ListeDonnees) -> None:
            super().__init__()
            self.liste = liste

        @property
        def control(self) -> ListeDonnees:
            return self.liste

    class EtatModifie(Message):
        """The user changed what ``etat()`` holds (columns, sorts, filters):
        the screen saves ``etat`` (``screens.preferences.Preferences``)."""

        def __init__(self, liste: ListeDonnees, etat: dict) -> None:
            super().__init__()
            self.liste = liste
            self.etat = etat

        @property
        def control(self) -> ListeDonnees:
            return self.liste

    curseur = reactive(0, repaint=False, init=False)
    """Position of the cursor in the rows shown: set, it is clamped to them
    (``validate_curseur``) and only the old and the new line are repainted
    (``watch_curseur``), Textual DataTable's way."""

    def __init__(
        self,
        colonnes: Sequence[Colonne],
        lignes: Iterable[Any] = (),
        *,
        cle_ligne: Callable[[Any], str],
        filtres: Sequence[Filtre] = (),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.colonnes: tuple[Colonne, ...] = tuple(colonnes)
        self.filtres: tuple[Filtre, ...] = tuple(filtres)
        self._par_cle = {c.cle: c for c in self.colonnes}
        self._visibles = [c for c in self.colonnes if c.visible]
        self._cle_ligne = cle_ligne
        self.colonne_courante = 0
        """Position of the column cursor among the visible columns."""
        self.sur_rendu: Callable[[], None] | None = None
        """Called after each repaint that painted lines (not the compositor
        reusing cached ones): benches measure latency to the screen with it."""
        self._style_base: Style | None = None
        self._lignes_peintes = 0
        self._tris: list[tuple[str, bool]] = []
        self._predicats_externes: dict[str, Predicat] = {}
        self._parametres_filtres: dict = {}
        self._predicats_filtres: dict[str, Predicat] = {}
        self._mots: list[str] = []
        self._texte_recherche = ""
        self._selection: set[str] = set()
        self._generation = 0
        # (generation, haystacks): tagged so that a haystack built in the
        # background for older rows is never used for newer ones.
        self._bottes: tuple[int, list[str]] | None = None
        self._bottes_en_cours: int | None = None  # the generation a worker builds
        self.recherche_en_cours = False
        """The search waits for its haystacks, built in a thread."""
        self.tri_en_cours = False
        """The sort waits for the keys of a slow column, computed in a thread."""
        self._cles_en_cours: set[str] = set()
        self._garder_apres_tri: str | None = None
        # The rows given last to definir_lignes: new rows prepared in a
        # thread replace the shown ones only if none came after them.
        self._jeton_lignes = 0
        self._charger(list(lignes))
        if self.filtres:
            self._poser_filtres(parametres_initiaux(self.filtres))
        self._recalculer()

    # -- data ------------------------------------------------------------------
    def _charger(self, lignes: list, garder: str | None = None,
                 cles_tri: dict[str, list] | None = None, bottes: list[str] | None = None) -> None:
        """``cles_tri`` and ``bottes``: computed beforehand for these rows."""
        self._generation += 1
        self._lignes = lignes
        self._cles = [self._cle_ligne(r) for r in lignes]
        self._index_cles = {cle: i for i, cle in enumerate(self._cles)}
        self._cles_tri_cache: dict[str, list] = dict(cles_tri or {})
        self._cles_en_cours = set()
        if bottes is not None:
            self._bottes = (self._generation, bottes)
        self._ordre = list(range(len(lignes)))
        self._ordonner(garder)
        self._ok_filtres = self._evaluer_filtres()
        self._affiches: list[int] = []

    def definir_lignes(self, lignes: Iterable[Any]) -> None:
        """Replace the rows (a reload); search, filters, sorts and the
        selection (by row key) are kept; the cursor stays on the same row
        when it is still there (else at the same place), on the same line
        of the view: the scroll follows it.

        Shown, the list never goes through a state the user did not ask
        for: when the new rows are to be sorted by a slow column, or
        searched, the keys and the haystacks are computed in a thread first,
        the old rows shown meanwhile; the new ones then replace them at once."""
        lignes = list(lignes)
        self._jeton_lignes += 1
        lentes = [self._par_cle[cle] for cle, _ in self._tris if self._par_cle[cle].lente]
        if not (self.is_mounted and self._lignes and lignes and (lentes or self._mots)):
            self._remplacer_lignes(lignes)
            return
        jeton, colonnes, chercher = self._jeton_lignes, self.colonnes, bool(self._mots)

        def preparer() -> None:
            try:
                resultat: tuple[dict[str, list], list[str] | None] | Exception = (
                    {c.cle: cles_de_tri(c, lignes) for c in lentes},
                    construire_bottes(colonnes, lignes) if chercher else None,
                )
            except Exception as exc:  # a faulty column: the usual way reports it
                resultat = exc
            self.post_message(LignesPreparees(jeton, lignes, resultat))

        self.run_worker(preparer, thread=True, group="lignes", exit_on_error=False)

    def on_lignes_preparees(self, message: LignesPreparees) -> None:
        if message.jeton != self._jeton_lignes:
            return  # newer rows came meanwhile
        if isinstance(message.resultat, Exception):
            self._remplacer_lignes(message.lignes)
        else:
            self._remplacer_lignes(message.lignes, *message.resultat)

    def _remplacer_lignes(self, lignes: list, cles_tri: dict[str, list] | None = None,
                          bottes: list[str] | None = None) -> None:
        courante, position = self._cle_courante(), self.curseur
        # The cursor's line in the view (0: just under the header).
        x, y = self.scroll_offset
        ligne_vue = position - int(y)
        self._charger(lignes, garder=courante, cles_tri=cles_tri, bottes=bottes)
        presentes = set(self._cles)
        if not self._selection <= presentes:
            self._selection &= presentes
            self.post_message(self.SelectionModifiee(self, len(self._selection)))
        if courante is None or not self.is_mounted:
            self._recalculer(garder=courante)
        else:
            # Rows added or removed above move the cursor's row: the view
            # moves as much, so that the rows on screen stay in place.
            self._recalculer(garder=courante, repli=position, vue=(x, ligne_vue))
        if self.is_mounted:
            self.call_after_refresh(self._preparer_bottes)

    def cle_courante(self) -> str | None:
        """The key of the cursor's row (None: no row shown)."""
        return self._cle_courante()

    def placer_sur(self, cle: str) -> bool:
        """Move the cursor to the row of key ``cle`` if it is shown."""
        i = self._index_cles.get(cle)
        if i is None or i not in self._affiches:
            return False
        self.curseur = self._affiches.index(i)
        return True

    @property
    def lignes(self) -> Sequence[Any]:
        """All rows, in the order given."""
        return self._lignes

    @property
    def nombre_total(self) -> int:
        return len(self._lignes)

    @property
    def nombre_affiche(self) -> int:
        return len(self._affiches)

    @property
    def nombre_selectionne(self) -> int:
        return len(self._selection)

    @property
    def colonnes_affichees(self) -> tuple[Colonne, ...]:
        return tuple(self._visibles)

    @property
    def tris(self) -> list[tuple[Colonne, bool]]:
        """The sorts, most significant first: (column, descending)."""
        return [(self._par_cle[cle], desc) for cle, desc in self._tris]

    @property
    def recherche(self) -> str:
        """The search as typed (cleaned)."""
        return self._texte_recherche

    @property
    def parametres_filtres(self) -> dict:
        """The user's filters (JSON-able), see ``filtres.Filtre``."""
        return self._parametres_filtres

    @property
    def filtres_actifs(self) -> list[Filtre]:
        """Filter definitions that currently restrict the rows."""
        return [f for f in self.filtres if f.cle in self._predicats_filtres]

    def ligne_courante(self) -> Any | None:
        if not self._affiches:
            return None
        return self._lignes[self._affiches[self.curseur]]

    def selection(self) -> list[Any]:
        """Selected rows in the current sort order, including rows that the
        search or the filters hide now (the guide's workflow: search a pupil,
        select, search the next one, select…)."""
        if not self._selection:
            return []
        choisies, cles = self._selection, self._cles
        return [self._lignes[i] for i in self._ordre if cles[i] in choisies]

    def lignes_affichees(self) -> list[Any]:
        """The rows shown, in order (exports, tests)."""
        return [self._lignes[i] for i in self._affiches]

    # -- search, filters, sort, columns -------------------------------------------
    def definir_recherche(self, texte: str) -> None:
        """Keep the rows whose text (all columns, shown or not) contains every
        word of ``texte``, case and accents folded."""
        self._texte_recherche = " ".join(nettoyer(texte).split())
        mots = plier(self._texte_recherche).split()
        if mots == self._mots:
            return
        ancienne = " ".join(self._mots)
        # Typing more letters can only narrow the result: scan what is shown.
        affinage = bool(ancienne) and " ".join(mots).startswith(ancienne)
        self._mots = mots
        self._recalculer(garder=self._cle_courante(), affinage=affinage)

    def definir_filtres(self, predicats: dict[str, Predicat]) -> None:
        """Filters set by the screen (e.g. an indicator's « voir le détail »),
        combined with AND with the user's filters; not part of ``etat()``."""
        self._predicats_externes = dict(predicats)
        self._ok_filtres = self._evaluer_filtres()
        self._recalculer(garder=self._cle_courante())

    def appliquer_filtres(self, parametres: dict) -> None:
        """The user's filters, as returned by the Filtres tool."""
        self._poser_filtres(parametres)
        self._recalculer(garder=self._cle_courante())
        self._signaler_etat()

    def _poser_filtres(self, parametres: dict) -> None:
        self._parametres_filtres = parametres
        self._predicats_filtres = predicats_filtres(self.filtres, parametres)
        self._ok_filtres = self._evaluer_filtres()

    def trier(self, cle_colonne: str, descendant: bool = False, ajouter: bool = False) -> None:
        """Sort by a column; ``ajouter`` makes it a further sort after the
        existing ones (shift-click in the guide), or changes its direction."""
        if cle_colonne not in self._par_cle:
            raise KeyError(cle_colonne)
        if not ajouter:
            tris = [(cle_colonne, descendant)]
        else:
            tris = list(self._tris)
            rangs = [cle for cle, _ in tris]
            if cle_colonne in rangs:
                tris[rangs.index(cle_colonne)] = (cle_colonne, descendant)
            else:
                tris.append((cle_colonne, descendant))
        self._definir_tris(tris)

    def _definir_tris(self, tris: list[tuple[str, bool]]) -> None:
        """A new sort shows its first rows: the cursor goes to the top (a
        slow sort keeps the row the user moves to while it computes)."""
        self._tris = tris
        self._ordonner(None)
        self._recalculer()
        self._signaler_etat()

    def colonnes_visibles(self, cles: Iterable[str]) -> None:
        """Show these columns (in the declared order), hide the others."""
        voulues = set(cles)
        visibles = [c for c in self.colonnes if c.cle in voulues]
        if not visibles:
            raise ValueError("au moins une colonne doit rester affichée")
        self._poser_colonnes(visibles)
        self._signaler_etat()

    def _poser_colonnes(self, visibles: list[Colonne]) -> None:
        self._visibles = visibles
        self.colonne_courante = min(self.colonne_courante, len(visibles) - 1)
        self._mettre_a_jour_taille()
        self.refresh()
        self.post_message(self.AffichageModifie(self))

    # -- persisted state --------------------------------------------------------
    def etat(self) -> dict:
        """What the user chose, JSON-able: visible columns, sorts, filters."""
        return {
            "colonnes": [c.cle for c in self._visibles],
            "tri": [[cle, "desc" if desc else "asc"] for cle, desc in self._tris],
            "filtres": self._parametres_filtres,
        }

    def restaurer(self, etat: dict) -> None:
        """Apply a saved ``etat()``. Saved preferences outlive versions:
        unknown columns, sorts or filters are ignored, never an error."""
        if not isinstance(etat, dict):
            return
        cles = etat.get("colonnes")
        colonnes = [c for c in self.colonnes if isinstance(cles, list) and c.cle in cles]
        if colonnes:
            self._poser_colonnes(colonnes)
        tris = [
            (t[0], t[1] == "desc")
            for t in etat.get("tri") or ()
            if isinstance(t, list) and len(t) == 2 and t[0] in self._par_cle and t[1] in ("asc", "desc")
        ]
        if isinstance(etat.get("filtres"), dict) and self.filtres:
            self._poser_filtres(etat["filtres"])
        self._tris = tris
        # A restored list starts on its first line, whatever the sort.
        self._ordonner(None)
        self._recalculer()

    def _signaler_etat(self) -> None:
        self.post_message(self.EtatModifie(self, self.etat()))

    # -- computing what is shown ----------------------------------------------------
    def _cles_tri(self, colonne: Colonne) -> list:
        cles = self._cles_tri_cache.get(colonne.cle)
        if cles is None:
            cles = self._cles_tri_cache[colonne.cle] = cles_de_tri(colonne, self._lignes)
        return cles

    def _cles_manquantes(self) -> list[Colonne]:
        """Slow columns of the sorts whose keys are not computed yet."""
        colonnes = (self._par_cle[cle] for cle, _ in self._tris)
        return [c for c in colonnes if c.lente and c.cle not in self._cles_tri_cache]

    def _ordonner(self, garder: str | None) -> None:
        """``_ordre`` in the sort order. The keys of a slow column are first
        computed in a thread: meanwhile the rows keep their order and the
        status line says « Tri… »; then the cursor goes back to ``garder``."""
        manquantes = self._cles_manquantes()
        self.tri_en_cours = bool(manquantes)
        if not manquantes:
            self._ordre = self._trier_ordre()
            return
        self._garder_apres_tri = garder
        if self.is_mounted:  # else on_mount starts the worker
            self._calculer_cles(manquantes)

    def _calculer_cles(self, colonnes: list[Colonne]) -> None:
        colonnes = [c for c in colonnes if c.cle not in self._cles_en_cours]
        if not colonnes:
            return
        self._cles_en_cours.update(c.cle for c in colonnes)
        generation, lignes = self._generation, self._lignes

        def calculer() -> None:
            try:
                resultat: dict[str, list] | Exception = {
                    c.cle: cles_de_tri(c, lignes) for c in colonnes
                }
            except Exception as exc:  # a faulty column must not end the application
                resultat = exc
            self.post_message(ClesPretes(generation, colonnes, resultat))

        self.run_worker(calculer, thread=True, group="tri", exit_on_error=False)

    def on_cles_pretes(self, message: ClesPretes) -> None:
        generation, colonnes, resultat = message.generation, message.colonnes, message.resultat
        if generation != self._generation:
            return  # keys of replaced rows: the new rows have their own worker
        self._cles_en_cours.difference_update(c.cle for c in colonnes)
        if isinstance(resultat, Exception):
            self.notify(f"Tri impossible : {resultat}", severity="error", markup=False)
            cles = {c.cle for c in colonnes}
            self._tris = [t for t in self._tris if t[0] not in cles]
            self._signaler_etat()
        else:
            self._cles_tri_cache.update(resultat)
        if self.tri_en_cours:
            self._ordonner(self._garder_apres_tri)
            self._recalculer(garder=self._garder_apres_tri)

    def _trier_ordre(self) -> list[int]:
        """All row indices in sort order. Python's sort is stable, so sorting
        by the least significant key first gives the multi-column order."""
        ordre = list(range(len(self._lignes)))
        for cle, descendant in reversed(self._tris):
            cles = self._cles_tri(self._par_cle[cle])
            presents = [i for i in ordre if cles[i] is not None]
            presents.sort(key=cles.__getitem__, reverse=descendant)
            # None last in both directions.
            ordre = presents + [i for i in ordre if cles[i] is None]
        return ordre

    def _evaluer_filtres(self) -> list[bool] | None:
        predicats = [*self._predicats_externes.values(), *self._predicats_filtres.values()]
        if not predicats:
            return None
        lignes = self._lignes
        ok = [bool(v) for v in map(predicats[0], lignes)]
        for predicat in predicats[1:]:
            ok = [o and bool(predicat(r)) for o, r in zip(ok, lignes)]
        return ok

    def _bottes_pretes(self) -> list[str] | None:
        """The haystacks of the rows, or None while a thread builds them:
        once mounted they are never built on the event loop (a second on
        25 000 rows, where every frise is computed for its Couverture)."""
        pretes = self._bottes
        if pretes is not None and pretes[0] == self._generation:
            return pretes[1]
        if self.is_mounted:
            self._preparer_bottes()
            return None
        # Outside an application (tests): nothing to keep responsive.
        bottes = construire_bottes(self.colonnes, self._lignes)
        self._bottes = (self._generation, bottes)
        return bottes

    def _preparer_bottes(self) -> None:
        """Build the search haystacks in a thread after the first paint, so
        that neither the first screen nor the first keystroke waits for them."""
        generation = self._generation
        if self._bottes_en_cours == generation or (
            self._bottes is not None and self._bottes[0] == generation
        ):
            return
        self._bottes_en_cours = generation
        colonnes, lignes = self.colonnes, self._lignes

        def construire() -> None:
            try:
                resultat: list[str] | Exception = construire_bottes(colonnes, lignes)
            except Exception as exc:  # a faulty column must not end the application
                resultat = exc
            self.post_message(BottesPretes(generation, resultat))

        self.run_worker(construire, thread=True, group="bottes", exit_on_error=False)

    def on_bottes_pretes(self, message: BottesPretes) -> None:
        generation, resultat = message.generation, message.resultat
        if generation != self._generation:
            return  # built for rows replaced meanwhile: dropped
        self._bottes_en_cours = None
        if isinstance(resultat, Exception):
            # Said to a user waiting for a search only; the next keystroke
            # tries again.
            if self.recherche_en_cours:
                self.recherche_en_cours = False
                self.notify(f"Recherche impossible : {resultat}", severity="error", markup=False)
                self.post_message(self.AffichageModifie(self))
            return
        self._bottes = (generation, resultat)
        if self.recherche_en_cours:
            self._recalculer(garder=self._cle_courante())

    def _recalculer(self, garder: str | None = None, affinage: bool = False, repli: int = 0,
                    vue: tuple[float, int] | None = None) -> None:
        """What is shown, from the rows, filters, search and sorts. The
        cursor goes to ``garder``'s row, else to line ``repli`` (clamped);
        the view scrolls to show it, or, with ``vue`` = (x, line of the
        view), so that the cursor stays on that line."""
        ok, mots = self._ok_filtres, self._mots
        bottes = self._bottes_pretes() if mots else None
        self.recherche_en_cours = bool(mots) and bottes is None
        if bottes is None:
            # No search, or its haystacks not built yet: the filters alone
            # until they are (on_bottes_pretes applies the search).
            source = self._ordre
            affiches = list(source) if ok is None else [i for i in source if ok[i]]
        else:
            if affinage:
                source, ok = self._affiches, None
            else:
                source = self._ordre
            if len(mots) == 1:
                mot = mots[0]
                if ok is None:
                    affiches = [i for i in source if mot in bottes[i]]
                else:
                    affiches = [i for i in source if ok[i] and mot in bottes[i]]
            else:
                affiches = [
                    i
                    for i in source
                    if (ok is None or ok[i]) and all(m in bottes[i] for m in mots)
                ]
        self._affiches = affiches
        position = max(0, min(repli, len(affiches) - 1))
        if garder in self._index_cles:
            try:
                position = affiches.index(self._index_cles[garder])
            except ValueError:
                pass
        # Every line is repainted below: no need for the watcher's two.
        self.set_reactive(ListeDonnees.curseur, position)
        self._mettre_a_jour_taille()
        if self.is_mounted:
            # Once laid out: a scroll is clamped to the view's former size,
            # and a list that grew would stay at the top, the cursor unseen.
            if vue is None:
                self.call_after_refresh(self._rendre_visible)
            else:
                self.call_after_refresh(self._defiler, vue[0], position - vue[1])
        self.refresh()
        self.post_message(self.AffichageModifie(self))

    def _cle_courante(self) -> str | None:
        if not self._affiches:
            return None
        return self._cles[self._affiches[self.curseur]]

    # -- geometry ------------------------------------------------------------------
    def _largeur_contenu(self) -> int:
        return sum(c.largeur + 1 for c in self._visibles)

    def _mettre_a_jour_taille(self) -> None:
        # One line more than the rows: the header, painted fixed at the top.
        self.virtual_size = Size(
            LARGEUR_MARQUES + self._largeur_contenu(), len(self._affiches) + 1
        )

    def _largeur_vue(self) -> int:
        """The cells the lines get: the scrollbar's are not ours (painting
        ``size.width`` cells hid the last column under it)."""
        return self.scrollable_content_region.width

    def _hauteur_page(self) -> int:
        return max(1, self.size.height - 1)

    def _rendre_visible(self) -> None:
        """Scroll so that the cursor line and the column cursor are shown."""
        hauteur = self._hauteur_page()
        x, y = self.scroll_offset
        if self.curseur < y:
            y = self.curseur
        elif self.curseur >= y + hauteur:
            y = self.curseur - hauteur + 1
        if self._visibles:
            debut = sum(c.largeur + 1 for c in self._visibles[: self.colonne_courante])
            fin = debut + self._visibles[self.colonne_courante].largeur
            vue = max(1, self._largeur_vue() - LARGEUR_MARQUES)
            if debut < x:
                x = debut
            elif fin > x + vue:
                x = fin - vue
        self.scroll_to(x, y, animate=False)

    def _defiler(self, x: float, y: float) -> None:
        self.scroll_to(x, max(0, y), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        self._rendre_visible()

    def on_mount(self) -> None:
        self._mettre_a_jour_taille()
        if self.tri_en_cours:  # a restored sort by a slow column
            self._calculer_cles(self._cles_manquantes())
        self.call_after_refresh(self._preparer_bottes)

    # -- painting ------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style walks the DOM: once per repaint, not per line.
        self._style_base = self.rich_style
        self._lignes_peintes = 0
        strips = super().render_lines(crop)
        self._style_base = None
        if self.sur_rendu is not None and self._lignes_peintes:
            self.sur_rendu()
        return strips

    def render_line(self, y: int) -> Strip:
        self._lignes_peintes += 1
        largeur = self._largeur_vue()
        base = self._style_base or self.rich_style
        if y == 0:
            return self._ligne_entete(largeur, base)
        position = int(self.scroll_offset.y) + y - 1
        if position < len(self._affiches):
            return self._ligne_donnees(position, largeur, base)
        if position == 0:
            return self._ligne_vide(largeur, base)
        return Strip.blank(largeur, base)

    def _ligne_entete(self, largeur: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("liste-donnees--entete")
        style_curseur = base + self.get_component_rich_style("liste-donnees--entete-curseur")
        rangs = {cle: (rang, desc) for rang, (cle, desc) in enumerate(self._tris, 1)}
        plusieurs = len(self._tris) > 1
        segments = []
        for j, colonne in enumerate(self._visibles):
            indicateur = ""
            if colonne.cle in rangs:
                rang, desc = rangs[colonne.cle]
                indicateur = (" ▼" if desc else " ▲") + (str(rang) if plusieurs else "")
            titre = ajuster(colonne.titre, colonne.largeur - len(indicateur), colonne.alignement)
            meta = Style.from_meta({"colonne": j})
            s = (style_curseur if j == self.colonne_courante else style) + meta
            segments.append(Segment(titre + indicateur, s))
            segments.append(Segment(" ", style + meta))
        return self._assembler(segments, [Segment(" " * LARGEUR_MARQUES, style)], largeur, style)

    def _ligne_donnees(self, position: int, largeur: int, base: Style) -> Strip:
        index = self._affiches[position]
        ligne = self._lignes[index]
        choisie = self._cles[index] in self._selection
        style = base
        if choisie:
            style += self.get_component_rich_style("liste-donnees--selection")
        if position == self.curseur:
            style += self.get_component_rich_style("liste-donnees--curseur")
        style += Style.from_meta({"ligne": position})
        segments: list[Segment] = []
        for colonne in self._visibles:
            if colonne.cellule is not None:
                # Pre-styled cells (the frise) keep their colours over the row's.
                segments.extend(
                    Segment(s.text, style + s.style if s.style else style)
                    for s in colonne.cellule(ligne, colonne.largeur)
                )
            else:
                texte = ajuster(colonne.afficher(ligne), colonne.largeur, colonne.alignement)
                segments.append(Segment(texte, style))
            segments.append(Segment(" ", style))
        marques = [
            Segment(MARQUE_CURSEUR if position == self.curseur else " ", style),
            Segment(
                MARQUE_SELECTION if choisie else " ",
                style + Style.from_meta({"ligne": position, "marque": True}),
            ),
        ]
        return self._assembler(segments, marques, largeur, style)

    def _ligne_vide(self, largeur: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("liste-donnees--vide")
        if self._lignes:
            texte = "Aucune ligne : vérifiez les filtres et videz la recherche."
        else:
            texte = "Aucune donnée."
        return Strip([Segment(" " * LARGEUR_MARQUES + texte, style)]).adjust_cell_length(
            largeur, base
        )

    def _assembler(
        self, corps: list[Segment], marques: list[Segment], largeur: int, style: Style
    ) -> Strip:
        """The fixed marks, then the cells scrolled horizontally."""
        x = int(self.scroll_offset.x)
        vue = Strip(corps, self._largeur_contenu()).crop(x, x + largeur - LARGEUR_MARQUES)
        return Strip([*marques, *vue]).adjust_cell_length(largeur, style)

    # -- keys and mouse --------------------------------------------------------------
    def validate_curseur(self, position: int) -> int:
        return max(0, min(position, len(self._affiches) - 1))

    def watch_curseur(self, avant: int, apres: int) -> None:
        if self.tri_en_cours:  # the user moved: the sort keeps their row
            self._garder_apres_tri = self._cle_courante()
        # Data line p is virtual line p + 1 (the header is line 0); a
        # scroll below repaints everything anyway.
        self.refresh_line(avant + 1)
        self.refresh_line(apres + 1)
        self._rendre_visible()

    def _placer_curseur(self, position: int) -> None:
        if self._affiches:
            self.curseur = position

    def action_ligne(self, pas: int) -> None:
        self._placer_curseur(self.curseur + pas)

    def action_page(self, sens: int) -> None:
        self._placer_curseur(self.curseur + sens * self._hauteur_page())

    def action_premiere(self) -> None:
        self._placer_curseur(0)

    def action_derniere(self) -> None:
        self._placer_curseur(len(self._affiches) - 1)

    def action_colonne(self, pas: int) -> None:
        self.colonne_courante = max(0, min(self.colonne_courante + pas, len(self._visibles) - 1))
        self._rendre_visible()
        self.refresh()

    def action_choisir(self) -> None:
        ligne = self.ligne_courante()
        if ligne is not None:
            self.post_message(self.LigneChoisie(self, ligne))

    def action_basculer(self) -> None:
        cle = self._cle_courante()
        if cle is None:
            return
        self._selection.symmetric_difference_update((cle,))
        self.refresh_line(self.curseur + 1)  # only this line's ✓ changed
        self.post_message(self.SelectionModifiee(self, len(self._selection)))

    def action_tout_selectionner(self) -> None:
        self._selection.update(self._cles[i] for i in self._affiches)
        self._selection_modifiee()

    def action_vider_selection(self) -> None:
        self._selection.clear()
        self._selection_modifiee()

    def _selection_modifiee(self) -> None:
        self.refresh()
        self.post_message(self.SelectionModifiee(self, len(self._selection)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape clears a selection; without one it is left to the screen.
        if action == "vider_selection":
            return bool(self._selection)
        return True

    def action_trier(self) -> None:
        """Sort by the column under the column cursor (▲, or ▼ for a column
        that sorts ▼ first); again: the other way."""
        colonne = self._visibles[self.colonne_courante]
        premier = colonne.decroissant_d_abord
        if self._tris == [(colonne.cle, premier)]:
            self.trier(colonne.cle, descendant=not premier)
        else:
            self.trier(colonne.cle, descendant=premier)

    def action_ajouter_tri(self) -> None:
        """Add the column as a further sort: its first direction, then the
        other, then no sort."""
        colonne = self._visibles[self.colonne_courante]
        premier = colonne.decroissant_d_abord
        sens = dict(self._tris)
        if colonne.cle not in sens:
            self.trier(colonne.cle, descendant=premier, ajouter=True)
        elif sens[colonne.cle] == premier:
            self.trier(colonne.cle, descendant=not premier, ajouter=True)
        else:
            self._definir_tris([t for t in self._tris if t[0] != colonne.cle])

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "colonne" in meta:
            # A click on a title sorts like « s »; with shift like « S ».
            self.colonne_courante = meta["colonne"]
            if event.shift:
                self.action_ajouter_tri()
            else:
                self.action_trier()
        elif "ligne" in meta:
            position = meta["ligne"]
            if meta.get("marque"):
                self._placer_curseur(position)
                self.action_basculer()
            elif position == self.curseur:
                self.action_choisir()
            else:
                self._placer_curseur(position)


def cles_de_tri(colonne: Colonne, lignes: Sequence[Any]) -> list:
    # Text sorts alphabetically the French way: « Élodie » with the E.
    return [
        plier(v) if v.__class__ is str else v for v in map(colonne.cle_tri or colonne.valeur, lignes)
    ]


def construire_bottes(colonnes: Sequence[Colonne], lignes: Sequence[Any]) -> list[str]:
    """One folded text per row, all columns shown or not, separated by a
    newline (cleaned texts never hold one, so a word never spans columns)."""
    if not lignes:
        return []
    par_colonne = [[plier(colonne.afficher(r)) for r in lignes] for colonne in colonnes]
    return ["\n".join(textes) for textes in zip(*par_colonne)]
