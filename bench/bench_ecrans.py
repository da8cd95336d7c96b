"""Bench of issue 10's screens on demo L, driven by Pilot (160×48, today
2026-11-22, a gestionnaire's Session already loaded), each time from the key
press to the first paint that shows its result:

1. opening each list from Accueil — AESH (2), Missions (3), Accompagnements
   (4) — to the first paint of the list with rows (the rows come from a
   worker: the occupation of every mission, the marks of every
   accompagnement…);
2. one letter (« d ») typed in each list's search bar (« / » first, not
   timed) to the first paint of the filtered rows;
3. « a » on Accueil, the cursor on a décision individuelle with no
   accompagnement (« sans accompagnement » all along its frise), to the
   form's candidates (#candidats) painted with rows (the form asks them
   when it mounts: no debounce on that path); then a date of the
   form changed (« + » in « Du »), to the candidates of the new period
   painted: that one goes through the form's deliberate debounce
   (DELAI_CANDIDATS, 0,3 s after the last change of a date), given both
   included and excluded (its timer's own wait, from set_timer to the call);
4. Ctrl+S after Entrée on the first candidate, to Accueil painted with the
   décision's frise no longer « sans accompagnement » (the cursor's row),
   and to Accueil's reloaded rows painted;
5. the Missions list (ListeDonnees, its occupation bars drawn at paint)
   against Textual's stock DataTable holding the same rows and visible
   columns as plain text (the bars' glyphs, prepared beforehand, not
   timed), same widths and terminal size: first paint, as in
   bench_liste.py (the last repaint once the widget stops repainting).

Steps 3 and 4 are measured twice: in an application where only Accueil is
open, and in the one of steps 1–2 where the three lists are open too (each
reloads its rows after the save, in its own thread). Every run works on a
fresh copy of the cached demo (bench/resultats/bench-ecrans-L.sqlite3): the
save writes, the cached base stays as built.

Times are taken at the paint, by wrapping ListeDonnees.render_lines (only
repaints that painted lines count, not the compositor reusing cached ones),
as bench_app.py does, not at the return of ``pilot.press`` (it waits for
idle); between two measures the workers are awaited and the screen left
idle.

    .venv/bin/python bench/bench_ecrans.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from types import SimpleNamespace

from commun import CACHE, TODAY, base_demo, copie

os.environ.setdefault("AGESH_KEY_FILE", str(CACHE / "cle-otp.key"))

from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import Vertical  # noqa: E402

from agesh_tui.api.base import Base  # noqa: E402
from agesh_tui.api.session import Session  # noqa: E402
from agesh_tui.app import AgeshApp  # noqa: E402
from agesh_tui.engine.calendrier import annee_scolaire, debut_annee, fin_annee  # noqa: E402
from agesh_tui.engine.regles.couverture import (  # noqa: E402
    COMPLETE,
    EXCEDENTAIRE,
    PARTIELLE,
    SANS_ACCOMPAGNEMENT,
)
from agesh_tui.screens.accueil import Accueil  # noqa: E402
from agesh_tui.screens.formulaire_accompagnement import FormulaireAccompagnement  # noqa: E402
from agesh_tui.screens.missions import ListeMissions  # noqa: E402
from agesh_tui.widgets.liste import ListeDonnees  # noqa: E402
from bench_app import attendre, session_demo  # noqa: E402
from bench_liste import Chrono, TableMesuree, stabiliser  # noqa: E402

TAILLE = (160, 48)
CIBLE = 0.150  # issue 10: each ≤ 150 ms (median)
LETTRE = "d"
# (menu key, list id, name)
LISTES = (("2", "aesh", "AESH"), ("3", "missions", "Missions"),
          ("4", "accompagnements", "Accompagnements"))
COPIE = "bench-ecrans-L.sqlite3"
COUVERTE = (PARTIELLE, COMPLETE, EXCEDENTAIRE)


# -- instruments ------------------------------------------------------------------------
class Guet:
    """The first repaint of a ListeDonnees (lines painted) for which a
    condition holds, by wrapping the class's render_lines (every list of
    the application, those created after the key press included)."""

    def __init__(self) -> None:
        self.conditions: dict[str, object] = {}
        self.instants: dict[str, float] = {}
        rendu = ListeDonnees.render_lines
        guet = self

        def render_lines(liste, crop):
            strips = rendu(liste, crop)
            if guet.conditions and liste._lignes_peintes:
                t = time.perf_counter()
                for nom, condition in guet.conditions.items():
                    if nom not in guet.instants and condition(liste):
                        guet.instants[nom] = t
            return strips

        ListeDonnees.render_lines = render_lines

    async def mesurer(self, action, **conditions) -> tuple[float, dict[str, float]]:
        """(t0, {name: paint − t0}) once every condition met a paint."""
        self.conditions, self.instants = conditions, {}
        t0 = time.perf_counter()
        await action()
        try:
            await attendre(lambda: len(self.instants) == len(conditions))
        finally:
            self.conditions = {}
        return t0, {nom: t - t0 for nom, t in self.instants.items()}


class Traces:
    """What the form does meanwhile: its debounce timer (set_timer → the
    call of _demander_missions it schedules) and the Session's two queries
    (the opening's candidates on the event loop, then in the form's
    workers)."""

    def __init__(self) -> None:
        self.minuteries: list[tuple[float, float]] = []  # (set_timer, delay)
        self.demandes: list[float] = []  # calls of _demander_missions
        self.requetes: dict[str, list[float]] = defaultdict(list)
        traces = self
        set_timer = FormulaireAccompagnement.set_timer
        demander = FormulaireAccompagnement._demander_missions

        def set_timer_trace(form, delay, callback=None, *args, **kwargs):
            if getattr(callback, "__func__", None) is demander_trace:
                traces.minuteries.append((time.perf_counter(), delay))
            return set_timer(form, delay, callback, *args, **kwargs)

        def demander_trace(form, *args, **kwargs):
            traces.demandes.append(time.perf_counter())
            return demander(form, *args, **kwargs)

        FormulaireAccompagnement.set_timer = set_timer_trace
        FormulaireAccompagnement._demander_missions = demander_trace
        for nom in ("candidats", "missions_refusees"):
            self._chronometrer(nom)

    def _chronometrer(self, nom: str) -> None:
        original = getattr(Session, nom)
        requetes = self.requetes[nom]

        def chronometre(session, *args, **kwargs):
            t = time.perf_counter()
            try:
                return original(session, *args, **kwargs)
            finally:
                requetes.append(time.perf_counter() - t)

        setattr(Session, nom, chronometre)

    def effacer(self) -> None:
        self.minuteries.clear()
        self.demandes.clear()
        for liste in self.requetes.values():
            liste.clear()

    def anti_rebond(self, t0: float, t_fin: float) -> float:
        """The debounce waited between t0 and t_fin: from the last set_timer
        of the form to the call of _demander_missions that followed it."""
        poses = [t for t, _ in self.minuteries if t0 <= t <= t_fin]
        if not poses:
            return 0.0
        pose = poses[-1]
        appels = [t for t in self.demandes if pose <= t <= t_fin]
        return appels[0] - pose if appels else 0.0


async def au_repos(app: App, pilot) -> None:
    """The workers done (those they start too) and the queues empty."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause(0.05)


