"""The lists of the application as tables (SPEC F5, §6): for each list
(Accueil's décisions, AESH, missions, accompagnements, PIAL), its columns
— key, title, cell type, value —, the filters it offers, and the view the
user asked for: filters, search, sort, visible columns. The spreadsheet
export (engine.echange.tableur) writes a view; the command line builds one
from its options, a screen from its list's state.

The same semantics as the screens' lists (widgets/liste.py): a search keeps
the rows that contain every word in some column, case and accents folded;
filters of different keys combine with AND, values of one key with OR; a
sort puts empty values last in both directions, text in French order.
Accueil's columns here carry the same keys and titles as the screen's
(tests/test_voisins_tableaux.py holds them together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from ..engine.calendrier import annee_scolaire, format_date
from ..engine.echange.tableur import ColonneTableur, TypeCellule
from ..engine.regles.perimetre import active_pendant
from ..engine.texte import nettoyer, replier

if TYPE_CHECKING:
    from .session import Session

LISTES = ("decisions", "aesh", "missions", "accompagnements", "pial")
LIBELLES_ETAT = {"sans_scolarite": "sans scolarité", "sans_accompagnement": "sans accompagnement",
                 "partielle": "partielle", "complete": "complète", "excedentaire": "excédentaire"}


class ListeInconnue(ValueError):
    """A column, filter or list the user named does not exist (French message)."""


@dataclass(frozen=True, slots=True)
class ColonneListe:
    cle: str
    titre: str
    type: TypeCellule
    valeur: Callable[[Any], object]
    visible: bool = True  # shown by default
    cle_tri: Callable[[Any], object] | None = None  # sorts by this instead of the value


@dataclass(frozen=True, slots=True)
class FiltreListe:
    """A ``choix`` filter: ``valeur(ligne)`` is a text or several."""

    cle: str
    libelle: str
    valeur: Callable[[Any], str | Iterable[str] | None]


@dataclass(frozen=True)
class DefinitionListe:
    nom: str
    titre: str  # the sheet's name
    colonnes: tuple[ColonneListe, ...]
    filtres: tuple[FiltreListe, ...]
    # (début, fin) of a row, for « active sur tout ou partie de l'année scolaire »
    periode: Callable[[Any], tuple[date, date | None]] | None = None

    def colonne(self, cle: str) -> ColonneListe:
        for c in self.colonnes:
            if c.cle == cle:
                return c
        raise ListeInconnue(f"colonne « {cle} » inconnue pour {self.nom} (colonnes : "
                            f"{', '.join(c.cle for c in self.colonnes)})")


@dataclass
class Tableau:
    """A view of a list: the columns shown, the rows kept, in order."""

    titre: str
    colonnes: list[ColonneListe]
    lignes: list[Any] = field(default_factory=list)

    def colonnes_tableur(self) -> list[ColonneTableur]:
        return [ColonneTableur(c.titre, c.type) for c in self.colonnes]

    def valeurs(self) -> list[list[object]]:
        return [[c.valeur(ligne) for c in self.colonnes] for ligne in self.lignes]

    def dictionnaires(self) -> list[dict[str, object]]:
        """The rows as JSON-able objects keyed by column (dates ISO)."""
        return [{c.cle: _json(c.valeur(ligne)) for c in self.colonnes} for ligne in self.lignes]


def _json(valeur: object) -> object:
    return valeur.isoformat() if isinstance(valeur, date) else valeur


# -- the view ------------------------------------------------------------------------

def texte_cellule(valeur: object) -> str:
    """How a value reads in a list (and what a search looks in)."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, date):
        return format_date(valeur)
    if isinstance(valeur, float):
        return f"{valeur:g}".replace(".", ",")
    return str(valeur)


