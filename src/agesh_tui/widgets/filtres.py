"""Filtres (guide §4.3): the filters a list offers, and the modal where the
user checks which ones are offered (the guide's « paramétrable » button)
and sets their values.

The screen that owns a list declares its filters (``Filtre``); their state
is JSON-able, so that it is saved with the other list preferences:
``{"proposes": [cle, …], "valeurs": {cle: valeur}}`` where a valeur is the
list of chosen values (``choix``), the text (``texte``) or
``[début ISO | null, fin ISO | null]`` (``periode``), or ``ANNEE_EN_COURS``
for the school year of today, whichever it is. Values of filters not
offered are kept, so that checking a filter again brings its values back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, ClassVar, Iterable, Literal, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Label, SelectionList, Static

from ..engine.calendrier import annee_scolaire, debut_annee, fin_annee
from ..engine.texte import nettoyer, replier
from .boite_outil import BoiteOutil
from .cases import Case, ListeCases
from .date_saisie import DateSaisie

Genre = Literal["choix", "texte", "periode"]
Predicat = Callable[[Any], bool]

LIBELLE_ANNEE_SCOLAIRE = "Active sur tout ou partie de l'année scolaire"
# A période saved as « the current school year », not as its dates: restored
# after 31/08 it is the new year, where saved dates would stay on the old one.
ANNEE_EN_COURS = "annee_scolaire_en_cours"


@dataclass(frozen=True)
class Filtre:
    """A filter a list offers. ``valeur(ligne)`` gives, by genre:
    ``choix`` a text or several (a pupil schooled in two établissements),
    ``texte`` a text, ``periode`` a (début, fin) pair (None = open).
    ``choix`` lists the values offered (empty: those found in the rows);
    ``propose`` and ``defaut`` apply until the user has chosen; ``en_cours``
    is the (début, fin) that ``ANNEE_EN_COURS`` stands for (``periode``)."""

    cle: str
    libelle: str
    genre: Genre
    valeur: Callable[[Any], Any]
    choix: tuple[str, ...] = ()
    propose: bool = False
    defaut: Any = None
    en_cours: tuple[date, date] | None = None

    def predicat(self, parametre: Any) -> Predicat | None:
        """The test a row must pass, or None when ``parametre`` keeps all."""
        if self.genre == "choix":
            return self._predicat_choix(parametre)
        if self.genre == "texte":
            return self._predicat_texte(parametre)
        return self._predicat_periode(parametre)

    def _predicat_choix(self, parametre: Any) -> Predicat | None:
        if not isinstance(parametre, list) or not parametre:
            return None
        voulus = {str(v) for v in parametre}
        valeur = self.valeur

        def garder(ligne: Any) -> bool:
            v = valeur(ligne)
            if v is None:
                return False
            if isinstance(v, str):
                return v in voulus
            return any(x in voulus for x in v)

        return garder

    def _predicat_texte(self, parametre: Any) -> Predicat | None:
        if not isinstance(parametre, str):
            return None
        aiguille = replier(nettoyer(parametre))
        if not aiguille:
            return None
        valeur = self.valeur
        return lambda ligne: aiguille in replier(nettoyer(valeur(ligne)))

    def periode(self, parametre: Any) -> tuple[date | None, date | None]:
        """The (début, fin) a ``periode`` value stands for (None = open)."""
        if parametre == ANNEE_EN_COURS and self.en_cours is not None:
            return self.en_cours
        return lire_periode(parametre)

    def _predicat_periode(self, parametre: Any) -> Predicat | None:
        debut, fin = self.periode(parametre)
        if debut is None and fin is None:
            return None
        valeur = self.valeur

        def garder(ligne: Any) -> bool:
            # Kept when the row's period overlaps [debut, fin] (open ends allowed).
            d, f = valeur(ligne)
            return (debut is None or f is None or f >= debut) and (
                fin is None or d is None or d <= fin
            )

        return garder

    def valeurs_possibles(self, lignes: Iterable[Any]) -> list[str]:
        """The values offered by a ``choix`` filter, alphabetically."""
        if self.choix:
            return list(self.choix)
        trouves: set[str] = set()
        for ligne in lignes:
            v = self.valeur(ligne)
            if isinstance(v, str):
                trouves.add(v)
            elif v is not None:
                trouves.update(v)
        trouves.discard("")
        return sorted(trouves, key=lambda t: (replier(t), t))


def lire_periode(parametre: Any) -> tuple[date | None, date | None]:
    """[début ISO | None, fin ISO | None]; anything else reads as no bounds."""
    if not isinstance(parametre, list) or len(parametre) != 2:
        return None, None
    try:
        return tuple(date.fromisoformat(p) if p else None for p in parametre)  # type: ignore[return-value]
    except (TypeError, ValueError):
        return None, None


def filtre_annee_scolaire(
    cle: str, periode: Callable[[Any], tuple[date | None, date | None]], today: date,
    propose: bool = True,
) -> Filtre:
    """The guide's date filter, set to the current school year."""
    annee = annee_scolaire(today)
    return Filtre(
        cle,
        LIBELLE_ANNEE_SCOLAIRE,
        "periode",
        periode,
        propose=propose,
        defaut=ANNEE_EN_COURS,
        en_cours=(debut_annee(annee), fin_annee(annee)),
    )


