"""Rows of the paramètres of the département stored by name (table
``parametre``): the limits of the propositions d'affectation (SPEC §2.8)."""

from __future__ import annotations

from dataclasses import fields, replace

from ..modele.model import Limites
from .transaction import Transaction

# Stored name of each field of Limites.
_PREFIXE = "propositions."


def lire_limites(tx: Transaction) -> Limites:
    """The stored limits; a name never stored keeps the SPEC's default."""
    valeurs = dict(tx.lignes("SELECT cle, valeur FROM parametre WHERE substr(cle, 1, ?) = ?",
                             (len(_PREFIXE), _PREFIXE)))
    defauts = Limites()
    lues = {}
    for champ in fields(Limites):
        texte = valeurs.get(_PREFIXE + champ.name)
        if texte is not None:  # read back as the type of its default (float, int)
            lues[champ.name] = type(getattr(defauts, champ.name))(texte)
    return replace(defauts, **lues)


def ecrire_limites(tx: Transaction, limites: Limites) -> None:
    tx.executemany(
        "INSERT INTO parametre (cle, valeur) VALUES (?, ?) "
        "ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
        [(_PREFIXE + champ.name, repr(getattr(limites, champ.name))) for champ in fields(Limites)],
    )


def ecrire_cartouche(tx: Transaction, valeurs: dict[str, str]) -> None:
    """Replace the cartouche courrier by ``valeurs`` (champ → valeur)."""
    tx.execute("DELETE FROM cartouche")
    tx.executemany("INSERT INTO cartouche (champ, valeur) VALUES (?, ?)", list(valeurs.items()))


def ecrire_reference(tx: Transaction, contrat: str, base: str, heures: float) -> None:
    tx.execute(
        "INSERT INTO reference_temps (contrat, base, heures) VALUES (?, ?, ?) "
        "ON CONFLICT (contrat, base) DO UPDATE SET heures = excluded.heures",
        (contrat, base, heures),
    )
