"""Bench of issue 12's Éditions and search on demo L (XL with --taille XL),
driven by Pilot (160×48, today 2026-11-22, a gestionnaire of the whole
département, the Session already loaded), each time from the key press to
the first paint that shows the result:

1. « t » in Éditions to the tableau de bord painted with its eight
   incohérence counts (the first paint where every line has its number),
   then with the cas particuliers and indicateurs too; « froid »: the
   counts computed for the first time since the load (or since a save), as
   after any write; the Éditions menu's own warming (cas particuliers
   computed while the menu is read) is waited for and then dropped, so that
   only what « t » costs is timed;
2. Entrée on the incohérence with the most cases, to its list painted with
   rows;
3. as a reference for the machine's state, « i » on Accueil to the
   Indicateurs screen painted with its counts (an existing screen of the
   same kind: counters and the chart by month);
4. Entrée in « Rechercher un élève » (nom and prénom of a pupil typed in
   lower case, not timed) to the results painted; « froid »: the first
   search of the load, which builds the index of names of the whole base.

Then the Session's computations alone, without a screen (medians too):
the eight incohérences, the cas particuliers, a case list's rows, a search
with its index built (first of the load) and without.

Times are taken at the paint by wrapping the widgets' render methods, not
at the return of ``pilot.press`` (it waits for idle). Medians of --runs.

    .venv/bin/python bench/bench_editions.py [--taille L] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import date

from commun import CACHE, TODAY, base_demo, mesurer, rapport

os.environ.setdefault("AGESH_KEY_FILE", str(CACHE / "cle-otp.key"))

from textual.widgets import Input  # noqa: E402

from agesh_tui.api.base import Base  # noqa: E402
from agesh_tui.app import AgeshApp  # noqa: E402
from agesh_tui.engine.stockage import ouvrir  # noqa: E402
from agesh_tui.screens.cas_incoherence import CasIncoherence  # noqa: E402
from agesh_tui.screens.indicateurs import Compteur, Indicateurs  # noqa: E402
from agesh_tui.screens.recherche_eleve import RechercheEleve  # noqa: E402
from agesh_tui.screens.tableau_de_bord import LigneCompte, TableauDeBord  # noqa: E402
from agesh_tui.widgets.liste import ListeDonnees  # noqa: E402
from bench_app import attendre, session_demo  # noqa: E402

TAILLE = (160, 48)
CIBLES = {"L": 0.300, "XL": 1.5}
VUES_TABLEAU = ("tableau:incoherences", "tableau:cas")


class Peintures:
    """The instant of the first paint meeting a condition, by wrapping the
    render of LigneCompte (the tableau de bord's lines) and the render_lines
    of ListeDonnees (lists)."""

    def __init__(self) -> None:
        self.conditions: dict = {}
        self.instants: dict[str, float] = {}
        guet = self
        rendu_ligne = LigneCompte.render
        rendu_compteur = Compteur.render
        rendu_liste = ListeDonnees.render_lines

        def render(ligne):
            resultat = rendu_ligne(ligne)
            guet._voir(ligne)
            return resultat

        def render_lines(liste, crop):
            strips = rendu_liste(liste, crop)
            if liste._lignes_peintes:
                guet._voir(liste)
            return strips

        def render_compteur(compteur):
            resultat = rendu_compteur(compteur)
            guet._voir(compteur)
            return resultat

        LigneCompte.render = render
        Compteur.render = render_compteur
        ListeDonnees.render_lines = render_lines

    def _voir(self, widget) -> None:
        for nom, condition in self.conditions.items():
            if nom not in self.instants and condition(widget):
                self.instants[nom] = time.perf_counter()

    async def mesurer(self, action, **conditions) -> dict[str, float]:
        """{name: first paint meeting the condition − key press}."""
        self.conditions, self.instants = conditions, {}
        t0 = time.perf_counter()
        await action()
        await attendre(lambda: len(self.instants) == len(conditions))
        self.conditions = {}
        return {nom: t - t0 for nom, t in self.instants.items()}


def comptes_peints(ecran, types) -> bool:
    return all(l.nombre is not None for l in ecran.query(LigneCompte) if isinstance(l.cle, types))


async def un_essai(base: Base, froid: bool, peintures: Peintures) -> dict[str, float]:
    session = session_demo(base, True)
    app = AgeshApp(base, date.fromisoformat(TODAY), session=session)
    app.animation_level = "none"
    temps: dict[str, float] = {}
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(lambda: app.current_mode == "accueil")
        await app.workers.wait_for_complete()
        await pilot.pause()

        def indicateurs(_widget) -> bool:
            ecran = app.screen
            return isinstance(ecran, Indicateurs) and all(
                c.nombre is not None for c in ecran.query(Compteur))

        temps["référence : Indicateurs d'Accueil (i)"] = (
            await peintures.mesurer(lambda: pilot.press("i"), indicateurs=indicateurs))["indicateurs"]
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        if froid:
            for cle in VUES_TABLEAU:
                session._charge().vues.pop(cle, None)

        def huit(_widget) -> bool:
            ecran = app.screen
            return isinstance(ecran, TableauDeBord) and comptes_peints(ecran, int)

        def tout(_widget) -> bool:
            ecran = app.screen
            return isinstance(ecran, TableauDeBord) and comptes_peints(ecran, (int, str))

        mesures = await peintures.mesurer(lambda: pilot.press("t"), huit=huit, tout=tout)
        temps["tableau de bord : les huit nombres"] = mesures["huit"]
        temps["tableau de bord : tout (cas particuliers, indicateurs)"] = mesures["tout"]
        await app.workers.wait_for_complete()
        await pilot.pause()

        ecran = app.screen
        lignes = {l.cle: l.nombre for l in ecran.query(LigneCompte) if isinstance(l.cle, int)}
        pire = max(lignes, key=lambda c: lignes[c] or 0)
        ecran.query_one(f"#ligne-{pire}", LigneCompte).focus()
        await pilot.pause()

        def cas(liste) -> bool:
            return (isinstance(app.screen, CasIncoherence) and isinstance(liste, ListeDonnees)
                    and liste.nombre_total > 0)

        temps[f"liste des cas (incohérence {pire}, {lignes[pire]} cas)"] = (
            await peintures.mesurer(lambda: pilot.press("enter"), cas=cas))["cas"]
        await app.workers.wait_for_complete()

        await pilot.press("6")
        await pilot.pause()
        recherche = app.screen
        assert isinstance(recherche, RechercheEleve)
        eleve = session.dep.eleves[sorted(session.dep.eleves)[len(session.dep.eleves) // 2]]
        recherche.query_one("#nom", Input).value = eleve.nom.lower()
        recherche.query_one("#prenom", Input).value = eleve.prenom.lower()
        recherche.query_one("#prenom", Input).focus()
        await pilot.pause()

        def resultats(liste) -> bool:
            return isinstance(app.screen, RechercheEleve) and liste.id == "resultats" \
                and liste.nombre_total > 0

        temps["recherche d'un élève"] = (
            await peintures.mesurer(lambda: pilot.press("enter"), resultats=resultats))["resultats"]
    return temps


def calculs_seuls(base: Base, runs: int, cible: float | None) -> None:
    session = session_demo(base, True)
    eleve = session.dep.eleves[sorted(session.dep.eleves)[len(session.dep.eleves) // 2]]
    donnees = session._charge()

    def froid(*cles: str):
        def vider() -> None:
            for cle in cles:
                donnees.vues.pop(cle, None)
        return vider

    print(f"-- calculs de la Session seuls ({len(session.dep.eleves)} élèves, "
          f"{len(session.dep.accompagnements)} accompagnements)")
    rapport("les huit incohérences", mesurer(session.incoherences_par_type, runs,
                                             froid("tableau:incoherences")), cible)
    rapport("les cas particuliers", mesurer(session.cas_particuliers_par_type, runs,
                                            froid("tableau:cas")), cible)
    rapport("lignes des cas de l'incohérence 6", mesurer(lambda: session.cas_incoherence(6), runs), cible)
    chercher = lambda: session.rechercher_eleves(eleve.nom.lower(), eleve.prenom.upper())  # noqa: E731
    rapport("recherche, index des noms construit", mesurer(chercher, runs, froid("eleves:index")), cible)
    rapport("recherche, index prêt", mesurer(chercher, runs), cible)


async def principal(taille: str, runs: int) -> None:
    base = Base(ouvrir(str(base_demo(taille))))
    peintures = Peintures()
    cible = CIBLES.get(taille)
    calculs_seuls(base, runs, cible)
    for froid in (True, False):
        mesures: dict[str, list[float]] = {}
        for _ in range(runs):
            for nom, t in (await un_essai(base, froid, peintures)).items():
                mesures.setdefault(nom, []).append(t)
        etat = "froid" if froid else "chaud"
        print(f"-- démo {taille}, {etat} (première recherche de la charge : index des noms "
              "compris)" if froid else f"-- démo {taille}, {etat}")
        for nom, temps in mesures.items():
            rapport(f"{nom}", temps, cible)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taille", default="L", choices=("S", "M", "L", "XL"))
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(principal(arguments.taille, arguments.runs))