def frise_couverte(session: Session, decision_id: str) -> bool:
    frise = session.frise(decision_id)
    return frise is not None and any(s.etat in COUVERTE for s in frise.segments)


# -- the décision of steps 3–4 ----------------------------------------------------------
def choisir_decision(session: Session) -> tuple[str, str, int]:
    """A décision individuelle of the current school year shown by Accueil,
    with no accompagnement (its frise « sans accompagnement » from end to
    end), that the form accepts with its defaults and its first candidate:
    (id, name, number of candidates)."""
    today = date.fromisoformat(TODAY)
    annee = annee_scolaire(today)
    du, au = debut_annee(annee), fin_annee(annee)
    dep = session.dep
    for ligne in session.lignes_accueil():
        d = ligne.decision
        if (not d.individuelle or dep.accompagnements_par_decision.get(d.id)
                or d.fin < du or d.debut > au):
            continue
        frise = session.frise(d.id)
        if frise is None or any(s.etat != SANS_ACCOMPAGNEMENT for s in frise.segments):
            continue
        try:
            prop = session.proposer_accompagnement([d.id])
            uai = session.etablissement_accompagnement([d.id], prop.debut)
        except Exception:  # refused: the next one
            continue
        candidats = [c for c in session.candidats(uai, prop.debut, prop.fin) if c.disponible > 0]
        if not candidats or prop.heures is None:
            continue
        if session.verifier_accompagnement(candidats[0].mission.id, [d.id], uai, prop.debut,
                                           prop.fin, prop.heures):
            continue
        return d.id, ligne.nom, len(candidats)
    raise RuntimeError("aucune décision individuelle sans accompagnement ne convient")


