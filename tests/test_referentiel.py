"""Référentiel des établissements: the shipped Annuaire extract, other
vintages of its header, damaged rows, storage and the ``agesh referentiel``
command."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import replace

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.echange.referentiel import (
    ReferentielError,
    chemin_demo,
    enregistrer,
    lire_annuaire,
    lire_enregistrements,
)
from agesh_tui.engine.modele.model import TYPES_NON_SCOLAIRES
from monde import base_absente

ANNUAIRE = chemin_demo() / "fr-en-annuaire-education-035.csv"
NOUVEAUX_NOMS = {
    "Code postal": "Code_postal",
    "coordonnee_X": "coordX_origine",
    "coordonnee_Y": "coordY_origine",
    "etablissement_multi_lignes": "multi_uai",
}


def lignes_reelles() -> tuple[list[str], list[dict[str, str]]]:
    with ANNUAIRE.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        return list(reader.fieldnames), list(reader)


def ecrire_csv(path, entete, lignes, separateur=";", fin="\r\n", bom=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separateur, lineterminator=fin)
    writer.writerow(entete)
    for ligne in lignes:
        writer.writerow([ligne.get(c, "") for c in entete])
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def reel():
    return lire_annuaire(ANNUAIRE)


# -- the shipped extract ----------------------------------------------------------


def test_donnees_embarquees_intactes():
    brut = ANNUAIRE.read_bytes()
    assert brut.startswith(b"\xef\xbb\xbf") and b"\r\n" in brut
    assert (chemin_demo() / "SOURCE.md").read_text(encoding="utf-8").count("Licence Ouverte") == 1
    assert sorted(p.name for p in chemin_demo().glob("*.csv")) == [
        "fr-en-annuaire-education-035.csv",
        "fr-en-college-effectifs-niveau-sexe-lv-035.csv",
        "fr-en-ecoles-effectifs-nb_classes-035.csv",
    ]


def test_extrait_reel_035(reel):
    # 996 rows, but three établissements span two rows each (multi-site,
    # etablissement_multi_lignes = 1): 993 distinct UAI.
    assert reel.lignes == 996
    assert len(reel.etablissements) == 993
    assert reel.avertissements == [
        "ligne 940 : UAI 0352072M déjà lu ligne 139 (établissement sur plusieurs lignes) : "
        "la dernière ligne est conservée.",
        "ligne 961 : UAI 0350852L déjà lu ligne 162 (établissement sur plusieurs lignes) : "
        "la dernière ligne est conservée.",
        "ligne 974 : UAI 0350778F déjà lu ligne 794 (établissement sur plusieurs lignes) : "
        "la dernière ligne est conservée.",
    ]
    par_uai = {e.uai: e for e in reel.etablissements}
    assert par_uai["0352072M"].nom == "Lycée polyvalent Institution Saint-Malo La Providence"
    assert par_uai["0350852L"].commune == "Bruz"

    types = Counter(e.type for e in reel.etablissements)
    assert types["Ecole"] == 685 and types["Collège"] == 116 and types["Lycée"] == 84
    assert types["EREA"] == 2
    non_scolaires = [e for e in reel.etablissements if not e.scolaire]
    assert len(non_scolaires) == 42 + 39 + 5
    assert {e.type for e in non_scolaires} == TYPES_NON_SCOLAIRES

    # The data holds 47 PIAL (not the 48 its README announces), every head
    # is a collège present in the file and belongs to its own PIAL.
    assert len(reel.pial) == 47
    assert all(reel.pial.values())
    assert {par_uai[tete].type for tete in reel.pial} == {"Collège"}
    assert all(par_uai[tete].pial_uai == tete for tete in reel.pial)
    assert sum(1 for e in reel.etablissements if e.pial_uai is None) == 155

    assert {e.statut for e in reel.etablissements} == {"Public", "Privé", ""}
    assert sum(e.ulis for e in reel.etablissements) == 102
    assert all(e.latitude is not None for e in reel.etablissements)
    assert len(reel.effectifs) == 837 and reel.effectifs["0350122T"] == 143

    assert par_uai["0350122T"] == type(par_uai["0350122T"])(
        uai="0350122T",
        nom="Ecole primaire publique les Lucioles",
        type="Ecole",
        statut="Public",
        code_commune="35016",
        commune="Baulon",
        code_postal="35580",
        latitude=47.98614492070133,
        longitude=-1.9294895003671315,
        circonscription="Circonscription d'inspection du 1er degré de Bruz",
        ulis=False,
        pial_uai="0351881E",
    )


def test_millesime_recent_meme_resultat(tmp_path, reel):
    entete, lignes = lignes_reelles()
    nouvel_entete = [NOUVEAUX_NOMS.get(c, c) for c in entete]
    renommees = [{NOUVEAUX_NOMS.get(k, k): v for k, v in ligne.items()} for ligne in lignes]
    fichier = ecrire_csv(tmp_path / "recent.csv", nouvel_entete, renommees, ",", "\n", bom=False)
    assert b"\r" not in fichier.read_bytes() and b"Code_postal" in fichier.read_bytes()

    recent = lire_annuaire(fichier)
    assert recent.etablissements == reel.etablissements
    assert recent.effectifs == reel.effectifs
    assert recent.pial == reel.pial
    assert recent.avertissements == reel.avertissements


def test_extrait_partiel_tete_absente(tmp_path):
    entete, lignes = lignes_reelles()
    tete = "0351881E"
    partiel = [ligne for ligne in lignes if ligne["Identifiant_de_l_etablissement"] != tete]
    ref = lire_annuaire(ecrire_csv(tmp_path / "partiel.csv", entete, partiel))
    assert ref.pial[tete] is False
    assert sum(1 for present in ref.pial.values() if present) == 46
    assert "tête de PIAL 0351881E absente de l'extrait : PIAL conservé, tête inconnue" in ref.avertissements
    membres = [e for e in ref.etablissements if e.pial_uai == tete]
    assert membres and all(e.uai != tete for e in membres)


def test_coordonnees_manquantes_ou_depuis_position(tmp_path):
    entete, lignes = lignes_reelles()
    echantillon = [dict(ligne) for ligne in lignes[:10]]
    for ligne in echantillon[:7]:  # nothing at all
        ligne["latitude"] = ligne["longitude"] = ligne["position"] = ""
    echantillon[7]["latitude"] = echantillon[7]["longitude"] = ""  # position only
    echantillon[8]["latitude"] = "999"  # out of range, no position either
    echantillon[8]["position"] = ""
    ref = lire_annuaire(ecrire_csv(tmp_path / "coord.csv", entete, echantillon))

    sans = [e.uai for e in ref.etablissements if e.latitude is None]
    assert len(sans) == 8 and all(e.longitude is None for e in ref.etablissements if e.uai in sans)
    depuis_position = ref.etablissements[7]
    attendu = [float(x) for x in lignes[7]["position"].split(",")]
    assert [depuis_position.latitude, depuis_position.longitude] == attendu
    resume = [a for a in ref.avertissements if "sans coordonnées" in a]
    assert len(resume) == 1 and resume[0].startswith("8 établissement(s) sans coordonnées (")
    assert ", …)" in resume[0]


def test_texte_balises_litterales_et_controles_retires(tmp_path):
    entete, lignes = lignes_reelles()
    a, b = dict(lignes[0]), dict(lignes[1])
    a["Nom_etablissement"] = "[b]X[/b]"
    b["Nom_etablissement"] = "\x1b[31mÉcole\x00 des\x9b Lilas\x07"
    b["Nom_commune"] = "Car\x0bdroc"
    ref = lire_annuaire(ecrire_csv(tmp_path / "texte.csv", entete, [a, b]))
    assert [e.nom for e in ref.etablissements] == ["[b]X[/b]", "[31mÉcole des Lilas"]
    assert ref.etablissements[1].commune == "Cardroc"


def test_uai_malforme_ignore_avec_avertissement(tmp_path):
    entete, lignes = lignes_reelles()
    echantillon = [dict(ligne) for ligne in lignes[:3]]
    echantillon[1]["Identifiant_de_l_etablissement"] = "035016"
    ref = lire_annuaire(ecrire_csv(tmp_path / "uai.csv", entete, echantillon))
    assert [e.uai for e in ref.etablissements] == ["0350122T", lignes[2]["Identifiant_de_l_etablissement"]]
    assert ref.avertissements[0] == (
        "ligne 3 : UAI « 035016 » invalide (7 chiffres et une lettre attendus) : ligne ignorée."
    )
    # The rest only says that this 3-row sample lacks its PIAL heads.
    assert all(a.startswith("tête de PIAL ") for a in ref.avertissements[1:])


def test_fichier_resauve_en_windows_1252(tmp_path):
    entete, lignes = lignes_reelles()
    texte = ";".join(entete) + "\r\n" + ";".join(lignes[1][c] for c in entete) + "\r\n"
    fichier = tmp_path / "excel.csv"
    fichier.write_bytes(texte.encode("cp1252"))
    ref = lire_annuaire(fichier)
    assert ref.etablissements[0].nom == "Ecole élémentaire publique de Cardroc"
    assert ref.avertissements[0] == f"{fichier} n'est pas en UTF-8 : lu comme Windows-1252."


def test_fichier_vide_refuse(tmp_path):
    vide = tmp_path / "vide.csv"
    vide.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(ReferentielError, match="vide.csv est vide"):
        lire_annuaire(vide)


def test_fichier_sans_colonnes_obligatoires_refuse():
    autre = chemin_demo() / "fr-en-ecoles-effectifs-nb_classes-035.csv"
    with pytest.raises(ReferentielError) as erreur:
        lire_annuaire(autre)
    message = str(erreur.value)
    assert str(autre) in message
    assert "identifiant de l'établissement (UAI)" in message and "nom de l'établissement" in message


def test_enregistrements_api_ulis_statut_et_position_objet():
    ref = lire_enregistrements(
        [
            {"identifiant_de_l_etablissement": "0350001a", "nom_etablissement": "A",
             "statut_public_prive": "PUBLIC", "ulis": "oui", "position": {"lat": 48.1, "lon": -1.6},
             "pial": None, "nombre_d_eleves": 12},
            {"identifiant_de_l_etablissement": "0350002B", "nom_etablissement": "B",
             "statut_public_prive": "prive", "ulis": False, "latitude": None, "longitude": None,
             "position": None, "pial": "0350001A", "nombre_d_eleves": None},
            {"identifiant_de_l_etablissement": "0350003C", "nom_etablissement": "C",
             "ulis": "true", "position": "48.2, -1.7"},
            {"identifiant_de_l_etablissement": "0350004D", "nom_etablissement": "D",
             "ulis": "peut-être"},
        ],
        "essai",
    )
    a, b, c, d = ref.etablissements
    assert (a.uai, a.statut, a.ulis, a.latitude, a.longitude) == ("0350001A", "Public", True, 48.1, -1.6)
    assert (b.statut, b.ulis, b.latitude, b.pial_uai) == ("Privé", False, None, "0350001A")
    assert (c.ulis, c.latitude, c.longitude) == (True, 48.2, -1.7)
    assert d.ulis is False
    assert ref.effectifs == {"0350001A": 12}
    assert ref.pial == {"0350001A": True}
    assert "enregistrement 4 : ULIS « peut-être » illisible pour 0350004D : compté sans ULIS." in ref.avertissements


# -- storage ------------------------------------------------------------------------


def lignes(store, sql):
    with store.lecture() as tx:
        return tx.lignes(sql)


def test_enregistrement_idempotent(stockage, reel):
    store = stockage
    assert enregistrer(store, reel) == {"inseres": 993, "modifies": 0, "inchanges": 0}
    changements = store.changements()
    assert enregistrer(store, reel) == {"inseres": 0, "modifies": 0, "inchanges": 993}
    assert store.changements() == changements  # no write at all

    ligne = lignes(store, "SELECT uai, nom, type, statut, code_commune, commune, code_postal, "
                          "latitude, longitude, circonscription, ulis, pial_uai "
                          "FROM etablissement WHERE uai = '0350122T'")[0]
    assert ligne == (
        "0350122T", "Ecole primaire publique les Lucioles", "Ecole", "Public", "35016",
        "Baulon", "35580", 47.98614492070133, -1.9294895003671315,
        "Circonscription d'inspection du 1er degré de Bruz", 0, "0351881E",
    )
    assert lignes(store, "SELECT count(*) FROM etablissement WHERE pial_uai IS NULL") == [(155,)]

    modifie = replace(reel, etablissements=[
        replace(e, nom="Ecole des Lucioles") if e.uai == "0350122T" else e
        for e in reel.etablissements
    ])
    assert enregistrer(store, modifie) == {"inseres": 0, "modifies": 1, "inchanges": 992}
    assert store.changements() == changements + 1
    assert lignes(store, "SELECT nom FROM etablissement WHERE uai = '0350122T'") == [("Ecole des Lucioles",)]


# -- command ------------------------------------------------------------------------


def test_commande_json_puis_reimport(url_base, capsys):
    db = url_base
    assert main(["referentiel", str(ANNUAIRE), "--json", "--db", db]) == 0
    sortie = capsys.readouterr()
    document = json.loads(sortie.out)
    assert (document["etablissements"], document["pial"], len(document["avertissements"])) == (993, 47, 3)
    assert document["inseres"] == 993 and sortie.err == ""

    assert main(["referentiel", str(ANNUAIRE), "--db", db]) == 0
    sortie = capsys.readouterr()
    assert sortie.out == (
        "993 établissements lus (996 lignes), 47 PIAL : 0 ajoutés, 0 modifiés, 993 inchangés.\n"
    )
    assert sortie.err.count("avertissement : ") == 3


def test_commande_erreurs(url_base, tmp_path, capsys):
    db = url_base
    assert main(["referentiel", str(tmp_path / "absent.csv"), "--db", db]) == 1
    assert "fichier introuvable" in capsys.readouterr().err
    autre = chemin_demo() / "fr-en-college-effectifs-niveau-sexe-lv-035.csv"
    assert main(["referentiel", str(autre), "--json", "--db", db]) == 1
    sortie = capsys.readouterr()
    assert sortie.out == "" and "colonne(s) obligatoire(s) absente(s)" in sortie.err
    assert base_absente(db)  # a refused file does not even create the database
    with pytest.raises(SystemExit) as usage:
        main(["referentiel", "--api", "--db", db])
    assert usage.value.code == 2


# -- a truncated or damaged file (issue 8, item 5) ---------------------------------------


def test_un_fichier_tronque_est_refuse_et_rien_n_est_enregistre(stockage, tmp_path, reel):
    """`head -c 284455` cuts the file in the middle of a row: the référentiel
    is refused whole. Skipping the cut row was not enough: 0352072M, on
    several lines whose last one was beyond the cut, moved to Saint-Erblon
    on an earlier line's word."""
    enregistrer(stockage, reel)
    avant = lignes(stockage, "SELECT * FROM etablissement ORDER BY uai")
    tronque = tmp_path / "t.csv"
    tronque.write_bytes(ANNUAIRE.read_bytes()[:284455])
    with pytest.raises(ReferentielError) as exc:
        lire_annuaire(tronque)
    assert str(exc.value) == (
        f"{tronque} est tronqué : la dernière ligne (497) a 51 champs au lieu de 69 et le fichier "
        "ne finit pas par un saut de ligne. Référentiel refusé : rien n'a été enregistré ; "
        "téléchargez-le de nouveau."
    )
    assert lignes(stockage, "SELECT * FROM etablissement ORDER BY uai") == avant


