"""The demo département (``agesh demo``), size S only, built on each engine.

The rule predicates below are written here on purpose, independently of
engine/regles/incoherences.py: they check what the generator planted, not what
the rule engine finds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from agesh_tui.cli import main
from agesh_tui.engine.modele.natures import NATURES
from agesh_tui.engine.stockage import chemin_sqlite, ouvrir
from agesh_tui.engine.stockage.chargement import charger
from agesh_tui.engine.stockage.chargement import proches as lire_proches
from bases import MOTEURS, url_de
from monde import Monde, contenu

TODAY = date(2026, 11, 22)
Y = 2026  # current school year
UN_JOUR = timedelta(days=1)


def annee(d: date) -> int:
    return d.year if d.month >= 9 else d.year - 1


@pytest.fixture(scope="module")
def cle(tmp_path_factory):
    """A key file of the tests' own (never the user's configuration)."""
    chemin = tmp_path_factory.mktemp("cle") / "cle-otp.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AGESH_KEY_FILE", str(chemin))
        yield chemin


def construire(url, graine: int = 1, *extra: str) -> dict:
    argv = ["demo", "--taille", "S", "--seed", str(graine), "--db", str(url),
            "--today", TODAY.isoformat(), "--json", *extra]
    import contextlib
    import io

    sortie = io.StringIO()
    with contextlib.redirect_stdout(sortie):
        assert main(argv) == 0
    return json.loads(sortie.getvalue())  # nothing else on stdout


@pytest.fixture(scope="module", params=MOTEURS)
def base(request, cle, tmp_path_factory):
    """The demo of seed 1, built once per engine: (its --db, the summary, the engine)."""
    moteur = request.param
    url = url_de(moteur, tmp_path_factory.mktemp(f"demo-{moteur}"), request)
    return url, construire(url), moteur


@pytest.fixture
def nouvelle(base, tmp_path, request):
    """The --db of a new empty base of the engine of ``base``."""
    compteur = iter(range(100))
    return lambda: url_de(base[2], tmp_path / f"b{next(compteur)}", request)


@pytest.fixture(scope="module")
def dep(base):
    store = ouvrir(base[0], creer=False)
    yield charger(store), store
    store.fermer()


def dump(url, sans_compteur: bool = False) -> dict[str, list]:
    """Every table's rows, sorted; the encrypted TOTP secrets (random IV)
    are left out: their clear value is compared through the login code.
    ``sans_compteur``: what counts the writes that built the base left out —
    the change counter, the aggregates' stamp of it, the numbers the base
    gives messages and journal lines (a PostgreSQL identity goes on after
    the old demo's rows are deleted) and the schema version (a row of meta
    on PostgreSQL only)."""
    sans = ("otp_secret", "message.id", "journal.id", "agregat_pial.changements") if sans_compteur \
        else ("otp_secret",)
    store = ouvrir(url, creer=False)
    try:
        out = contenu(store, sans=sans)
    finally:
        store.fermer()
    if sans_compteur:
        out["meta"] = [r for r in out["meta"] if r[0] not in ("changements", "version_schema")]
    return out


def identiques(premier: dict, second: dict) -> None:
    assert premier.keys() == second.keys()
    for table in premier:
        assert premier[table] == second[table], table


# -- build, determinism, refusal ------------------------------------------------


def test_resume_json(base):
    resume = base[1]
    assert resume["taille"] == "S" and resume["graine"] == 1
    assert 270 <= resume["decisions"] <= 340
    assert 90 <= resume["aesh"] <= 200
    assert resume["accompagnements"] > 200
    assert resume["etablissements"] > 900  # every row of the référentiel
    assert set(resume["plantes"]) >= {"1", "2", "3", "4", "5", "6", "7", "8"}


def test_meme_graine_meme_base_autre_graine_autre_base(base, nouvelle):
    autre = nouvelle()
    construire(autre)
    premier = dump(base[0])
    identiques(premier, dump(autre))
    different = nouvelle()
    construire(different, 2)
    assert dump(different)["eleve"] != premier["eleve"]


def test_meme_demo_sur_les_deux_moteurs(cle, tmp_path, request):
    """Same size, seed and day: the same rows on SQLite and PostgreSQL."""
    urls = [url_de(moteur, tmp_path / moteur, request) for moteur in MOTEURS]
    resumes = [construire(url) for url in urls]
    for resume in resumes:
        del resume["base"]
    assert resumes[0] == resumes[1]
    identiques(dump(urls[0], sans_compteur=True), dump(urls[1], sans_compteur=True))


def test_deterministe_entre_processus(base, cle, nouvelle):
    """No dependence on str hashing (set order) nor on the clock."""
    url = nouvelle()
    env = dict(os.environ, PYTHONHASHSEED="12345", AGESH_KEY_FILE=str(cle))
    subprocess.run(
        [sys.executable, "-m", "agesh_tui", "demo", "--taille", "S", "--seed", "1", "--db", str(url),
         "--today", TODAY.isoformat()],
        check=True, env=env, capture_output=True,
    )
    identiques(dump(base[0]), dump(url))


def test_les_secrets_des_utilisateurs_sont_ceux_de_la_graine(dep):
    from agesh_tui.engine.demo import secret_demo
    from agesh_tui.engine.stockage import cle as module_cle
    from agesh_tui.engine.stockage.utilisateurs import secret_chiffre

    _, store = dep
    for login in ("demo.superviseur", "demo.gestionnaire"):
        jeton = secret_chiffre(store, login)
        assert module_cle.dechiffrer(store, jeton) == secret_demo(login, 1)


def test_reconstruit_une_ancienne_demo(base, nouvelle):
    """Seed 3, then seed 1 over it: exactly the demo of seed 1 (on
    PostgreSQL, in the same schema; on SQLite, a new file renamed in)."""
    url = nouvelle()
    construire(url, 3)
    assert construire(url, 1)["graine"] == 1
    store = ouvrir(url, creer=False)
    try:
        assert store.meta("graine") == "1"
    finally:
        store.fermer()
    identiques(dump(base[0], sans_compteur=True), dump(url, sans_compteur=True))


def test_reconstruit_sans_rejouer_l_ancien_journal(cle, tmp_path):
    """SQLite only: the scratch file renamed over the target, whose stale
    -wal (leftovers of an old session) is never replayed onto it."""
    chemin = tmp_path / "demo.sqlite3"
    construire(chemin, 3)
    Path(f"{chemin}-wal").write_bytes(b"")
    construire(chemin, 4)
    assert not Path(f"{chemin}.construction").exists()
    store = ouvrir(chemin, creer=False)
    try:
        assert store.meta("graine") == "4"
    finally:
        store.fermer()


def test_une_coupure_entre_le_repli_et_le_renommage_laisse_l_ancienne_base(cle, tmp_path, monkeypatch):
    """SQLite only (issue 8, item 9): the old base's WAL folded, then a
    crash before the rename — the previous demo is there, whole and
    openable, and the scratch file is gone."""
    from agesh_tui.engine import demo
    from agesh_tui.engine.stockage import sqlite

    chemin = tmp_path / "demo.sqlite3"
    construire(chemin, 3)
    avant = dump(chemin)

    def coupure(source, cible):
        raise OSError(5, "coupure simulée")

    monkeypatch.setattr(sqlite.os, "replace", coupure)
    with pytest.raises(OSError, match="coupure simulée"):
        demo.construire(chemin, "S", 4, TODAY)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite3"]
    assert dump(chemin) == avant
    store = ouvrir(chemin, creer=False)
    try:
        assert store.meta("graine") == "3"
        assert store.est_demo
    finally:
        store.fermer()


def test_le_wal_d_une_ancienne_base_n_est_jamais_rejoue_sur_la_nouvelle(cle, tmp_path, monkeypatch):
    """SQLite only: while the new demo is built, a process writing to the
    old base is killed and leaves a -wal of committed frames; the rebuild
    folds them into the old file before the rename, so none is replayed
    onto the new one (which would corrupt it or bring back old data)."""
    from agesh_tui.engine import demo

    chemin = tmp_path / "demo.sqlite3"
    construire(chemin, 3)
    verifier = demo.verifier_cible

    def verifier_puis_tuer_un_ecrivain(cible):
        verifier(cible)
        tue = subprocess.run([sys.executable, "-c", (
            "import os, sqlite3, sys\n"
            "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "con.execute('PRAGMA journal_mode=WAL'); con.execute('PRAGMA wal_autocheckpoint=0')\n"
            "con.execute(\"UPDATE meta SET valeur = 'ancienne' WHERE cle = 'graine'\")\n"
            "con.execute(\"UPDATE eleve SET nom = 'REJOUE'\")\n"
            "os._exit(0)  # killed: no checkpoint, the frames stay in the -wal\n"
        ), str(cible)])
        assert tue.returncode == 0 and Path(f"{cible}-wal").stat().st_size > 0

    monkeypatch.setattr(demo, "verifier_cible", verifier_puis_tuer_un_ecrivain)
    demo.construire(chemin, "S", 4, TODAY)
    # Opened as the application opens it (WAL mode: a -wal beside it is read).
    store = ouvrir(chemin, creer=False)
    try:
        with store.lecture() as tx:
            assert tx.lignes("PRAGMA integrity_check") == [("ok",)]
            assert tx.meta("graine") == "4"
            assert tx.ligne("SELECT count(*) FROM eleve WHERE nom = 'REJOUE'") == (0,)
    finally:
        store.fermer()


def test_dans_une_base_ouverte(base, cle, nouvelle):
    """construire_demo: the same content written into an open store."""
    from agesh_tui.engine.demo import construire_demo

    url = nouvelle()
    store = ouvrir(url)
    try:
        construire_demo(store, "S", 1, TODAY)
    finally:
        store.fermer()
    identiques(dump(base[0], sans_compteur=True), dump(url, sans_compteur=True))


def test_refuse_une_base_avec_des_donnees(base, cle, nouvelle, capsys):
    url = nouvelle()
    store = ouvrir(url)
    m = Monde()
    m.etablissement("0350001A", "Collège réel", "Collège", "Rennes", circonscription="")
    m.ecrire(store)
    avant, nom = contenu(store), store.description
    store.fermer()
    chemin = chemin_sqlite(url)
    octets = chemin.read_bytes() if chemin else None
    assert main(["demo", "--taille", "S", "--db", url, "--today", TODAY.isoformat()]) == 1
    err = capsys.readouterr()
    assert err.out == ""
    assert (f"la base {nom} contient des données qui ne sont pas une démonstration "
            "(table etablissement) : elle n'est pas écrasée") in err.err
    if chemin:  # SQLite: not a byte changed, no scratch file left
        assert chemin.read_bytes() == octets
        assert not Path(f"{chemin}.construction").exists()
    store = ouvrir(url, creer=False)
    try:
        assert contenu(store) == avant
    finally:
        store.fermer()


def test_refuse_une_base_qui_n_a_qu_un_utilisateur(base, cle, nouvelle, capsys):
    """A real base just set up (one user, nothing else yet) is not a demo's to erase."""
    url = nouvelle()
    assert main(["utilisateur", "ajouter", "vraie.personne", "--profil", "gestionnaire",
                 "--db", url]) == 0
    capsys.readouterr()
    assert main(["demo", "--taille", "S", "--db", url, "--today", TODAY.isoformat()]) == 1
    assert "(table utilisateur) : elle n'est pas écrasée" in capsys.readouterr().err
    store = ouvrir(url, creer=False)
    try:
        with store.lecture() as tx:
            assert tx.lignes("SELECT login FROM utilisateur") == [("vraie.personne",)]
        assert store.meta("demo") is None
    finally:
        store.fermer()


