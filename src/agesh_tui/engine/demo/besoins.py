"""What the demo's gestionnaires put in place: for each décision and school
year, on each scolarité, an accompagnement plan (a *besoin*) in one of the
states of the frise — complete, partielle, excédentaire, none, prévisionnel —,
mutualised plans for the décisions mutualisées of one établissement, and
maintiens after an unrenewed décision. Missions are chosen later (aesh.py).

Plans never cross 31/08, never leave the décision or the scolarité, so the
only incohérences of the demo are the planted ones (plantes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..calendrier import UN_JOUR
from ..modele.model import Decision, Mission
from .eleves import Dossier
from .outils import Contexte, debut, demi, fin
from .territoire import Territoire

ETATS_PASSES = {"complete": 86, "partielle": 7, "excedentaire": 2, "aucun": 5}
ETATS_COURANTS = {"complete": 72, "partielle": 11, "excedentaire": 3, "aucun": 8, "previsionnel": 6}
# Weekly hours of a mutualised accompagnement by number of pupils (guide
# §3.3: up to 4 décisions mutualisées → 24 h).
HEURES_MUTUALISE = {1: (6, 8, 9, 12), 2: (12, 15, 18), 3: (18, 20, 24), 4: (24,)}


@dataclass(slots=True, eq=False)
class Besoin:
    decisions: list[Decision]
    uai: str
    debut: date
    fin: date
    heures: float
    annee: int
    zone: str
    previsionnel: bool = False
    maintien: bool = False
    suite_de: Besoin | None = None
    mission: Mission | None = None
    repas: bool = False
    pause: bool = False
    attributs: dict = field(default_factory=dict)


def _notifiees(decision: Decision) -> float:
    """The weekly hours of a décision individuelle (the plans that carry an
    « etat » are those of one décision individuelle)."""
    heures = decision.heures
    assert heures is not None, "a décision individuelle has notified hours"
    return heures


def _segments(dossier: Dossier, d: date, f: date) -> list[tuple[str, date, date]]:
    """The parts of [d, f] covered by a scolarité, per établissement (an
    open-ended scolarité covers the future)."""
    found = []
    for s in dossier.scolarites:
        a, b = max(s.debut, d), f if s.fin is None else min(s.fin, f)
        if a <= b:
            found.append((s.uai, a, b))
    return found


def generer_besoins(ctx: Contexte, t: Territoire, dossiers: list[Dossier]) -> list[Besoin]:
    rng, Y, today = ctx.rng, ctx.annee, ctx.today
    besoins: list[Besoin] = []
    mutualises: dict[tuple[str, int], list] = {}

    def plan(decisions, uai, a, b, heures, annee, **kw) -> Besoin:
        besoin = Besoin(decisions, uai, a, b, heures, annee, t.zone(uai), **kw)
        besoin.repas = rng.random() < 0.18
        besoin.pause = rng.random() < 0.12
        besoins.append(besoin)
        return besoin

    for dossier in dossiers:
        if dossier.eleve.etat_dossier != "actif":
            continue  # a gelé or clôturé dossier has no accompagnement
        suivants = {dossier.decisions[i].id: dossier.decisions[i + 1] for i in range(len(dossier.decisions) - 1)}
        for decision in dossier.decisions:
            dernier_plan = None
            for annee in ctx.annees:
                a, b = max(decision.debut, debut(annee)), min(decision.fin, fin(annee))
                if a > b:
                    continue
                if annee == Y + 1:
                    nouvelle = decision.debut >= debut(Y + 1)
                    etat = "previsionnel" if rng.random() < (0.93 if nouvelle else 0.08) else "aucun"
                elif annee == Y:
                    etat = ctx.pondere(ETATS_COURANTS)
                    if decision.origine == "Première demande" and decision.debut >= debut(Y):
                        if etat == "complete" and rng.random() < 0.25:
                            etat = "aucun"  # new this year: not yet in place
                    elif etat == "aucun" and rng.random() < 0.7:
                        etat = "complete"  # a renewal mostly keeps its AESH
                else:
                    etat = ctx.pondere(ETATS_PASSES)
                if etat == "aucun":
                    continue
                for uai, sa, sb in _segments(dossier, a, b):
                    if etat == "previsionnel":
                        if annee == Y:
                            sa = max(sa, today + timedelta(days=rng.randint(10, 75)))
                        if (sb - sa).days < 20:
                            continue
                    if not decision.individuelle:
                        mutualises.setdefault((uai, annee), []).append((decision, sa, sb, etat))
                        continue
                    h = _notifiees(decision)
                    prev = etat == "previsionnel"
                    if etat == "partielle":
                        if rng.random() < 0.5 and (sb - sa).days > 80:
                            sa = sa + timedelta(days=rng.randint(14, 60))
                        else:
                            h = max(3.0, h - rng.choice((2, 3, 4, 6)))
                    elif etat == "excedentaire":
                        h = h + rng.choice((1, 1.5, 2, 3))
                    if etat == "complete" and h >= 12 and rng.random() < 0.12:
                        h1 = demi(h * rng.uniform(0.35, 0.65))
                        plan([decision], uai, sa, sb, h1, annee)
                        dernier_plan = plan([decision], uai, sa, sb, h - h1, annee)
                    else:
                        dernier_plan = plan([decision], uai, sa, sb, h, annee, previsionnel=prev)
                        dernier_plan.attributs["etat"] = etat
            # maintien: an unrenewed décision that ended at the end of last
            # school year or this year, the pupil still there
            if (
                dernier_plan is not None
                and decision.id not in suivants
                and fin(Y - 1) <= decision.fin < today
                and dernier_plan.fin == decision.fin
                and rng.random() < 0.5
            ):
                apres = _segments(dossier, decision.fin + UN_JOUR, fin(Y))
                if apres and apres[0][0] == dernier_plan.uai and apres[0][1] == decision.fin + UN_JOUR:
                    uai, sa, sb = apres[0]
                    plan([decision], uai, sa, sb, dernier_plan.heures, Y, maintien=True, suite_de=dernier_plan)

    # mutualised plans: décisions mutualisées of one établissement and year
    for (uai, annee), items in mutualises.items():
        prevs = [i for i in items if i[3] == "previsionnel"]
        autres = sorted((i for i in items if i[3] != "previsionnel"), key=lambda i: (i[1], i[2], i[0].id))
        for decision, sa, sb, _ in prevs:
            plan([decision], uai, sa, sb, float(rng.choice(HEURES_MUTUALISE[1])), annee, previsionnel=True)
        while autres:
            # pupils starting the same day share an AESH
            meme_debut = [g for g in autres if g[1] == autres[0][1]]
            taille = min(len(meme_debut), ctx.pondere({1: 20, 2: 35, 3: 30, 4: 15}))
            groupe = meme_debut[:taille]
            a, b = max(g[1] for g in groupe), min(g[2] for g in groupe)
            if (b - a).days < 30:
                groupe = groupe[:1]
                a, b = groupe[0][1], groupe[0][2]
            for g in groupe:
                autres.remove(g)
            if len({g[0].eleve_id for g in groupe}) < len(groupe):
                # one élève twice (two décisions): keep them apart
                for g in groupe:
                    plan([g[0]], uai, g[1], g[2], float(rng.choice(HEURES_MUTUALISE[1])), annee)
                continue
            heures = float(rng.choice(HEURES_MUTUALISE[len(groupe)]))
            plan([g[0] for g in groupe], uai, a, b, heures, annee)
    if not any(b.maintien for b in besoins):
        besoins = _garantir_maintien(ctx, t, dossiers, besoins)
    # a small demo may draw no excédentaire or partielle today: a couple of
    # complete ones get more, or fewer, hours
    courants = [b for b in besoins if b.annee == Y and b.attributs.get("etat") == "complete"
                and 9 <= _notifiees(b.decisions[0]) <= 18 and b.debut <= today <= b.fin]
    for etat, delta in (("excedentaire", 2), ("partielle", -3)):
        deja = sum(1 for b in besoins if b.annee == Y and b.attributs.get("etat") == etat
                   and b.debut <= today <= b.fin and (b.heures - _notifiees(b.decisions[0])) * delta > 0)
        for _ in range(max(0, 2 - deja)):
            if courants:
                besoin = courants.pop()
                besoin.heures += delta
                besoin.attributs["etat"] = etat
    return besoins


def _garantir_maintien(ctx: Contexte, t: Territoire, dossiers: list[Dossier], besoins: list[Besoin]) -> list[Besoin]:
    """A small demo may draw no maintien: make one, by leaving unrenewed a
    décision that ended last school year while its AESH stays on."""
    Y = ctx.annee
    precedent: dict[str, Besoin] = {}
    for b in besoins:
        if len(b.decisions) == 1 and b.annee == Y - 1 and b.fin == b.decisions[0].fin == fin(Y - 1):
            precedent.setdefault(b.decisions[0].id, b)
    for dossier in dossiers:
        if dossier.eleve.etat_dossier != "actif" or not dossier.present:
            continue
        for i, decision in enumerate(dossier.decisions[:-1]):
            avant = precedent.get(decision.id)
            if avant is None:
                continue
            apres = _segments(dossier, debut(Y), fin(Y))
            if not apres or apres[0][0] != avant.uai or apres[0][1] != debut(Y):
                continue
            retirees = {d.id for d in dossier.decisions[i + 1:]}
            del dossier.decisions[i + 1:]
            for b in besoins:
                b.decisions = [d for d in b.decisions if d.id not in retirees]
            besoins = [b for b in besoins if b.decisions]
            uai, sa, sb = apres[0]
            besoins.append(Besoin([decision], uai, sa, sb, avant.heures, Y, t.zone(uai),
                                  maintien=True, suite_de=avant))
            return besoins
    return besoins
