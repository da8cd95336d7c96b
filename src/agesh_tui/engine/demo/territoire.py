"""The demo territory: the real Ille-et-Vilaine référentiel (every row),
replicated under the other départements of the académie for the XL size,
the secteurs ERSEH built from the real circonscriptions and PIAL, and the
school helpers (which levels an établissement teaches, its neighbours)."""

from __future__ import annotations

import math
import re
from bisect import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import accumulate

from ..modele.model import Etablissement, Secteur
from ..texte import replier
from . import noms

# Other départements of the académie de Rennes (XL size): label and the
# shift of the copied coordinates, which lands them roughly in place.
DEPARTEMENTS = {
    "035": ("Ille-et-Vilaine", 0.0, 0.0),
    "022": ("Côtes-d'Armor", 0.30, -1.15),
    "029": ("Finistère", 0.10, -2.40),
    "056": ("Morbihan", -0.30, -1.10),
}
_LETTRES_UAI = "ABCDEFGHJKLMNPRSTUVWXYZ"  # the 23 letters of the UAI key

# Levels 0..14: PS MS GS | CP CE1 CE2 CM1 CM2 | 6e 5e 4e 3e | 2nde 1re Tle
NIVEAUX = ("PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2", "6e", "5e", "4e", "3e",
           "2nde", "1re", "Tle")
CYCLES = {"mat": range(0, 3), "elem": range(3, 8), "col": range(8, 12), "lyc": range(12, 15)}
CYCLE_DU_NIVEAU = {n: c for c, r in CYCLES.items() for n in r}
# Relative number of notifications per level (fewer in PS, fewer in lycée).
POIDS_NIVEAU = (0.35, 0.65, 0.9, 1, 1, 1, 1, 1, 1, 1, 0.95, 0.9, 0.6, 0.5, 0.45)
EFFECTIF_PAR_DEFAUT = {"Ecole": 140, "Collège": 500, "Lycée": 700, "EREA": 120, "Autre": 90}


def cle_uai(sept: str) -> str:
    """The control letter of a UAI from its 7 digits."""
    return _LETTRES_UAI[int(sept) % 23]


def uai_copie(uai: str, dep: str) -> str:
    sept = dep + uai[3:7]
    return sept + cle_uai(sept)


def cycles_de(etab: Etablissement) -> tuple[str, ...]:
    """The cycles an établissement teaches ((), when it takes no pupil of the demo)."""
    return _cycles(etab.type, etab.nom)


@cache
def _cycles(type_: str, nom: str) -> tuple[str, ...]:
    if type_ == "Ecole":
        nom = replier(nom)
        if "maternelle" in nom:
            return ("mat",)
        if "elementaire" in nom:
            return ("elem",)
        return ("mat", "elem")
    if type_ in ("Collège", "EREA"):
        return ("col",)
    if type_ in ("Lycée", "Autre"):
        return ("lyc",)
    return ()


def distance2(a: Etablissement, b: Etablissement) -> float:
    """A cheap squared distance (equirectangular): only used to rank."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return math.inf  # the référentiel gives both coordinates or neither
    dx = (a.longitude - b.longitude) * 0.67  # cos(48°)
    dy = a.latitude - b.latitude
    return dx * dx + dy * dy


@dataclass
class Territoire:
    etablissements: list[Etablissement]
    par_uai: dict[str, Etablissement]
    effectifs: dict[str, int]
    secteurs: list[Secteur] = field(default_factory=list)
    secteur_de: dict[str, str] = field(default_factory=dict)  # uai → secteur code
    departements: tuple[str, ...] = ("035",)
    medico_sociaux: dict[str, list[Etablissement]] = field(default_factory=dict)  # dep → list
    payeur_assed: dict[str, str | None] = field(default_factory=dict)  # dep → lycée mutualisateur
    _membres: dict[str, list[Etablissement]] = field(default_factory=dict)
    _par_commune: dict[str, list[Etablissement]] = field(default_factory=dict)
    _par_cycle: dict[tuple[str, str], list[Etablissement]] = field(default_factory=dict)
    _voisins: dict[tuple[str, str], list[Etablissement]] = field(default_factory=dict)

    def __post_init__(self):
        membres, communes, cycle = defaultdict(list), defaultdict(list), defaultdict(list)
        for e in self.etablissements:
            if e.pial_uai:
                membres[e.pial_uai].append(e)
            communes[e.code_commune].append(e)
            for c in cycles_de(e):
                cycle[(e.uai[:3], c)].append(e)
        self._membres, self._par_commune, self._par_cycle = dict(membres), dict(communes), dict(cycle)

    def dep(self, uai: str) -> str:
        return uai[:3]

    def zone(self, uai: str) -> str:
        """Where the AESH of an établissement come from: its PIAL, else the
        hors-PIAL part of its secteur."""
        etab = self.par_uai[uai]
        return etab.pial_uai or "H-" + self.secteur_de.get(uai, uai[:3])

    def effectif(self, etab: Etablissement) -> int:
        return self.effectifs.get(etab.uai) or EFFECTIF_PAR_DEFAUT.get(etab.type, 0)

    def membres(self, pial: str) -> list[Etablissement]:
        return self._membres.get(pial, [])

    def voisins(self, etab: Etablissement, cycle: str) -> list[Etablissement]:
        """Other établissements teaching ``cycle`` near ``etab``: its PIAL's,
        else its commune's, else the five nearest."""
        cle = (etab.uai, cycle)
        found = self._voisins.get(cle)
        if found is None:
            found = [e for e in self.membres(etab.pial_uai) if e.uai != etab.uai and cycle in cycles_de(e)] \
                if etab.pial_uai else []
            if not found:
                found = [e for e in self._par_commune.get(etab.code_commune, ())
                         if e.uai != etab.uai and cycle in cycles_de(e)]
            if not found:
                autres = [e for e in self._par_cycle.get((etab.uai[:3], cycle), ()) if e.uai != etab.uai]
                autres.sort(key=lambda e: (distance2(etab, e), e.uai))
                found = autres[:5]
            self._voisins[cle] = found
        return found


