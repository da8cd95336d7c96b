"""The Filtres dialog (guide §4.3, « paramétrable »): the user checks which
filters a list offers and sets their values (filtres.py defines them). A
long list of values (hundreds of établissements) narrows as one types a
part of a name, a commune or a code (UAI)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Static
from textual.widgets.selection_list import Selection

from ..engine.texte import replier
from .boite_outil import BoiteOutil
from .cases import Case, ListeCases
from .date_saisie import DateSaisie
from .filtres import ANNEE_EN_COURS, Filtre
from .pied import PiedDePage

# More values than this: a field above them narrows the list as one types.
SEUIL_RECHERCHE = 8
# At most this many values shown besides the checked ones (hundreds of
# établissements: nobody scrolls them, and each keystroke rebuilds the list).
LIMITE_AFFICHEE = 40


class ChoixCherchable(Vertical):
    """The values of a ``choix`` filter as check boxes, with the narrowing
    field when there are many: every word typed must be in the value's
    text (accents and case folded). The values checked come first and stay
    checked while the narrowing hides them; of the others at most
    ``LIMITE_AFFICHEE`` show, a last line saying how many more match."""

    AIDE = ("Valeurs du filtre : Espace coche ou décoche ; dans le champ au-dessus, tapez une "
            "partie du nom, de la commune ou du code pour réduire la liste.")

    def __init__(self, valeurs: list[tuple[str, str]], choisis: set[str], *, id: str,
                 id_liste: str) -> None:
        """``valeurs``: (value, text shown), in the order to show them."""
        super().__init__(id=id, classes="choix")
        self.valeurs = valeurs
        self._choisis = set(choisis)
        self._plies = [replier(texte) for _, texte in valeurs]
        self._visibles: list[str] = []
        self._id_liste = id_liste

    def compose(self) -> ComposeResult:
        if len(self.valeurs) > SEUIL_RECHERCHE:
            yield Input(placeholder="Tapez pour réduire : nom, commune ou code…", compact=True,
                        classes="reduire")
        yield ListeCases[str](*self._options(""), id=self._id_liste, compact=True)

    def _options(self, recherche: str) -> list[Selection[str]]:
        """The check boxes for what is typed: the checked values that match,
        then the others, up to the limit."""
        mots = replier(recherche).split()
        trouvees = [vt for vt, plie in zip(self.valeurs, self._plies) if all(m in plie for m in mots)]
        cochees = [vt for vt in trouvees if vt[0] in self._choisis]
        autres = [vt for vt in trouvees if vt[0] not in self._choisis]
        montrees = cochees + autres[:LIMITE_AFFICHEE]
        self._visibles = [v for v, _ in montrees]
        options = [Selection(Text(texte), v, v in self._choisis) for v, texte in montrees]
        reste = len(autres) - LIMITE_AFFICHEE
        if reste > 0:
            options.append(Selection(Text(f"… et {reste} autres : tapez la suite pour réduire",
                                          style="italic"), "", disabled=True))
        return options

    def _retenir(self) -> None:
        """The check boxes shown, into the values checked."""
        liste = self.query_one(ListeCases)
        self._choisis = (self._choisis - set(self._visibles)) | (set(liste.selected) - {""})

    @on(Input.Changed, ".reduire")
    def _reduire(self, event: Input.Changed) -> None:
        event.stop()
        self._retenir()
        options = self._options(event.value)
        liste = self.query_one(ListeCases)
        liste.clear_options()
        liste.add_options(options)
        # As when the list opened: Espace checks the first one shown.
        liste.highlighted = 0 if self._visibles else None

    def choisis(self) -> list[str]:
        """The values checked, in the list's order."""
        self._retenir()
        return [v for v, _ in self.valeurs if v in self._choisis]


