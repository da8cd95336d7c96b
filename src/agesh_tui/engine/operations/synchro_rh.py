"""RH synchronisation (SPEC §2.6, guide §3.1, §7–8): the EPP and ASSED extracts.

The extracts are read by echange.extrait_rh. Synchronising brings the AESH and missions of the extracts'
bases in line with them, in one transaction: created, updated, made inactive
when absent (never deleted), active again when back. Prévisionnel AESH and
missions belong to the gestionnaires: the synchronisation never touches them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from ..echange.extrait_rh import BASES, ExtraitInvalide, ExtraitRH, LigneRH, SynchroRHError
from ..echange.format import Erreur
from ..stockage import RienAEcrire, Stockage, Transaction, rh

ANNEES_HISTORIQUE = 3  # missions ended longer ago are not imported (guide §8)


# -- the report ----------------------------------------------------------------------

@dataclass
class BilanBase:
    """What a synchronisation did for one base (identifiers, sorted)."""

    lignes: int = 0
    aesh_crees: list[str] = field(default_factory=list)
    aesh_modifies: list[str] = field(default_factory=list)
    aesh_desactives: list[str] = field(default_factory=list)
    aesh_reactives: list[str] = field(default_factory=list)
    missions_creees: list[str] = field(default_factory=list)
    missions_modifiees: list[str] = field(default_factory=list)
    missions_desactivees: list[str] = field(default_factory=list)
    missions_reactivees: list[str] = field(default_factory=list)
    missions_ignorees: list[str] = field(default_factory=list)  # ended more than 3 years ago
    contrats_non_signes: list[str] = field(default_factory=list)  # ASSED only
    avertissements: list[str] = field(default_factory=list)

    @property
    def changements(self) -> int:
        return sum(len(getattr(self, nom)) for nom in _CHANGEMENTS)


_CHANGEMENTS = (
    "aesh_crees", "aesh_modifies", "aesh_desactives", "aesh_reactives",
    "missions_creees", "missions_modifiees", "missions_desactivees", "missions_reactivees",
)


@dataclass
class RapportSynchro:
    bases: dict[str, BilanBase]
    ecrit: bool = False  # False when the database already matched the extracts

    @property
    def changements(self) -> int:
        return sum(b.changements for b in self.bases.values())

    def en_dict(self) -> dict:
        return {"ecrit": self.ecrit, "bases": {base: asdict(b) for base, b in self.bases.items()}}


@dataclass
class BilanReferences:
    missions_modifiees: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)


# -- synchronising -------------------------------------------------------------------

AESH_COLONNES, MISSION_COLONNES = rh.AESH_COLONNES, rh.MISSION_COLONNES
_A = {nom: i for i, nom in enumerate(AESH_COLONNES)}
_M = {nom: i for i, nom in enumerate(MISSION_COLONNES)}


def synchroniser(store: Stockage, extraits: list[ExtraitRH], today: date) -> RapportSynchro:
    """Apply the extracts (at most one per base) in one transaction."""
    if not extraits:
        raise SynchroRHError("aucun extrait RH à synchroniser")
    bases = [e.base for e in extraits]
    if len(set(bases)) != len(bases):
        raise SynchroRHError("un seul extrait par base RH (EPP, ASSED) à chaque synchronisation")
    _verifier_missions_uniques(extraits)
    rapport = RapportSynchro({e.base: BilanBase(lignes=len(e.lignes)) for e in extraits})
    retenues = _retenir(extraits, il_y_a_trois_ans(today), rapport)
    try:
        with store.ecriture() as tx:
            _appliquer(tx, set(bases), retenues, rapport)
            if not rapport.changements:
                raise RienAEcrire
        rapport.ecrit = True
    except RienAEcrire:
        pass
    for bilan in rapport.bases.values():
        for nom in (*_CHANGEMENTS, "missions_ignorees", "contrats_non_signes"):
            getattr(bilan, nom).sort()
    return rapport


def il_y_a_trois_ans(today: date) -> date:
    """Missions that ended before this day are history: not imported."""
    try:
        return today.replace(year=today.year - ANNEES_HISTORIQUE)
    except ValueError:  # 29 February
        return date(today.year - ANNEES_HISTORIQUE, 2, 28)


def _verifier_missions_uniques(extraits: list[ExtraitRH]) -> None:
    """A mission belongs to one base: the same identifier in both extracts is
    an error of the extracts, not something to guess about."""
    vues: dict[str, tuple[ExtraitRH, LigneRH]] = {}
    erreurs = []
    for extrait in extraits:
        for ligne in extrait.lignes:
            autre = vues.setdefault(ligne.mission_id, (extrait, ligne))
            if autre[0] is not extrait:
                erreurs.append(Erreur(
                    extrait.fichier, ligne.ligne, extrait.colonne_mission, "mission_id",
                    f"mission « {ligne.mission_id} » déjà présente dans l'extrait {autre[0].base} "
                    f"({autre[0].fichier}, ligne {autre[1].ligne})",
                ))
    if erreurs:
        raise ExtraitInvalide(erreurs)


def _retenir(extraits: Iterable[ExtraitRH], limite: date, rapport: RapportSynchro) -> list[tuple[str, LigneRH]]:
    """The rows that are imported: signed, and not ended before ``limite``."""
    retenues = []
    for extrait in extraits:
        bilan = rapport.bases[extrait.base]
        for ligne in extrait.lignes:
            if not ligne.signe:
                bilan.contrats_non_signes.append(ligne.mission_id)
            elif ligne.fin is not None and ligne.fin < limite:
                bilan.missions_ignorees.append(ligne.mission_id)
            else:
                retenues.append((extrait.base, ligne))
    return retenues


def _recence(base: str, debut: str) -> tuple:
    """Order of missions to pick an AESH's base and identity: the latest
    start wins, EPP on a tie (the later stage of an AESH's career)."""
    return debut, base == "EPP"


def _appliquer(tx: Transaction, bases: set[str], retenues: Sequence[tuple[str, LigneRH]],
               rapport: RapportSynchro) -> None:
    aesh_db = {r[0]: r for r in tx.table("aesh", AESH_COLONNES)}
    missions_db = {r[0]: r for r in tx.table("mission", MISSION_COLONNES)}
    aesh = _aesh_apres(aesh_db, missions_db, bases, retenues, rapport)
    missions = _missions_apres(missions_db, aesh, bases, retenues, rh.references(tx), rapport)
    # AESH first: missions reference them. Unchanged rows are left alone.
    tx.upsert("aesh", AESH_COLONNES, ("id",), aesh.values(), versioned=True)
    tx.upsert("mission", MISSION_COLONNES, ("id",), missions, versioned=True)


def _aesh_apres(aesh_db: dict[str, tuple], missions_db: dict[str, tuple], bases: set[str],
               retenues: Sequence[tuple[str, LigneRH]], rapport: RapportSynchro) -> dict[str, tuple]:
    """The rows of the AESH the synchronisation concerns, as they must be
    after it; every change is recorded in the report."""
    par_aesh: dict[str, list[tuple[str, LigneRH]]] = {}
    for base, ligne in retenues:
        par_aesh.setdefault(ligne.matricule, []).append((base, ligne))
    ailleurs = _missions_recentes_ailleurs(missions_db, bases)
    apres: dict[str, tuple] = {}
    for matricule, lignes in par_aesh.items():
        base, ligne = max(lignes, key=lambda bl: (*_recence(bl[0], bl[1].debut.isoformat()), bl[1].ligne))
        ancien = aesh_db.get(matricule)
        if ancien is not None and ancien[_A["source"]] == "previsionnel":
            rapport.bases[base].avertissements.append(
                f"matricule {matricule} : c'est l'identifiant d'un AESH prévisionnel, "
                "ni cet AESH ni ses missions RH ne sont importés"
            )
            continue
        apres[matricule] = _aesh_cible(base, ligne, ancien, ailleurs.get(matricule))
        _classer(rapport.bases[base], "aesh", ancien, apres[matricule], _A)
    for id_, ancien in aesh_db.items():
        base = ancien[_A["source"]]
        if base not in bases or not ancien[_A["actif"]] or id_ in apres:
            continue
        if id_ in ailleurs:
            # Gone from this base but still working in the other one: it
            # moves there rather than becoming inactive.
            apres[id_] = ancien[:_A["source"]] + (ailleurs[id_][1],) + ancien[_A["source"] + 1:]
            rapport.bases[base].aesh_modifies.append(id_)
        else:
            apres[id_] = ancien[:_A["actif"]] + (0,)
            rapport.bases[base].aesh_desactives.append(id_)
    return apres


def _missions_apres(missions_db: dict[str, tuple], aesh: dict[str, tuple], bases: set[str],
                    retenues: Sequence[tuple[str, LigneRH]], references: dict[tuple[str, str], float],
                    rapport: RapportSynchro) -> list[tuple]:
    """The rows of the missions the synchronisation concerns, as they must
    be after it; every change is recorded in the report."""
    apres: dict[str, tuple] = {}
    sans_reference: Counter = Counter()
    for base, ligne in retenues:
        if ligne.matricule not in aesh:  # a prévisionnel AESH's identifier
            continue
        ancien = missions_db.get(ligne.mission_id)
        if ancien is not None and ancien[_M["source"]] == "previsionnel":
            rapport.bases[base].avertissements.append(
                f"mission {ligne.mission_id} : c'est l'identifiant d'une mission prévisionnelle, "
                "la mission RH n'est pas importée"
            )
            continue
        volume = volume_mission(ligne.contrat, base, ligne.quotite, ligne.volume, references)
        if volume is None:
            sans_reference[(ligne.contrat, base)] += 1
            volume = 0.0
        apres[ligne.mission_id] = (
            ligne.mission_id, ligne.matricule, ligne.contrat, ligne.nature, ligne.quotite, volume,
            ligne.debut.isoformat(), ligne.fin.isoformat() if ligne.fin else None,
            ligne.uai_employeur, ligne.uai_payeur, base, 1, ligne.volume,
        )
        _classer(rapport.bases[base], "missions", ancien, apres[ligne.mission_id], _M)
    for id_, ancien in missions_db.items():
        base = ancien[_M["source"]]
        if base in bases and ancien[_M["actif"]] and id_ not in apres:
            apres[id_] = ancien[:_M["actif"]] + (0,) + ancien[_M["actif"] + 1:]
            rapport.bases[base].missions_desactivees.append(id_)
    for (contrat, base), n in sorted(sans_reference.items()):
        rapport.bases[base].avertissements.append(_sans_reference(contrat, base, n))
    return list(apres.values())


def _missions_recentes_ailleurs(missions_db: dict[str, tuple], bases: set[str]) -> dict[str, tuple]:
    """Per AESH, the latest active mission in an RH base that is not part of
    this synchronisation: it still counts to choose the AESH's base."""
    recentes: dict[str, tuple] = {}  # AESH → (recence, base)
    for m in missions_db.values():
        source = m[_M["source"]]
        if m[_M["actif"]] and source in BASES and source not in bases:
            candidate = (_recence(source, m[_M["debut"]]), source)
            aesh_id = m[_M["aesh_id"]]
            recentes[aesh_id] = max(recentes.get(aesh_id, candidate), candidate)
    return recentes


def _aesh_cible(base: str, ligne: LigneRH, ancien: tuple | None, ailleurs: tuple | None) -> tuple:
    """The AESH row after synchronisation: RH fields from its most recent
    mission's row; fields the gestionnaire keeps (transport) left alone."""
    if ancien is not None and ailleurs is not None and ailleurs[0] > _recence(base, ligne.debut.isoformat()):
        # Its other base, not synchronised now, has a more recent mission:
        # that base keeps the AESH and its identity.
        return ancien[:_A["source"]] + (ailleurs[1],) + ancien[_A["source"] + 1:_A["actif"]] + (1,)
    latitude = longitude = None
    transport = ""
    if ancien is not None:
        transport = ancien[_A["transport"]]
        adresse = (ancien[_A["adresse"]], ancien[_A["code_postal"]], ancien[_A["commune"]])
        if adresse == (ligne.adresse, ligne.code_postal, ligne.commune):
            # A new address makes the old coordinates wrong (distances): they
            # are only kept while the address stays the same.
            latitude, longitude = ancien[_A["latitude"]], ancien[_A["longitude"]]
    return (
        ligne.matricule, base, ligne.civilite, ligne.nom, ligne.prenom,
        ligne.date_naissance.isoformat() if ligne.date_naissance else None,
        ligne.adresse, ligne.code_postal, ligne.commune, latitude, longitude, transport,
        int(ligne.rqth), 1,
    )


_LIBELLES = {
    "aesh": ("aesh_crees", "aesh_reactives", "aesh_modifies"),
    "missions": ("missions_creees", "missions_reactivees", "missions_modifiees"),
}


def _classer(bilan: BilanBase, quoi: str, ancien: tuple | None, cible: tuple, index: dict) -> None:
    creees, reactivees, modifiees = _LIBELLES[quoi]
    if ancien is None:
        getattr(bilan, creees).append(cible[0])
    elif not ancien[index["actif"]]:
        getattr(bilan, reactivees).append(cible[0])
    elif ancien != cible:
        getattr(bilan, modifiees).append(cible[0])


# -- volumes and références de temps de travail (guide §3.1) --------------------------

def volume_mission(
    contrat: str, base: str, quotite: float | None, volume_rh: float | None,
    references: dict[tuple[str, str], float],
) -> float | None:
    """Weekly hours of an RH mission: the extract's own volume, else 0 without
    a quotité (guide §8), else the référence at 100 % × quotité; None when
    that référence does not exist."""
    if volume_rh is not None:
        return volume_rh
    if quotite is None:
        return 0.0
    heures = references.get((contrat, base))
    if heures is None:
        return None
    return round(heures * quotite / 100, 2)


def _sans_reference(contrat: str, base: str, n: int) -> str:
    missions = "1 mission" if n == 1 else f"{n} missions"
    return (
        f"aucune référence de temps de travail pour les {contrat} {base} : volume 0 pour {missions} "
        "(à créer dans les paramètres du département)"
    )


def appliquer_references(store: Stockage, today: date) -> BilanReferences:
    """« Forcer la mise à jour » : recompute from the current références the
    volume of every active RH mission that has a quotité and no volume of its
    own in the extract. Missions ended more than 3 years ago are history and
    keep theirs."""
    bilan = BilanReferences()
    limite = il_y_a_trois_ans(today).isoformat()
    try:
        with store.ecriture() as tx:
            references = rh.references(tx)
            sans_reference: Counter = Counter()
            lignes = []
            for id_, contrat, base, quotite, volume in rh.missions_au_volume_calcule(tx, BASES, limite):
                nouveau = volume_mission(contrat, base, quotite, None, references)
                if nouveau is None:
                    sans_reference[(contrat, base)] += 1
                    nouveau = 0.0
                if nouveau != volume:
                    lignes.append((id_, nouveau))
            bilan.avertissements = [
                _sans_reference(contrat, base, n) for (contrat, base), n in sorted(sans_reference.items())
            ]
            tx.upsert("mission", ("id", "volume"), ("id",), lignes, versioned=True)
            bilan.missions_modifiees = sorted(id_ for id_, _ in lignes)
            if not lignes:
                raise RienAEcrire
    except RienAEcrire:
        pass
    return bilan