def vue(definition: DefinitionListe, lignes: Iterable[Any], *, annee: int | None = None,
        filtres: dict[str, list[str]] | None = None, recherche: str = "",
        tri: Sequence[tuple[str, bool]] = (), colonnes: Sequence[str] | None = None) -> Tableau:
    """The rows kept by the filters and the search, sorted by ``tri``
    (column key, descending), with ``colonnes`` shown (default: the list's
    default columns, in their order)."""
    par_cle = {f.cle: f for f in definition.filtres}
    for cle in filtres or {}:
        if cle not in par_cle:
            raise ListeInconnue(f"filtre « {cle} » inconnu pour {definition.nom} (filtres : "
                                f"{', '.join(par_cle) or 'aucun'})")
    tris = [(definition.colonne(cle), desc) for cle, desc in tri]
    montrees = ([definition.colonne(c) for c in colonnes] if colonnes
                else [c for c in definition.colonnes if c.visible])
    gardees = list(lignes)
    if annee is not None and definition.periode is not None:
        periode = definition.periode
        gardees = [l for l in gardees if active_pendant(*periode(l), annee)]
    for cle, valeurs in (filtres or {}).items():
        voulues = {replier(nettoyer(v)) for v in valeurs}
        gardees = [l for l in gardees if _garder(par_cle[cle].valeur(l), voulues)]
    mots = replier(nettoyer(recherche)).split()
    if mots:
        gardees = [l for l in gardees if _contient(definition.colonnes, l, mots)]
    for colonne, descendant in reversed(tris):
        gardees = _trier(gardees, colonne, descendant)
    return Tableau(definition.titre, montrees, gardees)


def _garder(valeur: str | Iterable[str] | None, voulues: set[str]) -> bool:
    if valeur is None:
        return False
    if isinstance(valeur, str):
        return replier(valeur) in voulues
    return any(replier(v) in voulues for v in valeur)


def _contient(colonnes: Sequence[ColonneListe], ligne: Any, mots: list[str]) -> bool:
    botte = "\n".join(replier(nettoyer(texte_cellule(c.valeur(ligne)))) for c in colonnes)
    return all(m in botte for m in mots)


def _trier(lignes: list[Any], colonne: ColonneListe, descendant: bool) -> list[Any]:
    """Stable; None last whatever the direction; text folded."""
    cle = colonne.cle_tri or colonne.valeur
    avec = [(v if not isinstance(v, str) else replier(v), l) for l in lignes
            if (v := cle(l)) is not None]
    sans = [l for l in lignes if cle(l) is None]
    avec.sort(key=lambda x: cast(Any, x[0]), reverse=descendant)
    return [l for _, l in avec] + sans


# -- the five lists ---------------------------------------------------------------

def definition(session: Session, nom: str, annee: int | None = None) -> tuple[DefinitionListe, list[Any]]:
    """The list ``nom`` (one of LISTES) and its rows for the session;
    ``annee``: the school year of the PIAL aggregates (default: today's)."""
    if nom == "pial":
        return _pial(session, annee)
    constructeurs = {"decisions": _decisions, "aesh": _aesh, "missions": _missions,
                     "accompagnements": _accompagnements}
    if nom not in constructeurs:
        raise ListeInconnue(f"liste « {nom} » inconnue (listes : {', '.join(LISTES)})")
    return constructeurs[nom](session)


def _decisions(session: Session) -> tuple[DefinitionListe, list[Any]]:
    today = session.today

    def frise(l: Any) -> Any:
        return session.frise(l.id)

    def etat(l: Any) -> str | None:
        f = frise(l)
        if f is None or not f.segments:
            return None
        # The segment of today; before the décision its first, after it its last.
        segment = next((s for s in f.segments if s.debut <= today <= s.fin),
                       f.segments[0] if today < f.segments[0].debut else f.segments[-1])
        return LIBELLES_ETAT[segment.etat] + (" (prévisionnel)" if segment.previsionnel else "")

    def priorite(l: Any) -> float | None:
        f = frise(l)
        return None if f is None else f.priorite

    def couverture(l: Any) -> float | None:
        f = frise(l)
        return None if f is None else f.couverture

    colonnes = (
        ColonneListe("eleve_id", "Identifiant", "texte", lambda l: l.eleve_id),
        ColonneListe("nom", "Nom prénom", "texte", lambda l: l.nom),
        ColonneListe("type", "Type", "texte", lambda l: l.type),
        ColonneListe("heures", "Heures", "nombre", lambda l: l.heures),
        # The frise as the state of today; sorted by priorité, as on screen.
        ColonneListe("mise_en_oeuvre", "Mise en œuvre", "texte", etat, cle_tri=priorite),
        ColonneListe("debut", "Début", "date", lambda l: l.debut),
        ColonneListe("fin", "Fin", "date", lambda l: l.fin),
        ColonneListe("etablissements", "Établissement(s) de scolarisation", "texte",
                     lambda l: ", ".join(l.etablissements)),
        ColonneListe("secteur", "Secteur", "texte", lambda l: ", ".join(l.secteurs)),
        ColonneListe("tete_pial", "Tête de PIAL", "texte", lambda l: l.tete_pial),
        ColonneListe("origine", "Origine", "texte", lambda l: l.origine),
        ColonneListe("nature", "Nature", "texte", lambda l: l.nature),
        ColonneListe("distance", "Distance", "nombre", lambda l: _arrondi(session.distance_du_jour(l.id))),
        ColonneListe("couverture", "Couverture", "pourcent", couverture, visible=False),
        ColonneListe("uai", "UAI scolarisation", "texte", lambda l: ", ".join(l.uais), visible=False),
        ColonneListe("uai_tete", "UAI tête de PIAL", "texte", lambda l: l.uai_tete, visible=False),
    )
    filtres = (
        FiltreListe("type", "Type de décision", lambda l: l.type),
        FiltreListe("secteur", "Secteur", lambda l: l.secteurs),
        FiltreListe("tete_pial", "Établissement tête de PIAL (UAI)", lambda l: l.uai_tete),
        FiltreListe("etablissement", "Établissement de scolarisation (UAI)", lambda l: l.uais),
        FiltreListe("origine", "Origine", lambda l: l.origine),
        FiltreListe("nature", "Nature", lambda l: l.nature),
    )
    return (DefinitionListe("decisions", "Décisions", colonnes, filtres, lambda l: (l.debut, l.fin)),
            list(session.lignes_accueil()))


