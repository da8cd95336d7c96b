"""Aide (« ? »): what the focused element is, the keys that work here, and
the legend of the frise's colours and glyphs."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from ..touches import nom_touche
from ..widgets.frise import NOTE_LEGENDE, legende
from ..widgets.pied import PiedDePage

# French descriptions of Textual's own widgets (ours carry an AIDE attribute).
DESCRIPTIONS = {
    "Input": "Champ de saisie : tapez le texte ; ← → déplacent le curseur, Retour arrière efface.",
    "Button": "Bouton : Entrée ou Espace l'active.",
    "OptionList": "Liste de choix : ↑ ↓ pour se déplacer, Entrée pour choisir.",
    "VerticalScroll": "Zone défilante : ↑ ↓, Page préc. et Page suiv. pour défiler.",
}


def description(widget: Widget | None, screen: Screen) -> str:
    for candidat in (widget, screen):
        if candidat is None:
            continue
        texte = getattr(candidat, "AIDE", "") or DESCRIPTIONS.get(type(candidat).__name__, "")
        if texte:
            return texte
    return "Pas de description pour cet élément."


def _actions_du_projet(node) -> set[str]:
    """Actions bound by this project's classes (not inherited from Textual)."""
    return {
        b.action
        for cls in type(node).__mro__
        if cls.__module__.startswith("agesh_tui")
        for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", ()))
    }


def binding_du_projet(binding, node) -> bool:
    """Textual's hidden bindings have English descriptions: only ours, and
    the ones meant for the footer, are the project's actions (the help and
    the command palette list these)."""
    return bool(binding.description) and (
        binding.show or binding.action in _actions_du_projet(node)
    )


def touches(screen: Screen) -> dict[str, list[tuple[str, str]]]:
    """The active keys of ``screen``, grouped: the focused element, the
    screen, everywhere. Keys of one binding group (the menus) share a line."""
    app = screen.app
    groupes: dict[str, dict[str, list[str]]] = {"Cet élément": {}, "Cet écran": {}, "Partout": {}}
    membres: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if not binding_du_projet(binding, node):
            continue
        groupe = "Partout" if node is app else "Cet écran" if node is screen else "Cet élément"
        quoi = binding.description
        if binding.group is not None:
            membres.setdefault(binding.group.description, []).append(binding.description)
            quoi = binding.group.description
        # The same action on several keys: one line, keys joined.
        cles = groupes[groupe].setdefault(quoi, [])
        if app.get_key_display(binding) not in cles:
            cles.append(app.get_key_display(binding))
    resultat: dict[str, list[tuple[str, str]]] = {}
    for groupe, lignes in groupes.items():
        resultat[groupe] = []
        for quoi, cles in lignes.items():
            if quoi in membres:
                cles = [f"{cles[0]}…{cles[-1]}"] if len(cles) > 1 else cles
                quoi = f"{quoi} : {', '.join(membres[quoi])}"
            resultat[groupe].append((", ".join(cles), quoi))
    # Textual's own focus keys (English descriptions, left out above).
    resultat["Partout"].append((f"{nom_touche('tab')}, {nom_touche('shift+tab')}",
                                "élément suivant, précédent"))
    return resultat


class Aide(ModalScreen[None]):
    AIDE = "Aide : Échap, q ou ? pour revenir."
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Fermer l'aide", id="aide.fermer")]
    CSS_PATH = "aide.tcss"

    def __init__(self, ecran: Screen):
        super().__init__()
        self.ecran = ecran
        self.focalise = ecran.focused

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="aide"):
            yield Static(self._texte(), id="aide-texte")
        yield PiedDePage()

    def _texte(self) -> Group:
        parties: list = [
            Text("Aide", style="bold underline"),
            Text(description(self.focalise, self.ecran)),
        ]
        for groupe, lignes in touches(self.ecran).items():
            if not lignes:
                continue
            parties.append(Text(f"\n{groupe}", style="bold"))
            parties.append(_grille((Text(touche, style="bold"), Text(quoi)) for touche, quoi in lignes))
        parties.append(Text("\nLégende de la frise de mise en œuvre", style="bold"))
        parties.append(Text(
            "La frise couvre toute la période de la décision (échelle propre à chaque "
            "décision) ; chaque état a une couleur et un caractère."
        ))
        parties.append(_grille(
            (Text(glyphe, style=f"bold {couleur.code}" if couleur else "bold"), Text(sens))
            for glyphe, couleur, sens in legende(couleurs=not self.app.no_color)
        ))
        parties.append(Text(f"\n{NOTE_LEGENDE}"))
        return Group(*parties)


def _grille(lignes) -> Padding:
    """Two columns; a long description wraps under itself, not under the key."""
    grille = Table.grid(padding=(0, 2))
    grille.add_column(no_wrap=True, min_width=15)
    grille.add_column()
    for ligne in lignes:
        grille.add_row(*ligne)
    return Padding(grille, (0, 0, 0, 2))
