"""RH synchronisation (SPEC §2.6): EPP and ASSED extracts, volumes from the
références de temps de travail, the agesh synchro-rh command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.echange.extrait_rh import ExtraitInvalide, colonnes_extrait, lire_extrait
from agesh_tui.engine.operations.synchro_rh import appliquer_references, synchroniser
from monde import D, Monde, contenu

TODAY = date(2026, 11, 22)
DOCS = Path(__file__).parent.parent / "docs"

ENTETE_EPP = ";".join(colonnes_extrait("EPP"))
ENTETE_ASSED = ";".join(colonnes_extrait("ASSED"))

# Anne LEROY: two missions (CDI EPP); Paul NOEL: a CDD with its own volume.
LEROY = "E1;Mme;LEROY;Anne;06/05/1980;1 rue de Paris;35000;Rennes;N"
NOEL = "E2;M.;NOEL;Paul;1975-11-12;4 place de la Mairie;35170;Bruz;O"
EPP = [
    ENTETE_EPP,
    f"{LEROY};M1;CDI;HP1D;75;;01/09/2024;;0350002B;0350002B",
    f"{LEROY};M2;CDI;AHRE;25;;01/09/2024;;0350002B;0350002B",
    f"{NOEL};M3;CDD;HI2D;60;24,5;01/09/2026;31/08/2027;0350001A;0350002B",
]
ASSED = [
    ENTETE_ASSED,
    "S1;Mme;BERTIN;Sophie;21/07/1985;12 rue Nationale;35500;Vitré;N;"
    "MS1;CDD;PI1D;50;;01/09/2026;31/08/2027;0350002B;0350005E;O",
    "S2;Mme;PETIT;Inès;09/09/1999;7 rue Jean Jaurès;35000;Rennes;N;"
    "MS2;CDD;AM1D;50;;03/11/2026;31/08/2027;0350001A;0350005E;N",
]


def ecrire(tmp_path, nom, lignes, eol="\n", bom=False) -> Path:
    path = tmp_path / nom
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (eol.join(lignes) + eol).encode("utf-8"))
    return path


def synchro(store, tmp_path, epp=None, assed=None, today=TODAY):
    extraits = []
    if epp is not None:
        extraits.append(lire_extrait(ecrire(tmp_path, "epp.csv", epp), "EPP"))
    if assed is not None:
        extraits.append(lire_extrait(ecrire(tmp_path, "assed.csv", assed), "ASSED"))
    return synchroniser(store, extraits, today)


def sans(lignes, *ids):
    """The extract without the rows of these missions."""
    return [lignes[0]] + [ligne for ligne in lignes[1:] if ligne.split(";")[9] not in ids]


def aesh(store, id_):
    with store.lecture() as tx:
        return tx.ligne(
            "SELECT source, civilite, nom, prenom, date_naissance, adresse, code_postal, commune, "
            "latitude, longitude, transport, rqth, actif, version FROM aesh WHERE id = ?", (id_,)
        )


def mission(store, id_):
    with store.lecture() as tx:
        return tx.ligne(
            "SELECT aesh_id, contrat, nature, quotite, volume, debut, fin, uai_employeur, uai_payeur, "
            "source, actif, version FROM mission WHERE id = ?", (id_,)
        )


def executer(store, *instructions):
    """What a gestionnaire or a superviseur changed, in one write."""
    with store.ecriture() as tx:
        for sql in instructions:
            tx.execute(sql)


def compter(store, table):
    with store.lecture() as tx:
        return tx.ligne(f"SELECT COUNT(*) FROM {table}")[0]


def etat(store):
    """Everything a refused or idle synchronisation must leave as it was
    (the change counter included)."""
    return contenu(store)


@pytest.fixture
def store(stockage):
    """A base of each engine holding the références de temps de travail."""
    m = Monde()
    m.reference("CDI", "EPP", 41.0)
    m.reference("CDD", "EPP", 39.0)
    m.reference("CDD", "ASSED", 39.0)
    m.ecrire(stockage)
    return stockage


# -- creation, update, deactivation, reactivation ------------------------------------

def test_creates_aesh_and_missions(store, tmp_path):
    rapport = synchro(store, tmp_path, epp=EPP)
    bilan = rapport.bases["EPP"]
    assert rapport.ecrit and bilan.lignes == 3
    assert bilan.aesh_crees == ["E1", "E2"]
    assert bilan.missions_creees == ["M1", "M2", "M3"]
    assert aesh(store, "E1") == (
        "EPP", "Mme", "LEROY", "Anne", "1980-05-06", "1 rue de Paris", "35000", "Rennes",
        None, None, "", 0, 1, 1,
    )
    assert aesh(store, "E2")[4] == "1975-11-12" and aesh(store, "E2")[11] == 1  # RQTH O
    assert mission(store, "M1") == (
        "E1", "CDI", "HP1D", 75.0, 30.75, "2024-09-01", None, "0350002B", "0350002B", "EPP", 1, 1,
    )
    assert mission(store, "M3")[3:7] == (60.0, 24.5, "2026-09-01", "2027-08-31")


def test_updates_rh_fields_only(store, tmp_path):
    synchro(store, tmp_path, epp=EPP)
    # what the gestionnaire edited
    executer(store, "UPDATE aesh SET transport = 'vélo', latitude = 48.1, longitude = -1.6")
    epp = list(EPP)
    epp[1:3] = [ligne.replace("1 rue de Paris", "9 rue de Brest") for ligne in epp[1:3]]
    epp[1] = epp[1].replace(";75;", ";80;")
    epp[3] = epp[3].replace(";O;M3", ";N;M3")  # NOEL loses the RQTH
    rapport = synchro(store, tmp_path, epp=epp)
    bilan = rapport.bases["EPP"]
    assert bilan.aesh_modifies == ["E1", "E2"] and bilan.missions_modifiees == ["M1"]
    assert bilan.aesh_crees == bilan.missions_creees == []
    leroy = aesh(store, "E1")
    assert leroy[5] == "9 rue de Brest" and leroy[10] == "vélo" and leroy[13] == 2
    assert leroy[8:10] == (None, None)  # new address: the old coordinates were wrong
    noel = aesh(store, "E2")
    assert noel[11] == 0 and noel[8:11] == (48.1, -1.6, "vélo")  # same address: kept
    assert mission(store, "M1")[3:5] == (80.0, 32.8) and mission(store, "M1")[-1] == 2
    assert mission(store, "M2")[-1] == 1  # unchanged: not even its version


def test_absent_becomes_inactive_never_deleted(store, tmp_path):
    synchro(store, tmp_path, epp=EPP)
    rapport = synchro(store, tmp_path, epp=sans(EPP, "M2", "M3"))
    bilan = rapport.bases["EPP"]
    assert bilan.aesh_desactives == ["E2"]
    assert bilan.missions_desactivees == ["M2", "M3"]
    assert aesh(store, "E2")[12] == 0 and aesh(store, "E1")[12] == 1
    assert mission(store, "M2")[10] == 0 and mission(store, "M3")[10] == 0
    assert compter(store, "mission") == 3
    assert compter(store, "aesh") == 2


def test_back_in_the_extract_becomes_active_again(store, tmp_path):
    synchro(store, tmp_path, epp=EPP)
    synchro(store, tmp_path, epp=sans(EPP, "M3"))
    rapport = synchro(store, tmp_path, epp=EPP)
    bilan = rapport.bases["EPP"]
    assert bilan.aesh_reactives == ["E2"] and bilan.missions_reactivees == ["M3"]
    assert bilan.aesh_modifies == bilan.missions_modifiees == []
    assert aesh(store, "E2")[12] == 1 and mission(store, "M3")[10] == 1


def test_a_base_not_synchronised_is_left_alone(store, tmp_path):
    synchro(store, tmp_path, epp=EPP, assed=ASSED)
    rapport = synchro(store, tmp_path, epp=EPP)
    assert not rapport.ecrit
    assert aesh(store, "S1")[12] == 1 and mission(store, "MS1")[10] == 1


# -- prévisionnel ------------------------------------------------------------------------

def _previsionnels(store):
    m = Monde()
    m.aesh("P1", "FUTURE", "Zoé", source="previsionnel", civilite="Mme", adresse="", code_postal="",
           commune="", transport="bus")
    m.mission("PM1", "P1", "HI1D", 20.0, D(2026, 9, 1), D(2027, 8, 31), "CDD", 50.0,
              source="previsionnel")
    m.ecrire(store)


def test_previsionnel_never_touched(store, tmp_path):
    _previsionnels(store)
    avant = aesh(store, "P1"), mission(store, "PM1")
    synchro(store, tmp_path, epp=EPP, assed=ASSED)
    synchro(store, tmp_path, epp=sans(EPP, "M1", "M2", "M3"), assed=sans(ASSED, "MS1"))
    assert (aesh(store, "P1"), mission(store, "PM1")) == avant


def test_rh_identifiers_of_a_previsionnel_are_not_imported(store, tmp_path):
    _previsionnels(store)
    avant = aesh(store, "P1"), mission(store, "PM1")
    epp = EPP + [
        "P1;M.;AUTRE;Jean;;;;;N;M9;CDI;HI1D;50;;01/09/2026;;;",
        f"{LEROY};PM1;CDI;HI1D;50;;01/09/2026;;;",
    ]
    bilan = synchro(store, tmp_path, epp=epp).bases["EPP"]
    assert (aesh(store, "P1"), mission(store, "PM1")) == avant
    assert mission(store, "M9") is None
    assert "M9" not in bilan.missions_creees and "PM1" not in bilan.missions_creees
    assert any("P1" in a and "prévisionnel" in a for a in bilan.avertissements)
    assert any("PM1" in a and "prévisionnelle" in a for a in bilan.avertissements)


# -- what is imported ----------------------------------------------------------------------

def test_missions_ended_more_than_three_years_ago_are_skipped(store, tmp_path):
    # today 22/11/2026: the limit is 22/11/2023.
    epp = EPP + [
        "E3;M.;ANCIEN;Luc;;;;;N;M7;CDD;HI1D;50;;01/09/2021;21/11/2023;;",
        "E3;M.;ANCIEN;Luc;;;;;N;M8;CDD;HI1D;50;;01/09/2021;22/11/2023;;",
        "E4;M.;PARTI;Léo;;;;;N;M9;CDD;HI1D;50;;01/09/2019;31/08/2020;;",
    ]
    bilan = synchro(store, tmp_path, epp=epp).bases["EPP"]
    assert bilan.missions_ignorees == ["M7", "M9"]
    assert mission(store, "M7") is None and mission(store, "M8") is not None
    assert aesh(store, "E4") is None  # no mission left to import
    # A day later, M8 is history too: it becomes inactive, with its AESH.
    bilan = synchro(store, tmp_path, epp=epp, today=date(2026, 11, 23)).bases["EPP"]
    assert bilan.missions_ignorees == ["M7", "M8", "M9"]
    assert bilan.missions_desactivees == ["M8"] and bilan.aesh_desactives == ["E3"]


def test_unsigned_assed_contract_is_not_imported(store, tmp_path):
    bilan = synchro(store, tmp_path, assed=ASSED).bases["ASSED"]
    assert bilan.contrats_non_signes == ["MS2"]
    assert bilan.missions_creees == ["MS1"] and bilan.aesh_crees == ["S1"]
    assert mission(store, "MS2") is None and aesh(store, "S2") is None
    # Signed later: imported then.
    signe = list(ASSED)
    signe[2] = signe[2][:-1] + "O"
    bilan = synchro(store, tmp_path, assed=signe).bases["ASSED"]
    assert bilan.missions_creees == ["MS2"] and mission(store, "MS2")[4] == 19.5


# -- volumes ------------------------------------------------------------------------

def test_missing_quotite_gives_volume_zero(store, tmp_path):
    epp = EPP + ["E3;M.;SANS;Quotité;;;;;N;M4;CDI;HI1D;;;01/09/2026;;;"]
    synchro(store, tmp_path, epp=epp)
    assert mission(store, "M4")[3:5] == (None, 0.0)


def test_volume_from_reference_times_quotite(store, tmp_path):
    bilan = synchro(store, tmp_path, epp=EPP).bases["EPP"]
    assert mission(store, "M1")[4] == 30.75  # 41 h × 75 %
    assert mission(store, "M2")[4] == 10.25  # 41 h × 25 %
    assert mission(store, "M3")[4] == 24.5  # the extract's own volume wins
    assert bilan.avertissements == []


def test_no_reference_gives_volume_zero_and_a_warning(store, tmp_path):
    executer(store, "DELETE FROM reference_temps WHERE contrat = 'CDI'")
    bilan = synchro(store, tmp_path, epp=EPP).bases["EPP"]
    assert mission(store, "M1")[4] == 0.0 and mission(store, "M2")[4] == 0.0
    assert bilan.avertissements == [
        "aucune référence de temps de travail pour les CDI EPP : volume 0 pour 2 missions "
        "(à créer dans les paramètres du département)"
    ]


def test_forcer_la_mise_a_jour_recomputes_from_the_references(store, tmp_path):
    synchro(store, tmp_path, epp=EPP)
    executer(store, "UPDATE reference_temps SET heures = 40 WHERE contrat = 'CDI'",
             "UPDATE reference_temps SET heures = 35 WHERE contrat = 'CDD'")
    bilan = appliquer_references(store, TODAY)
    assert bilan.missions_modifiees == ["M1", "M2"]  # M3 has its own volume
    assert mission(store, "M1")[4] == 30.0 and mission(store, "M1")[-1] == 2
    assert mission(store, "M3")[4] == 24.5
    # The next synchronisation computes alike: nothing to write.
    avant = etat(store)
    assert not synchro(store, tmp_path, epp=EPP).ecrit
    assert etat(store) == avant
    assert appliquer_references(store, TODAY).missions_modifiees == []
    assert etat(store) == avant


# -- both bases ----------------------------------------------------------------------

def test_aesh_in_both_extracts_takes_the_base_of_its_latest_mission(store, tmp_path):
    # S1 left ASSED (mission until 31/08/2026) for an EPP CDI from 01/09/2026.
    assed = ASSED[:1] + [
        "S1;Mme;BERTIN;Sophie;21/07/1985;ancienne adresse;35500;Vitré;N;"
        "MS1;CDD;PI1D;50;;01/09/2025;31/08/2026;0350002B;0350005E;O",
    ]
    epp = EPP + ["S1;Mme;BERTIN;Sophie;21/07/1985;2 rue Neuve;35000;Rennes;N;M5;CDI;HI1D;50;;01/09/2026;;;"]
    rapport = synchro(store, tmp_path, epp=epp, assed=assed)
    assert aesh(store, "S1")[0] == "EPP" and aesh(store, "S1")[5] == "2 rue Neuve"
    assert "S1" in rapport.bases["EPP"].aesh_crees
    assert mission(store, "MS1")[9] == "ASSED" and mission(store, "M5")[9] == "EPP"
    # An ASSED-only run does not pull S1 back: its EPP mission is more recent.
    assert not synchro(store, tmp_path, assed=assed).ecrit


def test_aesh_gone_from_its_base_but_active_in_the_other_moves_there(store, tmp_path):
    assed = ASSED[:1] + [
        "S1;Mme;BERTIN;Sophie;21/07/1985;12 rue Nationale;35500;Vitré;N;"
        "MS1;CDD;PI1D;50;;01/09/2025;31/08/2027;0350002B;0350005E;O",
    ]
    epp = EPP + ["S1;Mme;BERTIN;Sophie;21/07/1985;12 rue Nationale;35500;Vitré;N;M5;CDI;HI1D;50;;01/09/2026;;;"]
    synchro(store, tmp_path, epp=epp, assed=assed)
    assert aesh(store, "S1")[0] == "EPP"
    bilan = synchro(store, tmp_path, epp=EPP).bases["EPP"]  # M5 gone from EPP
    assert bilan.missions_desactivees == ["M5"] and bilan.aesh_desactives == []
    assert bilan.aesh_modifies == ["S1"]
    assert aesh(store, "S1")[0] == "ASSED" and aesh(store, "S1")[12] == 1


def test_same_mission_in_both_extracts_is_refused(store, tmp_path):
    avant = etat(store)
    assed = ASSED + [
        "S3;M.;DOUBLE;Yann;;;;;N;M1;CDD;EI1D;50;;01/09/2026;31/08/2027;;;O",
    ]
    with pytest.raises(ExtraitInvalide) as exc:
        synchro(store, tmp_path, epp=EPP, assed=assed)
    assert [str(e) for e in exc.value.erreurs] == [
        f"{tmp_path / 'assed.csv'}:4:10 (mission_id) : mission « M1 » déjà présente dans "
        f"l'extrait EPP ({tmp_path / 'epp.csv'}, ligne 2)"
    ]
    assert etat(store) == avant


# -- reading ---------------------------------------------------------------------------

def test_malformed_file_is_refused_whole(store, tmp_path):
    synchro(store, tmp_path, epp=EPP)
    avant = etat(store)
    epp = EPP + [
        "E3;M.;NOUVEAU;Léo;;;;;N;M4;CDI;HI1D;120;;01/09/2026;;;",
        "E4;Mlle;AUTRE;Lou;31/02/1990;;;;X;M5;CDD;EI1D;50;;01/09/2026;;0350001;",
        "E5;M.;TARD;Max;;;;;N;M6;CDD;HI1D;50;;01/09/2026;31/08/2026;;",
        f"{LEROY};M1;CDI;HP1D;75;;01/09/2024;;0350002B;0350002B",
    ]
    chemin = ecrire(tmp_path, "epp.csv", epp)
    with pytest.raises(ExtraitInvalide) as exc:
        lire_extrait(chemin, "EPP")
    assert [str(e) for e in exc.value.erreurs] == [
        f"{chemin}:5:13 (quotite) : nombre hors limites « 120 » (attendu entre 0 et 100)",
        f"{chemin}:6:2 (civilite) : civilité « Mlle » non reconnue (attendu M. ou Mme)",
        f"{chemin}:6:5 (date_naissance) : date invalide « 31/02/1990 » (attendu jj/mm/aaaa ou aaaa-mm-jj)",
        f"{chemin}:6:9 (rqth) : valeur « X » non reconnue (attendu O ou N)",
        f"{chemin}:6:12 (nature_support) : valeur « EI1D » non reconnue pour nature de support EPP "
        "(attendu : HI1D, HI2D, HM1D, HM2D, HP1D, HP2D, HPIN, AHRE, HC1D, HC2D, AE1D, AE2D)",
        f"{chemin}:6:17 (uai_employeur) : UAI invalide « 0350001 » (attendu 7 chiffres et une lettre)",
        f"{chemin}:7:16 (date_fin) : fin 31/08/2026 antérieure au début 01/09/2026",
        f"{chemin}:8:10 (mission_id) : clé en double « M1 » (déjà à la ligne 2)",
    ]
    assert etat(store) == avant


def test_header_errors(tmp_path):
    entete = ENTETE_EPP.replace("quotite", "quotité") + ";contrat_signe"
    chemin = ecrire(tmp_path, "epp.csv", [entete])
    with pytest.raises(ExtraitInvalide) as exc:
        lire_extrait(chemin, "EPP")
    assert [str(e).split(" (colonnes attendues")[0] for e in exc.value.erreurs] == [
        f"{chemin}:1:13 (quotité) : colonne inconnue",
        f"{chemin}:1:19 (contrat_signe) : colonne inconnue",
        f"{chemin}:1:20 (quotite) : colonne manquante dans l'en-tête",
    ]


def test_cdd_needs_an_end(tmp_path):
    chemin = ecrire(tmp_path, "epp.csv", EPP[:1] + ["E9;M.;X;Y;;;;;N;M9;CDD;HI1D;50;;01/09/2026;;;"])
    with pytest.raises(ExtraitInvalide) as exc:
        lire_extrait(chemin, "EPP")
    assert [str(e) for e in exc.value.erreurs] == [
        f"{chemin}:2:16 (date_fin) : date de fin requise pour un CDD"
    ]


def test_bom_comma_and_crlf_like_a_spreadsheet(tmp_path):
    lignes = [ligne.replace(";", ",").replace("24,5", '"24,5"') for ligne in EPP]
    chemin = ecrire(tmp_path, "epp.csv", lignes, eol="\r\n", bom=True)
    extrait = lire_extrait(chemin, "EPP")
    assert [ligne.mission_id for ligne in extrait.lignes] == ["M1", "M2", "M3"]
    assert extrait.lignes[2].volume == 24.5


def test_documented_examples_synchronise(store):
    extraits = [
        lire_extrait(DOCS / "exemples" / "extrait-epp.csv", "EPP"),
        lire_extrait(DOCS / "exemples" / "extrait-assed.csv", "ASSED"),
    ]
    rapport = synchroniser(store, extraits, TODAY)
    assert rapport.bases["EPP"].missions_ignorees == ["EPP-2021-0044"]
    assert rapport.bases["ASSED"].contrats_non_signes == ["ASSED-26-0313"]
    assert rapport.bases["EPP"].aesh_crees == ["E0012345", "E0023456", "E0034567"]


# -- idempotence --------------------------------------------------------------------

def test_identical_resync_writes_nothing(store, tmp_path):
    premier = synchro(store, tmp_path, epp=EPP, assed=ASSED)
    assert premier.ecrit and premier.changements == 7
    avant = etat(store)
    rapport = synchro(store, tmp_path, epp=EPP, assed=ASSED)
    assert not rapport.ecrit and rapport.changements == 0
    assert rapport.bases["ASSED"].contrats_non_signes == ["MS2"]  # still reported
    assert etat(store) == avant


# -- the command ---------------------------------------------------------------------

def test_command_json_and_summary(store, url_base, tmp_path, capsys):
    epp = ecrire(tmp_path, "epp.csv", EPP)
    assed = ecrire(tmp_path, "assed.csv", ASSED)
    db = url_base
    args = ["synchro-rh", "--db", db, "--today", "2026-11-22", "--epp", str(epp), "--assed", str(assed)]
    assert main(args + ["--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ecrit"] is True
    assert doc["bases"]["EPP"]["missions_creees"] == ["M1", "M2", "M3"]
    assert doc["bases"]["ASSED"]["contrats_non_signes"] == ["MS2"]
    assert main(args) == 0
    sortie = capsys.readouterr().out
    assert "EPP (3 lignes) : AESH 0 créé(s)" in sortie
    assert "1 contrat(s) non signé(s) non importé(s)" in sortie
    assert "Aucun changement : la base était déjà à jour." in sortie


def test_command_refuses_with_every_error_on_stderr(store, url_base, tmp_path, capsys):
    avant = etat(store)
    epp = ecrire(tmp_path, "epp.csv", EPP + ["E3;M.;X;Y;;;;;N;M4;CDI;HI1D;120;;01/09/2026;;;"])
    assed = ecrire(tmp_path, "assed.csv", ASSED[:2] + [ASSED[2][:-2]])  # contrat_signe missing
    code = main([
        "synchro-rh", "--db", url_base, "--epp", str(epp), "--assed", str(assed), "--json",
    ])
    sortie = capsys.readouterr()
    assert code == 1 and sortie.out == ""
    assert "extrait RH refusé, la base n'a pas été modifiée (2 erreurs)" in sortie.err
    assert f"{epp}:5:13 (quotite) : nombre hors limites" in sortie.err
    assert f"{assed}:3:19 : 18 champs au lieu de 19" in sortie.err
    assert etat(store) == avant


def test_command_needs_an_extract(store, url_base):
    with pytest.raises(SystemExit) as exc:
        main(["synchro-rh", "--db", url_base])
    assert exc.value.code == 2