def test_refuse_un_fichier_qui_n_est_pas_une_base(cle, tmp_path, capsys):
    """SQLite only: a file that is not a base is never overwritten."""
    chemin = tmp_path / "notes.sqlite3"
    chemin.write_text("des notes importantes")
    assert main(["demo", "--taille", "S", "--db", str(chemin)]) == 1
    assert "la démonstration ne l'écrase pas" in capsys.readouterr().err
    assert chemin.read_text() == "des notes importantes"
    assert not Path(f"{chemin}.construction").exists()


# -- content ---------------------------------------------------------------------


def test_aucune_table_vide(base):
    tables = dump(base[0])
    # what users fill as they work: preferences, failed logins, read marks of their messages
    vides = [t for t, rows in tables.items()
             if not rows and t not in ("preference", "echec_connexion", "message_lu")]
    assert vides == []


def test_meta_de_demonstration(dep):
    _, store = dep
    assert store.meta("demo") == "1"
    assert store.meta("departement") == "035"
    assert store.meta("taille") == "S"
    assert store.meta("graine") == "1"


def test_integrite_et_identifiants(dep):
    d, _ = dep
    assert all(re.fullmatch(r"E035\d{6}", i) for i in d.eleves)
    assert all(re.fullmatch(r"D035\d{6}", i) for i in d.decisions)
    assert all(re.fullmatch(r"A035\d{6}", i) for i in d.aesh)
    assert all(re.fullmatch(r"M035\d{6}", i) for i in d.missions)
    assert all(re.fullmatch(r"AC035\d{6}", i) for i in d.accompagnements)
    assert all(re.fullmatch(r"S035\d{6}", i) for i in d.scolarites)
    assert all(re.fullmatch(r"AF035\d{6}", i) for i in d.affectations)
    for dec in d.decisions.values():
        assert dec.eleve_id in d.eleves
        assert date(2023, 9, 1) <= dec.debut <= dec.fin <= date(2028, 8, 31)
        if dec.individuelle:
            assert 6 <= dec.heures <= 24 and dec.heures * 2 == int(dec.heures * 2)
        else:
            assert dec.heures is None
    for s in d.scolarites.values():
        assert d.etablissements[s.uai].scolaire
        assert s.fin is None or s.debut <= s.fin
    for m in d.missions.values():
        assert m.aesh_id in d.aesh and m.nature in NATURES
    for a in d.accompagnements.values():
        assert a.mission_id in d.missions and a.decision_ids
        assert all(x in d.decisions for x in a.decision_ids)