def _arrondi(valeur: float | None, decimales: int = 1) -> float | None:
    return None if valeur is None else round(valeur, decimales)


def _aesh(session: Session) -> tuple[DefinitionListe, list[Any]]:
    # The rows of the AESH screen (api/vues_aesh.py): one set of values for both.
    colonnes = (
        ColonneListe("id", "Identifiant", "texte", lambda l: l.id),
        ColonneListe("nom", "Nom prénom", "texte", lambda l: l.nom),
        ColonneListe("civilite", "Civilité", "texte", lambda l: l.civilite),
        ColonneListe("source", "Source", "texte", lambda l: l.source),
        ColonneListe("code_postal", "CP", "texte", lambda l: l.code_postal),
        ColonneListe("commune", "Commune", "texte", lambda l: l.commune),
        ColonneListe("transport", "Moyen de transport", "texte", lambda l: l.transport),
        ColonneListe("rqth", "RQTH", "booleen", lambda l: l.rqth),
        # « [I] » marks an inactive AESH in the list (guide §7).
        ColonneListe("actif", "Actif", "texte", lambda l: l.etat or "oui"),
        ColonneListe("missions", "Missions en cours", "entier", lambda l: l.missions),
        ColonneListe("volume", "Volume en cours (h)", "nombre", lambda l: l.volume),
        ColonneListe("date_naissance", "Date de naissance", "date", lambda l: l.date_naissance, visible=False),
        ColonneListe("adresse", "Adresse", "texte", lambda l: l.adresse, visible=False),
    )
    filtres = (
        FiltreListe("source", "Source", lambda l: l.source),
        FiltreListe("commune", "Commune", lambda l: l.commune),
        FiltreListe("transport", "Moyen de transport", lambda l: l.transport),
        FiltreListe("actif", "Actif (oui/non)", lambda l: "oui" if l.actif else "non"),
    )
    return DefinitionListe("aesh", "AESH", colonnes, filtres), list(session.lignes_aesh())


def _missions(session: Session) -> tuple[DefinitionListe, list[Any]]:
    # The rows of the Missions screen (api/vues_missions.py): one set of values for both.
    colonnes = (
        ColonneListe("id", "Mission", "texte", lambda l: l.id),
        ColonneListe("nom", "Nom prénom", "texte", lambda l: l.nom),
        ColonneListe("code_postal", "CP", "texte", lambda l: l.code_postal),
        ColonneListe("commune", "Commune", "texte", lambda l: l.commune),
        ColonneListe("transport", "Moyen de transport", "texte", lambda l: l.transport),
        ColonneListe("contrat", "Contrat", "texte", lambda l: l.contrat),
        ColonneListe("debut", "Début", "date", lambda l: l.debut),
        ColonneListe("fin", "Fin", "date", lambda l: l.fin),
        ColonneListe("nature", "Nature", "texte", lambda l: l.nature),
        ColonneListe("quotite", "Quotité", "pourcent", lambda l: l.quotite),
        ColonneListe("volume", "Volume (h)", "nombre", lambda l: l.volume),
        ColonneListe("employeur", "Établissement employeur", "texte", lambda l: l.employeur),
        # The occupation bar as hours taken today.
        ColonneListe("occupation", "Occupation aujourd'hui (h)", "nombre", lambda l: l.heures_aujourdhui),
        ColonneListe("actif", "Active", "booleen", lambda l: l.actif),
        ColonneListe("previsionnel", "Prévisionnelle", "booleen", lambda l: l.previsionnel, visible=False),
        ColonneListe("uai_employeur", "UAI employeur", "texte", lambda l: l.uai_employeur, visible=False),
    )
    filtres = (
        FiltreListe("contrat", "Type de contrat", lambda l: l.contrat),
        FiltreListe("nature", "Nature de support", lambda l: l.nature),
        FiltreListe("employeur", "Établissement employeur (UAI)", lambda l: l.uai_employeur or None),
        FiltreListe("actif", "Active (oui/non)", lambda l: "oui" if l.actif else "non"),
        FiltreListe("accompagnant", "Nature accompagnante (oui/non)",
                    lambda l: "oui" if l.accompagnant else "non"),
    )
    return (DefinitionListe("missions", "Missions", colonnes, filtres, lambda l: (l.debut, l.fin)),
            list(session.lignes_missions()))


