"""Indicateurs (SPEC F6, guide §4.1 and §10.2.1), opened from Accueil with
« i »: over the current school year, the décisions of the perimeter (bleu),
those without any mise en œuvre (jaune), those with at least one (vert), and
their evolution month by month. Entrée on a counter (« voir le détail »)
goes back to the Accueil list, filtered to exactly that set.

Every colour has a glyph or text twin (Σ ○ ● in the counters, ▒ █ in the
chart, numbers in text, ▶ on the current month, › on the focused counter),
so that the screen reads with NO_COLOR or on a 16-colour terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from ..engine.calendrier import libelle_annee
from ..engine.regles.indicateurs import (
    AVEC_MISE_EN_OEUVRE,
    PERIMETRE,
    SANS_MISE_EN_OEUVRE,
    rang_mois,
)
from ..engine.regles.indicateurs import (
    Indicateurs as DonneesIndicateurs,
)
from ..widgets.affichage import entier, pourcent
from ..widgets.couleurs import BLEU, JAUNE, VERT, Couleur, nommer
from .base import EcranMenu

MOIS = ("sept.", "oct.", "nov.", "déc.", "janv.", "févr.", "mars", "avril", "mai", "juin",
        "juil.", "août")
GLYPHE_ACTIVES = "▒"
GLYPHE_AVEC = "█"
MARQUE_MOIS = "▶"
MARQUE_FOCUS = "›"
AIDE_DETAIL = "Entrée : voir le détail"


@dataclass(frozen=True, slots=True)
class Categorie:
    cle: str
    libelle: str
    glyphe: str
    couleur: Couleur


CATEGORIES = (
    Categorie(PERIMETRE, "Décisions du périmètre", "Σ", BLEU),
    Categorie(SANS_MISE_EN_OEUVRE, "Sans mise en œuvre", "○", JAUNE),
    Categorie(AVEC_MISE_EN_OEUVRE, "Avec au moins une mise en œuvre", "●", VERT),
)
LIBELLES = {c.cle: c.libelle for c in CATEGORIES}
LARGEUR_LIBELLE = max(len(c.libelle) for c in CATEGORIES)


def part(n: int, total: int) -> str:
    return pourcent(100 * n / total) if total else "—"


class Activable(Widget, can_focus=True):
    """A counted line that opens what it counts (an indicateur, a line of
    the tableau de bord): repainted when focused (its › mark); Entrée (its
    « voir » action) or a click posts ``choix()``, once counted."""

    nombre: int | None = None
    # Each subclass defines it as a method: the message that opens what it counts.
    choix: Callable[[], Message]

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.action_voir()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing to show until the worker has counted.
        if action == "voir":
            return self.nombre is not None
        return True

    def action_voir(self) -> None:
        if self.nombre is not None:
            self.post_message(self.choix())


class Compteur(Activable):
    """One indicator: its glyph, its name, its number; Entrée (or a click)
    asks for its list. One line on a narrow terminal, a card on a wide one."""

    AIDE = ("Indicateur : le nombre de décisions de l'année scolaire en cours. Entrée (ou un clic) "
            "ouvre la liste d'Accueil réduite à ces décisions ; ← → ou ↑ ↓ passent à un autre "
            "indicateur.")
    BINDINGS = [
        Binding("enter", "voir", "Voir le détail", id="indicateurs.voir"),
        Binding("left,up", "app.focus_previous", "Indicateur précédent", show=False, id="indicateurs.precedent"),
        Binding("right,down", "app.focus_next", "Indicateur suivant", show=False, id="indicateurs.suivant"),
    ]

    class Choisi(Message):
        def __init__(self, categorie: str) -> None:
            super().__init__()
            self.categorie = categorie

    def __init__(self, categorie: Categorie) -> None:
        super().__init__(id=f"compteur-{categorie.cle}", classes=categorie.cle)
        self.categorie = categorie
        self.nombre: int | None = None
        self.total = 0

    def montrer(self, nombre: int, total: int) -> None:
        self.nombre, self.total = nombre, total
        self.refresh()
        self.app.refresh_bindings()

    def render(self) -> Text:
        c = self.categorie
        marque = MARQUE_FOCUS if self.has_focus else " "
        valeur = "…" if self.nombre is None else entier(self.nombre)
        proportion = "" if c.cle == PERIMETRE or self.nombre is None else part(self.nombre,
                                                                               self.total)
        titre = Text.assemble(marque, " ", (c.glyphe, f"bold {c.couleur.code}"), " ", c.libelle)
        if self.size.height <= 1:
            titre.pad_right(LARGEUR_LIBELLE + 4 - titre.cell_len)
            ligne = Text.assemble(titre, (f"{valeur:>8}", f"bold {c.couleur.code}"),
                                  f"{proportion:>9}")
            if self.has_focus and ligne.cell_len + len(AIDE_DETAIL) + 2 <= self.size.width:
                ligne.append(f"  {AIDE_DETAIL}", style="dim")
            return ligne
        chiffre = Text.assemble("  ", (valeur, f"bold {c.couleur.code}"))
        if proportion:
            chiffre.append(f"  ({proportion})")
        return Text("\n").join([titre, chiffre, Text(f"  {AIDE_DETAIL}", style="dim")])

    def choix(self) -> Message:
        return self.Choisi(self.categorie.cle)


class Evolution(Widget):
    """The chart by month, September to August: for each month the
    décisions active during it (▒, bleu) and, of those, the ones with a mise
    en œuvre during it (█, vert), with both numbers in text. Two lines per
    month when the height allows; else one, the vert bar drawn over the
    bleu one (it is never longer), so the ▒ left is the month's
    décisions without a mise en œuvre."""

    def __init__(self, today, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.indicateurs: DonneesIndicateurs | None = None

    def montrer(self, donnees: DonneesIndicateurs) -> None:
        self.indicateurs = donnees
        self.refresh()

    def render(self) -> Text:
        donnees = self.indicateurs
        if donnees is None:
            return Text("Calcul des indicateurs…", style="italic")
        largeur, hauteur = self.content_size
        mois = donnees.mois
        plus_grand = max(m.actives for m in mois)
        colonne = max(len("actives"), len(entier(plus_grand)))
        titres = Text(" " + "actives".rjust(colonne) + "  " + "avec".rjust(colonne)
                      + "%".rjust(9), style="bold")
        barre = max(8, largeur - 8 - titres.cell_len)
        titre = Text(f"Évolution au cours de l'année scolaire {libelle_annee(donnees.annee)}",
                     style="bold")
        titre.truncate(max(0, largeur - titres.cell_len), overflow="ellipsis", pad=True)
        lignes = [Text.assemble(titre, titres), self._legende(largeur, not self.app.no_color)]
        courant = rang_mois(self.today, donnees.annee)
        deux_lignes = hauteur >= len(lignes) + 2 * len(mois)
        # With room to spare (160×48), a blank line between two months.
        espace = hauteur >= len(lignes) + 3 * len(mois) - 1

        def cellules(n: int) -> int:
            # At least one cell for a non-zero count, so it never looks like none.
            return max(1, round(n * barre / plus_grand)) if n else 0

        for rang, m in enumerate(mois):
            marque = MARQUE_MOIS if rang == courant else " "
            tete = Text(f"{marque} {MOIS[rang]:<6}", style="bold" if rang == courant else "")
            actives, avec = cellules(m.actives), cellules(m.avec_mise_en_oeuvre)
            nombre_actives = " " + entier(m.actives).rjust(colonne)
            nombre_avec = "  " + entier(m.avec_mise_en_oeuvre).rjust(colonne)
            pourcentage = part(m.avec_mise_en_oeuvre, m.actives).rjust(9)
            if espace and rang:
                lignes.append(Text())
            if deux_lignes:
                lignes.append(Text.assemble(
                    tete, (GLYPHE_ACTIVES * actives, BLEU.code), " " * (barre - actives),
                    nombre_actives,
                ))
                lignes.append(Text.assemble(
                    " " * 8, (GLYPHE_AVEC * avec, VERT.code), " " * (barre - avec),
                    " " * len(nombre_actives), nombre_avec, pourcentage,
                ))
            else:
                lignes.append(Text.assemble(
                    tete, (GLYPHE_AVEC * avec, VERT.code),
                    (GLYPHE_ACTIVES * (actives - avec), BLEU.code),
                    " " * (barre - actives), nombre_actives, nombre_avec, pourcentage,
                ))
        return Text("\n", no_wrap=True, overflow="crop").join(lignes)

    @staticmethod
    def _legende(largeur: int, couleurs: bool) -> Text:
        """The glyphs' meanings; the colours named only when they are shown."""
        for actives, avec, courant in (
            ("décisions actives dans le mois", "dont avec une mise en œuvre dans le mois",
             "mois en cours"),
            ("actives dans le mois", "dont avec mise en œuvre", "ce mois-ci"),
            ("actives", "avec mise en œuvre", "ce mois-ci"),
        ):
            legende = Text.assemble(
                (GLYPHE_ACTIVES, BLEU.code), f" {nommer(actives, BLEU.nom, couleurs=couleurs)}  ",
                (GLYPHE_AVEC, VERT.code),
                f" {nommer(avec, VERT.nom, couleurs=couleurs)}  {MARQUE_MOIS} {courant}",
                style="dim",
            )
            if legende.cell_len <= largeur:
                break
        return legende