def test_secteurs(dep):
    d, _ = dep
    assert len(d.secteurs) >= 15
    for s in d.secteurs.values():
        assert s.nom and s.erseh_nom and re.fullmatch(r"[a-z0-9.-]+@ac-rennes\.fr", s.erseh_mail)
    scolaires = [e.uai for e in d.etablissements.values() if e.scolaire]
    assert all(uai in d.secteur_par_uai for uai in scolaires)


def test_noms_plausibles(dep):
    d, store = dep
    for e in d.eleves.values():
        assert e.nom and e.nom == e.nom.upper() and e.prenom and e.prenom[0].isupper()
        assert e.date_naissance is not None
    for a in d.aesh.values():
        assert a.nom and a.prenom and a.civilite in ("Mme", "M.") and a.adresse and a.commune
        assert a.latitude is not None and 47 < a.latitude < 49
    with store.lecture() as tx:
        proches = [p for e in d.eleves for p in lire_proches(tx, e)]
    assert len(proches) >= len(d.eleves)
    for p in proches:
        assert p.nom and p.prenom and p.lien
        assert re.fullmatch(r"06( \d\d){4}", p.telephone)
        assert re.fullmatch(r"[a-z0-9.-]+@[a-z.]+\.[a-z]+", p.mail)
    assert any(e.structure_soin for e in d.eleves.values())


