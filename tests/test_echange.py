"""Interchange format (SPEC §4): import, validation, export, CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.echange.ecriture import exporter
from agesh_tui.engine.echange.format import FICHIERS, ImportEchangeError
from agesh_tui.engine.echange.lecture import importer
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.chargement import charger, proches
from bases import url_de
from monde import D, Monde, contenu

# A small, coherent département: every file, every kind of cell.
VALIDE = {
    "etablissements.csv": [
        "uai;nom;type;statut;code_commune;commune;code_postal;latitude;longitude;circonscription;ulis;pial_uai",
        "0350001A;École Jean Macé;Ecole;Public;35238;Rennes;35000;48.11;-1.68;Rennes Nord;1;0350002B",
        "0350002B;Collège Anne de Bretagne;Collège;Public;35238;Rennes;35000;48.12;-1.67;Rennes Nord;0;0350002B",
        "0350003C;Lycée hors PIAL;Lycée;Privé;35047;Bruz;35170;;;Rennes Sud;0;",
    ],
    "secteurs.csv": [
        "code;nom;erseh_nom;erseh_mail",
        "S1;Rennes Nord;Mme Martin;erseh.s1@ac-rennes.fr",
    ],
    "secteurs_etablissements.csv": [
        "secteur_code;uai",
        "S1;0350001A",
        "S1;0350002B",
    ],
    "eleves.csv": [
        "id;nom;prenom;date_naissance;etat_dossier;structure_soin",
        "E1;DUPONT;Léa;2015-03-02;actif;",
        "E2;MARTIN;Tom;;gele;CMPP Rennes",
    ],
    "proches.csv": [
        "eleve_id;nom;prenom;lien;telephone;mail",
        "E1;DUPONT;Marc;père;0600000000;marc@example.org",
    ],
    "scolarites.csv": [
        "id;eleve_id;uai;classe;debut;fin",
        "SC1;E1;0350001A;CM1 A;2026-09-01;",
        "SC2;E2;0350002B;310;2026-09-01;2027-07-04",
    ],
    "decisions.csv": [
        "id;eleve_id;type;heures;origine;nature;debut;fin",
        "D1;E1;individuelle;12.5;Première demande;projet cible;2026-09-01;2028-08-31",
        "D2;E2;mutualisee;;Réexamen;alternatif;2026-09-01;2027-08-31",
        "D3;E1;mutualisee;;Réexamen;alternatif;2026-09-01;2027-08-31",
    ],
    "aesh.csv": [
        "id;source;civilite;nom;prenom;date_naissance;adresse;code_postal;commune;latitude;longitude;transport;rqth;actif",
        "A1;EPP;Mme;LEROY;Anne;1980-05-06;1 rue de Paris;35000;Rennes;48.1;-1.6;voiture;0;1",
        "A2;previsionnel;M.;NOEL;Paul;;;;;;;;1;1",
    ],
    "missions.csv": [
        "id;aesh_id;contrat;nature;quotite;volume;debut;fin;uai_employeur;uai_payeur;source;actif",
        "M1;A1;CDD;HI1D;75;24;2026-09-01;2027-08-31;0350001A;0350001A;EPP;1",
        "M2;A2;CDI;HM2D;;0;2026-09-01;;;;previsionnel;1",
    ],
    "affectations_pial.csv": [
        "id;mission_id;pial_uai;annee;volume;debut;fin",
        "AF1;M1;0350002B;2026;24;2026-09-01;2027-08-31",
    ],
    "accompagnements.csv": [
        "id;mission_id;decision_ids;uai;debut;fin;heures;repas;pause_meridienne;previsionnel;maintien",
        "AC1;M1;D1;0350001A;2026-09-01;2027-07-04;12.5;1;0;0;0",
        'AC2;M1;"D2,D3";0350002B;2026-09-01;2027-07-04;6;0;1;1;0',
    ],
}


def ecrire(dossier, fichiers, eol="\n", bom=False):
    dossier.mkdir(parents=True, exist_ok=True)
    for nom, lignes in fichiers.items():
        data = eol.join(lignes) + eol
        (dossier / nom).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return dossier


def avec(nom, numero, ligne, base=VALIDE):
    """VALIDE with line ``numero`` (1 = header) of file ``nom`` replaced."""
    fichiers = {k: list(v) for k, v in base.items()}
    fichiers[nom][numero - 1] = ligne
    return fichiers


def etat(store):
    """Everything a failed import must leave as it was (the change counter
    included: it is a row of meta)."""
    return contenu(store)


@pytest.fixture
def store(stockage):
    """An empty base of each engine."""
    return stockage


@pytest.fixture
def peuple(store, tmp_path):
    """A base holding VALIDE."""
    importer(store, ecrire(tmp_path / "valide", VALIDE))
    return store


def lignes(store, sql):
    with store.lecture() as tx:
        return tx.lignes(sql)


def refuse(store, dossier):
    """Import must fail, change nothing, and return the error lines."""
    avant = etat(store)
    with pytest.raises(ImportEchangeError) as exc:
        importer(store, dossier)
    assert etat(store) == avant
    return [str(e) for e in exc.value.erreurs]


# -- valid imports ------------------------------------------------------------------

def test_import_writes_every_entity(store, tmp_path):
    resultat = importer(store, ecrire(tmp_path / "d", VALIDE))
    assert resultat.lus["accompagnements.csv"] == 2
    assert resultat.ajoutes["eleves.csv"] == 2
    dep = charger(store)
    assert dep.etablissements["0350001A"].ulis is True
    assert dep.etablissements["0350003C"].pial_uai is None
    assert dep.etablissements["0350003C"].latitude is None
    assert dep.secteur_par_uai["0350002B"] == "S1"
    assert dep.eleves["E2"].etat_dossier == "gele"
    assert dep.eleves["E2"].date_naissance is None
    with store.lecture() as tx:
        assert proches(tx, "E1")[0].lien == "père"
    assert dep.scolarites["SC1"].fin is None
    assert dep.decisions["D1"].heures == 12.5
    assert dep.decisions["D2"].heures is None
    assert dep.aesh["A2"].rqth is True and dep.aesh["A2"].adresse == ""
    assert dep.missions["M2"].quotite is None and dep.missions["M2"].uai_employeur is None
    assert dep.affectations["AF1"].annee == 2026
    acc = dep.accompagnements["AC2"]
    assert acc.decision_ids == ("D2", "D3")
    assert (acc.repas, acc.pause_meridienne, acc.previsionnel, acc.maintien) == (False, True, True, False)


def test_bom_crlf_comma_separator_and_decimal_comma(store, tmp_path):
    fichiers = {}
    for nom, lignes in VALIDE.items():
        out = io.StringIO()
        writer = csv.writer(out, delimiter=",", lineterminator="\n")
        for row in csv.reader(lignes, delimiter=";"):
            writer.writerow(row)
        fichiers[nom] = out.getvalue().splitlines()
    # A decimal comma must be quoted when ',' separates the fields.
    fichiers["decisions.csv"][1] = 'D1,E1,individuelle,"12,5",Première demande,projet cible,2026-09-01,2028-08-31'
    importer(store, ecrire(tmp_path / "d", fichiers, eol="\r\n", bom=True))
    dep = charger(store)
    assert dep.decisions["D1"].heures == 12.5
    assert dep.accompagnements["AC2"].decision_ids == ("D2", "D3")
    assert dep.etablissements["0350001A"].nom == "École Jean Macé"  # BOM not glued to the key
    assert "0350001A" in dep.etablissements


def test_decimal_comma_with_semicolon_booleans_and_enums_folded(store, tmp_path):
    fichiers = avec("decisions.csv", 2, "D1;E1;Individuelle;7,5;Première demande;projet cible;2026-09-01;2028-08-31")
    fichiers = avec("eleves.csv", 3, "E2;MARTIN;Tom;;Gelé;CMPP Rennes", fichiers)
    fichiers = avec("accompagnements.csv", 2, "AC1;M1;D1;0350001a;2026-09-01;2027-07-04;7,5;OUI;non;False;TRUE", fichiers)
    importer(store, ecrire(tmp_path / "d", fichiers))
    dep = charger(store)
    assert dep.decisions["D1"].heures == 7.5 and dep.decisions["D1"].type == "individuelle"
    assert dep.eleves["E2"].etat_dossier == "gele"
    acc = dep.accompagnements["AC1"]
    assert acc.uai == "0350001A"
    assert (acc.repas, acc.pause_meridienne, acc.previsionnel, acc.maintien) == (True, False, False, True)


def test_column_order_is_free_and_missing_files_are_allowed(store, tmp_path):
    dossier = ecrire(tmp_path / "d", {
        "secteurs.csv": ["erseh_mail;code;erseh_nom;nom", "x@y.fr;S9;M. Erseh;Secteur 9"],
    })
    assert importer(store, dossier).lus == {"secteurs.csv": 1}
    assert charger(store).secteurs["S9"].nom == "Secteur 9"


def test_references_resolve_against_the_database(peuple, tmp_path):
    dossier = ecrire(tmp_path / "d", {
        "scolarites.csv": ["id;eleve_id;uai;classe;debut;fin", "SC9;E2;0350003C;6e;2027-09-01;"],
    })
    importer(peuple, dossier)
    assert charger(peuple).scolarites["SC9"].uai == "0350003C"


def test_markup_and_control_characters(store, tmp_path):
    fichiers = avec("eleves.csv", 2, "E1;[@click=app.quit]X;L\x1b[31mé\x07a;2015-03-02;actif;[b]soin[/b]")
    importer(store, ecrire(tmp_path / "d", fichiers))
    eleve = charger(store).eleves["E1"]
    assert eleve.nom == "[@click=app.quit]X"
    assert eleve.prenom == "L[31méa"
    assert eleve.structure_soin == "[b]soin[/b]"


# -- idempotence and updates -----------------------------------------------------------

def test_reimport_is_a_true_no_op(peuple, tmp_path):
    avant = etat(peuple)
    resultat = importer(peuple, ecrire(tmp_path / "encore", VALIDE))
    assert resultat.changements == 0
    assert etat(peuple) == avant


def test_reimport_updates_only_changed_rows_and_versions(peuple, tmp_path):
    fichiers = avec("eleves.csv", 2, "E1;DUPONT;Léa;2015-03-02;cloture;")
    fichiers = avec("accompagnements.csv", 3, 'AC2;M1;"D3,D2";0350002B;2026-09-01;2027-07-04;6;0;1;1;0', fichiers)
    changements = peuple.changements()
    resultat = importer(peuple, ecrire(tmp_path / "d", fichiers))
    assert resultat.modifies["eleves.csv"] == 1 and resultat.modifies["accompagnements.csv"] == 1
    assert resultat.changements == 2
    assert peuple.changements() == changements + 1  # one transaction
    versions = dict(lignes(peuple, "SELECT id, version FROM eleve"))
    assert versions == {"E1": 2, "E2": 1}
    versions = dict(lignes(peuple, "SELECT id, version FROM accompagnement"))
    assert versions == {"AC1": 1, "AC2": 2}  # décisions alone changed: still a new version
    assert charger(peuple).accompagnements["AC2"].decision_ids == ("D3", "D2")


# -- malformed folders: exact position, database untouched ------------------------------

def test_bad_date(peuple, tmp_path):
    fichiers = avec("decisions.csv", 3, "D2;E2;mutualisee;;Réexamen;alternatif;2026-13-01;2027-08-31")
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs == ["decisions.csv:3:7 (debut) : date invalide « 2026-13-01 » (attendu aaaa-mm-jj)"]


def test_unknown_reference(peuple, tmp_path):
    fichiers = avec("accompagnements.csv", 3, 'AC2;M1;"D2,D404";0350002B;2026-09-01;2027-07-04;6;0;1;1;0')
    fichiers = avec("scolarites.csv", 2, "SC1;E404;0350001A;CM1 A;2026-09-01;", fichiers)
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs == [
        "scolarites.csv:2:2 (eleve_id) : élève « E404 » introuvable (ni dans eleves.csv ni dans la base)",
        "accompagnements.csv:3:3 (decision_ids) : décision « D404 » introuvable "
        "(ni dans decisions.csv ni dans la base)",
    ]


def test_duplicate_key(peuple, tmp_path):
    fichiers = {k: list(v) for k, v in VALIDE.items()}
    fichiers["missions.csv"].append("M1;A2;CDI;HM2D;;0;2026-09-01;;;;previsionnel;1")
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs == ["missions.csv:4:1 (id) : clé en double « M1 » (déjà à la ligne 2)"]


def test_an_etablissement_belongs_to_one_secteur(peuple, tmp_path):
    fichiers = {k: list(v) for k, v in VALIDE.items()}
    fichiers["secteurs.csv"].append("S2;Rennes Sud;M. Durand;erseh.s2@ac-rennes.fr")
    fichiers["secteurs_etablissements.csv"].append("S2;0350001A")
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs == [
        "secteurs_etablissements.csv:4:2 (uai) : clé en double « 0350001A » (déjà à la ligne 2)"
    ]


def test_missing_column(peuple, tmp_path):
    fichiers = {k: list(v) for k, v in VALIDE.items()}
    fichiers["eleves.csv"] = [
        "id;nom;date_naissance;etat_dossier;structure_soin",
        "E1;DUPONT;2015-03-02;actif;",
        "E2;MARTIN;;gele;CMPP Rennes",
    ]
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    # Only the header error: the élèves are not reported missing elsewhere.
    assert erreurs == ["eleves.csv:1:6 (prenom) : colonne manquante dans l'en-tête"]


def test_unknown_column_is_named(peuple, tmp_path):
    fichiers = avec("secteurs.csv", 1, "code;nom;erseh_nom;erseh_mail;ersehmail")
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs[0].startswith("secteurs.csv:1:5 (ersehmail) : colonne inconnue")


def test_wrong_boolean(peuple, tmp_path):
    fichiers = avec("aesh.csv", 2, "A1;EPP;Mme;LEROY;Anne;1980-05-06;1 rue de Paris;35000;Rennes;48.1;-1.6;voiture;peut-être;1")
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs == [
        "aesh.csv:2:13 (rqth) : booléen invalide « peut-être » (attendu 1/0, oui/non, true/false)"
    ]


def test_every_error_is_collected_and_lines_are_physical(peuple, tmp_path):
    fichiers = {k: list(v) for k, v in VALIDE.items()}
    fichiers["eleves.csv"] = [
        "id;nom;prenom;date_naissance;etat_dossier;structure_soin",
        'E1;DUPONT;Léa;2015-03-02;actif;"sur',
        'deux lignes"',
        "",
        "E2;MARTIN;Tom;;archive;",
    ]
    fichiers["decisions.csv"][1] = "D1;E1;individuelle;;Première demande;projet cible;2026-09-01;2026-08-31"
    fichiers["decisions.csv"][2] = "D2;E2;mutualisee;3;Réexamen;alternatif;2026-09-01;2027-08-31"
    fichiers["scolarites.csv"][1] = "SC1;E1;350001A;CM1 A;2026-09-01;"
    fichiers["missions.csv"][1] = "M1;A1;CDD;XX1D;75;24;2026-09-01;2027-08-31;0350001A;0350001A;EPP"
    erreurs = refuse(peuple, ecrire(tmp_path / "d", fichiers))
    assert erreurs == [
        "eleves.csv:5:5 (etat_dossier) : valeur « archive » non reconnue pour état du dossier "
        "(attendu : actif, gele, cloture)",
        "scolarites.csv:2:3 (uai) : UAI invalide « 350001A » (attendu 7 chiffres et une lettre)",
        "decisions.csv:2:4 (heures) : heures notifiées (> 0) requises pour une décision individuelle",
        "decisions.csv:2:8 (fin) : fin « 2026-08-31 » antérieure au début « 2026-09-01 »",
        "decisions.csv:3:4 (heures) : heures à laisser vides pour une décision mutualisée",
        "missions.csv:2:12 : 11 champs au lieu de 12",
    ]


def test_error_report_is_capped(peuple, tmp_path):
    fichiers = {k: list(v) for k, v in VALIDE.items()}
    fichiers["secteurs.csv"] += [f"X{i};;;" for i in range(250)]
    with pytest.raises(ImportEchangeError) as exc:
        importer(peuple, ecrire(tmp_path / "d", fichiers))
    assert len(exc.value.erreurs) == 250
    rapport = str(exc.value).splitlines()
    assert len(rapport) == 1 + 200 + 1
    assert rapport[-1] == "… et 50 autres erreurs"
    assert rapport[1] == "secteurs.csv:3:2 (nom) : valeur requise"


def test_not_utf8(peuple, tmp_path):
    dossier = tmp_path / "d"
    dossier.mkdir()
    (dossier / "eleves.csv").write_bytes(
        "id;nom;prenom;date_naissance;etat_dossier;structure_soin\nE1;DUPONT;Léa;;actif;\n".encode("latin-1")
    )
    assert refuse(peuple, dossier) == [
        "eleves.csv:2:3 : encodage invalide (octet 0xE9) : le fichier doit être en UTF-8 "
        "(« CSV UTF-8 » dans un tableur)"
    ]


def test_badly_quoted_field_stops_that_file_only(peuple, tmp_path):
    fichiers = avec("proches.csv", 2, 'E1;DUPONT;"Marc"x;père;0600000000;marc@example.org')
    fichiers = avec("decisions.csv", 4, "D3;E1;mutualisee;;Réexamen;alternatif;2026-09-01;31/08/2027", fichiers)
    assert refuse(peuple, ecrire(tmp_path / "d", fichiers)) == [
        "proches.csv:2 : guillemets mal placés (champ non fermé ou texte après le guillemet fermant)",
        "decisions.csv:4:8 (fin) : date invalide « 31/08/2027 » (attendu aaaa-mm-jj)",
    ]


# -- export ----------------------------------------------------------------------------

def test_export_format(peuple, tmp_path):
    comptes = exporter(peuple, tmp_path / "out")
    assert comptes["decisions.csv"] == 3 and len(comptes) == 11
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f.nom for f in FICHIERS)
    data = (tmp_path / "out" / "decisions.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.decode().splitlines()[1] == "D1;E1;individuelle;12.5;Première demande;projet cible;2026-09-01;2028-08-31"
    lignes = (tmp_path / "out" / "missions.csv").read_text().splitlines()
    assert lignes[1] == "M1;A1;CDD;HI1D;75;24;2026-09-01;2027-08-31;0350001A;0350001A;EPP;1"
    assert lignes[2] == "M2;A2;CDI;HM2D;;0;2026-09-01;;;;previsionnel;1"
    assert (tmp_path / "out" / "accompagnements.csv").read_text().splitlines()[2].split(";")[2] == "D2,D3"


def test_round_trip_is_byte_identical(peuple, moteur, tmp_path, request):
    """Export → import into another base of the same engine → export."""
    exporter(peuple, tmp_path / "a")
    autre = ouvrir(url_de(moteur, tmp_path / "autre", request))
    try:
        importer(autre, tmp_path / "a")
        exporter(autre, tmp_path / "b")
    finally:
        autre.fermer()
    for fichier in FICHIERS:
        assert (tmp_path / "a" / fichier.nom).read_bytes() == (tmp_path / "b" / fichier.nom).read_bytes()


def test_export_overwrites_only_its_files(peuple, tmp_path):
    dossier = tmp_path / "out"
    dossier.mkdir()
    (dossier / "notes.txt").write_text("à garder")
    (dossier / "eleves.csv").write_text("ancien")
    exporter(peuple, dossier)
    assert (dossier / "notes.txt").read_text() == "à garder"
    assert (dossier / "eleves.csv").read_text().startswith("id;nom;prenom")
    assert not list(dossier.glob(".*.tmp"))


# -- command line --------------------------------------------------------------------------

def test_cli_import_export(url_base, tmp_path, capsys):
    dossier = ecrire(tmp_path / "d", VALIDE)
    assert main(["import", str(dossier), "--db", url_base, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["imported"]["eleves.csv"] == 2 and doc["imported"]["accompagnements.csv"] == 2
    assert main(["import", str(dossier), "--db", url_base]) == 0
    assert "aucun changement" in capsys.readouterr().out
    assert main(["export", str(tmp_path / "out"), "--db", url_base, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exported"]["missions.csv"] == 2


def test_cli_import_errors_exit_1(url_base, tmp_path, capsys):
    fichiers = avec("decisions.csv", 3, "D2;E2;mutualisee;;Réexamen;alternatif;2026-13-01;2027-08-31")
    assert main(["import", str(ecrire(tmp_path / "d", fichiers)), "--db", url_base, "--json"]) == 1
    sortie = capsys.readouterr()
    assert sortie.out == ""
    assert "decisions.csv:3:7 (debut) : date invalide « 2026-13-01 »" in sortie.err
    assert main(["import", str(tmp_path / "absent"), "--db", url_base]) == 1
    assert "dossier introuvable" in capsys.readouterr().err


def test_cli_export_import_export_round_trip(url_base, moteur, tmp_path, request, capsys):
    """``agesh export`` → ``agesh import`` into a new base of the same
    engine → ``agesh export``: the same bytes."""
    assert main(["import", str(ecrire(tmp_path / "d", VALIDE)), "--db", url_base]) == 0
    assert main(["export", str(tmp_path / "a"), "--db", url_base]) == 0
    autre = url_de(moteur, tmp_path / "autre", request)
    assert main(["import", str(tmp_path / "a"), "--db", autre]) == 0
    assert main(["export", str(tmp_path / "b"), "--db", autre]) == 0
    capsys.readouterr()
    for fichier in FICHIERS:
        assert (tmp_path / "a" / fichier.nom).read_bytes() == (tmp_path / "b" / fichier.nom).read_bytes()


# -- the same export from either engine ---------------------------------------------------

def monde_a_trier() -> Monde:
    """Keys that a server's collation orders otherwise than code points
    (case, accents, punctuation), floats without a short decimal form,
    empty cells, several décisions in a given order."""
    m = Monde()
    m.etablissement("0350001A", "École Émile Zola", "Ecole", "Rennes", 48.1 + 1e-9, -1.0 / 3, "0350002B")
    m.etablissement("0350002B", "collège [b]Anne[/b]", "Collège", "Bruz", 0.1 + 0.2, -1.68, "0350002B")
    m.etablissement("0350003C", "Lycée hors PIAL", "Lycée", "Vitré")
    m.secteur("s1", "secteur minuscule", ["0350001A"])
    m.secteur("S2", "Secteur Sud", ["0350002B", "0350003C"], erseh_nom="Mme Élise")
    for ident in ("e10", "E2", "É1", "E_1", "a1", "Z9", "E-1"):
        m.eleve(ident, f"NOM {ident}", "Zoé" if ident.islower() else "éric",
                D(2015, 3, 2), scolarites=[("0350001A", D(2026, 9, 1), None, "CM1 A")])
    m.proche("É1", "DURAND", "Éva", "mère", "0600000000", "eva@example.org")
    m.proche("É1", "durand", "Ana", "père")
    m.decision("Db", "É1", "mutualisee", None)
    m.decision("DA", "e10", "mutualisee", None)
    m.decision("d1", "E2", "individuelle", 12.25)
    m.decision("D1", "a1", "individuelle", 0.1 + 0.2, D(2026, 9, 1), D(2028, 8, 31))
    m.aesh("A1", "LEROY", "Anne", 48.123456789, -1.6, transport="vélo", rqth=True)
    m.aesh("a2", "noël", "Paul", source="previsionnel", actif=False)
    m.mission("M1", "A1", "HI1D", 24.5, D(2026, 9, 1), D(2027, 8, 31), "CDD", 75.0, "0350001A", "0350002B")
    m.mission("m2", "a2", "HM2D", 0.0, D(2026, 9, 1), None, "CDI", None, source="previsionnel")
    m.affectation("AF1", "M1", "0350002B", 24.5)
    m.accompagnement("AC1", "M1", ["Db", "DA"], "0350001A", D(2026, 9, 1), D(2027, 7, 4), 6.0,
                     pause_meridienne=True, previsionnel=True)
    m.accompagnement("ac2", "M1", ["d1"], "0350001A", D(2026, 9, 1), D(2027, 7, 4), 12.25, repas=True)
    return m


def test_export_is_the_same_from_sqlite_and_postgresql(tmp_path, request, monkeypatch, capsys):
    """The same data gives the same bytes from either engine (`agesh export`),
    and those files import and export again to the same bytes on each."""
    monkeypatch.setenv("AGESH_KEY_FILE", str(tmp_path / "cle-otp.key"))
    urls = {moteur: url_de(moteur, tmp_path / moteur, request) for moteur in ("sqlite", "postgresql")}
    for moteur, url in urls.items():
        store = ouvrir(url)
        try:
            monde_a_trier().ecrire(store)
        finally:
            store.fermer()
        assert main(["export", str(tmp_path / f"export-{moteur}"), "--db", url]) == 0
    capsys.readouterr()
    for fichier in FICHIERS:
        sqlite = (tmp_path / "export-sqlite" / fichier.nom).read_bytes()
        assert sqlite == (tmp_path / "export-postgresql" / fichier.nom).read_bytes(), fichier.nom
    # Code-point order, whatever the server's collation.
    ids = [ligne.split(";")[0] for ligne in (tmp_path / "export-sqlite" / "eleves.csv").read_text().splitlines()[1:]]
    assert ids == sorted(ids) == ["E-1", "E2", "E_1", "Z9", "a1", "e10", "É1"]
    accs = (tmp_path / "export-sqlite" / "accompagnements.csv").read_text().splitlines()
    assert accs[1].split(";")[:3] == ["AC1", "M1", "Db,DA"]
    assert (tmp_path / "export-sqlite" / "decisions.csv").read_text().splitlines()[1].split(";")[3] == "0.30000000000000004"
    for moteur in urls:
        nouvelle = url_de(moteur, tmp_path / f"nouvelle-{moteur}", request)
        assert main(["import", str(tmp_path / "export-sqlite"), "--db", nouvelle]) == 0
        assert main(["export", str(tmp_path / f"encore-{moteur}"), "--db", nouvelle]) == 0
        for fichier in FICHIERS:
            assert ((tmp_path / f"encore-{moteur}" / fichier.nom).read_bytes()
                    == (tmp_path / "export-sqlite" / fichier.nom).read_bytes()), (moteur, fichier.nom)


# -- limits of the csv module, PIAL references (issue 8) ----------------------------------------

def test_a_field_over_the_csv_limit_names_file_line_and_column(peuple, tmp_path):
    fichiers = avec("proches.csv", 2, f"E1;DUPONT;Marc;père;{'0' * 200_000};marc@example.org")
    fichiers = avec("aesh.csv", 3, 'A2;previsionnel;M.;NOEL;"Paul' + "x" * 140_000, fichiers)
    assert refuse(peuple, ecrire(tmp_path / "d", fichiers)) == [
        "proches.csv:2:5 : champ de plus de 131072 caractères : trop long pour une cellule "
        "(fichier tronqué ou guillemet jamais fermé ?)",
        "aesh.csv:3:5 : champ de plus de 131072 caractères : trop long pour une cellule "
        "(fichier tronqué ou guillemet jamais fermé ?)",
    ]


def test_an_affectation_must_name_a_known_pial(store, tmp_path):
    """An établissement may carry the PIAL code of a tête outside the extract
    (a partial référentiel: its export must import again); an affectation
    must name a PIAL that some établissement carries, or a tête."""
    fichiers = avec("etablissements.csv", 4,
                    "0350003C;Lycée;Lycée;Privé;35047;Bruz;35170;;;Rennes Sud;0;0359999Z")
    fichiers = avec("affectations_pial.csv", 2, "AF1;M1;0358888Y;2026;24;2026-09-01;2027-08-31", fichiers)
    assert refuse(store, ecrire(tmp_path / "d", fichiers)) == [
        "affectations_pial.csv:2:3 (pial_uai) : PIAL « 0358888Y » introuvable "
        "(ni dans etablissements.csv ni dans la base)",
    ]
    fichiers = avec("affectations_pial.csv", 2, "AF1;M1;0359999Z;2026;24;2026-09-01;2027-08-31", fichiers)
    assert importer(store, ecrire(tmp_path / "p", fichiers)).ajoutes["affectations_pial.csv"] == 1
    assert charger(store).etablissements["0350003C"].pial_uai == "0359999Z"
    # A head already in the base is enough.
    importer(store, ecrire(tmp_path / "v", VALIDE))
    seul = {"affectations_pial.csv": avec("affectations_pial.csv", 2,
                                          "AF1;M1;0350001A;2026;24;2026-09-01;2027-08-31")["affectations_pial.csv"]}
    assert importer(store, ecrire(tmp_path / "s", seul)).modifies == {"affectations_pial.csv": 1}
