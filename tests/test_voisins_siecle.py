"""``agesh siecle`` (SPEC §6): reading SIECLE exports, matching pupils,
writing classes in one transaction — and hostile files refused fast, in
bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest

from agesh_tui.api.base import Base
from agesh_tui.api.erreurs import RefusFichier
from agesh_tui.cli import main
from agesh_tui.engine.echange.classes import ExportInvalide
from agesh_tui.engine.echange.format import EchangeError
from agesh_tui.engine.echange.siecle import TAILLE_MAX, lire_siecle
from agesh_tui.engine.stockage.journal import lignes_journal
from monde import contenu
from monde_voisins import COLLEGE, JOUR, LIGNES_EXPORT, monde_voisins, xml_siecle

# -- reading -------------------------------------------------------------------


@pytest.mark.parametrize("encodage", ["UTF-8", "ISO-8859-15"])
@pytest.mark.parametrize("balise_nom", ["NOM_DE_FAMILLE", "NOM"])
def test_both_encodings_and_both_vintages_read_the_same(tmp_path, encodage, balise_nom):
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle(encodage=encodage, balise_nom=balise_nom))
    export = lire_siecle(chemin)
    assert (export.source, export.uai, export.jour, export.annee) == ("SIECLE", COLLEGE, JOUR, 2025)
    assert [(e.ine, e.nom, e.prenom, e.naissance, e.classe) for e in export.eleves] == [
        (ine, nom, prenom, date(int(n[6:]), int(n[3:5]), int(n[:2])), classe)
        for ine, nom, prenom, n, classe in LIGNES_EXPORT
    ]
    # The division (TYPE_STRUCTURE D), never the groups (G).
    assert all(not e.classe.startswith("G") for e in export.eleves)


def test_an_iso_8859_15_file_keeps_its_own_letters(tmp_path):
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle([("", "CŒUR", "Zoë", "01/01/2012", "3e A")], encodage="ISO-8859-15"))
    (eleve,) = lire_siecle(chemin).eleves
    assert (eleve.nom, eleve.prenom, eleve.classe) == ("CŒUR", "Zoë", "3e A")


def test_the_zip_siecle_delivers_is_read(tmp_path):
    chemin = tmp_path / "export-siecle.zip"
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Lisez-moi.txt", "export SIECLE")
        z.writestr("export/ElevesAvecAdresses.xml", xml_siecle(lignes=LIGNES_EXPORT[:1]))
        z.writestr("export/ElevesSansAdresses.xml", xml_siecle())
    export = lire_siecle(chemin)
    # SansAdresses is preferred: the same classes, less personal data.
    assert export.fichier == f"{chemin}:ElevesSansAdresses.xml"
    assert len(export.eleves) == len(LIGNES_EXPORT)


@pytest.mark.parametrize("nom", ["../../.bashrc", "/etc/ElevesSansAdresses.xml", "C:ElevesSansAdresses.xml"])
def test_a_zip_with_a_path_outside_itself_is_refused(tmp_path, nom):
    chemin = tmp_path / "export.zip"
    with zipfile.ZipFile(chemin, "w") as z:
        z.writestr("ElevesSansAdresses.xml", xml_siecle())
        z.writestr(nom, "x")
    with pytest.raises(EchangeError, match="nom de fichier suspect"):
        lire_siecle(chemin)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]  # nothing extracted


def test_a_zip_holding_a_link_is_refused(tmp_path):
    chemin = tmp_path / "export.zip"
    with zipfile.ZipFile(chemin, "w") as z:
        lien = zipfile.ZipInfo("ElevesSansAdresses.xml")
        lien.external_attr = (0o120777 << 16)
        z.writestr(lien, "/etc/passwd")
    with pytest.raises(EchangeError, match="lien symbolique"):
        lire_siecle(chemin)


def test_a_link_given_as_the_file_is_not_followed(tmp_path):
    vrai = tmp_path / "vrai.xml"
    vrai.write_bytes(xml_siecle())
    lien = tmp_path / "ElevesSansAdresses.xml"
    lien.symlink_to(vrai)
    with pytest.raises(EchangeError, match="lien symbolique"):
        lire_siecle(lien)


def test_errors_give_line_and_column_and_refuse_the_whole_file(tmp_path):
    lignes = [*LIGNES_EXPORT[:2], ("E9", "SANS", "Date", "31/02/2012", "301")]
    chemin = tmp_path / "ElevesSansAdresses.xml"
    donnees = xml_siecle(lignes, uaj="035XYZ")
    chemin.write_bytes(donnees)
    with pytest.raises(ExportInvalide) as exc:
        lire_siecle(chemin)
    texte = donnees.decode().splitlines()
    ligne_uaj = next(i for i, t in enumerate(texte, 1) if "<UAJ>" in t)
    ligne_e9 = next(i for i, t in enumerate(texte, 1) if "<ID_NATIONAL>E9<" in t)
    messages = [str(e) for e in exc.value.erreurs]
    assert messages == [
        f"{chemin}:{ligne_uaj}:{texte[ligne_uaj - 1].index('<UAJ>') + 1} (UAJ) : UAI invalide « 035XYZ » "
        "(attendu 7 chiffres et une lettre)",
        f"{chemin}:{ligne_e9}:1 (DATE_NAISS) : date de naissance invalide « 31/02/2012 » (attendu jj/mm/aaaa)",
    ]
    assert str(exc.value).startswith("fichier refusé, la base n'a pas été modifiée (2 erreurs)")


def test_a_truncated_file_is_refused_in_french_with_its_position(tmp_path):
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle()[:300])
    with pytest.raises(ExportInvalide) as exc:
        lire_siecle(chemin)
    (erreur,) = exc.value.erreurs
    # Cut inside a tag: « balise non fermée » — in French, the truncation named.
    assert erreur.raison.startswith("XML mal formé : ") and "(fichier tronqué ?)" in erreur.raison
    assert erreur.ligne >= 2


def test_another_xml_file_is_refused(tmp_path):
    chemin = tmp_path / "Structures.xml"
    chemin.write_bytes(b'<?xml version="1.0"?><BEE_STRUCTURES/>')
    with pytest.raises(ExportInvalide, match="commence par BEE_ELEVES"):
        lire_siecle(chemin)


# -- hostile files: refused fast, in bounded memory ------------------------------------

def _mesure(fonction):
    """(exception raised, seconds, peak of Python allocations in bytes)."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        fonction()
    except Exception as exc:  # noqa: BLE001 — the test looks at which
        erreur = exc
    else:
        erreur = None
    duree = time.perf_counter() - t0
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\n  refusé en {duree * 1000:.1f} ms, pic mémoire {pic / 1e6:.2f} Mo : {erreur}")
    return erreur, duree, pic