def test_classes_et_ages_coherents(dep):
    d, _ = dep
    ordre = ("PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2")
    for s in d.scolarites.values():
        etab = d.etablissements[s.uai]
        naissance = d.eleves[s.eleve_id].date_naissance
        age = annee(s.debut) - naissance.year  # age reached during the calendar year of the rentrée
        if etab.type == "Ecole":
            assert s.classe.split(" ")[0].split("-")[0] in ordre or s.classe == "ULIS école", s.classe
            niveau = ordre.index(s.classe.split(" ")[0].split("-")[0]) if s.classe != "ULIS école" else None
            if niveau is not None:
                assert 3 + niveau - 1 <= age <= 3 + niveau + 2, (s.classe, age)
            else:
                assert 6 <= age <= 12
        elif etab.type == "Collège":
            assert re.fullmatch(r"[6543]\d\d|ULIS|[543]e SEGPA", s.classe), s.classe
            assert 10 <= age <= 16
        elif etab.type == "Lycée":
            assert re.fullmatch(r"2\d\d|[1T]G\d+|[21T]PRO\d+", s.classe), s.classe
            assert 14 <= age <= 19


def test_natures_sources_et_parametres(dep):
    d, store = dep
    assert {m.nature for m in d.missions.values()} == set(NATURES)
    assert {a.source for a in d.aesh.values()} == {"EPP", "ASSED", "previsionnel"}
    assert {a.transport for a in d.aesh.values()} == {"Véhicule personnel", "Transports en commun", "Vélo", "À pied"}
    assert any(a.rqth for a in d.aesh.values()) and any(not a.actif for a in d.aesh.values())
    assert any(not m.actif for m in d.missions.values())
    assert any(m.quotite is None and m.volume == 0 for m in d.missions.values())
    assert all(m.quotite is None or 50 <= m.quotite <= 100 for m in d.missions.values())
    assert any(m.contrat == "CDD" and m.fin and m.fin.month not in (8,) and annee(m.fin) == Y
               for m in d.missions.values()), "un CDD se terminant en cours d'année"
    assert any(m.contrat == "CDI" and m.fin is None for m in d.missions.values())
    assert any(m.source == "previsionnel" for m in d.missions.values())
    assert {(r.contrat, r.base) for r in d.parametres.references} == {
        ("CDD", "EPP"), ("CDI", "EPP"), ("CDD", "ASSED"), ("CDI", "ASSED")}
    assert set(d.parametres.formules) == {2025, 2026, 2027}
    cartouche = d.parametres.cartouche
    assert {"service", "adresse", "ville", "signataire", "qualite_signataire", "telephone", "mail"} <= set(cartouche)
    assert all(cartouche.values())
    assert {e.etat_dossier for e in d.eleves.values()} == {"actif", "gele", "cloture"}
    assert {x.origine for x in d.decisions.values()} == {"Première demande", "Réexamen", "GEVASCO réexamen"}
    assert {x.nature for x in d.decisions.values()} == {"projet cible", "alternatif"}