# -- steps 1–4: the application ---------------------------------------------------------
async def une_application(chemin, decision_id: str, listes: bool, guet: Guet,
                          traces: Traces) -> dict[str, float]:
    base = Base.ouvrir(copie(chemin, COPIE))
    session = session_demo(base, charger=True)
    app = AgeshApp(base, date.fromisoformat(TODAY), session=session)
    app.animation_level = "none"
    m: dict[str, float] = {}
    try:
        async with app.run_test(size=TAILLE) as pilot:
            await attendre(lambda: isinstance(app.screen, Accueil)
                           and app.screen.query_one(ListeDonnees).nombre_affiche > 0)
            await au_repos(app, pilot)
            if listes:
                for touche, ident, _ in LISTES:
                    _, r = await guet.mesurer(
                        lambda: pilot.press(touche),
                        peinte=lambda l, i=ident: l.id == i and l.nombre_affiche > 0)
                    m[f"ouvrir {ident}"] = r["peinte"]
                    await au_repos(app, pilot)
                    await pilot.press("slash")
                    await au_repos(app, pilot)
                    _, r = await guet.mesurer(
                        lambda: pilot.press(LETTRE),
                        peinte=lambda l, i=ident: (l.id == i and l.recherche == LETTRE
                                                   and not l.recherche_en_cours))
                    m[f"recherche {ident}"] = r["peinte"]
                    await au_repos(app, pilot)
                    await pilot.press("escape")  # clears the search, back to the list
                    await au_repos(app, pilot)
                await pilot.press("1")
                await au_repos(app, pilot)
            accueil = app.screen
            assert isinstance(accueil, Accueil)
            liste = accueil.query_one("#decisions", ListeDonnees)
            if not liste.placer_sur(decision_id):
                raise RuntimeError(f"{decision_id} n'est pas affichée sur Accueil")
            await au_repos(app, pilot)

            # 3. The form and its ranked candidates.
            traces.effacer()
            t0, r = await guet.mesurer(
                lambda: pilot.press("a"),
                peinte=lambda l: l.id == "candidats" and l.nombre_affiche > 0)
            m["formulaire"] = r["peinte"]
            m["formulaire anti-rebond"] = traces.anti_rebond(t0, t0 + r["peinte"])
            form = app.screen
            assert isinstance(form, FormulaireAccompagnement)
            await au_repos(app, pilot)
            m["requete candidats"] = sum(traces.requetes["candidats"])
            m["requete ecartees"] = sum(traces.requetes["missions_refusees"])

            # 3b. A date changed: the candidates of the new period.
            periode = form._periode()
            traces.effacer()
            t0, r = await guet.mesurer(
                lambda: pilot.press("plus"),
                peinte=lambda l: (l.id == "candidats" and form._periode() != periode
                                  and form._periode_candidats == form._periode()))
            m["date"] = r["peinte"]
            m["date anti-rebond"] = traces.anti_rebond(t0, t0 + r["peinte"])
            await au_repos(app, pilot)
            await pilot.press("minus")  # back to the proposed period
            await attendre(lambda: form._periode() == periode
                           and form._periode_candidats == periode)
            await au_repos(app, pilot)

            # 4. The first candidate, then Ctrl+S.
            candidats = form.query_one("#candidats", ListeDonnees)
            candidats.focus()
            await au_repos(app, pilot)
            await pilot.press("enter")
            await au_repos(app, pilot)
            if form.mission_id != candidats.lignes_affichees()[0].mission.id:
                raise RuntimeError("Entrée n'a pas choisi le premier candidat")
            avant = liste.lignes
            _, r = await guet.mesurer(
                lambda: pilot.press("ctrl+s"),
                frise=lambda l: (l is liste and app.screen is accueil
                                 and l.cle_courante() == decision_id
                                 and frise_couverte(session, decision_id)),
                lignes=lambda l: l is liste and app.screen is accueil and l.lignes is not avant)
            m["enregistrer frise"] = r["frise"]
            m["enregistrer lignes"] = r["lignes"]
            await au_repos(app, pilot)
    finally:
        base.fermer()
    return m


