"""Filtres (guide §4.3): the filters a list offers, what each keeps, and
how the status line names them (the dialog where the user sets them is
``choix_filtres.ChoixFiltres``).

The screen that owns a list declares its filters (``Filtre``); their state
is JSON-able, so that it is saved with the other list preferences:
``{"proposes": [cle, …], "valeurs": {cle: valeur}}`` where a valeur is the
list of chosen values (``choix``), the text (``texte``) or
``[début ISO | null, fin ISO | null]`` (``periode``), or ``ANNEE_EN_COURS``
for the school year of today, whichever it is. Values of filters not
offered are kept, so that checking a filter again brings its values back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ..engine.calendrier import (
    annee_scolaire,
    debut_annee,
    fin_annee,
    format_date,
    libelle_annee,
)
from ..engine.texte import nettoyer, replier

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
    is the (début, fin) that ``ANNEE_EN_COURS`` stands for (``periode``).
    ``court``: the filter's name in the status line (« type »).
    ``libelle_code``: the values are codes (UAI) and this gives each its
    label: the dialog shows the code before the label, so that it is never
    cut off, and sorts by label."""

    cle: str
    libelle: str
    genre: Genre
    valeur: Callable[[Any], Any]
    choix: tuple[str, ...] = ()
    propose: bool = False
    defaut: Any = None
    en_cours: tuple[date, date] | None = None
    court: str = ""
    libelle_code: Callable[[str], str] | None = None

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
        """The values offered by a ``choix`` filter, alphabetically (by
        label for codes)."""
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
        return sorted(trouves, key=lambda t: (replier(self.etiquette(t)), t))

    def etiquette(self, valeur: str) -> str:
        """How a value of a ``choix`` reads: a code with its label."""
        if self.libelle_code is None:
            return valeur
        return f"{valeur}  {self.libelle_code(valeur)}"

    def resume(self, parametre: Any, longueur: int = 40) -> str:
        """What this filter keeps, for the status line: « année 2025-2026 »,
        « type : individuelle », « secteur : 3 choix »; each value cut at
        ``longueur`` characters."""
        nom = self.court or self.libelle
        if self.genre == "periode":
            return resume_periode(*self.periode(parametre))
        if self.genre == "texte":
            return f"{nom} contient « {couper(nettoyer(parametre), longueur)} »"
        choisis = [str(v) for v in parametre] if isinstance(parametre, list) else []
        if len(choisis) > 2:
            return f"{nom} : {len(choisis)} choix"
        textes = (self.libelle_code(v) if self.libelle_code else v for v in choisis)
        return f"{nom} : " + ", ".join(couper(t, longueur) for t in textes)


def couper(texte: str, longueur: int) -> str:
    return texte if len(texte) <= longueur else texte[: max(1, longueur - 1)].rstrip() + "…"


def resume_periode(debut: date | None, fin: date | None) -> str:
    """« année 2025-2026 » for a whole school year, else the dates."""
    if debut is not None and fin is not None:
        annee = annee_scolaire(debut)
        if (debut, fin) == (debut_annee(annee), fin_annee(annee)):
            return f"année {libelle_annee(annee)}"
        return f"du {format_date(debut)} au {format_date(fin)}"
    if debut is not None:
        return f"depuis le {format_date(debut)}"
    return f"jusqu'au {format_date(fin)}"


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
        court="année",
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
