"""The status line under a list: « 1 234 décisions sur 6 012 ·
3 sélectionnées · filtres : année 2025-2026, type : individuelle · recherche :
« leo » · tri : Nom ▲ » — the filters with their values and the search
first, so that a user who misses rows sees why (guide §4.4: « pensez à
contrôler les filtres positionnés et vider le champ de recherche »)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .liste import ListeDonnees


def nombre(n: int) -> str:
    """French grouping with a no-break space: 6 012."""
    return f"{n:,}".replace(",", "\u00a0")


# Each filter value cut at this many characters, then fewer while the line
# is wider than the terminal (80 columns); the sort comes last, cut first.
LONGUEURS_VALEURS = (40, 16, 10)


def resume(liste: ListeDonnees, unite: tuple[str, str], feminin: bool,
           largeur: int | None = None) -> str:
    """``unite`` is (singulier, pluriel), e.g. ("décision", "décisions")."""
    n = liste.nombre_affiche
    debut = [f"{nombre(n)} {unite[0] if n <= 1 else unite[1]} sur {nombre(liste.nombre_total)}"]
    # Computed in a thread (25 000 frises): say why the rows are not there yet.
    if liste.tri_en_cours:
        debut.insert(0, "Tri…")
    if liste.recherche_en_cours:
        debut.insert(0, "Recherche…")
    choisies = liste.nombre_selectionne
    if choisies:
        accord = ("e" if feminin else "") + ("s" if choisies > 1 else "")
        debut.append(f"{nombre(choisies)} sélectionné{accord}")
    fin = []
    if liste.recherche:
        fin.append(f"recherche : « {liste.recherche} »")
    if liste.tris:
        fin.append(
            "tri : " + ", ".join(f"{c.titre} {'▼' if desc else '▲'}" for c, desc in liste.tris)
        )
    valeurs = liste.parametres_filtres.get("valeurs") or {}
    for longueur in LONGUEURS_VALEURS:
        filtres = [f.resume(valeurs.get(f.cle), longueur) for f in liste.filtres_actifs]
        morceaux = [*debut, *(["filtres : " + ", ".join(filtres)] if filtres else []), *fin]
        texte = " · ".join(morceaux)
        if largeur is None or len(texte) <= largeur:
            break
    return texte


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
        self._liste: ListeDonnees | None = None

    def actualiser(self, liste: ListeDonnees) -> None:
        self._liste = liste
        largeur = self.content_size.width or None  # unknown before the first layout
        self.update(Text(resume(liste, self.unite, self.feminin, largeur)))

    def on_resize(self) -> None:
        if self._liste is not None:
            self.actualiser(self._liste)
