"""A handful of deliberate mistakes, so that every line of the tableau de
bord (SPEC §2.4) has something to open: each incohérence 1-8 and both cas
particuliers. Each planted accompagnement replaces the ordinary ones of its
décision for that school year and sits on a mission of its own, so that it
shows exactly the intended incohérence and nothing leaks into the others.
The ids are recorded in ``meta('demo_plantes')`` (JSON)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ..calendrier import annee_scolaire
from ..modele.model import Accompagnement, AffectationPial, Decision
from .aesh import Fabrique, Personnel, Zones
from .eleves import Dossier
from .outils import Contexte, debut, fin
from .territoire import Territoire


class Planteur:
    def __init__(self, ctx: Contexte, t: Territoire, fab: Fabrique, personnel: Personnel,
                 dossiers: list[Dossier], accs: list[Accompagnement]):
        self.ctx, self.t, self.fab, self.p = ctx, t, fab, personnel
        self.dossiers = dossiers
        self.accs = accs
        self.par_decision: dict[str, list[Accompagnement]] = defaultdict(list)
        for a in accs:
            for d in a.decision_ids:
                self.par_decision[d].append(a)
        self.supprimes: dict[str, bool] = {}
        self.utilises: dict[str, bool] = {}  # élèves already used
        self.plantes: dict[str, list[str]] = {}
        self.dossier_de = {d.eleve.id: d for d in dossiers}
        self._ordinaires: dict[str, bool] = {}

    # -- helpers ---------------------------------------------------------------
    def liberer(self, decision: Decision, annee: int | None = None) -> None:
        """Remove the décision from its accompagnements (of one school year)."""
        for a in self.par_decision.get(decision.id, ()):
            if a.id in self.supprimes or decision.id not in a.decision_ids:
                continue
            if annee is not None and annee_scolaire(a.debut) != annee:
                continue
            a.decision_ids = tuple(d for d in a.decision_ids if d != decision.id)
            if not a.decision_ids:
                self.supprimes[a.id] = True

    def a_des_accompagnements(self, decision: Decision) -> bool:
        return any(decision.id in a.decision_ids and a.id not in self.supprimes
                   for a in self.par_decision.get(decision.id, ()))

    @staticmethod
    def scolarite_unique(dossier: Dossier, d: date, f: date):
        """The scolarité covering all of [d, f] alone, or None."""
        for s in dossier.scolarites:
            if s.debut <= d and (s.fin is None or s.fin >= f):
                return s
        return None

    def ordinaire(self, dossier: Dossier) -> bool:
        """An élève whose accompagnements are plain: no maintien, no
        prévisionnel, current décisions exactly covered (the demo's rarer
        states are not spent on plants). Computed once per élève: plants
        only change the élèves they use."""
        found = self._ordinaires.get(dossier.eleve.id)
        if found is None:
            found = self._ordinaires[dossier.eleve.id] = self._ordinaire(dossier)
        return found

    def _ordinaire(self, dossier: Dossier) -> bool:
        Y = self.ctx.annee
        for dec in dossier.decisions:
            courants = 0.0
            for a in self.par_decision.get(dec.id, ()):
                if a.id in self.supprimes or dec.id not in a.decision_ids:
                    continue
                if a.maintien or a.previsionnel:
                    return False
                if annee_scolaire(a.debut) == Y and a.debut <= self.ctx.today <= a.fin:
                    courants += a.heures
            if dec.individuelle and dec.debut <= self.ctx.today <= dec.fin and courants not in (0, dec.heures):
                return False
        return True

    def victimes(self, filtre):
        """(dossier, décision, scolarité, début, fin) of current-year
        individuelle décisions covering the year, in a seeded order."""
        Y = self.ctx.annee
        found = []
        for dossier in self.dossiers:
            if (dossier.eleve.etat_dossier != "actif" or dossier.eleve.id in self.utilises
                    or not self.ordinaire(dossier)):
                continue
            for dec in dossier.decisions:
                if not dec.individuelle or dec.debut > debut(Y) or dec.fin < date(Y + 1, 3, 31):
                    continue
                f = min(dec.fin, fin(Y))
                s = self.scolarite_unique(dossier, debut(Y), f)
                if s is not None and filtre(dossier, dec, s):
                    found.append((dossier, dec, s, debut(Y), f))
        self.ctx.rng.shuffle(found)
        return found

    def mission(self, zone, *, contrat="CDI", base="EPP", quotite=75.0, d=None, f=None,
                actif_mission=True, actif_aesh=True, annee=None):
        ctx = self.ctx
        annee = ctx.annee if annee is None else annee
        aesh = self.fab.personne(zone, actif=actif_aesh, base=base)
        if Zones.en_pial(zone):
            nature = ("HP" if base == "EPP" else "PI") + "IN"
        else:
            nature = ("HI" if base == "EPP" else "EI") + "1D"
        m = self.fab.mission(aesh, zone, contrat, base, nature, quotite, d or debut(annee - 1), f,
                             base, actif_mission)
        if Zones.en_pial(zone) and actif_mission and actif_aesh:
            da, fa = max(m.debut, debut(annee)), fin(annee) if m.fin is None else min(m.fin, fin(annee))
            if da <= fa:
                self.p.affectations.append(AffectationPial(
                    ctx.ident("AF", Zones.dep(zone)), m.id, zone, annee, m.volume, da, fa))
        return m

    def accompagnement(self, cle: str, mission, decisions, uai, d, f, heures) -> Accompagnement:
        acc = Accompagnement(self.ctx.ident("AC", uai[:3]), mission.id, tuple(x.id for x in decisions),
                             uai, d, f, float(heures))
        self.accs.append(acc)
        for x in decisions:
            self.par_decision[x.id].append(acc)
        self.plantes.setdefault(cle, []).append(acc.id)
        return acc

    def prendre(self, dossier: Dossier) -> None:
        self.utilises[dossier.eleve.id] = True

    # -- the plants ------------------------------------------------------------
    def planter(self, k: int) -> dict[str, list[str]]:
        Y = self.ctx.annee
        t = self.t
        simples = lambda dossier, dec, s: True  # noqa: E731

        def simple(cle, n=k, filtre=simples, **mission_kw):
            for dossier, dec, s, d, f in self.victimes(filtre)[:n]:
                self.prendre(dossier)
                self.liberer(dec, Y)
                kw = dict(mission_kw)
                reglage = kw.pop("reglage", None)
                uai = s.uai
                if reglage:
                    d, f, uai, kw = reglage(dossier, dec, s, d, f, kw)
                m = self.mission(t.zone(uai), **kw)
                self.accompagnement(cle, m, [dec], uai, d, f, dec.heures)

        # 1: starts before its mission (a CDD signed a month late)
        simple("1", d=debut(Y) + timedelta(days=30), f=fin(Y + 2), contrat="CDD")
        # 2: ends after its mission (a CDD ending in February)
        simple("2", d=debut(Y - 1), f=date(Y + 1, 2, 12), contrat="CDD")
        # 4: in another établissement than the pupil's scolarité
        def ailleurs(dossier, dec, s, d, f, kw):
            zone = t.zone(s.uai)
            autres = [e for e in self.fab.zones.membres[zone] if e.uai != s.uai]
            return d, f, (self.ctx.rng.choice(autres).uai if autres else s.uai), kw
        simple("4", filtre=lambda dossier, dec, s: len(self.fab.zones.membres[t.zone(s.uai)]) > 1,
               reglage=ailleurs)
        # 5: the dossier is gelé
        for dossier, dec, s, d, f in self.victimes(simples)[:k]:
            self.prendre(dossier)
            dossier.eleve.etat_dossier = "gele"
            for x in dossier.decisions:
                self.liberer(x)
            self.accompagnement("5", self.mission(t.zone(s.uai)), [dec], s.uai, d, f, dec.heures)
        # 6: more hours than the mission's volume (quotité missing → volume 0,
        # or a 50 % ASSED mission), and concurrent accompagnements above it
        for i, (dossier, dec, s, d, f) in enumerate(
                self.victimes(simples)[:k]):
            self.prendre(dossier)
            self.liberer(dec, Y)
            quotite = 50.0 if i % 2 and dec.heures > 17.5 else None
            m = self.mission(t.zone(s.uai), base="ASSED", quotite=quotite)
            self.accompagnement("6", m, [dec], s.uai, d, f, dec.heures)
        # two at once on a 17.5 h mission, 9 to 12 h each, same PIAL if possible
        par_zone = defaultdict(list)
        victimes = self.victimes(lambda dossier, dec, s: dec.heures >= 9)
        for v in victimes:
            par_zone[t.zone(v[2].uai)].append(v)
        paires = [v[:2] for v in par_zone.values() if len(v) >= 2][:k]
        if not paires and len(victimes) >= 2:
            paires = [victimes[:2]]
        for v1, v2 in paires:
            m = self.mission(t.zone(v1[2].uai), base="ASSED", quotite=50.0)  # 17.5 h
            for dossier, dec, s, d, f in (v1, v2):
                self.prendre(dossier)
                self.liberer(dec, Y)
                self.accompagnement("6", m, [dec], s.uai, d, f, min(dec.heures, 12.0))
        # 7: the mission, or the AESH, has left the RH bases
        for i, (dossier, dec, s, d, f) in enumerate(self.victimes(simples)[:max(2, k)]):
            self.prendre(dossier)
            self.liberer(dec, Y)
            m = self.mission(t.zone(s.uai), actif_mission=False, actif_aesh=bool(i % 2 == 0))
            self.accompagnement("7", m, [dec], s.uai, d, f, dec.heures)
        self._planter_3(k)
        self._planter_8(k)
        self._cas_non_couverte(k)
        self._cas_non_renouvelee(k)
        return self.plantes

    def _planter_3(self, k: int) -> None:
        """3: starts two weeks before its décision."""
        candidats = []
        for dossier in self.dossiers:
            if (dossier.eleve.etat_dossier != "actif" or dossier.eleve.id in self.utilises
                    or not self.ordinaire(dossier)):
                continue
            for dec in dossier.decisions:
                y = annee_scolaire(dec.debut)
                d = dec.debut - timedelta(days=14)
                if dec.individuelle and y <= self.ctx.annee and d >= debut(y):
                    f = min(dec.fin, fin(y))
                    s = self.scolarite_unique(dossier, d, f)
                    if s is not None:
                        candidats.append((dossier, dec, s, d, f, y))
        self.ctx.rng.shuffle(candidats)
        if not candidats:  # shift a first décision by a month
            for dossier, dec, s, _d, f in self.victimes(lambda dossier, dec, s: dossier.decisions[0] is dec):
                dec.debut = debut(self.ctx.annee) + timedelta(days=30)
                candidats.append((dossier, dec, s, dec.debut - timedelta(days=14), f, self.ctx.annee))
                break
        self._planter_sur_mission_fraiche("3", candidats[:k])

    def _planter_sur_mission_fraiche(self, type_: str, cas) -> None:
        """Plant each (dossier, décision, scolarité, début, fin, année) case on
        a new mission of the zone, so that only the intended rule is broken."""
        for dossier, dec, s, d, f, y in cas:
            self.prendre(dossier)
            self.liberer(dec, y)
            m = self.mission(self.t.zone(s.uai), d=debut(y - 1), annee=y)
            self.accompagnement(type_, m, [dec], s.uai, d, f, dec.heures)

    def _planter_8(self, k: int) -> None:
        """8: goes on after its décision's end, without the maintien flag."""
        Y = self.ctx.annee
        candidats = []
        for dossier in self.dossiers:
            if (dossier.eleve.etat_dossier != "actif" or dossier.eleve.id in self.utilises
                    or not self.ordinaire(dossier)):
                continue
            for dec in dossier.decisions:
                y = annee_scolaire(dec.fin)
                if not dec.individuelle or y > Y or dec.fin >= fin(y) - timedelta(days=30):
                    continue
                d = max(dec.debut, debut(y))
                f = min(dec.fin + timedelta(days=45), fin(y))
                if (dec.fin - d).days >= 30:
                    s = self.scolarite_unique(dossier, d, f)
                    if s is not None:
                        candidats.append((dossier, dec, s, d, f, y))
        self.ctx.rng.shuffle(candidats)
        if not candidats:  # shorten the last décision of a chain to March
            for dossier, dec, s, d, _f in self.victimes(lambda dossier, dec, s: dossier.decisions[-1] is dec):
                dec.fin = date(Y + 1, 3, 31)
                self.liberer(dec)
                candidats.append((dossier, dec, s, d, fin(Y), Y))
                break
        self._planter_sur_mission_fraiche("8", candidats[:k])

    def _cas_non_couverte(self, k: int) -> None:
        """(a) a renewal left without accompagnement after an accompanied décision."""
        Y = self.ctx.annee
        candidats = []
        for dossier in self.dossiers:
            if (dossier.eleve.etat_dossier != "actif" or dossier.eleve.id in self.utilises
                    or not self.ordinaire(dossier)):
                continue
            for avant, apres in zip(dossier.decisions, dossier.decisions[1:]):
                if (debut(Y) <= apres.debut <= self.ctx.today and self.a_des_accompagnements(avant)
                        and any(s.debut <= apres.fin and (s.fin is None or s.fin >= apres.debut)
                                for s in dossier.scolarites)):
                    candidats.append((dossier, apres))
        self.ctx.rng.shuffle(candidats)
        for dossier, dec in candidats[:k]:
            self.prendre(dossier)
            self.liberer(dec)
            self.plantes.setdefault("non_couverte", []).append(dec.id)

    def _cas_non_renouvelee(self, k: int) -> None:
        """(b) a décision ending this school year with none after it."""
        Y = self.ctx.annee
        for dossier in self.dossiers:
            dernier = dossier.decisions[-1]
            if debut(Y) <= dernier.fin <= fin(Y):
                return  # the demo has natural ones
        for dossier in self.dossiers:
            if dossier.eleve.id in self.utilises:
                continue
            for i, dec in enumerate(dossier.decisions[:-1]):
                if dec.fin == fin(Y):
                    for suivante in dossier.decisions[i + 1:]:
                        self.liberer(suivante)
                    del dossier.decisions[i + 1:]
                    self.prendre(dossier)
                    self.plantes.setdefault("non_renouvelee", []).append(dec.id)
                    return

    def resultat(self) -> list[Accompagnement]:
        return [a for a in self.accs if a.id not in self.supprimes and a.decision_ids]