EXTERNE = '<!DOCTYPE BEE_ELEVES [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
RIRES = ('<!DOCTYPE BEE_ELEVES [<!ENTITY lol "lol">'
         + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                   for i in range(1, 10)) + "]>\n")
DTD_DISTANTE = '<!DOCTYPE BEE_ELEVES SYSTEM "http://127.0.0.1:9/bee.dtd">\n'


@pytest.mark.parametrize("prologue", [EXTERNE, RIRES, DTD_DISTANTE],
                         ids=["entite_externe", "billion_laughs", "dtd_distante"])
def test_dtds_and_entities_are_refused_at_once(tmp_path, prologue):
    chemin = tmp_path / "ElevesSansAdresses.xml"
    lignes = [("E1", "&xxe;" if prologue == EXTERNE else "&lol9;" if prologue == RIRES else "A",
               "Léa", "12/03/2012", "302")]
    chemin.write_bytes(xml_siecle(lignes, prologue=prologue))
    erreur, duree, pic = _mesure(lambda: lire_siecle(chemin))
    assert isinstance(erreur, ExportInvalide)
    assert "déclaration DTD ou d'entité interdite" in str(erreur)
    assert "root:" not in str(erreur)  # /etc/passwd never read
    assert duree < 0.5 and pic < 2_000_000


