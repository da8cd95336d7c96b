"""Propositions d'affectation written to a base (SPEC §2.8, §5; issue 14):
applying a plan is one transaction, all or nothing, refused on stale data,
each line journaled and messaged as a manual creation; the limits are
paramètres of the département; ``agesh propositions`` — on both engines."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from agesh_tui.api.erreurs import PermissionRefusee, RegleRefusee, StaleWriteError
from agesh_tui.api.session import Session
from agesh_tui.cli import main
from agesh_tui.engine.modele.model import Limites, Utilisateur
from agesh_tui.engine.operations import accompagnement as ops
from agesh_tui.engine.regles.couverture import frise, mise_en_oeuvre
from agesh_tui.engine.regles.propositions_vues import vues
from agesh_tui.engine.stockage import ouvrir
from agesh_tui.engine.stockage.journal import lignes_journal
from monde import Monde, contenu

D = date
TODAY = D(2026, 9, 1)
FIN = D(2027, 8, 31)


def monde(prefixe: str = "") -> Monde:
    """Two pupils of two écoles hors PIAL, three AESH: the plan has two lines
    (see test_propositions: the greedy rule covers only one of them).
    ``prefixe``: put before the décisions' and missions' ids (long ids)."""
    m = Monde()
    m.etablissement("0350001A", type="Ecole", lat=48.00, lon=-1.70)
    m.etablissement("0350002B", type="Ecole", lat=48.15, lon=-1.70)
    m.secteur("S1", "Secteur 1", ["0350001A", "0350002B"])
    for n, uai, heures in ((1, "0350001A", 12.0), (2, "0350002B", 18.0)):
        m.eleve(f"E{n}", f"NOM{n}", scolarites=[(uai, D(2020, 9, 1), None)])
        m.decision(f"{prefixe}D{n}", f"E{n}", "individuelle", heures, TODAY, FIN)
    for ident, lat, volume in (("A", 48.03, 12.0), ("B", 47.90, 12.0), ("Z", 48.15, 6.0)):
        m.aesh(f"A{ident}", lat=lat, lon=-1.70)
        m.mission(f"{prefixe}M{ident}", f"A{ident}", volume=volume)
    m.accompagnement("AC000001", f"{prefixe}MZ", [f"{prefixe}D2"], "0350002B", TODAY, FIN, 6.0)
    return m


def session(stockage, profil: str = "gestionnaire", login: str = "paul") -> Session:
    s = Session(stockage, Utilisateur(login, "Paul", (profil,)), profil, TODAY)
    s.charger()
    return s


def test_a_plan_applied_creates_its_lines_as_manual_creations(stockage):
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    assert {(l.decision_ids, l.mission_id) for l in plan.lignes} == {(("D1",), "MB"), (("D2",), "MA")}
    crees = s.appliquer_propositions(plan)
    assert [(a.decision_ids, a.mission_id, a.heures) for a in crees] == [
        (l.decision_ids, l.mission_id, l.heures) for l in plan.lignes]
    relu = session(stockage)
    assert {a.id for a in crees} <= set(relu.dep.accompagnements)
    with stockage.lecture() as tx:
        journal = [j for j in lignes_journal(tx) if j[2] == "creation_accompagnement"]
        messages = tx.lignes("SELECT texte, secteur_code FROM message")
    assert len(journal) == 2 and all(j[1] == "paul" for j in journal)
    assert sorted(t.split(" (")[0] for t, _ in messages) == [
        "Accompagnement créé pour NOM1 Prénom", "Accompagnement créé pour NOM2 Prénom"]
    assert {c for _, c in messages} == {"S1"}
    # Nothing left to propose but what the limits forbid.
    assert s.propositions().lignes == ()


def test_lines_removed_are_not_created(stockage):
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    retiree = plan.lignes[0]
    crees = s.appliquer_propositions(plan, sans=[retiree.id])
    assert [a.mission_id for a in crees] == [l.mission_id for l in plan.lignes[1:]]
    with pytest.raises(RegleRefusee, match="proposition inconnue dans ce plan : X"):
        s.appliquer_propositions(s.propositions(), sans=["X"])


def test_nothing_to_apply_writes_nothing_not_even_the_change_counter(stockage):
    """Every line left out: no transaction, so no plan open elsewhere goes stale."""
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    avant, compteur = contenu(stockage), stockage.changements()
    assert s.appliquer_propositions(plan, sans=[l.id for l in plan.lignes]) == []
    assert s.appliquer_propositions(replace(plan, lignes=())) == []
    assert stockage.changements() == compteur and s.dep.changements == compteur
    assert contenu(stockage) == avant
    assert s.appliquer_propositions(plan) != []  # the plan is still current


def test_a_stale_plan_is_refused_and_writes_nothing(stockage):
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    # Another session creates an accompagnement meanwhile.
    autre = session(stockage, login="anne")
    autre.creer_accompagnement("MA", ["D1"], heures=2.0)
    avant = contenu(stockage)
    with pytest.raises(StaleWriteError, match="recalculez"):
        s.appliquer_propositions(plan)
    assert contenu(stockage) == avant
    # Reloaded, the same session's plan is stale too: it was computed on the old data.
    s.charger()
    with pytest.raises(StaleWriteError):
        s.appliquer_propositions(plan)


def test_applying_is_all_or_nothing(stockage, monkeypatch):
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    avant = contenu(stockage)
    ecrire = ops.ecrire_creation
    appels = []

    def puis_panne(tx, dep, auteur, quand, acc):
        appels.append(acc)
        if len(appels) == 2:
            raise OSError("disque plein")
        return ecrire(tx, dep, auteur, quand, acc)

    monkeypatch.setattr("agesh_tui.engine.operations.propositions.ecrire_creation", puis_panne)
    with pytest.raises(OSError):
        s.appliquer_propositions(plan)
    assert len(appels) == 2
    assert contenu(stockage) == avant
    assert set(s.dep.accompagnements) == {"AC000001"}


def test_a_line_the_rules_refuse_stops_the_whole_plan(stockage):
    """The rules are asked again when applying: a mission that became
    inactive in the loaded data refuses its line, and nothing is written."""
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    derniere = plan.lignes[-1]
    mission = s.dep.missions[derniere.mission_id]
    s.dep.missions[mission.id] = replace(mission, actif=False)
    avant = contenu(stockage)
    with pytest.raises(RegleRefusee, match=f"proposition {derniere.id} : la mission .* est inactive"):
        s.appliquer_propositions(plan)
    assert contenu(stockage) == avant


def test_limits_are_parametres_of_the_departement(stockage):
    monde().ecrire(stockage)
    s = session(stockage)
    assert s.limites_propositions() == Limites(20.0, 3, 2)
    with pytest.raises(PermissionRefusee):
        s.enregistrer_limites_propositions(Limites(30.0, 3, 2))
    sup = session(stockage, "superviseur", "sophie")
    with pytest.raises(RegleRefusee, match="distance maximale invalide"):
        sup.enregistrer_limites_propositions(Limites(-1.0, 3, 2))
    sup.enregistrer_limites_propositions(Limites(12.5, 4, 1))
    assert session(stockage).limites_propositions() == Limites(12.5, 4, 1)
    # One AESH per pupil: D2 has its own (Z) already; D1 gets the nearest, A.
    assert [l.mission_id for l in session(stockage).propositions().lignes] == ["MA"]
    # A run may relax the limits without storing them.
    plan = session(stockage).propositions(distance_max_km=20.0, aesh_par_decision=2)
    assert len(plan.lignes) == 2 and plan.limites == Limites(20.0, 4, 2)
    assert session(stockage).limites_propositions() == Limites(12.5, 4, 1)


def test_an_older_base_gets_the_default_limits(url_base, cle_temporaire, monkeypatch):
    from agesh_tui.engine.stockage import contrat

    with monkeypatch.context() as m:
        m.setattr(contrat, "SCHEMA_VERSION", 4)
        ancienne = ouvrir(url_base)
        ancienne.fermer()
    store = ouvrir(url_base)
    try:
        assert store.version_schema() == contrat.SCHEMA_VERSION > 4
        assert session(store).limites_propositions() == Limites()
    finally:
        store.fermer()


# -- agesh propositions ---------------------------------------------------------------------
def agesh(capsys, url_base, *args: str) -> tuple[int, str, str]:
    code = main(["propositions", "--db", url_base, "--today", TODAY.isoformat(), *args])
    sortie = capsys.readouterr()
    return code, sortie.out, sortie.err


def test_cli_json_then_apply_without_a_line(stockage, url_base, capsys):
    monde().ecrire(stockage)
    code, out, _ = agesh(capsys, url_base, "--json")
    assert code == 0
    doc = json.loads(out)
    assert {k for k in doc} >= {"propositions", "heures_couvertes", "heures_a_couvrir", "distance_totale",
                                "borne", "ecart", "glouton", "duree_s"}
    assert [set(p) >= {"decision_ids", "mission_id", "uai", "debut", "fin", "heures", "distance_km"}
            for p in doc["propositions"]] == [True, True]
    assert (doc["heures_couvertes"], doc["heures_a_couvrir"], doc["borne"], doc["ecart"]) == (24.0, 24.0, 24.0, 0.0)
    assert doc["glouton"]["heures_couvertes"] == 12.0
    retiree = doc["propositions"][0]["id"]
    code, out, _ = agesh(capsys, url_base, "--appliquer", "--sans", retiree, "--json")
    assert code == 0
    [cree] = json.loads(out)["crees"]
    assert session(stockage).dep.accompagnements[cree].mission_id == doc["propositions"][1]["mission_id"]


def test_cli_empreinte_applies_only_the_plan_that_was_shown(stockage, url_base, capsys):
    """A plan computed again under a time limit may differ: with the
    empreinte shown, --appliquer writes only if it finds the same plan."""
    monde().ecrire(stockage)
    code, out, _ = agesh(capsys, url_base, "--json")
    empreinte = json.loads(out)["empreinte"]
    assert code == 0 and len(empreinte) == 12
    avant = contenu(stockage)
    autre = "0" * 12 if empreinte != "0" * 12 else "1" * 12
    code, _, err = agesh(capsys, url_base, "--appliquer", "--empreinte", autre)
    assert code == 1 and f"n'est pas celui qui avait l'empreinte {autre}" in err
    assert "rien n'a été écrit" in err and contenu(stockage) == avant
    with pytest.raises(SystemExit) as sortie:
        agesh(capsys, url_base, "--appliquer", "--empreinte", "pas-hexa")
    assert sortie.value.code == 2 and "empreinte invalide" in capsys.readouterr().err
    assert contenu(stockage) == avant
    code, _, err = agesh(capsys, url_base, "--empreinte", empreinte)
    assert code == 1 and "--empreinte ne sert qu'avec --appliquer" in err
    code, out, _ = agesh(capsys, url_base, "--appliquer", "--empreinte", empreinte.upper(), "--json")
    assert code == 0 and len(json.loads(out)["crees"]) == 2


def test_cli_sans_is_repeatable_and_takes_lists(stockage, url_base, capsys):
    """--sans A --sans B leaves out both (not only the last): a line the user
    excluded is never created."""
    monde().ecrire(stockage)
    doc = json.loads(agesh(capsys, url_base, "--json")[1])
    ids = [p["id"] for p in doc["propositions"]]
    avant = contenu(stockage)
    code, out, _ = agesh(capsys, url_base, "--appliquer", "--sans", ids[0], "--sans", ids[1], "--json")
    assert (code, json.loads(out)) == (0, {"crees": []})
    assert contenu(stockage) == avant
    code, _, err = agesh(capsys, url_base, "--appliquer", "--sans", f" , {ids[0]}", "--sans", "D9/M9")
    assert (code, err) == (1, "agesh : propositions refusées : proposition inconnue dans ce plan : D9/M9.\n")
    assert contenu(stockage) == avant


def test_cli_text_output_gives_the_ids_in_full_for_sans(stockage, url_base, capsys, monkeypatch):
    """In 80 columns (a pipe, a small terminal) the ids the output tells to
    pass to --sans are never cut."""
    monkeypatch.setenv("COLUMNS", "80")
    monde("0350048-2026-000000000000").ecrire(stockage)
    ids = [p["id"] for p in json.loads(agesh(capsys, url_base, "--json")[1])["propositions"]]
    assert len(ids) == 2 and all(len(i) > 50 for i in ids)
    code, out, _ = agesh(capsys, url_base)
    assert code == 0
    for n, i in enumerate(ids, 1):
        assert f"   {n}  {i}\n" in out


def test_cli_nothing_to_apply_says_so_and_writes_nothing(stockage, url_base, capsys):
    monde().ecrire(stockage)
    doc = json.loads(agesh(capsys, url_base, "--json")[1])
    ids = [p["id"] for p in doc["propositions"]]
    avant = contenu(stockage)
    code, out, err = agesh(capsys, url_base, "--appliquer", "--sans", ",".join(ids))
    assert (code, out, err) == (0, "Aucune proposition à appliquer : rien n'a été écrit.\n", "")
    code, out, _ = agesh(capsys, url_base, "--appliquer", "--sans", ",".join(ids), "--json")
    assert (code, json.loads(out)) == (0, {"crees": []})
    assert contenu(stockage) == avant


def test_cli_refusals_exit_1_in_french(stockage, url_base, capsys):
    monde().ecrire(stockage)
    avant = contenu(stockage)
    code, _, err = agesh(capsys, url_base, "--appliquer", "--sans", "D9/M9")
    assert (code, err) == (1, "agesh : propositions refusées : proposition inconnue dans ce plan : D9/M9.\n")
    code, _, err = agesh(capsys, url_base, "--sans", "D9/M9")
    assert (code, err) == (1, "agesh : --sans ne sert qu'avec --appliquer.\n")
    code, _, err = agesh(capsys, url_base, "--pial", "0350001A")
    assert (code, err) == (1, "agesh : propositions refusées : PIAL inconnu : 0350001A (attendu l'UAI "
                              "d'une tête de PIAL).\n")
    code, _, err = agesh(capsys, url_base, "--debut", "2026-09-01", "--fin", "2027-09-30")
    assert code == 1 and "dépasse le 31/08" in err
    assert contenu(stockage) == avant


def test_cli_empty_period_says_why(stockage, url_base, capsys):
    """« précisez --debut » only when the start was not given."""
    monde().ecrire(stockage)
    code, _, err = agesh(capsys, url_base, "--debut", "2027-03-01", "--fin", "2027-02-01")
    assert (code, err) == (1, "agesh : propositions refusées : période vide : du 01/03/2027 au 01/02/2027 "
                              "(le début est après la fin).\n")
    code, _, err = agesh(capsys, url_base, "--annee", "2025")
    assert (code, err) == (1, "agesh : propositions refusées : période vide : du 01/09/2026 au 31/08/2026 "
                              "(l'année scolaire 2025-2026 est déjà passée ; précisez le début).\n")


def test_cli_distance_override_and_text_output(stockage, url_base, capsys):
    """Within 2 km, D1's école has no AESH (A is at 3,3 km) and D2's has Z, full."""
    monde().ecrire(stockage)
    code, out, _ = agesh(capsys, url_base)
    assert f"--appliquer --empreinte {json.loads(agesh(capsys, url_base, '--json')[1])['empreinte']}" in out
    code, out, _ = agesh(capsys, url_base, "--distance-max", "2")
    assert code == 0
    assert "0 accompagnement(s)" in out and "2 besoin(s) non couvert(s)" in out
    code, out, _ = agesh(capsys, url_base, "--distance-max", "2", "--json")
    assert {(tuple(n["decision_ids"]), n["motif"]) for n in json.loads(out)["non_couvertes"]} == {
        (("D1",), "distance"), (("D2",), "missions_pleines")}


def test_the_mise_en_oeuvre_after_the_plan_is_what_the_base_holds_once_applied(stockage):
    """The view by PIAL says how the plan moves its décisions' mise en œuvre;
    applied, the base gives the same figure."""
    monde().ecrire(stockage)
    s = session(stockage)
    plan = s.propositions()
    (vue,) = vues(s.dep, plan).par_pial
    assert vue.pial_uai is None  # the two écoles are hors PIAL
    # D1 (12 h) has nothing in place, D2 (18 h) 6 h: (12 × 0 + 18 × 33,3) / 30.
    assert vue.mise_en_oeuvre_avant == pytest.approx(20.0)
    assert vue.mise_en_oeuvre_apres == pytest.approx(100.0)
    sans_d2 = vues(s.dep, plan, sans=[l.id for l in plan.lignes if l.decision_ids == ("D2",)])
    assert sans_d2.par_pial[0].mise_en_oeuvre_apres == pytest.approx(12 * 100 / 30 + 18 * 100 / 3 / 30)
    s.appliquer_propositions(plan)
    relu = session(stockage)
    assert mise_en_oeuvre(
        (relu.dep.decisions[d].heures, frise(relu.dep, relu.dep.decisions[d]).couverture)
        for d in ("D1", "D2")) == pytest.approx(vue.mise_en_oeuvre_apres)
