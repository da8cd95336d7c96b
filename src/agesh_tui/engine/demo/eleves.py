"""Élèves of the demo: names, parents, structure de soin, scolarités over the
school years of the demo (changes of school at the right age, a few moves
mid-year, a few periods without scolarité) and their chains of décisions
(a Réexamen starts the day after the previous décision ends)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..calendrier import UN_JOUR, annee_scolaire
from ..modele.model import Decision, Eleve, Proche, Scolarite
from . import noms
from .outils import Contexte, ascii_mail, debut, fin
from .territoire import (
    CYCLE_DU_NIVEAU,
    CYCLES,
    NIVEAUX,
    POIDS_NIVEAU,
    Territoire,
    Tirage,
    cycles_de,
)

HEURES = {6: 5, 7.5: 2, 8: 6, 9: 6, 10: 6, 12: 20, 12.5: 1, 13.5: 1, 14: 4, 15: 12, 16: 4,
          18: 12, 20: 6, 21: 2, 22.5: 1, 24: 10}
# Weights of the first décision's school year, offset from the current one.
PREMIERE_ANNEE = {-3: 34, -2: 16, -1: 17, 0: 20, 1: 8}


@dataclass(slots=True)
class Dossier:
    eleve: Eleve
    dep: str
    proches: list[Proche] = field(default_factory=list)
    scolarites: list[Scolarite] = field(default_factory=list)  # chronological
    decisions: list[Decision] = field(default_factory=list)  # chronological chain
    present: bool = True  # schooled during the current school year


def etablissements_d_accueil(ctx: Contexte, t: Territoire, eleves_estimes: int) -> Tirage:
    """The établissements the demo's pupils are drawn from, weighted by the
    real number of pupils (more where there is an ULIS). A small demo keeps
    to a subset so that pupils share schools (mutualised accompagnements)."""
    pool, poids = [], []
    for e in t.etablissements:
        cyc = cycles_de(e)
        if not cyc or not e.scolaire:
            continue
        w = t.effectif(e) * (2.5 if e.ulis else 1.0) * (0.6 if cyc == ("mat",) else 1.0)
        if w > 0:
            pool.append(e)
            poids.append(w)
    garder = min(len(pool), max(12, math.ceil(eleves_estimes / 3)))
    if garder < len(pool):
        # weighted sampling without replacement (Efraimidis-Spirakis keys)
        cles = sorted(range(len(pool)), key=lambda i: -(ctx.rng.random() ** (1 / poids[i])))[:garder]
        cles.sort()
        pool, poids = [pool[i] for i in cles], [poids[i] for i in cles]
    return Tirage(pool, poids)


def generer_eleves(ctx: Contexte, t: Territoire, cible_decisions: int) -> list[Dossier]:
    tirage = etablissements_d_accueil(ctx, t, cible_decisions // 2)
    dossiers: list[Dossier] = []
    total = 0
    while total < cible_decisions:
        dossier = _eleve(ctx, t, tirage(ctx.rng))
        if dossier is not None:
            dossiers.append(dossier)
            total += len(dossier.decisions)
    return dossiers


def _eleve(ctx: Contexte, t: Territoire, etab) -> Dossier | None:
    rng, Y = ctx.rng, ctx.annee
    niveaux = [n for c in cycles_de(etab) for n in CYCLES[c]]
    niveau = rng.choices(niveaux, weights=[POIDS_NIVEAU[n] for n in niveaux])[0]
    retard = 1 if niveau >= 3 and rng.random() < 0.15 else 0
    naissance_annee = Y - 3 - niveau - retard
    niveau_en = lambda y: niveau - (Y - y)  # noqa: E731

    annees = [Y + k for k in PREMIERE_ANNEE if 0 <= niveau_en(Y + k) <= 14]
    if not annees:
        return None
    y0 = rng.choices(annees, weights=[PREMIERE_ANNEE[y - Y] for y in annees])[0]
    # last school year with a scolarité: the current one, unless the pupil
    # left the département or finished school before
    derniere = Y
    while niveau_en(derniere) > 14:
        derniere -= 1
    if y0 <= Y - 1 and rng.random() < 0.07:
        derniere = min(derniere, rng.randint(y0, Y - 1))
    if y0 > derniere and not (y0 == Y + 1 and derniere == Y):
        return None
    present = derniere == Y

    dep = etab.uai[:3]
    garcon = rng.random() < 0.58
    eleve = Eleve(
        id=ctx.ident("E", dep),
        nom=rng.choice(noms.NOMS),
        prenom=rng.choice(noms.PRENOMS_GARCONS if garcon else noms.PRENOMS_FILLES),
        date_naissance=ctx.date_entre(date(naissance_annee, 1, 1), date(naissance_annee, 12, 31)),
    )
    dossier = Dossier(eleve, dep, present=present)
    dossier.proches = _proches(ctx, eleve)
    if rng.random() < 0.1:
        eleve.structure_soin = _structure_soin(ctx, t, etab, niveau)

    debut_scol = max(ctx.annee - 3, y0 - 1)
    while niveau_en(debut_scol) < 0:
        debut_scol += 1
    dossier.scolarites = _scolarites(ctx, t, etab, eleve.id, dep, niveau_en, debut_scol, derniere, present)
    fin_presence = None if present else fin(derniere)
    dossier.decisions = _decisions(ctx, eleve.id, dep, y0, niveau_en, fin_presence)
    if not dossier.decisions:
        return None

    derniere_decision = dossier.decisions[-1]
    if not present:
        eleve.etat_dossier = "cloture" if rng.random() < 0.7 else "actif"
    elif derniere_decision.fin < debut(Y):
        eleve.etat_dossier = "cloture" if rng.random() < 0.3 else "actif"
    elif rng.random() < 0.015:
        eleve.etat_dossier = "gele"
    return dossier


def _proches(ctx: Contexte, eleve: Eleve) -> list[Proche]:
    rng = ctx.rng
    if rng.random() < 0.7:
        liens = ["Mère", "Père"]
    else:
        liens = [rng.choices(noms.LIENS_PROCHES, weights=(55, 25, 12, 5, 3))[0]]
    proches: list[Proche] = []
    for lien in liens:
        femme = lien in ("Mère", "Grand-mère") or (lien != "Père" and lien != "Tuteur" and rng.random() < 0.6)
        nom = eleve.nom if lien != "Mère" or rng.random() < 0.75 else rng.choice(noms.NOMS)
        prenom = rng.choice(noms.PRENOMS_FEMMES if femme else noms.PRENOMS_HOMMES)
        if any(p.nom == nom and p.prenom == prenom for p in proches):
            prenom = rng.choice([p for p in noms.PRENOMS_HOMMES if p != prenom])
        telephone = "06 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        suffixe = str(rng.randint(1, 99)) if rng.random() < 0.3 else ""
        mail = f"{ascii_mail(prenom, nom.replace(' ', ''))}{suffixe}@{rng.choice(noms.MESSAGERIES)}"
        proches.append(Proche(eleve.id, nom, prenom, lien, telephone, mail))
    return proches


def _structure_soin(ctx: Contexte, t: Territoire, etab, niveau: int) -> str:
    rng = ctx.rng
    medico = t.medico_sociaux.get(etab.uai[:3])
    if medico and rng.random() < 0.4:
        return rng.choice(medico).nom
    sortes = list(noms.STRUCTURES_SOIN) if niveau <= 3 else [s for s in noms.STRUCTURES_SOIN if s != "CAMSP"]
    return f"{rng.choice(sortes)} de {etab.commune}"


def classe(ctx: Contexte, t: Territoire, etab, niveau: int) -> str:
    """A plausible division: ``CM1 A``, ``CE1-CE2``, ``310``, ``1G2``…"""
    rng = ctx.rng
    effectif = t.effectif(etab)
    if etab.type == "Ecole":
        if etab.ulis and niveau >= 3 and rng.random() < 0.3:
            return "ULIS école"
        if effectif < 110:
            paires = {0: "PS-MS", 1: "PS-MS", 2: "GS-CP", 3: "GS-CP", 4: "CE1-CE2", 5: "CE1-CE2",
                      6: "CM1-CM2", 7: "CM1-CM2"}
            return paires[niveau]
        if effectif < 220:
            return NIVEAUX[niveau]
        return f"{NIVEAUX[niveau]} {'ABC'[rng.randrange(1 + (effectif >= 320) + (effectif >= 420))]}"
    if etab.type in ("Collège", "EREA"):
        chiffre = "6543"[niveau - 8]
        if etab.type == "EREA":
            return f"{NIVEAUX[niveau]} EREA"
        if etab.ulis and rng.random() < 0.25:
            return "ULIS"
        if niveau >= 9 and rng.random() < 0.05:
            return f"{chiffre}e SEGPA"
        divisions = max(1, min(9, round(effectif / 4 / 26)))
        return f"{chiffre}{rng.randint(1, divisions):02d}"
    if etab.type == "Autre":
        return f"{NIVEAUX[niveau]} MFR"
    divisions = max(1, min(12, round(effectif / 3 / 32)))
    k = rng.randint(1, divisions)
    pro = "professionnel" in etab.nom.lower()
    if niveau == 12:
        return f"2PRO{k}" if pro else f"2{k:02d}"
    lettre = "1" if niveau == 13 else "T"
    return f"{lettre}PRO{k}" if pro else f"{lettre}G{k}"


def _scolarites(ctx, t, etab, eleve_id, dep, niveau_en, premiere, derniere, present) -> list[Scolarite]:
    rng, Y, today = ctx.rng, ctx.annee, ctx.today
    par_cycle = {c: etab for c in cycles_de(etab)}

    def etab_du_cycle(c):
        if c not in par_cycle:
            voisins = t.voisins(etab, c)
            par_cycle[c] = rng.choice(voisins) if voisins else etab
        return par_cycle[c]

    # one event at most per pupil: a move during a year, or a period out of school
    evenement, annee_evt = None, None
    tirage = rng.random()
    if tirage < 0.04 or not ctx.compteurs["demenagement"]:
        evenement = "demenagement"
    elif tirage < 0.07 or not ctx.compteurs["interruption"]:
        evenement = "interruption"
    if evenement:
        annee_evt = rng.randint(premiere, derniere)

    lignes: list[Scolarite] = []

    def ajouter(uai, niveau, d, f):
        e = t.par_uai[uai]
        lignes.append(Scolarite(ctx.ident("S", dep), eleve_id, uai, classe(ctx, t, e, niveau), d, f))

    for y in range(premiere, derniere + 1):
        niveau = niveau_en(y)
        ici = etab_du_cycle(CYCLE_DU_NIVEAU[niveau])
        d = debut(y)
        f: date | None = fin(y)
        if y == Y and present and rng.random() < 0.85:
            f = None  # the current scolarité has no end yet
        borne = min(fin(y), today - timedelta(days=7)) if y == Y else fin(y)
        if y == annee_evt and evenement == "demenagement":
            m = ctx.date_entre(d + timedelta(days=14), min(borne, date(y + 1, 5, 31)))
            autres = t.voisins(ici, CYCLE_DU_NIVEAU[niveau])
            if m is not None and autres:
                ajouter(rng.choice(autres).uai, niveau, d, m - UN_JOUR)
                d = m
                ctx.compteurs["demenagement"] += 1
        elif y == annee_evt and evenement == "interruption":
            if rng.random() < 0.5:  # a late start of the year
                tard = ctx.date_entre(d + timedelta(days=21), min(borne, d + timedelta(days=75)))
                if tard is not None:
                    d = tard
                    ctx.compteurs["interruption"] += y > premiere  # a visible gap
            else:  # a hospitalisation: a hole in the middle
                trou = ctx.date_entre(date(y, 11, 1), min(borne - timedelta(days=60), date(y + 1, 3, 1)))
                if trou is not None:
                    reprise = trou + timedelta(days=rng.randint(21, 60))
                    ajouter(ici.uai, niveau, d, trou - UN_JOUR)
                    d = reprise
                    ctx.compteurs["interruption"] += 1
        ajouter(ici.uai, niveau, d, f)
    return lignes


def _decisions(ctx, eleve_id, dep, y0, niveau_en, fin_presence) -> list[Decision]:
    rng, Y, today = ctx.rng, ctx.annee, ctx.today
    if y0 == Y - 3:
        d = debut(y0)
        origine = rng.choices(("Réexamen", "GEVASCO réexamen", "Première demande"), weights=(6, 1, 3))[0]
    else:
        d = debut(y0)
        if y0 <= Y and rng.random() < 0.3:
            haut = date(y0 + 1, 5, 15)
            if y0 == Y:
                haut = min(haut, today + timedelta(days=45))
            d = ctx.date_entre(date(y0, 10, 2), haut) or d
        origine = "Première demande"
    individuelle = rng.random() < 0.5
    heures = rng.choices(list(HEURES), weights=list(HEURES.values()))[0]
    decisions: list[Decision] = []
    while True:
        a = annee_scolaire(d)
        duree = rng.choices((1, 2, 3), weights=(25, 35, 40))[0]
        f = fin(a + duree - 1)
        if rng.random() < 0.06:  # a décision ending during the year
            f = ctx.date_entre(max(date(a + duree - 1, 11, 1), d + timedelta(days=90)),
                               date(a + duree, 6, 30)) or f
        f = min(f, ctx.fin_fenetre)
        if fin_presence is not None:
            f = min(f, fin_presence)
            if f < d + timedelta(days=30):
                break
        decisions.append(Decision(
            ctx.ident("D", dep), eleve_id,
            "individuelle" if individuelle else "mutualisee",
            float(heures) if individuelle else None,
            origine,
            "alternatif" if rng.random() < 0.08 else "projet cible",
            d, f,
        ))
        suivant = f + UN_JOUR
        annee_suivante = annee_scolaire(suivant)
        if annee_suivante > Y + 1 or niveau_en(annee_suivante) > 14:
            break
        if fin_presence is not None and suivant > fin_presence:
            break
        fin_annee_courante = annee_scolaire(f) == Y
        if rng.random() > (0.87 if fin_annee_courante else 0.96):
            break  # not renewed
        d = suivant
        origine = "Réexamen" if rng.random() < 0.7 else "GEVASCO réexamen"
        if rng.random() < 0.15:
            individuelle = not individuelle
        if rng.random() < 0.4:
            heures = rng.choices(list(HEURES), weights=list(HEURES.values()))[0]
    return decisions