class ChoixFiltres(BoiteOutil[dict | None]):
    """Check the filters offered and set their values; returns the new
    JSON-able state (see the module doc), or None when cancelled."""

    AIDE = (
        "Filtres : Espace coche un filtre pour le proposer et montre ses valeurs ; Tab passe aux "
        "valeurs (Espace coche une valeur ; une longue liste se réduit en tapant une partie du "
        "nom, de la commune ou du code ; dans les dates a, z, t, + - > <). Entrée applique, "
        "Échap annule. Une date vide laisse la période ouverte."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: Enter applies from anywhere in the form (a checkbox or a
        # value list would otherwise take it); Space checks.
        Binding("enter", "appliquer", "Appliquer", priority=True, id="filtres.appliquer"),
    ]

    CSS_PATH = [*BoiteOutil.CSS_PATH, Path(__file__).with_name("choix_filtres.tcss")]


    def __init__(
        self, filtres: Sequence[Filtre], parametres: dict, lignes: Sequence[Any], *, today: date
    ) -> None:
        super().__init__()
        self.filtres = tuple(filtres)
        proposes = parametres.get("proposes")
        valeurs = parametres.get("valeurs")
        self._proposes = set(proposes) if isinstance(proposes, list) else set()
        self._valeurs = dict(valeurs) if isinstance(valeurs, dict) else {}
        self._lignes = lignes
        self._today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="boite") as boite:
            boite.border_title = "Filtres"
            yield Static(
                Text("Cochez les filtres à proposer (Espace), puis donnez leurs valeurs."),
                classes="aide",
            )
            with VerticalScroll(id="formulaire", can_focus=False):
                for i, f in enumerate(self.filtres):
                    offert = f.cle in self._proposes
                    yield Case(Text(f.libelle), offert, id=f"propose-{i}", compact=True)
                    with Vertical(classes="valeur", id=f"valeur-{i}") as valeur:
                        valeur.display = offert
                        yield from self._editeur(i, f)
        yield PiedDePage()

    def _editeur(self, i: int, f: Filtre) -> ComposeResult:
        parametre = self._valeurs.get(f.cle)
        if f.genre == "choix":
            choisis = {str(v) for v in parametre} if isinstance(parametre, list) else set()
            yield ChoixCherchable(
                [(v, f.etiquette(v)) for v in f.valeurs_possibles(self._lignes)], choisis,
                id=f"choix-{i}", id_liste=f"editeur-{i}",
            )
        elif f.genre == "texte":
            yield Input(
                parametre if isinstance(parametre, str) else "",
                placeholder="contient…",
                id=f"editeur-{i}",
                compact=True,
            )
        else:
            debut, fin = f.periode(parametre)
            with Horizontal(classes="periode"):
                champ_debut = DateSaisie(debut, today=self._today, id=f"debut-{i}")
                yield Label("du")
                yield champ_debut
                yield Label("au")
                # a/z in « au » are about the période's year: the one of « du ».
                yield DateSaisie(fin, today=self._today, debut=champ_debut, id=f"fin-{i}")

    @on(Checkbox.Changed)
    def _montrer_valeur(self, event: Checkbox.Changed) -> None:
        # Every check box of the form is a « propose-<rang> » (compose).
        rang = (event.checkbox.id or "").removeprefix("propose-")
        self.query_one(f"#valeur-{rang}").display = event.value

    def action_appliquer(self) -> None:
        proposes: list[str] = []
        valeurs: dict[str, Any] = {}
        for i, f in enumerate(self.filtres):
            if self.query_one(f"#propose-{i}", Checkbox).value:
                proposes.append(f.cle)
            if f.genre == "choix":
                valeurs[f.cle] = self.query_one(f"#choix-{i}", ChoixCherchable).choisis()
            elif f.genre == "texte":
                valeurs[f.cle] = self.query_one(f"#editeur-{i}", Input).value
            else:
                periode = self._lire_periode(i, f, offert=f.cle in proposes)
                if periode is None:
                    return
                valeurs[f.cle] = periode
        self.dismiss({"proposes": proposes, "valeurs": valeurs})

    def _lire_periode(self, i: int, f: Filtre, offert: bool) -> list[str | None] | str | None:
        """The period as stored, or None (and a message) when it is wrong."""
        debut = self.query_one(f"#debut-{i}", DateSaisie)
        fin = self.query_one(f"#fin-{i}", DateSaisie)
        if offert:
            for champ in (debut, fin):
                if not champ.valide:
                    self.notify(f"{f.libelle} : date invalide.", severity="error")
                    champ.focus()
                    return None
            if debut.value and fin.value and debut.value > fin.value:
                self.notify(f"{f.libelle} : la date de début est après la date de fin.", severity="error")
                debut.focus()
                return None
        if f.en_cours is not None and (debut.value, fin.value) == f.en_cours:
            # The current year's dates, kept or typed: saved as « année en cours ».
            return ANNEE_EN_COURS
        return [d.isoformat() if d else None for d in (debut.value, fin.value)]
