"""Rows of AESH and missions — the RH synchronisation's and the
gestionnaires' prévisionnels — and the reads of the synchronisation:
références de temps de travail and the missions whose volume they give."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ..modele.model import Aesh, Mission
from .transaction import Transaction

AESH_COLONNES = (
    "id", "source", "civilite", "nom", "prenom", "date_naissance", "adresse", "code_postal",
    "commune", "latitude", "longitude", "transport", "rqth", "actif",
)
# volume_rh: the extract's own weekly volume (None: computed from the références).
MISSION_COLONNES = (
    "id", "aesh_id", "contrat", "nature", "quotite", "volume", "debut", "fin",
    "uai_employeur", "uai_payeur", "source", "actif", "volume_rh",
)
# Ids of the rows the gestionnaires create (no RH matricule looks like them).
PREFIXE_AESH, PREFIXE_MISSION = "AP", "MP"


def references(tx: Transaction) -> dict[tuple[str, str], float]:
    """Weekly hours at 100 % per (contrat, base)."""
    return {(c, b): h for c, b, h in tx.lignes("SELECT contrat, base, heures FROM reference_temps")}


def missions_au_volume_calcule(tx: Transaction, bases: Sequence[str], limite: str) -> list[tuple]:
    """(id, contrat, base, quotite, volume) of the active RH missions whose
    volume comes from the références (a quotité, no volume of their own in
    the extract), not ended before ``limite``."""
    marques = ", ".join("?" for _ in bases)
    return tx.lignes(
        "SELECT id, contrat, source, quotite, volume FROM mission "
        f"WHERE source IN ({marques}) AND actif = 1 AND quotite IS NOT NULL "
        "AND volume_rh IS NULL AND (fin IS NULL OR fin >= ?)",
        (*bases, limite),
    )


# -- one AESH, one mission ----------------------------------------------------------------
def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _jour(texte: str | None) -> date | None:
    return date.fromisoformat(texte) if texte else None


def ligne_aesh(a: Aesh) -> tuple:
    """The row of ``a`` in AESH_COLONNES' order."""
    return (a.id, a.source, a.civilite, a.nom, a.prenom, _iso(a.date_naissance), a.adresse,
            a.code_postal, a.commune, a.latitude, a.longitude, a.transport, int(a.rqth),
            int(a.actif))


def ligne_mission(m: Mission, volume_rh: float | None = None) -> tuple:
    """The row of ``m`` in MISSION_COLONNES' order."""
    return (m.id, m.aesh_id, m.contrat, m.nature, m.quotite, m.volume, m.debut.isoformat(),
            _iso(m.fin), m.uai_employeur, m.uai_payeur, m.source, int(m.actif), volume_rh)


def lire_aesh(tx: Transaction, aesh_id: str) -> Aesh | None:
    """The AESH as the base holds it now (its version included)."""
    r = tx.ligne(f"SELECT {', '.join(AESH_COLONNES)}, version FROM aesh WHERE id = ?", (aesh_id,))
    if r is None:
        return None
    return Aesh(r[0], r[1], r[2], r[3], r[4], _jour(r[5]), r[6], r[7], r[8], r[9], r[10], r[11],
                bool(r[12]), bool(r[13]), r[14])


def lire_mission(tx: Transaction, mission_id: str) -> Mission | None:
    """The mission as the base holds it now (its version included)."""
    colonnes = MISSION_COLONNES[:-1]  # volume_rh is the synchronisation's own
    r = tx.ligne(f"SELECT {', '.join(colonnes)}, version FROM mission WHERE id = ?", (mission_id,))
    if r is None:
        return None
    debut = _jour(r[6])
    assert debut is not None, "a mission has a start (schema: NOT NULL)"
    return Mission(r[0], r[1], r[2], r[3], r[4], r[5], debut, _jour(r[7]), r[8], r[9], r[10],
                   bool(r[11]), r[12])


def inserer_aesh(tx: Transaction, a: Aesh) -> Aesh:
    """Write a new AESH under a new id (AP000001…); returns it, version 1."""
    a = replace(a, id=tx.nouvel_id("aesh", PREFIXE_AESH), version=1)
    tx.inserer("aesh", AESH_COLONNES, [ligne_aesh(a)])
    return a


def inserer_mission(tx: Transaction, m: Mission) -> Mission:
    """Write a new mission under a new id (MP000001…); returns it, version 1."""
    m = replace(m, id=tx.nouvel_id("mission", PREFIXE_MISSION), version=1)
    tx.inserer("mission", MISSION_COLONNES, [ligne_mission(m)])
    return m


def modifier_aesh(tx: Transaction, version: int, nouveau: Aesh) -> Aesh:
    """Replace the AESH read at ``version`` by ``nouveau``; stale → refused."""
    valeurs = dict(zip(AESH_COLONNES[1:], ligne_aesh(nouveau)[1:], strict=True))
    return replace(nouveau, version=tx.update_versioned("aesh", "id", nouveau.id, version, valeurs))


def modifier_mission(tx: Transaction, version: int, nouvelle: Mission) -> Mission:
    """Replace the mission read at ``version`` by ``nouvelle`` (its volume_rh
    left alone); stale → refused."""
    valeurs = dict(zip(MISSION_COLONNES[1:-1], ligne_mission(nouvelle)[1:-1], strict=True))
    return replace(nouvelle, version=tx.update_versioned("mission", "id", nouvelle.id, version,
                                                         valeurs))