class Tirage:
    """Weighted draws with precomputed cumulative weights (fast, reproducible)."""

    def __init__(self, items, poids):
        self.items = list(items)
        self.cumul = list(accumulate(poids))
        self.total = self.cumul[-1] if self.cumul else 0

    def __call__(self, rng):
        return self.items[bisect(self.cumul, rng.random() * self.total)]


def charger_territoire(referentiel, departements: tuple[str, ...], rng) -> Territoire:
    """Every row of the référentiel, copied under each extra département."""
    etabs: list[Etablissement] = []
    effectifs: dict[str, int] = {}
    for dep in departements:
        _, dlat, dlon = DEPARTEMENTS[dep]
        for e in referentiel.etablissements:
            if dep == "035":
                copie = e
            else:
                copie = replace(
                    e,
                    uai=uai_copie(e.uai, dep),
                    code_commune=dep[1:] + e.code_commune[2:] if e.code_commune else "",
                    code_postal=dep[1:] + e.code_postal[2:] if e.code_postal else "",
                    latitude=None if e.latitude is None else round(e.latitude + dlat, 6),
                    longitude=None if e.longitude is None else round(e.longitude + dlon, 6),
                    pial_uai=uai_copie(e.pial_uai, dep) if e.pial_uai else None,
                )
            etabs.append(copie)
            if e.uai in referentiel.effectifs:
                effectifs[copie.uai] = referentiel.effectifs[e.uai]
    territoire = Territoire(etabs, {e.uai: e for e in etabs}, effectifs, departements=departements)
    _secteurs(territoire, rng)
    for e in etabs:
        if e.type == "Médico-social":
            territoire.medico_sociaux.setdefault(e.uai[:3], []).append(e)
    for dep in departements:
        lycees = sorted(e.uai for e in etabs
                        if e.uai.startswith(dep) and e.type == "Lycée" and e.statut == "Public")
        territoire.payeur_assed[dep] = lycees[0] if lycees else None
    return territoire


_PREFIXE_CIRCO = re.compile(r"^circonscription d'inspection du 1er degr[ée] (de |du |des |d')?", re.I)


def nom_court(circonscription: str) -> str:
    nom = _PREFIXE_CIRCO.sub("", circonscription).strip()
    return nom[:1].upper() + nom[1:] if nom else circonscription


def _slug(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", replier(text).upper()).strip("-")


def _secteurs(t: Territoire, rng) -> None:
    """One secteur per circonscription of the 1er degré; the other
    établissements de scolarisation join the secteur most of their PIAL's
    members are in, else the one of the nearest école."""
    codes: dict[tuple[str, str], str] = {}
    for e in t.etablissements:
        if e.circonscription and e.scolaire:
            cle = (e.uai[:3], e.circonscription)
            if cle not in codes:
                dep = e.uai[:3]
                court = nom_court(e.circonscription)
                code = f"{dep}-{_slug(court)}"
                codes[cle] = code
                libelle = court if dep == "035" else f"{court} ({DEPARTEMENTS[dep][0]})"
                femme = rng.random() < 0.7
                prenom = rng.choice(noms.PRENOMS_FEMMES if femme else noms.PRENOMS_HOMMES)
                nom = rng.choice(noms.NOMS)
                mail = f"erseh.{_slug(court).lower()}.{dep[1:]}@ac-rennes.fr"
                t.secteurs.append(Secteur(code, libelle, f"{'Mme' if femme else 'M.'} {prenom} {nom}", mail))
            t.secteur_de[e.uai] = codes[cle]
    # PIAL: the secteur of most of its members
    par_pial: dict[str, Counter] = defaultdict(Counter)
    for e in t.etablissements:
        if e.pial_uai and e.uai in t.secteur_de:
            par_pial[e.pial_uai][t.secteur_de[e.uai]] += 1
    ecoles_par_dep: dict[str, list[Etablissement]] = defaultdict(list)
    for e in t.etablissements:
        if e.uai in t.secteur_de and e.latitude is not None:
            ecoles_par_dep[e.uai[:3]].append(e)
    premier: dict[str, str] = {}
    for s in t.secteurs:
        premier.setdefault(s.code[:3], s.code)
    for e in t.etablissements:
        if e.uai in t.secteur_de or not e.scolaire:
            continue
        compte = par_pial.get(e.pial_uai) if e.pial_uai else None
        if compte:
            t.secteur_de[e.uai] = min(compte.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            continue
        candidats = ecoles_par_dep.get(e.uai[:3], [])
        if e.latitude is not None and candidats:
            proche = min(candidats, key=lambda c: (distance2(e, c), c.uai))
            t.secteur_de[e.uai] = t.secteur_de[proche.uai]
        else:
            meme_commune = [c for c in candidats if c.code_commune == e.code_commune]
            secteur = t.secteur_de[meme_commune[0].uai] if meme_commune else premier.get(e.uai[:3])
            if secteur:
                t.secteur_de[e.uai] = secteur