def _accompagnements(session: Session) -> tuple[DefinitionListe, list[Any]]:
    # The rows of the Accompagnements screen (api/vues_accompagnements.py):
    # one set of values for both.
    colonnes = (
        ColonneListe("id", "Accompagnement", "texte", lambda l: l.id),
        ColonneListe("aesh", "AESH", "texte", lambda l: l.aesh),
        ColonneListe("debut", "Début", "date", lambda l: l.debut),
        ColonneListe("fin", "Fin", "date", lambda l: l.fin),
        ColonneListe("type", "Type", "texte", lambda l: l.type),
        ColonneListe("decisions", "Décisions", "entier", lambda l: l.decisions),
        ColonneListe("eleves", "Élève(s)", "texte", lambda l: ", ".join(l.eleves)),
        ColonneListe("etablissement", "Établissement", "texte", lambda l: l.etablissement),
        ColonneListe("heures", "Heures", "nombre", lambda l: l.heures),
        ColonneListe("previsionnel", "Prévisionnel", "booleen", lambda l: l.previsionnel),
        ColonneListe("maintien", "Maintien", "booleen", lambda l: l.maintien, visible=False),
        ColonneListe("anomalie", "Anomalie", "booleen", lambda l: l.anomalie, visible=False),
        ColonneListe("mission", "Mission", "texte", lambda l: l.mission_id, visible=False),
        ColonneListe("uai", "UAI", "texte", lambda l: l.uai, visible=False),
    )
    filtres = (
        FiltreListe("type", "Type", lambda l: l.type),
        FiltreListe("etablissement", "Établissement (UAI)", lambda l: l.uai),
        FiltreListe("previsionnel", "Prévisionnel (oui/non)",
                    lambda l: "oui" if l.previsionnel else "non"),
    )
    lignes = sorted(session.lignes_accompagnements(), key=lambda l: l.id)
    return (DefinitionListe("accompagnements", "Accompagnements", colonnes, filtres,
                            lambda l: (l.debut, l.fin)), lignes)


def _pial(session: Session, annee: int | None) -> tuple[DefinitionListe, list[Any]]:
    """The stored aggregates of a school year (SPEC §2.5), by PIAL."""
    colonnes = (
        ColonneListe("pial_uai", "PIAL", "texte", lambda a: a.pial_uai),
        ColonneListe("nom", "Tête de PIAL", "texte", lambda a: session.nom_etablissement(a.pial_uai)),
        ColonneListe("decisions_individuelles", "Déc. individuelles", "entier", lambda a: a.decisions_individuelles),
        ColonneListe("decisions_mutualisees", "Déc. mutualisées", "entier", lambda a: a.decisions_mutualisees),
        ColonneListe("heures_individuelles", "Heures individuelles", "nombre",
                     lambda a: _arrondi(a.heures_individuelles, 2)),
        ColonneListe("besoin", "Besoin (h)", "nombre", lambda a: _arrondi(a.besoin, 2)),
        ColonneListe("moyens", "Moyens (h)", "nombre", lambda a: _arrondi(a.moyens, 2)),
        ColonneListe("couverture", "Couverture", "pourcent", lambda a: _arrondi(a.couverture, 2)),
        ColonneListe("a_jour", "À jour", "booleen", lambda a: a.a_jour),
    )
    annee = annee_scolaire(session.today) if annee is None else annee
    return DefinitionListe("pial", "PIAL", colonnes, ()), list(session.agregats_pial(annee))

