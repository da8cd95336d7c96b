"""argparse in French: usage errors and help are user-facing text too.

argparse looks its messages up through ``gettext`` at call time (the module
global ``_``); pointing that name at this table translates them without a
compiled catalogue. Unknown messages pass through unchanged."""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "usage : ",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "show this help message and exit": "afficher cette aide et quitter",
    "positional arguments": "arguments",
    "options": "options",
}


def traduire(message: str) -> str:
    return MESSAGES.get(message, message)


def ntraduire(singulier: str, pluriel: str, n: int) -> str:
    if singulier == "expected %s argument":
        return "%s valeur attendue" if n == 1 else "%s valeurs attendues"
    return singulier if n == 1 else pluriel


def installer() -> None:
    # argparse's own imports of gettext's names, which typeshed leaves out.
    argparse._ = traduire  # type: ignore[attr-defined]
    argparse.ngettext = ntraduire  # type: ignore[attr-defined]