# -- step 5: the Missions list against the DataTable ------------------------------------
class BancMissions(App):
    CSS = "#hote { height: 1fr; } TableMesuree { height: 1fr; }"

    def __init__(self, lignes: list, colonnes: list, cellules: list | None) -> None:
        super().__init__()
        self.animation_level = "none"
        self.lignes, self.colonnes, self.cellules = lignes, colonnes, cellules
        self.chrono = Chrono()

    def compose(self) -> ComposeResult:
        yield Vertical(id="hote")

    async def monter(self) -> None:
        hote = self.query_one("#hote")
        if self.cellules is None:
            liste = ListeDonnees(self.colonnes, self.lignes, cle_ligne=lambda l: l.id)
            liste.sur_rendu = self.chrono
            await hote.mount(liste)
            return
        table = TableMesuree(cursor_type="row")
        table.sur_rendu = self.chrono
        await hote.mount(table)
        for c in self.colonnes:
            if c.visible:
                table.add_column(c.titre, width=c.largeur, key=c.cle)
        table.add_rows(self.cellules)


def colonnes_missions() -> list:
    """The Missions screen's own columns (its occupation bar drawn at paint)."""
    ecran = SimpleNamespace(app=SimpleNamespace(today=date.fromisoformat(TODAY)))
    return ListeMissions._colonnes(ecran)


def cellules_texte(colonnes: list, lignes: list) -> list[list[str]]:
    """The DataTable's cells: the same texts, the bar as its glyphs."""
    visibles = [c for c in colonnes if c.visible]
    return [[("".join(s.text for s in c.cellule(l, c.largeur)) if c.cellule else c.afficher(l))
             for c in visibles] for l in lignes]


async def premier_affichage(lignes: list, colonnes: list, cellules: list | None) -> float:
    app = BancMissions(lignes, colonnes, cellules)
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.pause()
        t0 = time.perf_counter()
        await app.monter()
        await stabiliser(pilot, app.chrono)
        return app.chrono.depuis(t0)


# -- report --------------------------------------------------------------------------
def rapport_ms(nom: str, temps: list[float], cible: float | None = CIBLE) -> float:
    med = statistics.median(temps)
    ligne = (f"{nom:<76} médiane {med * 1000:7.1f} ms (min {min(temps) * 1000:.1f}, "
             f"max {max(temps) * 1000:.1f}, n={len(temps)})")
    if cible is not None:
        ligne += f"  cible ≤ {cible * 1000:g} ms : {'OK' if med <= cible else 'DÉPASSÉE'}"
    print(ligne, flush=True)
    return med