@dataclass
class Calcules(Message):
    """The worker's counts and months."""

    donnees: DonneesIndicateurs


class Indicateurs(EcranMenu):
    """Dismissed with (catégorie, ids) when a counter is chosen, None on
    Échap."""

    MENU = "accueil"
    AIDE = (
        "Indicateurs de l'année scolaire en cours : décisions du périmètre (Σ, bleu), sans mise "
        "en œuvre (○, jaune), avec au moins une mise en œuvre (●, vert). Entrée sur un "
        "indicateur ouvre la liste de ces décisions. Le graphe donne, pour chaque mois, les "
        "décisions actives (▒, bleu) et celles qui ont une mise en œuvre dans le mois (█, vert) ; "
        "▶ marque le mois en cours. Échap revient à la liste."
    )
    BINDINGS = [Binding("escape", "retour", "Retour à la liste", id="indicateurs.retour")]

    CSS_PATH = "indicateurs.tcss"

    def __init__(self, perimetre: str) -> None:
        """``perimetre``: how Accueil names the perimeter (secteurs chosen)."""
        super().__init__()
        self.perimetre = perimetre
        self.donnees: DonneesIndicateurs | None = None

    def contenu(self) -> ComposeResult:
        yield Static(id="indicateurs-titre")
        with Container(id="compteurs"):
            for categorie in CATEGORIES:
                yield Compteur(categorie)
        yield Evolution(self.app.today, id="evolution")

    def on_mount(self) -> None:
        self._titre()
        self.query_one(Compteur).focus()
        self._lancer_calcul()

    def _titre(self) -> None:
        annee = "…" if self.donnees is None else libelle_annee(self.donnees.annee)
        self.query_one("#indicateurs-titre", Static).update(Text.assemble(
            ("Indicateurs", "bold"), f" · année scolaire {annee} · périmètre : {self.perimetre}",
        ))

    @work(thread=True, exclusive=True, group="indicateurs")
    def _lancer_calcul(self) -> None:
        # Tens of milliseconds on an académie, more with secteurs on a slow
        # server: never on the event loop.
        donnees = self.app.session_ouverte.indicateurs()
        if not get_current_worker().is_cancelled:
            self.post_message(Calcules(donnees))

    def on_calcules(self, message: Calcules) -> None:
        donnees = self.donnees = message.donnees
        total = donnees.nombre(PERIMETRE)
        for compteur in self.query(Compteur):
            compteur.montrer(donnees.nombre(compteur.categorie.cle), total)
        self.query_one(Evolution).montrer(donnees)
        self._titre()

    def on_compteur_choisi(self, message: Compteur.Choisi) -> None:
        if self.donnees is not None:
            self.dismiss((message.categorie, self.donnees.ids[message.categorie]))

    def action_retour(self) -> None:
        self.dismiss(None)

    def donnees_rechargees(self) -> None:
        self._lancer_calcul()