def _enorme(chemin: Path, motif: bytes = b" " * 1023 + b"\n", taille: int = 200 * 1024 * 1024) -> Path:
    """A well-formed start, then ``taille`` bytes of ``motif`` inside the
    list of pupils (generated in the test's folder, never committed)."""
    bloc = motif * (1024 * 1024 // len(motif))
    with open(chemin, "wb") as f:
        f.write(b'<?xml version="1.0"?><BEE_ELEVES><DONNEES><ELEVES>\n')
        for _ in range(taille // len(bloc)):
            f.write(bloc)
    return chemin


def _dans_un_processus(chemin: Path, sans_taille: bool = False) -> tuple[str, float, float]:
    """(message, seconds, peak resident memory in Mo) of reading ``chemin``
    in a fresh Python: the parser's own buffers (C memory) count too.
    ``sans_taille``: the size the system gives is 0 (a file that grows
    while it is read, or /proc), so only the bounded stream can stop it."""
    code = f"""
import time
from pathlib import Path
from agesh_tui.engine.echange import archive
from agesh_tui.engine.echange.siecle import lire_siecle

def pic_mo():
    # VmHWM: the peak resident set, reset below (a child keeps its parent's
    # peak across exec: pytest's, not its own).
    for ligne in open("/proc/self/status"):
        if ligne.startswith("VmHWM:"):
            return int(ligne.split()[1]) / 1024
    return 0.0

if {sans_taille!r}:
    archive._taille = lambda flux: 0
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
t0 = time.perf_counter()
try:
    lire_siecle(Path({str(chemin)!r}))
    message = "accepté"
except Exception as exc:
    message = str(exc)
print(time.perf_counter() - t0, pic_mo())
print(message)
"""
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    mesures, message = sortie.split("\n", 1)
    duree, pic = map(float, mesures.split())
    print(f"\n  refusé en {duree * 1000:.0f} ms, pic mémoire du processus {pic:.0f} Mo : {message.strip()[:120]}")
    return message, duree, pic


def test_a_200_mo_file_is_refused_before_reading(tmp_path):
    chemin = _enorme(tmp_path / "ElevesSansAdresses.xml")
    erreur, duree, pic = _mesure(lambda: lire_siecle(chemin))
    assert isinstance(erreur, EchangeError) and "fichier de plus de 32 Mo" in str(erreur)
    assert duree < 0.2 and pic < 1_000_000


def test_a_200_mo_stream_is_stopped_at_the_bound_even_if_the_size_lies(tmp_path):
    chemin = _enorme(tmp_path / "ElevesSansAdresses.xml")
    message, duree, pic = _dans_un_processus(chemin, sans_taille=True)
    assert "fichier de plus de 32 Mo, refusé" in message
    assert duree < 5 and pic < 40


def test_a_flood_of_elements_is_stopped_at_a_million(tmp_path):
    chemin = _enorme(tmp_path / "ElevesSansAdresses.xml", motif=b"<X/>", taille=16 * 1024 * 1024)
    message, duree, pic = _dans_un_processus(chemin)
    assert "plus de 1000000 éléments XML" in message
    assert duree < 5 and pic < 40


def test_a_giant_text_is_stopped_at_its_bound(tmp_path):
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(b'<BEE_ELEVES><DONNEES><ELEVES><ELEVE ELEVE_ID="1"><NOM>' + b"A" * 20_000_000)
    message, duree, pic = _dans_un_processus(chemin)
    assert "texte de plus de 4096 caractères dans NOM" in message
    assert duree < 5 and pic < 40


def test_a_zip_bomb_is_refused_from_its_declared_size(tmp_path):
    chemin = tmp_path / "bombe.zip"
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("ElevesSansAdresses.xml", "w", force_zip64=True) as membre:
            membre.write(b"<BEE_ELEVES>")
            bloc = b" " * (1024 * 1024)
            for _ in range(200):
                membre.write(bloc)
    assert chemin.stat().st_size < 1_000_000  # 200 Mo packed in a few hundred Ko
    erreur, duree, pic = _mesure(lambda: lire_siecle(chemin))
    assert isinstance(erreur, EchangeError) and "fichier de plus de 32 Mo" in str(erreur)
    assert duree < 0.2 and pic < 1_000_000


def test_deep_nesting_is_refused(tmp_path):
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(b"<BEE_ELEVES>" + b"<a>" * 100_000)
    erreur, duree, pic = _mesure(lambda: lire_siecle(chemin))
    assert isinstance(erreur, ExportInvalide) and "imbriqués sur plus de 32 niveaux" in str(erreur)
    assert duree < 0.5


def test_the_size_bound_is_what_the_documentation_says():
    assert TAILLE_MAX == 32 * 1024 * 1024


# -- matching and writing (both engines) ------------------------------------------------

def _session(stockage, profil="gestionnaire"):
    session = Base(stockage).session_lots("gestion.test", profil, JOUR)
    session.charger()
    return session


def test_a_dry_run_reports_everything_and_writes_nothing(stockage, tmp_path):
    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle())
    avant = contenu(stockage)
    rapport = _session(stockage).classes_siecle(chemin, dry_run=True)
    plan = rapport.plan
    assert [(m.eleve_id, m.ancienne, m.nouvelle) for m in plan.mises_a_jour] == [("E1", "301", "302")]
    assert plan.inchangees == ["E2-S1"]  # matched by name and birth date, case and accents folded
    ((ambigu),) = plan.ambigus
    assert (ambigu.ligne, ambigu.eleve_ids) == (7, ("E3", "E4"))  # pupils from line 5 of the file
    assert "plusieurs élèves de la base" in ambigu.motif
    assert [(x.nom, x.ine) for x in plan.inconnus] == [("INCONNU", "1234567890A")]
    assert [(s.eleve_id, s.uai) for s in plan.sans_scolarite] == [("E5", COLLEGE)]
    assert rapport.ecrites == 0
    assert contenu(stockage) == avant


def test_a_run_writes_the_classes_in_one_transaction_and_journals_them(stockage, tmp_path):
    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle())
    session = _session(stockage)
    rapport = session.classes_siecle(chemin)
    assert rapport.ecrites == 1
    with stockage.lecture() as tx:
        classes = dict(tx.lignes("SELECT id, classe FROM scolarite"))
        journal = lignes_journal(tx)
    assert classes == {"E1-S1": "302", "E2-S1": "401", "E3-S1": "501", "E4-S1": "502", "E5-S1": "301"}
    assert [(j[1], j[2], j[3]) for j in journal] == [(
        "gestion.test", "classe",
        "SIECLE 0350001A du 15/01/2026 : scolarité E1-S1 de l'élève E1, classe « 301 » → « 302 »")]
    # The loaded département follows; a second run changes nothing.
    assert session.dep.scolarites["E1-S1"].classe == "302"
    again = session.classes_siecle(chemin)
    assert (again.ecrites, len(again.plan.inchangees)) == (0, 2)