def parametres_initiaux(filtres: Sequence[Filtre]) -> dict:
    """The state before the user has chosen anything."""
    return {
        "proposes": [f.cle for f in filtres if f.propose],
        "valeurs": {f.cle: f.defaut for f in filtres if f.defaut is not None},
    }


def predicats_filtres(filtres: Sequence[Filtre], parametres: dict) -> dict[str, Predicat]:
    """The tests of the offered filters that restrict something."""
    proposes = parametres.get("proposes")
    valeurs = parametres.get("valeurs")
    if not isinstance(proposes, list) or not isinstance(valeurs, dict):
        return {}
    predicats = {}
    for f in filtres:
        if f.cle in proposes:
            predicat = f.predicat(valeurs.get(f.cle))
            if predicat is not None:
                predicats[f.cle] = predicat
    return predicats


class ChoixFiltres(BoiteOutil[dict | None]):
    """Check the filters offered and set their values; returns the new
    JSON-able state (see the module doc), or None when cancelled."""

    AIDE = (
        "Filtres : Espace coche un filtre pour le proposer et montre ses valeurs ; Tab passe aux "
        "valeurs (Espace coche une valeur ; dans les dates a, z, t, + - > <). Entrée applique, "
        "Échap annule. Une date vide laisse la période ouverte."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: Enter applies from anywhere in the form (a checkbox or a
        # value list would otherwise take it); Space checks.
        Binding("enter", "appliquer", "Appliquer", priority=True),
    ]

    DEFAULT_CSS = """
    ChoixFiltres {
        & > #boite {
            width: 90%;
            max-width: 96;
        }
        & #formulaire {
            height: auto;
            max-height: 18;
        }
        & .valeur {
            height: auto;
            padding: 0 0 0 4;
        }
        & SelectionList {
            height: auto;
            max-height: 7;
        }
        & .periode {
            height: auto;
        }
        & .periode Label {
            padding: 1 1 0 1;
        }
    }
    """

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
        yield Footer()

    def _editeur(self, i: int, f: Filtre) -> ComposeResult:
        parametre = self._valeurs.get(f.cle)
        if f.genre == "choix":
            choisis = set(parametre) if isinstance(parametre, list) else set()
            yield ListeCases[str](
                *((Text(v), v, v in choisis) for v in f.valeurs_possibles(self._lignes)),
                id=f"editeur-{i}",
                compact=True,
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
        rang = event.checkbox.id.removeprefix("propose-")
        self.query_one(f"#valeur-{rang}").display = event.value

    def action_appliquer(self) -> None:
        proposes: list[str] = []
        valeurs: dict[str, Any] = {}
        for i, f in enumerate(self.filtres):
            if self.query_one(f"#propose-{i}", Checkbox).value:
                proposes.append(f.cle)
            if f.genre == "choix":
                valeurs[f.cle] = list(self.query_one(f"#editeur-{i}", SelectionList).selected)
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
