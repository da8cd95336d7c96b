"""The status line under a list: « 1 234 décisions sur 6 012 ·
3 sélectionnées · tri : Nom ▲, Début ▼ », then the active filters and the
search, so that a user who misses rows sees why (guide §4.4: « pensez à
contrôler les filtres positionnés et vider le champ de recherche »)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .liste import ListeDonnees


def nombre(n: int) -> str:
    """French grouping with a no-break space: 6 012."""
    return f"{n:,}".replace(",", "\u00a0")


def resume(liste: ListeDonnees, unite: tuple[str, str], feminin: bool) -> str:
    """``unite`` is (singulier, pluriel), e.g. ("décision", "décisions")."""
    n = liste.nombre_affiche
    morceaux = [f"{nombre(n)} {unite[0] if n <= 1 else unite[1]} sur {nombre(liste.nombre_total)}"]
    # Computed in a thread (25 000 frises): say why the rows are not there yet.
    if liste.tri_en_cours:
        morceaux.insert(0, "Tri…")
    if liste.recherche_en_cours:
        morceaux.insert(0, "Recherche…")
    choisies = liste.nombre_selectionne
    if choisies:
        accord = ("e" if feminin else "") + ("s" if choisies > 1 else "")
        morceaux.append(f"{nombre(choisies)} sélectionné{accord}")
    if liste.tris:
        morceaux.append(
            "tri : " + ", ".join(f"{c.titre} {'▼' if desc else '▲'}" for c, desc in liste.tris)
        )
    if liste.filtres_actifs:
        morceaux.append("filtres : " + ", ".join(f.libelle for f in liste.filtres_actifs))
    if liste.recherche:
        morceaux.append(f"recherche : « {liste.recherche} »")
    return " · ".join(morceaux)


class EtatListe(Static):
    """Counts, selection, sorts, filters and search of a list."""

    DEFAULT_CSS = """
    EtatListe {
        height: 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(
        self, unite: tuple[str, str] = ("ligne", "lignes"), feminin: bool = True, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.unite = unite
        self.feminin = feminin

    def actualiser(self, liste: ListeDonnees) -> None:
        self.update(Text(resume(liste, self.unite, self.feminin)))
