"""AESH of the demo and their missions, sized on the plans of each PIAL (or
hors-PIAL part of a secteur) and year; then each plan gets a mission of its
zone that covers its period with enough weekly hours left, and the missions
get their affectations PIAL.

Careers: a 3-year CDD then a CDI (missions older than 3 years are not in
the RH extracts), some departures, replacement CDDs ending mid-year,
prévisionnel AESH and missions, a few missions without quotité (volume 0),
non-accompagnant missions (AHRE, HC…, AE…), inactive AESH and missions."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..modele.model import Aesh, AffectationPial, Mission
from ..modele.natures import NATURES
from . import noms
from .besoins import Besoin
from .outils import Contexte, debut, demi, fin
from .territoire import Territoire

REFERENCES = {("CDD", "EPP"): 39.0, ("CDI", "EPP"): 39.0, ("CDD", "ASSED"): 35.0, ("CDI", "ASSED"): 35.0}
QUOTITES = {50: 8, 55: 4, 60: 8, 62: 30, 65: 6, 70: 10, 75: 8, 80: 8, 90: 5, 100: 13}
TRANSPORTS = {"Véhicule personnel": 70, "Transports en commun": 12, "Vélo": 7, "À pied": 11}
MARGE = 1.12  # capacity over the plans' hours, per zone and year
PART_AESH_PAR_DECISION = 2500 / 6000  # Ille-et-Vilaine today

# A mission of a career: (contrat, début, fin, source); fin None = open
# (CDI), source None = the AESH's base.
Periode = tuple[str, date, date | None, str | None]


def volume(contrat: str, base: str, quotite: float | None) -> float:
    if quotite is None:
        return 0.0  # no quotité in the RH base: volume 0 (guide §8)
    return demi(REFERENCES[(contrat, base)] * quotite / 100)


@dataclass
class Personnel:
    aesh: list[Aesh] = field(default_factory=list)
    missions: list[Mission] = field(default_factory=list)
    affectations: list[AffectationPial] = field(default_factory=list)
    zone_de: dict[str, str] = field(default_factory=dict)  # mission id → zone
    non_affectees: dict[str, bool] = field(default_factory=dict)  # left to the affectation auto
    remplacements: list[Mission] = field(default_factory=list)  # CDD ending mid-year
    aesh_par_id: dict[str, Aesh] = field(default_factory=dict)


class Zones:
    def __init__(self, t: Territoire):
        self.membres: dict[str, list] = defaultdict(list)
        for e in t.etablissements:
            if e.scolaire and (e.pial_uai or e.uai in t.secteur_de):
                self.membres[t.zone(e.uai)].append(e)
        self.t = t

    @staticmethod
    def dep(zone: str) -> str:
        return zone[2:5] if zone.startswith("H-") else zone[:3]

    @staticmethod
    def en_pial(zone: str) -> bool:
        return not zone.startswith("H-")


def couvre_annee(m: Mission, y: int) -> bool:
    return m.debut <= debut(y) + timedelta(days=30) and (m.fin is None or m.fin >= fin(y) - timedelta(days=60))


def _nature(rng, base: str, en_pial: bool, part_1d: float) -> str:
    degre = "1D" if rng.random() < part_1d else "2D"
    if en_pial and rng.random() < 0.7:
        prefixe = "HP" if base == "EPP" else "PI"
        return prefixe + ("IN" if rng.random() < 0.3 else degre)
    if rng.random() < 0.6:
        return ("HI" if base == "EPP" else "EI") + degre
    return ("HM" if base == "EPP" else "AM") + degre


class Fabrique:
    """Makes AESH with their careers in a zone."""

    def __init__(self, ctx: Contexte, t: Territoire, zones: Zones, personnel: Personnel):
        self.ctx, self.t, self.zones, self.p = ctx, t, zones, personnel

    def personne(self, zone: str, *, previsionnel=False, actif=True, base="EPP") -> Aesh:
        ctx, rng = self.ctx, self.ctx.rng
        dep = Zones.dep(zone)
        femme = rng.random() < 0.88
        residence = rng.choice(self.zones.membres[zone])
        lat = None if residence.latitude is None else round(residence.latitude + rng.uniform(-0.025, 0.025), 6)
        lon = None if residence.longitude is None else round(residence.longitude + rng.uniform(-0.035, 0.035), 6)
        aesh = Aesh(
            id=ctx.ident("A", dep),
            source="previsionnel" if previsionnel else base,
            civilite="Mme" if femme else "M.",
            nom=rng.choice(noms.NOMS),
            prenom=rng.choice(noms.PRENOMS_FEMMES if femme else noms.PRENOMS_HOMMES),
            date_naissance=ctx.date_entre(date(1961, 1, 1), date(2002, 12, 31)),
            adresse=f"{rng.randint(1, 48)} {rng.choice(noms.RUES)}",
            code_postal=residence.code_postal,
            commune=residence.commune,
            latitude=lat,
            longitude=lon,
            transport=ctx.pondere(TRANSPORTS),
            rqth=rng.random() < 0.06,
            actif=actif,
        )
        self.p.aesh.append(aesh)
        self.p.aesh_par_id[aesh.id] = aesh
        return aesh

    def aesh(self, zone: str, embauche: int, depart: int | None = None, *, previsionnel=False,
             actif=True, nature: str | None = None, part_1d=0.5, remplacement=False,
             debut_mission: date | None = None, fin_mission: date | None = None,
             quotite: int | None = None) -> tuple[Aesh, list[Mission]]:
        """An AESH with the missions of a career started in school year ``embauche``."""
        ctx, rng = self.ctx, self.ctx.rng
        if nature is not None:
            base = NATURES[nature].base
        else:
            base = "EPP" if rng.random() < 0.65 else "ASSED"
            nature = _nature(rng, base, Zones.en_pial(zone), part_1d)
        aesh = self.personne(zone, previsionnel=previsionnel, actif=actif, base=base)
        plein = quotite is not None
        quotite = quotite or ctx.pondere(QUOTITES)
        periodes: list[Periode]
        if previsionnel:
            d = debut_mission or debut(embauche)
            periodes = [("CDD", d, fin_mission or fin(embauche), "previsionnel")]
        else:
            periodes = self._carriere(embauche, depart, remplacement)
        missions = []
        for contrat, d, f, source in periodes:
            source = source or base
            q = None if source != "previsionnel" and not plein and rng.random() < 0.01 else float(quotite)
            if contrat == "CDI" and not plein and rng.random() < 0.2:
                q = float(ctx.pondere(QUOTITES))
            missions.append(self.mission(aesh, zone, contrat, base, nature, q, d, f, source, actif))
        return aesh, missions

    def mission(self, aesh, zone, contrat, base, nature, quotite, d, f, source, actif=True) -> Mission:
        ctx, rng, t = self.ctx, self.ctx.rng, self.t
        membres = self.zones.membres[zone]
        if Zones.en_pial(zone) and zone in t.par_uai and rng.random() < 0.6:
            employeur = zone  # the tête de PIAL
        else:
            employeur = rng.choice(membres).uai
        base = NATURES[nature].base if nature in NATURES else base
        payeur = employeur if base == "EPP" else (t.payeur_assed.get(Zones.dep(zone)) or employeur)
        m = Mission(
            id=ctx.ident("M", Zones.dep(zone)),
            aesh_id=aesh.id,
            contrat=contrat,
            nature=nature,
            quotite=quotite,
            volume=volume(contrat, base, quotite),
            debut=d,
            fin=f,
            uai_employeur=employeur,
            uai_payeur=payeur,
            source=source,
            actif=actif,
        )
        self.p.missions.append(m)
        self.p.zone_de[m.id] = zone
        return m

    def _carriere(self, h: int, depart: int | None, remplacement: bool) -> list[Periode]:
        """(contrat, début, fin, source) of the missions of an AESH hired in
        school year h, leaving after school year ``depart`` (None: still there)."""
        ctx, rng, Y = self.ctx, self.ctx.rng, self.ctx.annee
        source = None  # filled below with the base
        d = debut(h)
        if rng.random() < 0.12:
            haut = date(h + 1, 2, 28) if h < Y else min(date(h + 1, 2, 28), ctx.today - timedelta(days=1))
            d = ctx.date_entre(date(h, 10, 1), haut) or d
        if remplacement:
            f = ctx.date_entre(max(date(h, 12, 1), d + timedelta(days=45)), date(h + 1, 4, 30))
            return [("CDD", d, f or fin(h), source)]
        periodes: list[Periode]
        if depart is not None and depart <= h + 2:
            periodes = [("CDD", d, fin(depart), source)]
        else:
            periodes = [("CDD", d, fin(h + 2), source),
                        ("CDI", debut(h + 3), fin(depart) if depart is not None else None, source)]
        garder: list[Periode] = []
        for contrat, a, b, s in periodes:
            if b is not None and b < ctx.debut_fenetre:
                continue  # more than 3 years old: not in the RH extracts
            if a > ctx.today:
                if a == debut(Y + 1) and rng.random() < 0.6:
                    garder.append((contrat, a, b, "previsionnel"))  # the CDI to come, planned
                continue
            garder.append((contrat, a, b, s))
        return garder


def _base_de(m: Mission) -> str:
    return NATURES[m.nature].base


def generer_personnel(ctx: Contexte, t: Territoire, besoins: list[Besoin], cible_aesh: int) -> Personnel:
    rng, Y = ctx.rng, ctx.annee
    personnel = Personnel()
    zones = Zones(t)
    fab = Fabrique(ctx, t, zones, personnel)

    heures: dict[tuple[str, int], float] = defaultdict(float)
    plus_long: dict[tuple[str, int], float] = defaultdict(float)  # largest plan
    heures_prev: dict[str, float] = defaultdict(float)
    heures_1d: dict[str, float] = defaultdict(float)
    total_zone: dict[str, float] = defaultdict(float)
    for b in besoins:
        heures[(b.zone, b.annee)] += b.heures
        plus_long[(b.zone, b.annee)] = max(plus_long[(b.zone, b.annee)], b.heures)
        total_zone[b.zone] += b.heures
        if t.par_uai[b.uai].type == "Ecole":
            heures_1d[b.zone] += b.heures
        if b.previsionnel and b.annee == Y:
            heures_prev[b.zone] += b.heures

    for zone in total_zone:  # insertion order: deterministic
        part_1d = heures_1d[zone] / total_zone[zone]
        capacite: dict[int, float] = defaultdict(float)
        plus_grand: dict[int, float] = defaultdict(float)  # largest volume

        def compter(missions, capacite=capacite, plus_grand=plus_grand):
            for m in missions:
                # current-year prévisionnel missions are extra: not counted
                if m.actif and m.volume > 0 and (m.source != "previsionnel" or m.debut == debut(Y + 1)):
                    for y in ctx.annees:
                        if couvre_annee(m, y):
                            capacite[y] += m.volume
                            plus_grand[y] = max(plus_grand[y], m.volume)

        for y in ctx.annees[:-1]:
            while capacite[y] < heures[(zone, y)] * MARGE:
                if y == ctx.annees[0]:
                    h = rng.randint(Y - 10, y)
                else:
                    h = y
                depart = rng.randint(max(h, Y - 3), Y - 1) if y < Y and rng.random() < 0.12 else None
                remplacement = h == Y and rng.random() < 0.1
                aesh, missions = fab.aesh(zone, h, depart, part_1d=part_1d, remplacement=remplacement)
                if remplacement:
                    personnel.remplacements.extend(missions)
                compter(missions)
            if plus_grand[y] < plus_long[(zone, y)]:  # someone must be able to take the largest plan
                _, missions = fab.aesh(zone, rng.randint(Y - 10, y) if y == ctx.annees[0] else y,
                                       part_1d=part_1d, quotite=100)
                compter(missions)
        while capacite[Y + 1] < heures[(zone, Y + 1)] * MARGE:
            _, missions = fab.aesh(zone, Y + 1, previsionnel=True, part_1d=part_1d)
            compter(missions)
        # prévisionnel AESH arriving during the current year
        for _ in range(math.ceil(heures_prev[zone] / 24 * 0.4)):
            arrivee = ctx.date_entre(ctx.today + timedelta(days=7), ctx.today + timedelta(days=45))
            fab.aesh(zone, Y, previsionnel=True, part_1d=part_1d, debut_mission=arrivee, fin_mission=fin(Y))

    # the rest of the département's AESH: idle capacity, other activities,
    # people who left the RH bases
    zones_ponderees = list(total_zone) or list(zones.membres)
    poids = [total_zone.get(z, 1.0) for z in zones_ponderees]
    def une_zone():
        return rng.choices(zones_ponderees, weights=poids)[0]
    reste = cible_aesh - len(personnel.aesh)
    speciaux = max(6, round(cible_aesh * 0.09))
    for k in range(speciaux):
        zone = une_zone()
        sorte = k % 6
        if sorte == 0:  # an AESH référent of a PIAL
            pial = zone if Zones.en_pial(zone) else next((z for z in zones_ponderees if Zones.en_pial(z)), zone)
            fab.aesh(pial, rng.randint(Y - 8, Y - 1), nature="AHRE")
        elif sorte == 1:  # collective accompaniment in an ULIS
            fab.aesh(zone, rng.randint(Y - 8, Y), nature=rng.choice(("HC1D", "HC2D", "HC1O", "HC2O")))
        elif sorte == 2:  # accompaniment of an adult
            fab.aesh(zone, rng.randint(Y - 8, Y), nature=rng.choice(("AE1D", "AE2D")))
        elif sorte in (3, 4):  # gone from the RH bases
            h = rng.randint(Y - 6, Y - 1)
            fab.aesh(zone, h, rng.randint(max(h, Y - 3), Y - 1), actif=False)
        else:  # prévisionnel, nothing planned yet
            fab.aesh(zone, Y + 1, previsionnel=True)
    for _ in range(reste - speciaux):
        if rng.random() < 0.9:
            # gone since (end of contract, resignation): still in the RH
            # extracts of the last three years, with missions in the past only
            h = rng.randint(Y - 6, Y - 1)
            fab.aesh(une_zone(), h, rng.randint(max(h, Y - 3), Y - 1))
        else:
            fab.aesh(une_zone(), rng.randint(Y - 10, Y), part_1d=0.5)

    # every nature of support at least once, a replacement CDD, a mission
    # without quotité (even in a small demo)
    presentes = {m.nature: True for m in personnel.missions}
    pial = next((z for z in zones_ponderees if Zones.en_pial(z)), zones_ponderees[0])
    for code, nature in NATURES.items():
        if code not in presentes:
            fab.aesh(pial if nature.en_pial else une_zone(), rng.randint(Y - 8, Y - 1), nature=code)
    if not personnel.remplacements:
        _, missions = fab.aesh(une_zone(), Y, remplacement=True)
        personnel.remplacements.extend(missions)
    if not any(m.quotite is None for m in personnel.missions):
        courante = next(m for m in reversed(personnel.missions)
                        if m.source != "previsionnel" and m.actif and m.fin is None)
        courante.quotite, courante.volume = None, 0.0

    # a few active AESH keep an old mission that left the RH bases
    premiere: dict[str, Mission] = {}
    for m in personnel.missions:
        premiere.setdefault(m.aesh_id, m)
    for aesh in list(personnel.aesh):
        if aesh.actif and aesh.source != "previsionnel" and rng.random() < 0.02:
            modele = premiere.get(aesh.id)
            if modele is not None:
                fin_ancienne = fin(Y - 3) - timedelta(days=rng.randint(30, 120))
                fab.mission(aesh, personnel.zone_de[modele.id], "CDD", _base_de(modele), modele.nature,
                            modele.quotite, debut(Y - 3), fin_ancienne, modele.source, False)
    return personnel


def affecter_missions(ctx: Contexte, personnel: Personnel, besoins: list[Besoin]) -> list[Besoin]:
    """Give each plan a mission; returns the plans that got one (a plan that
    finds none is dropped: that décision stays without accompagnement)."""
    Y = ctx.annee
    aesh = personnel.aesh_par_id
    budget: dict[tuple[str, int], float] = {}
    listes: dict[tuple[str, int], list[Mission]] = defaultdict(list)
    listes_prev: dict[tuple[str, int], list[Mission]] = defaultdict(list)
    for m in personnel.missions:
        if not (m.actif and aesh[m.aesh_id].actif and m.volume > 0 and NATURES[m.nature].accompagnant):
            continue
        zone = personnel.zone_de[m.id]
        for y in ctx.annees:
            if m.debut > fin(y) or (m.fin is not None and m.fin < debut(y)):
                continue
            budget[(m.id, y)] = m.volume
            if m.source == "previsionnel":
                listes_prev[(zone, y)].append(m)
            else:
                listes[(zone, y)].append(m)

    def prendre(b: Besoin, m: Mission) -> None:
        b.mission = m
        budget[(m.id, b.annee)] -= b.heures
        if budget[(m.id, b.annee)] < 3:  # full: out of the candidates
            cle = (personnel.zone_de[m.id], b.annee)
            liste = listes_prev[cle] if m.source == "previsionnel" else listes[cle]
            if m in liste:
                liste.remove(m)

    def convient(b: Besoin, m: Mission) -> bool:
        return (budget[(m.id, b.annee)] >= b.heures and m.debut <= b.debut
                and (m.fin is None or m.fin >= b.fin))

    def chercher(b: Besoin, liste) -> Mission | None:
        for m in liste:
            if convient(b, m):
                return m
        return None

    par_zone: dict[tuple[str, int], list[Besoin]] = defaultdict(list)
    for b in besoins:
        if not b.maintien and not b.previsionnel:
            par_zone[(b.zone, b.annee)].append(b)

    # replacement CDDs ending mid-year take the first part of a year's plan
    ajoutes: list[Besoin] = []
    for m in personnel.remplacements:
        zone = personnel.zone_de[m.id]
        if m.volume <= 0:
            continue
        assert m.fin is not None, "a replacement CDD ends mid-year (_carriere)"
        for b in par_zone.get((zone, Y), ()):
            if (b.mission is None and b.debut >= m.debut and b.fin > m.fin
                    and (m.fin - b.debut).days >= 30 and budget.get((m.id, Y), 0) >= b.heures):
                suite = replace(b, debut=m.fin + timedelta(days=1), mission=None, attributs={})
                b.fin = m.fin
                prendre(b, m)
                ajoutes.append(suite)
                if budget[(m.id, Y)] < 3:
                    break
    besoins = besoins + ajoutes

    # year by year; in a year, maintiens first (few, and they should keep
    # their AESH), prévisionnels last
    ordre = sorted(range(len(besoins)),
                   key=lambda i: (besoins[i].annee, not besoins[i].maintien, besoins[i].previsionnel, i))
    for i in ordre:
        b = besoins[i]
        if b.mission is not None:
            continue
        cle = (b.zone, b.annee)
        choisie: Mission | None = None
        if b.maintien and b.suite_de is not None and b.suite_de.mission is not None:
            precedente = b.suite_de.mission
            if b.suite_de.annee != b.annee:
                choisie = precedente if (precedente.id, b.annee) in budget and convient(b, precedente) else None
                if choisie is not None:
                    prendre(b, choisie)
                    continue
            elif (precedente.id, b.annee) in budget:
                budget[(precedente.id, b.annee)] += b.suite_de.heures  # the plan it follows is over
                choisie = precedente if convient(b, precedente) else None
                budget[(precedente.id, b.annee)] -= b.suite_de.heures
                if choisie is not None:
                    b.mission = choisie  # same hours as the plan it follows, not at the same time
                    continue
        if b.previsionnel:
            choisie = chercher(b, listes_prev.get(cle, ()))
        if choisie is None:
            choisie = chercher(b, listes.get(cle, ()))
        if choisie is None and b.annee <= Y and not b.previsionnel:
            # a contract ending before the plan: accompany until its end
            for c in listes.get(cle, ()):
                if (budget[(c.id, b.annee)] >= b.heures and c.debut <= b.debut and c.fin is not None
                        and (c.fin - b.debut).days >= 30):
                    b.fin = c.fin
                    choisie = c
                    break
        if choisie is not None:
            prendre(b, choisie)
    return [b for b in besoins if b.mission is not None]


def generer_affectations(ctx: Contexte, t: Territoire, personnel: Personnel, besoins: list[Besoin]) -> None:
    """Affectations PIAL of the accompanying missions: every past year, the
    current year except the missions left to the affectation automatique,
    the next year and prévisionnel missions only where something is planned."""
    Y, rng = ctx.annee, ctx.rng
    portees = defaultdict(set)
    for b in besoins:
        assert b.mission is not None, "affecter_missions keeps the plans that got a mission"
        portees[b.mission.id].add(b.annee)
    aesh = personnel.aesh_par_id

    def eligible(m: Mission) -> bool:
        return (Zones.en_pial(personnel.zone_de[m.id]) and m.actif and aesh[m.aesh_id].actif
                and m.volume > 0 and NATURES[m.nature].accompagnant)

    # about 7 % of this year's missions are left to the affectation
    # automatique: some of those that carry nothing yet this year
    courantes = [m for m in personnel.missions if eligible(m) and m.source != "previsionnel"
                 and m.debut <= fin(Y) and (m.fin is None or m.fin >= debut(Y))]
    libres = [m for m in courantes if Y not in portees.get(m.id, ())]
    for m in libres:
        if len(personnel.non_affectees) >= max(1, round(0.07 * len(courantes))):
            break
        if rng.random() < 0.5:
            personnel.non_affectees[m.id] = True
    for m in personnel.missions:
        zone = personnel.zone_de[m.id]
        if not eligible(m):
            continue
        for y in ctx.annees:
            d, f = max(m.debut, debut(y)), fin(y) if m.fin is None else min(m.fin, fin(y))
            if d > f:
                continue
            if y == Y and m.id in personnel.non_affectees:
                continue
            if (y > Y or m.source == "previsionnel") and y not in portees.get(m.id, ()):
                continue
            personnel.affectations.append(AffectationPial(
                ctx.ident("AF", Zones.dep(zone)), m.id, zone, y, m.volume, d, f,
            ))