def test_renouvellements_le_lendemain(dep):
    d, _ = dep
    renouvellements = 0
    for decisions in d.decisions_par_eleve.values():
        for avant, apres in zip(decisions, decisions[1:]):
            assert apres.debut == avant.fin + UN_JOUR
            assert apres.origine != "Première demande"
            renouvellements += 1
    assert renouvellements > 50


def test_scolarites_changements_et_trous(dep):
    d, _ = dep
    passage_college = demenagement = trou = 0
    for scolarites in d.scolarites_par_eleve.values():
        for avant, apres in zip(scolarites, scolarites[1:]):
            types = (d.etablissements[avant.uai].type, d.etablissements[apres.uai].type)
            if types == ("Ecole", "Collège") and apres.debut.month == 9:
                passage_college += 1
            if avant.uai != apres.uai and (apres.debut.month, apres.debut.day) != (9, 1):
                demenagement += 1
            if avant.fin is not None and apres.debut > avant.fin + UN_JOUR:
                trou += 1
    assert passage_college and demenagement and trou


def test_affectations(dep):
    d, _ = dep
    for af in d.affectations.values():
        m = d.missions[af.mission_id]
        assert af.pial_uai in d.membres_pial
        assert af.volume <= m.volume and annee(af.debut) == annee(af.fin) == af.annee
    courantes = [m for m in d.missions.values()
                 if NATURES[m.nature].accompagnant and m.actif and m.source != "previsionnel"
                 and m.debut <= TODAY and (m.fin is None or m.fin >= TODAY)
                 and m.uai_employeur and d.pial_de(m.uai_employeur)]
    affectees = [m for m in courantes
                 if any(a.annee == Y for a in d.affectations_par_mission.get(m.id, ()))]
    assert len(affectees) > len(courantes) / 2 and len(affectees) < len(courantes)


# -- accompagnements: states, rules, planted cases -------------------------------


def plantes(store) -> dict[str, list[str]]:
    return json.loads(store.meta("demo_plantes"))


def _sur_volume(d, mission_id) -> bool:
    """Concurrent accompagnements of a mission summing above its volume on some day."""
    m = d.missions[mission_id]
    accs = d.accompagnements_par_mission.get(mission_id, ())
    jours = sorted({a.debut for a in accs})
    return any(sum(a.heures for a in accs if a.debut <= j <= a.fin) > m.volume for j in jours)


def _couvert_par_scolarite(d, eleve_id, uai, debut, fin) -> bool:
    jour = debut
    for s in sorted(d.scolarites_par_eleve.get(eleve_id, ()), key=lambda s: s.debut):
        if s.uai == uai and s.debut <= jour and (s.fin is None or s.fin >= jour):
            if s.fin is None or s.fin >= fin:
                return True
            jour = s.fin + UN_JOUR
    return False


def predicats(d, a) -> set[int]:
    """The incohérences (SPEC §2.4) of an accompagnement, written independently."""
    m, found = d.missions[a.mission_id], set()
    decisions = [d.decisions[x] for x in a.decision_ids]
    if a.debut < m.debut:
        found.add(1)
    if m.fin is not None and a.fin > m.fin:
        found.add(2)
    if any(a.debut < x.debut for x in decisions):
        found.add(3)
    if not all(_couvert_par_scolarite(d, x.eleve_id, a.uai, a.debut, a.fin) for x in decisions):
        found.add(4)
    if any(d.eleves[x.eleve_id].etat_dossier in ("gele", "cloture") for x in decisions):
        found.add(5)
    if a.heures > m.volume or _sur_volume(d, m.id):
        found.add(6)
    if not m.actif or not d.aesh[m.aesh_id].actif:
        found.add(7)
    if not a.maintien and any(a.fin > x.fin for x in decisions):
        found.add(8)
    return found