def moins(a: list[float], b: list[float]) -> list[float]:
    return [x - y for x, y in zip(a, b)]


async def principal(runs: int) -> None:
    chemin = base_demo("L")
    base = Base.ouvrir(copie(chemin, COPIE))
    session = session_demo(base, charger=True)
    decision_id, nom, n_candidats = choisir_decision(session)
    lignes_missions = session.lignes_missions()
    base.fermer()
    print(f"Démo L, {TAILLE[0]}×{TAILLE[1]}, {runs} essai(s) ; décision {decision_id} ({nom}), "
          f"{n_candidats} candidats ; recherche « {LETTRE} »", flush=True)

    guet, traces = Guet(), Traces()
    avec, seul = defaultdict(list), defaultdict(list)
    for n in range(runs):
        for cle, v in (await une_application(chemin, decision_id, True, guet, traces)).items():
            avec[cle].append(v)
        for cle, v in (await une_application(chemin, decision_id, False, guet, traces)).items():
            seul[cle].append(v)
        print(f"essai {n + 1}/{runs}", file=sys.stderr, flush=True)

    for _, ident, libelle in LISTES:
        rapport_ms(f"L : ouvrir {libelle} → liste peinte", avec[f"ouvrir {ident}"])
    for _, ident, libelle in LISTES:
        rapport_ms(f"L : {libelle}, recherche « {LETTRE} » → liste filtrée peinte",
                   avec[f"recherche {ident}"])
    for m, quoi in ((seul, "Accueil seul"), (avec, "3 listes ouvertes")):
        rapport_ms(f"L : « a » → formulaire, candidats peints ({quoi})", m["formulaire"])
        if any(m["formulaire anti-rebond"]):
            rapport_ms("    id., hors anti-rebond", moins(m["formulaire"], m["formulaire anti-rebond"]))
        else:
            print("    (pas d'anti-rebond à l'ouverture : le formulaire demande ses candidats "
                  "dès son montage)")
        rapport_ms("    dont Session.candidats, avant la première peinture", m["requete candidats"], None)
        rapport_ms("    dont Session.missions_refusees, dans le worker", m["requete ecartees"], None)
        # The debounce is deliberate: the target is for what follows it.
        rapport_ms(f"L : « + » sur Du → candidats peints, anti-rebond compris ({quoi})", m["date"], None)
        rapport_ms("    id., hors anti-rebond", moins(m["date"], m["date anti-rebond"]))
        rapport_ms(f"L : Ctrl+S → Accueil, frise de la décision peinte ({quoi})",
                   m["enregistrer frise"])
        rapport_ms(f"L : Ctrl+S → Accueil, lignes rechargées peintes ({quoi})",
                   m["enregistrer lignes"])

    # 5. Missions: ListeDonnees with its bars against the DataTable.
    colonnes = colonnes_missions()
    cellules = cellules_texte(colonnes, lignes_missions)
    resultats = {}
    for genre, donnees in (("ListeDonnees", None), ("DataTable", cellules)):
        temps = []
        for r in range(runs):
            temps.append(await premier_affichage(lignes_missions, colonnes, donnees))
            print(f"{genre} {r + 1}/{runs}", file=sys.stderr, flush=True)
        resultats[genre] = temps
    n_visibles = sum(c.visible for c in colonnes)
    print(f"Missions : {len(lignes_missions):,}".replace(",", "\u00a0")
          + f" lignes, {n_visibles} colonnes affichées, premier affichage")
    liste_med = rapport_ms("L : Missions, ListeDonnees (barres d'occupation)", resultats["ListeDonnees"])
    table_med = rapport_ms("L : Missions, DataTable de Textual (texte brut)", resultats["DataTable"], None)
    print(f"{'rapport DataTable / ListeDonnees':<76} {table_med / liste_med:.0f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(principal(parser.parse_args().runs))


if __name__ == "__main__":
    main()
