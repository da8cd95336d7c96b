"""The main menu of the guide (§1.5): one key each, in the guide's order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Menu:
    cle: str  # the Textual mode that holds the menu's screens
    touche: str
    libelle: str
    description: str
    superviseur_seulement: bool = False


MENUS = (
    Menu("accueil", "1", "Accueil", "décisions d'aide humaine et création des accompagnements"),
    Menu("aesh", "2", "AESH", "personnels AESH du département, AESH prévisionnels"),
    Menu("missions", "3", "Missions", "missions passées, courantes et prévisionnelles"),
    Menu("accompagnements", "4", "Accompagnements", "accompagnements mis en œuvre"),
    Menu("editions", "5", "Éditions", "dossiers élèves par secteur, tableau de bord"),
    Menu("recherche", "6", "Rechercher un élève", "rechercher un élève dans l'académie"),
    Menu("pial", "7", "PIAL", "besoins et moyens par PIAL, affectation des moyens"),
    Menu("compte", "8", "Mon compte", "coordonnées, messages, secteurs, établissements"),
    Menu("parametres", "9", "Paramètres département",
         "temps de travail, cartouche courrier, expression du besoin", superviseur_seulement=True),
)
MENUS_PAR_CLE = {m.cle: m for m in MENUS}


def menus_permis(superviseur: bool) -> tuple[Menu, ...]:
    """The menus a profile sees: Paramètres département only for superviseurs."""
    return tuple(m for m in MENUS if superviseur or not m.superviseur_seulement)
