"""Client of the Annuaire de l'éducation API, replayed with httpx.MockTransport
from real rows of the shipped extract (no network)."""

from __future__ import annotations

import csv
import json

import httpx
import pytest

import agesh_tui.api.annuaire as annuaire
from agesh_tui.api.annuaire import AnnuaireIndisponible, code_departement, telecharger_annuaire
from agesh_tui.cli import main
from agesh_tui.engine.echange.referentiel import ReferentielError, chemin_demo, lire_enregistrements

ANNUAIRE = chemin_demo() / "fr-en-annuaire-education-035.csv"


def enregistrement_api(ligne: dict[str, str]) -> dict[str, object]:
    """A CSV row as the OpenDataSoft API v2.1 returns it: lower-case field
    names, null for empty, numbers as numbers, position as a geo object."""
    record: dict[str, object] = {
        k.lower().replace(" ", "_"): (v or None) for k, v in ligne.items()
    }
    for champ in ("latitude", "longitude"):
        if record[champ] is not None:
            record[champ] = float(record[champ])
    for champ in ("ulis", "nombre_d_eleves"):
        if record[champ] is not None:
            record[champ] = int(record[champ])
    if record["position"] is not None:
        lat, lon = (float(x) for x in record["position"].split(","))
        record["position"] = {"lon": lon, "lat": lat}
    return record


@pytest.fixture(scope="module")
def lignes():
    with ANNUAIRE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.fixture(scope="module")
def records(lignes):
    return [enregistrement_api(ligne) for ligne in lignes]


class Serveur:
    """Answers the records endpoint from a list, after optional failures."""

    def __init__(self, records, pannes=()):
        self.records = records
        self.pannes = list(pannes)
        self.requetes: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requetes.append(request)
        if self.pannes:
            panne = self.pannes.pop(0)
            if isinstance(panne, Exception):
                raise panne
            return panne
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        return httpx.Response(200, json={
            "total_count": len(self.records),
            "results": self.records[offset:offset + limit],
        })

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def test_deux_pages_puis_fin(records):
    serveur = Serveur(records[:150])
    pauses, avancement = [], []
    ref = telecharger_annuaire("35", serveur.client(), lambda r, t: avancement.append((r, t)), sleep=pauses.append)

    assert avancement == [(100, 150), (150, 150)]
    assert pauses == []
    premiere = serveur.requetes[0]
    assert premiere.url.host == "data.education.gouv.fr"
    assert premiere.url.path == "/api/explore/v2.1/catalog/datasets/fr-en-annuaire-education/records"
    assert premiere.url.params["where"] == 'code_departement="035"'
    assert [r.url.params["offset"] for r in serveur.requetes] == ["0", "100"]
    assert {r.url.params["limit"] for r in serveur.requetes} == {"100"}
    assert premiere.extensions["timeout"] == {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}

    assert ref.etablissements == lire_enregistrements(records[:150], "test").etablissements
    assert len(ref.etablissements) == 150


def test_departement_complet_identique_au_csv(records):
    from agesh_tui.engine.echange.referentiel import lire_annuaire

    serveur = Serveur(records)
    ref = telecharger_annuaire("035", serveur.client(), sleep=pytest.fail)
    assert len(serveur.requetes) == 10
    csv_ref = lire_annuaire(ANNUAIRE)
    assert ref.etablissements == csv_ref.etablissements
    assert (ref.pial, ref.effectifs) == (csv_ref.pial, csv_ref.effectifs)
    assert ref.avertissements[0].startswith("enregistrement 939 : UAI 0352072M déjà lu enregistrement 138")


def test_503_puis_succes(records):
    serveur = Serveur(records[:20], [httpx.Response(503), httpx.ConnectTimeout("lent")])
    pauses = []
    ref = telecharger_annuaire("035", serveur.client(), sleep=pauses.append)
    assert len(ref.etablissements) == 20
    assert pauses == [1.0, 2.0]
    assert len(serveur.requetes) == 3


def test_panne_durable(records):
    serveur = Serveur(records, [httpx.Response(503)] * 4)
    pauses = []
    with pytest.raises(AnnuaireIndisponible) as erreur:
        telecharger_annuaire("035", serveur.client(), sleep=pauses.append)
    assert pauses == [1.0, 2.0, 4.0] and len(serveur.requetes) == 4
    assert str(erreur.value) == (
        "service de l'Annuaire de l'éducation injoignable (HTTP 503, après 4 tentatives) : "
        "vérifiez la connexion, ou importez un fichier CSV avec « agesh referentiel FICHIER.csv »"
    )


def test_connexion_impossible(records):
    panne = httpx.ConnectError("Name or service not known")
    serveur = Serveur(records, [panne] * 4)
    with pytest.raises(AnnuaireIndisponible, match=r"connexion impossible : Name or service not known"):
        telecharger_annuaire("035", serveur.client(), sleep=lambda s: None)


@pytest.mark.parametrize(
    "reponse, motif",
    [
        (httpx.Response(200, text="<html>Portail captif</html>"), "réponse illisible"),
        (httpx.Response(200, json={"results": []}), "réponse inattendue"),
        (httpx.Response(400, json={"error": "ODSQL"}), "requête refusée, HTTP 400"),
    ],
)
def test_reponse_inexploitable_sans_nouvel_essai(records, reponse, motif):
    serveur = Serveur(records, [reponse])
    with pytest.raises(AnnuaireIndisponible, match=motif):
        telecharger_annuaire("035", serveur.client(), sleep=pytest.fail)
    assert len(serveur.requetes) == 1


def test_page_tronquee_en_cours_de_route(records):
    reponses = iter([
        httpx.Response(200, json={"total_count": 250, "results": records[:100]}),
        httpx.Response(200, text='{"total_count": 250, "results": [{"identifiant'),
    ])
    client = httpx.Client(transport=httpx.MockTransport(lambda request: next(reponses)))
    with pytest.raises(AnnuaireIndisponible, match="réponse illisible"):
        telecharger_annuaire("035", client, sleep=pytest.fail)


def test_plafond_et_departement_vide(records):
    trop = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json={"total_count": 12_000, "results": records[:100]})
    ))
    with pytest.raises(ReferentielError, match="au-delà des 10000 .*agesh referentiel FICHIER.csv"):
        telecharger_annuaire("059", trop)
    vide = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json={"total_count": 0, "results": []})
    ))
    with pytest.raises(ReferentielError, match="aucun établissement pour le département 099"):
        telecharger_annuaire("99", vide)


def test_code_departement():
    assert [code_departement(c) for c in ("35", "035", " 2a", "2B", "974", "1")] == [
        "035", "035", "02A", "02B", "974", "001",
    ]
    for invalide in ("", "Ille-et-Vilaine", "0035", "2C"):
        with pytest.raises(ReferentielError, match="département"):
            code_departement(invalide)


def test_commande_api(url_base, capsys, monkeypatch, records):
    serveur = Serveur(records[:150])
    vrai = annuaire.telecharger_annuaire
    monkeypatch.setattr(
        annuaire, "telecharger_annuaire",
        lambda departement, progress=None: vrai(departement, serveur.client(), progress),
    )
    db = url_base
    assert main(["referentiel", "--api", "--departement", "35", "--json", "--db", db]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["etablissements"] == 150 and document["inseres"] == 150

    serveur.pannes = [httpx.Response(502)] * 4
    monkeypatch.setattr(annuaire, "PAUSES", (0.0, 0.0, 0.0))
    assert main(["referentiel", "--api", "--departement", "035", "--db", db]) == 1
    assert "injoignable (HTTP 502, après 4 tentatives)" in capsys.readouterr().err
