"""The rows of the entry forms (AESH, missions): a label, the field — one
line high, without border —, and next to it what the field's value means
or why it is refused, in French, as the user types.

The message is written as plain text (rich Text), never read as markup: it
may quote what the user typed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from ..engine.texte import propre
from .date_saisie import DateSaisie

# How a number typed in a form that cannot be read is said.
NOMBRE_ILLISIBLE = "{} : un nombre ({})."


def lignes_propres(texte: str) -> Text:
    """Plain text of several lines, each cleaned of control characters."""
    return Text("\n".join(propre(ligne) for ligne in texte.split("\n")))


def texte_select(select: Select) -> str:
    """The value chosen in a Select of texts, « » when none."""
    valeur = select.value
    return valeur if isinstance(valeur, str) else ""


class LigneSaisie(Horizontal):
    """One field of a form. ``champ``: the name the rules give the field
    (the ``regle`` of their refusals)."""

    DEFAULT_CSS = """
    LigneSaisie {
        height: auto;
        & > .saisie-etiquette {
            width: 14;
            padding-right: 1;
        }
        & > Input, & > Select {
            width: 26;
        }
        /* A value shown, not entered (an RH field): no message beside it. */
        & > .saisie-valeur {
            width: 1fr;
            color: $text-muted;
        }
        & > DateSaisie {
            width: 26;
            layout: horizontal;
            & > Input {
                /* 10 characters, the cursor after them, padding 1+1. */
                width: 13;
            }
            & > .erreur {
                width: 1fr;
                padding-left: 2;
            }
            /* Its own message (an unfinished date…) takes the message's room. */
            &.-invalide {
                width: 1fr;
            }
        }
        /* One line, no border: the field with the focus stands out by its colour. */
        & Input.-textual-compact {
            padding: 0 1;
            &:focus {
                background: $primary 35%;
            }
        }
        & > Select.-textual-compact {
            & > SelectCurrent {
                padding: 0 1;
                & > Static#label {
                    height: 1;
                    text-wrap: nowrap;
                    text-overflow: ellipsis;
                }
            }
            &:focus > SelectCurrent {
                background: $primary 35%;
            }
        }
        & > .saisie-message {
            width: 1fr;
            padding-left: 2;
            display: none;
            &.-visible {
                display: block;
            }
            &.-refus {
                color: $text-error;
            }
            &.-info {
                color: $text-muted;
            }
        }
    }
    """

    def __init__(self, libelle: str, controle: Widget, *, champ: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.libelle = libelle
        self.controle = controle
        self.champ = champ
        self._message = Static(classes="saisie-message")

    def compose(self) -> ComposeResult:
        yield Static(Text(self.libelle), classes="saisie-etiquette")
        yield self.controle
        yield self._message

    def dire(self, texte: str, refus: bool = True) -> None:
        """Show ``texte`` next to the field (« » hides it): a refusal, or
        what the value means (``refus`` False)."""
        self._message.update(lignes_propres(texte))
        self._message.set_class(bool(texte), "-visible")
        self._message.set_class(bool(texte) and refus, "-refus")
        self._message.set_class(bool(texte) and not refus, "-info")

    @property
    def refuse(self) -> bool:
        """A refusal is shown: by the row, or by its date field itself."""
        if isinstance(self.controle, DateSaisie) and not self.controle.valide:
            return True
        return self._message.has_class("-refus")

    @property
    def message(self) -> str:
        """What the row says now (tests, the help)."""
        return str(self._message.render()) if self._message.has_class("-visible") else ""


def valeur_lue(texte: str) -> str:
    """A value shown, not entered (an RH field): « — » when empty."""
    return propre(texte) or "—"


def champ_texte(valeur: str, ident: str, *, max_length: int = 0, restrict: str | None = None,
                placeholder: str = "", suggester=None) -> Input:
    """A text field of a form: one line, no border."""
    return Input(valeur, placeholder=placeholder, id=ident, max_length=max_length,
                 restrict=restrict, compact=True, suggester=suggester)


def champ_date(valeur, ident: str, *, today, debut: DateSaisie | None = None, **bornes) -> DateSaisie:
    return DateSaisie(valeur, today=today, debut=debut, id=ident, compact=True, **bornes)