def test_two_lines_for_one_pupil_are_ambiguous_not_guessed(stockage, tmp_path):
    monde_voisins().ecrire(stockage)
    lignes = [("E1", "DUPONT", "Léa", "12/03/2012", "302"), ("", "Dupont", "Lea", "12/03/2012", "303")]
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle(lignes))
    plan = _session(stockage).classes_siecle(chemin, dry_run=True).plan
    assert plan.mises_a_jour == []
    assert [(a.ligne, a.eleve_ids) for a in plan.ambigus] == [(5, ("E1",)), (6, ("E1",))]


def test_an_unknown_etablissement_is_refused(stockage, tmp_path):
    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle(uaj="0359999Z"))
    with pytest.raises(RefusFichier, match="établissement « 0359999Z » inconnu"):
        _session(stockage).classes_siecle(chemin)


def test_the_superviseur_may_only_look(stockage, tmp_path):
    from agesh_tui.api.erreurs import PermissionRefusee

    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle())
    session = _session(stockage, "superviseur")
    assert session.classes_siecle(chemin, dry_run=True).plan.mises_a_jour
    with pytest.raises(PermissionRefusee):
        session.classes_siecle(chemin)


def test_the_command_prints_the_json_of_the_spec(stockage, url_base, tmp_path, capsys):
    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "export.zip"
    with zipfile.ZipFile(chemin, "w") as z:
        z.writestr("ElevesSansAdresses.xml", xml_siecle(encodage="ISO-8859-15", balise_nom="NOM"))
    assert main(["siecle", str(chemin), "--db", url_base, "--today", "2026-01-15", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {k: doc[k] for k in ("classes_mises_a_jour", "inchangees", "sans_scolarite", "dry_run")} == {
        "classes_mises_a_jour": 1, "inchangees": 1, "dry_run": False,
        "sans_scolarite": [{"eleve_id": "E5", "uai": COLLEGE, "ligne": 9, "classe": "301"}]}
    assert [x["nom"] for x in doc["eleves_inconnus"]] == ["INCONNU"]
    assert [x["eleve_ids"] for x in doc["ambigus"]] == [["E3", "E4"]]


def test_a_refused_file_exits_1_with_positions_and_writes_nothing(stockage, url_base, tmp_path, capsys):
    monde_voisins().ecrire(stockage)
    chemin = tmp_path / "ElevesSansAdresses.xml"
    chemin.write_bytes(xml_siecle(prologue=RIRES))
    avant = contenu(stockage)
    assert main(["siecle", str(chemin), "--db", url_base, "--today", "2026-01-15"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("agesh : fichier refusé, la base n'a pas été modifiée (1 erreur) :\n")
    assert f"{chemin}:2:" in err
    assert contenu(stockage) == avant