def test_jamais_au_dela_du_31_aout(dep):
    d, _ = dep
    for a in d.accompagnements.values():
        assert a.debut <= a.fin and annee(a.debut) == annee(a.fin), a.id


def test_chaque_incoherence_a_ses_cas_plantes_et_seulement_eux(dep):
    d, store = dep
    plante = plantes(store)
    tous = {acc for k, ids in plante.items() if k.isdigit() for acc in ids}
    for type_ in range(1, 9):
        ids = plante[str(type_)]
        assert ids and all(type_ in predicats(d, d.accompagnements[i]) for i in ids), type_
    assert any(len(plante["6"]) > 1 and _sur_volume(d, d.accompagnements[i].mission_id) for i in plante["6"])
    assert any(not d.aesh[d.missions[d.accompagnements[i].mission_id].aesh_id].actif for i in plante["7"])
    assert any(d.aesh[d.missions[d.accompagnements[i].mission_id].aesh_id].actif for i in plante["7"])
    sains = [a for a in d.accompagnements.values() if a.id not in tous]
    assert [a.id for a in sains if predicats(d, a)] == []
    assert len(tous) <= 0.06 * len(d.accompagnements)


def test_les_accompagnements_ordinaires_respectent_les_regles(dep):
    d, store = dep
    tous = {acc for k, ids in plantes(store).items() if k.isdigit() for acc in ids}
    for a in d.accompagnements.values():
        if a.id in tous:
            continue
        m = d.missions[a.mission_id]
        assert NATURES[m.nature].accompagnant
        assert a.heures <= m.volume
        pial = d.pial_de(a.uai)
        if pial:  # rule 6: affected to the établissement's PIAL over the period
            assert any(af.pial_uai == pial and af.debut <= a.debut and a.fin <= af.fin
                       for af in d.affectations_par_mission.get(m.id, ())), a.id
        if a.mutualise:
            assert all(not d.decisions[x].individuelle for x in a.decision_ids)
            assert len({d.decisions[x].eleve_id for x in a.decision_ids}) == len(a.decision_ids)


def test_tous_les_etats_de_mise_en_oeuvre(dep):
    d, _ = dep
    accs = list(d.accompagnements.values())
    assert any(a.mutualise for a in accs)
    assert any(a.maintien for a in accs)
    assert any(a.previsionnel and not d.missions[a.mission_id].source == "previsionnel" for a in accs)
    assert any(d.missions[a.mission_id].source == "previsionnel" for a in accs)
    assert any(a.repas for a in accs) and any(a.pause_meridienne for a in accs)
    etats = set()
    for dec in d.decisions.values():
        if not dec.individuelle or not (dec.debut <= TODAY <= dec.fin):
            continue
        total = sum(a.heures for a in d.accompagnements_par_decision.get(dec.id, ())
                    if a.debut <= TODAY <= a.fin and not a.maintien)
        etats.add("aucun" if total == 0 else "partielle" if total < dec.heures
                  else "complete" if total == dec.heures else "excedentaire")
    assert etats == {"aucun", "partielle", "complete", "excedentaire"}


def test_cas_particuliers(dep):
    d, _ = dep
    debut_annee, fin_annee = date(Y, 9, 1), date(Y + 1, 8, 31)
    non_renouvelee = non_couverte = 0
    for eleve_id, decisions in d.decisions_par_eleve.items():
        derniere = decisions[-1]
        if debut_annee <= derniere.fin <= fin_annee:
            non_renouvelee += 1
        accompagnees = [x for x in decisions if d.accompagnements_par_decision.get(x.id)]
        for x in decisions:
            if (accompagnees and x.debut > accompagnees[0].debut and x.fin >= debut_annee
                    and not d.accompagnements_par_decision.get(x.id)
                    and any(s.debut <= x.fin and (s.fin is None or s.fin >= x.debut)
                            for s in d.scolarites_par_eleve.get(eleve_id, ()))):
                non_couverte += 1
    assert non_renouvelee >= 1 and non_couverte >= 1