def test_une_ligne_courte_au_milieu_est_ignoree_et_n_abime_rien(tmp_path):
    """A short row inside a whole file: skipped with a warning naming its
    line, never applied."""
    entete, lignes_ = lignes_reelles()
    chemin = ecrire_csv(tmp_path / "a.csv", entete, lignes_[:3])
    texte = chemin.read_text(encoding="utf-8-sig").splitlines()
    texte[2] = ";".join(texte[2].split(";")[:51])
    chemin.write_text("\n".join(texte) + "\n", encoding="utf-8")
    ref = lire_annuaire(chemin)
    assert [e.uai for e in ref.etablissements] == [lignes_[i]["Identifiant_de_l_etablissement"] for i in (0, 2)]
    assert ref.avertissements[0] == ("ligne 3 : 51 champs au lieu de 69 (ligne tronquée ou séparateur en "
                                     "trop) : ligne ignorée, son établissement n'est pas modifié.")


def test_une_ligne_avec_trop_de_champs_est_ignoree(tmp_path):
    entete, lignes_ = lignes_reelles()
    chemin = ecrire_csv(tmp_path / "a.csv", entete, lignes_[:2])
    texte = chemin.read_text(encoding="utf-8-sig").splitlines()
    texte[2] += ";en trop"
    chemin.write_text("\n".join(texte) + "\n", encoding="utf-8")
    ref = lire_annuaire(chemin)
    assert [e.uai for e in ref.etablissements] == [lignes_[0]["Identifiant_de_l_etablissement"]]
    assert ref.avertissements[0].startswith("ligne 3 : 70 champs au lieu de 69")


def test_un_champ_au_dela_de_la_limite_du_module_csv_est_refuse_en_francais(url_base, tmp_path, capsys):
    entete, lignes_ = lignes_reelles()
    chemin = ecrire_csv(tmp_path / "a.csv", entete, lignes_[:3])
    texte = chemin.read_bytes().decode("utf-8-sig").split("\r\n")
    champs = texte[2].split(";")
    champs[4] = '"' + "x" * 200_000  # a quote never closed swallows the rest
    texte[2] = ";".join(champs)
    chemin.write_bytes("\r\n".join(texte).encode("utf-8"))
    with pytest.raises(ReferentielError) as exc:
        lire_annuaire(chemin)
    assert str(exc.value) == (
        f"{chemin}, ligne 3, colonne 5 : champ de plus de 131072 caractères : trop long pour une "
        "cellule (fichier tronqué ou guillemet jamais fermé ?) Référentiel refusé : rien n'a été "
        "enregistré."
    )
    assert main(["referentiel", str(chemin), "--db", url_base]) == 1
    err = capsys.readouterr().err
    assert "ligne 3, colonne 5 : champ de plus de 131072 caractères" in err and "Traceback" not in err
    assert base_absente(url_base)
