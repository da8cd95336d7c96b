"""DateSaisie: a date field shown and typed ``jj/mm/aaaa`` (SPEC §1.2).

Keys (guide §10.3.2, « les champs des dates sont enrichis par des raccourcis
de clavier »): ``a`` 01/09 and ``z`` 31/08 of the school year the field is
about, ``t`` today, ``+``/``-`` one day. SPEC asks for shift with ``+``/``-``
for one month, but a terminal sends the same « + » with or without shift
(shift is only reported with whitespace keys), so the month keys are ``>``
and ``<``. Digits type the date, with or without the slashes.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from ..engine.calendrier import (
    PERIODE_MAX,
    PERIODE_MIN,
    annee_scolaire,
    debut_annee,
    fin_annee,
    format_date,
    hors_periode,
)

AIDE = (
    "Date jj/mm/aaaa. a : 01/09 de l'année scolaire, z : 31/08 (dans « au », l'année "
    "scolaire de « du »), t : aujourd'hui, "
    "+ / - : jour suivant / précédent, > / < : mois suivant / précédent "
    "(Maj avec + ou - n'est pas transmis par les terminaux)."
)

_FORME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{2})(\d{2})(\d{4})")


def analyser(texte: str, minimum: date = PERIODE_MIN,
             maximum: date = PERIODE_MAX) -> tuple[date | None, str | None]:
    """(the date, None), or (None, a French message); ("") is (None, None).
    Dates out of [minimum, maximum] are refused (a birth date: from
    NAISSANCE_MIN to today)."""
    texte = texte.strip()
    if not texte:
        return None, None
    forme = _FORME.fullmatch(texte)
    if forme is None:
        return None, "Date incomplète : saisir jj/mm/aaaa."
    jour, mois, annee = (int(g) for g in (forme.group(1, 2, 3) if forme[1] else forme.group(4, 5, 6)))
    try:
        valeur = date(annee, mois, jour)
    except ValueError:
        return None, f"Le {jour:02d}/{mois:02d}/{annee:04d} n'existe pas."
    # The range every entry path keeps (engine/calendrier.py): no year 9999
    # for « + » or a computation to overflow on.
    raison = hors_periode(valeur, minimum, maximum)
    return (None, raison[0].upper() + raison[1:] + ".") if raison else (valeur, None)


def borner(d: date, minimum: date = PERIODE_MIN, maximum: date = PERIODE_MAX) -> date:
    """``d`` brought back within the accepted range (« + » on its last day)."""
    return min(max(d, minimum), maximum)


def ajouter_mois(d: date, mois: int) -> date:
    """Same day ``mois`` months later (or earlier), kept inside the month:
    31/01 + 1 month = 28/02 or 29/02."""
    rang = d.year * 12 + d.month - 1 + mois
    annee, mois0 = divmod(rang, 12)
    return date(annee, mois0 + 1, min(d.day, calendar.monthrange(annee, mois0 + 1)[1]))


class _Champ(Input):
    """The typed text. The shortcut keys are priority bindings: an Input
    takes printable keys before ordinary bindings are looked at."""

    AIDE = AIDE

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "debut_annee", "01/09", priority=True, id="date.debut_annee"),
        Binding("z", "fin_annee", "31/08", priority=True, id="date.fin_annee"),
        Binding("t", "aujourdhui", "Aujourd'hui", priority=True, id="date.aujourdhui"),
        Binding("plus", "jours(1)", "Jour +1", priority=True, id="date.jour_suivant"),
        Binding("minus", "jours(-1)", "Jour -1", priority=True, id="date.jour_precedent"),
        Binding("greater_than_sign", "mois(1)", "Mois +1", priority=True, id="date.mois_suivant"),
        Binding("less_than_sign", "mois(-1)", "Mois -1", priority=True, id="date.mois_precedent"),
    ]

    def __init__(self, saisie: DateSaisie, valeur: str, compact: bool = False) -> None:
        super().__init__(
            valeur,
            placeholder="jj/mm/aaaa",
            restrict=r"[0-9/]*",
            max_length=10,
            validate_on=(),
            tooltip=AIDE,
            compact=compact,
        )
        self._saisie = saisie

    def action_debut_annee(self) -> None:
        self._saisie.value = debut_annee(self._saisie.annee_concernee())

    def action_fin_annee(self) -> None:
        self._saisie.value = fin_annee(self._saisie.annee_concernee())

    def action_aujourdhui(self) -> None:
        self._saisie.value = self._saisie.today

    def action_jours(self, jours: int) -> None:
        self._saisie.value = self._saisie.borner(self._saisie.value_ou_today() + timedelta(days=jours))

    def action_mois(self, mois: int) -> None:
        self._saisie.value = self._saisie.borner(ajouter_mois(self._saisie.value_ou_today(), mois))


class DateSaisie(Widget):
    """A date field; ``value`` is the date, or None when empty or invalid
    (then the border turns red and a French message says why).

    ``annee`` is the school year the field is about (for ``a``/``z``); when
    None, the school year of ``debut``'s date (the « du » field of a période:
    the form's year, SPEC §1.2), else of the date typed, else of ``today``.
    ``today`` is always given: nothing here reads the clock. ``minimum`` and
    ``maximum``: the accepted range (default: calendrier's période bounds).
    ``compact``: the field without its border, one line high (forms)."""

    DEFAULT_CSS = """
    DateSaisie {
        width: auto;
        height: auto;
        & > Input {
            /* 10 characters, the cursor after them, padding 2+2, border 1+1:
               narrower, the Input scrolls and shows « 1/09/2027 ». */
            width: 18;
        }
        & > .erreur {
            display: none;
            width: auto;
            color: $text-error;
        }
        &.-invalide > .erreur {
            display: block;
        }
    }
    """

    class Changed(Message):
        """The date changed (``value`` None: empty or invalid)."""

        def __init__(self, date_saisie: DateSaisie, value: date | None) -> None:
            super().__init__()
            self.date_saisie = date_saisie
            self.value = value

        @property
        def control(self) -> DateSaisie:
            return self.date_saisie

    def __init__(
        self,
        valeur: date | None = None,
        *,
        today: date,
        annee: int | None = None,
        debut: DateSaisie | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        minimum: date = PERIODE_MIN,
        maximum: date = PERIODE_MAX,
        compact: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)
        self.today = today
        self.annee = annee
        self.debut = debut
        self.minimum, self.maximum = minimum, maximum
        self._compact = compact
        self._value = valeur
        self._erreur: str | None = None
        # Built in compose: an Input given a value needs the running app.
        self._champ: _Champ | None = None
        self._message = Static(classes="erreur")

    def compose(self) -> ComposeResult:
        self._champ = _Champ(self, format_date(self._value), self._compact)
        yield self._champ
        yield self._message

    @property
    def _champ_compose(self) -> _Champ:
        """The field, for what happens once composed (its events, ``_lire``)."""
        if self._champ is None:
            raise RuntimeError("DateSaisie : le champ n'est pas encore composé.")
        return self._champ

    @property
    def value(self) -> date | None:
        return self._value

    @value.setter
    def value(self, valeur: date | None) -> None:
        if self._champ is None:
            self._value = valeur
            return
        self._champ.value = format_date(valeur)
        self._champ.cursor_position = len(self._champ.value)
        self._lire(self._champ.value, signaler_incomplet=True)

    @property
    def texte(self) -> str:
        return format_date(self._value) if self._champ is None else self._champ.value

    @property
    def valide(self) -> bool:
        """Empty or a real date (an unfinished date is not valid)."""
        return analyser(self.texte, self.minimum, self.maximum)[1] is None

    @property
    def erreur(self) -> str | None:
        """The message shown under the field, if any."""
        return self._erreur

    def annee_concernee(self) -> int:
        if self.annee is not None:
            return self.annee
        if self.debut is not None and self.debut.value is not None:
            return annee_scolaire(self.debut.value)
        return annee_scolaire(self._value or self.today)

    def value_ou_today(self) -> date:
        return self._value or self.borner(self.today)

    def borner(self, d: date) -> date:
        return borner(d, self.minimum, self.maximum)

    def focus(self, scroll_visible: bool = True) -> DateSaisie:
        if self._champ is not None:
            self._champ.focus(scroll_visible)
        return self

    def _on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._lire(event.value, signaler_incomplet=not self._champ_compose.has_focus)

    def _on_input_blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self._lire(event.value, signaler_incomplet=True)

    def _lire(self, texte: str, signaler_incomplet: bool) -> None:
        champ = self._champ_compose
        valeur, erreur = analyser(texte, self.minimum, self.maximum)
        if valeur is not None and "/" not in texte:
            # 8 digits typed: show them the usual way.
            champ.value = format_date(valeur)
            champ.cursor_position = 10
        # While typing, an unfinished date is not an error yet.
        if erreur is not None and erreur.startswith("Date incomplète") and not signaler_incomplet:
            erreur = None
        self._erreur = erreur
        champ.set_class(erreur is not None, "-invalid")
        self.set_class(erreur is not None, "-invalide")
        if erreur is not None:
            self._message.update(Text(erreur))
        if valeur != self._value:
            self._value = valeur
            self.post_message(self.Changed(self, valeur))
