"""Client of the Annuaire de l'éducation (OpenDataSoft Explore API v2.1 of
data.education.gouv.fr, dataset ``fr-en-annuaire-education``).

Records are paged 100 at a time through ``offset``. The API refuses
``offset + limit`` beyond 10 000; no département comes near that (the
largest has a few thousand établissements), so a larger answer is refused
with a message pointing to the CSV export rather than handled by a second,
never-exercised download path.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx

from .. import __version__
from ..engine.echange.referentiel import Referentiel, ReferentielError, lire_enregistrements

URL = (
    "https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/"
    "fr-en-annuaire-education/records"
)
LIMITE_PAGE = 100
PLAFOND_OFFSET = 10_000
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
PAUSES = (1.0, 2.0, 4.0)  # backoff before each of the 3 retries, in seconds


class AnnuaireIndisponible(Exception):
    """The service could not be reached or answered nonsense (French message)."""

    def __init__(self, cause: str):
        super().__init__(
            f"service de l'Annuaire de l'éducation injoignable ({cause}) : vérifiez la "
            "connexion, ou importez un fichier CSV avec « agesh referentiel FICHIER.csv »"
        )


def code_departement(departement: str) -> str:
    """The Annuaire's 3-character code: ``35`` → ``035``, ``2a`` → ``02A``."""
    code = departement.strip().upper()
    if not re.fullmatch(r"\d{1,3}|0?2[AB]", code):
        raise ReferentielError(
            f"département « {departement} » invalide : attendu un code comme 035, 2A ou 974."
        )
    return code.zfill(3)


def telecharger_annuaire(
    departement: str,
    client: httpx.Client | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Referentiel:
    """Every établissement of a département. ``progress(reçus, total)`` is
    called after each page."""
    code = code_departement(departement)
    own = client is None
    if client is None:
        client = httpx.Client(headers={"User-Agent": f"agesh-tui/{__version__}"})
    try:
        records = _telecharger(client, code, progress, sleep)
    finally:
        if own:
            client.close()
    if not records:
        raise ReferentielError(
            f"aucun établissement pour le département {code} dans l'Annuaire de l'éducation : "
            "vérifiez le code du département."
        )
    return lire_enregistrements(records, f"Annuaire de l'éducation, département {code}")


def _telecharger(client: httpx.Client, code: str, progress: Callable[[int, int], None] | None,
                 sleep: Callable[[float], None]) -> list[dict]:
    records: list[dict] = []
    while True:
        page = _page(client, code, len(records), sleep)
        total, results = page["total_count"], page["results"]
        if total > PLAFOND_OFFSET:
            raise ReferentielError(
                f"l'Annuaire de l'éducation annonce {total} établissements pour le département "
                f"{code}, au-delà des {PLAFOND_OFFSET} que son API sait paginer : téléchargez "
                "l'export CSV du jeu « fr-en-annuaire-education » sur data.education.gouv.fr "
                "et importez-le avec « agesh referentiel FICHIER.csv »."
            )
        records.extend(results)
        if progress is not None:
            progress(len(records), total)
        # An empty page ends the loop even if total_count moved meanwhile.
        if not results or len(records) >= total:
            return records


def _page(client: httpx.Client, code: str, offset: int, sleep: Callable[[float], None]) -> dict:
    params: dict[str, str | int] = {
        "where": f'code_departement="{code}"',
        "order_by": "identifiant_de_l_etablissement",  # stable pages
        "limit": LIMITE_PAGE,
        "offset": offset,
    }
    cause = ""
    for tentative in range(len(PAUSES) + 1):
        if tentative:
            sleep(PAUSES[tentative - 1])
        try:
            reponse = client.get(URL, params=params, timeout=TIMEOUT)
        except httpx.TimeoutException:
            cause = "délai d'attente dépassé"
            continue
        except httpx.TransportError as exc:
            cause = f"connexion impossible : {exc}" if str(exc) else "connexion impossible"
            continue
        if reponse.status_code == 429 or reponse.status_code >= 500:
            cause = f"HTTP {reponse.status_code}"
            continue
        if reponse.is_error:
            raise AnnuaireIndisponible(f"requête refusée, HTTP {reponse.status_code}")
        return _valider(reponse)
    raise AnnuaireIndisponible(f"{cause}, après {len(PAUSES) + 1} tentatives")


def _valider(reponse: httpx.Response) -> dict:
    try:
        page = reponse.json()
    except ValueError:
        raise AnnuaireIndisponible("réponse illisible : ce n'est pas du JSON") from None
    if not (
        isinstance(page, dict)
        and isinstance(page.get("total_count"), int)
        and isinstance(page.get("results"), list)
        and all(isinstance(r, dict) for r in page["results"])
    ):
        raise AnnuaireIndisponible("réponse inattendue : total_count et results attendus")
    return page
