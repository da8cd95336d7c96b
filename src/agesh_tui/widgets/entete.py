"""The two top lines of every screen: who is working on which base, then the
guide's main menu with one key per entry."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ..engine.calendrier import format_date
from ..menus import Menu, menus_permis
from .affichage import propre
from .base import WidgetAgesh

AVERTISSEMENT_PERIME = "⚠ Données modifiées par ailleurs : {touche} pour recharger"
AVERTISSEMENT_COURT = "⚠ Données modifiées : {touche}"
# While the data changed elsewhere is reloaded in the background.
MISE_A_JOUR = "⟳ Données modifiées par ailleurs : mise à jour…"
MISE_A_JOUR_COURT = "⟳ Mise à jour…"


class Entete(WidgetAgesh):
    """Application, user, profile, base and today; warns when another
    session changed the data since it was loaded (while it reloads on its
    own, then if that failed). Narrower, it leaves out « AGESH », then the
    base, then the user's name: the profile and the date always show (80
    columns)."""

    DEFAULT_CSS = """
    Entete {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "perime", self._perime_change, init=False)
        self.watch(self.app, "rafraichissement", self._perime_change, init=False)

    def _perime_change(self) -> None:
        self.refresh()

    def render(self) -> Text:
        largeur = self.size.width
        droites = self._droites()
        # Plain Text throughout: the user's name and the base's file name
        # come from data and must never be read as markup.
        for droite in droites:
            for parties in self._formes():
                gauche = " " + " · ".join(parties)
                if len(gauche) + droite.cell_len <= largeur:
                    return self._assembler(gauche, droite, largeur)
        return self._assembler(" " + " · ".join(self._formes()[-1]), droites[-1], largeur)

    def _formes(self) -> list[list[str]]:
        """The left part, from the fullest to the shortest."""
        app = self.app
        session = getattr(app, "session", None)
        jour, base = format_date(app.today), f"base {propre(app.base.nom_court)}"
        if session is None:
            return [["AGESH", base, jour], [base, jour], [jour]]
        nom, profil = propre(session.utilisateur.nom), session.libelle_profil
        return [["AGESH", nom, profil, base, jour], [nom, profil, base, jour],
                [nom, profil, jour], [profil, jour]]

    def _droites(self) -> list[Text]:
        app = self.app
        if getattr(app, "perime", False) and getattr(app, "rafraichissement", False):
            return [Text(f" {texte} ", style="reverse") for texte in (MISE_A_JOUR, MISE_A_JOUR_COURT)]
        if getattr(app, "perime", False):
            touche = app.touche("app.recharger")
            return [Text(f" {modele.format(touche=touche)} ", style="reverse bold")
                    for modele in (AVERTISSEMENT_PERIME, AVERTISSEMENT_COURT)]
        # Always in sight, whatever the footer had room for.
        aide = f"{app.touche('app.aide')} aide"
        return [Text(f" {aide}  {app.touche('app.commandes')} commandes ", style="dim"),
                Text(f" {aide} ", style="dim")]

    @staticmethod
    def _assembler(gauche: str, droite: Text, largeur: int) -> Text:
        texte = Text(gauche, style="bold", no_wrap=True, overflow="ellipsis")
        place = largeur - droite.cell_len
        if texte.cell_len > place:
            texte.truncate(max(0, place - 1), overflow="ellipsis")
        texte.pad_right(max(0, place - texte.cell_len))
        return Text.assemble(texte, droite)


# Shorter labels, tried in turn until the bar fits the terminal's width
# (the last one fits 80 columns).
MOYENS = {"recherche": "Rechercher", "compte": "Mon compte", "parametres": "Paramètres"}
COURTS = {"accompagnements": "Accomp", "recherche": "Élève", "compte": "Compte",
          "parametres": "Param."}
FORMES: tuple[tuple[dict[str, str], str, str], ...] = (  # (labels, padding inside an entry, separator)
    ({}, " ", "  "),
    (MOYENS, " ", " "),
    (COURTS, " ", ""),
    (COURTS, "", " "),
)


class BarreMenus(WidgetAgesh):
    """« 1 Accueil  2 AESH … »: the current menu in reverse video, every
    entry clickable. Paramètres département appears for superviseurs only."""

    DEFAULT_CSS = """
    BarreMenus {
        height: 1;
        width: 1fr;
        background: $boost;
        link-style: none;
        link-style-hover: bold;
        link-background-hover: $accent 50%;
    }
    """

    def __init__(self, actif: str, **kwargs):
        super().__init__(**kwargs)
        self.actif = actif

    def menus(self) -> tuple[Menu, ...]:
        session = getattr(self.app, "session", None)
        return menus_permis(session is not None and session.superviseur)

    def render(self) -> Content:
        menus = self.menus()
        largeur = self.size.width
        for noms, marge, separateur in FORMES:
            libelles = [f"{marge}{m.touche} {noms.get(m.cle, m.libelle)}{marge}" for m in menus]
            if sum(len(x) for x in libelles) + len(separateur) * (len(libelles) - 1) <= largeur:
                return self._contenu(menus, libelles, separateur)
        return self._contenu(menus, [f" {m.touche} " for m in menus], "")

    def _contenu(self, menus, libelles, separateur) -> Content:
        parties: list[Content | str] = []
        for i, (menu, libelle) in enumerate(zip(menus, libelles)):
            if i:
                parties.append(separateur)
            # Labels are constants of this module, never data: markup is safe here.
            style = "reverse bold " if menu.cle == self.actif else ""
            parties.append(Content.from_markup(
                f"[{style}@click=app.menu('{menu.cle}')]$libelle[/]", libelle=libelle
            ))
        return Content.assemble(*parties)
