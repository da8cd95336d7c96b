"""The test world: one builder of small départements for every test.

``Monde`` collects model objects with sensible defaults; ``departement()``
gives them in memory (rule tests), ``ecrire(stockage)`` writes them raw —
no import cleaning, so a name that is markup or holds an escape sequence
reaches the screens exactly as a hostile file could bring it — into a base
of either engine (store, operations and application tests).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field
from datetime import date

from agesh_tui.engine.modele.departement import Departement
from agesh_tui.engine.modele.model import (
    Accompagnement,
    Aesh,
    AffectationPial,
    Decision,
    Eleve,
    Etablissement,
    Mission,
    Proche,
    ReferenceTemps,
    Scolarite,
    Secteur,
)

D = date


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class Monde:
    etablissements: dict[str, Etablissement] = field(default_factory=dict)
    secteurs: dict[str, Secteur] = field(default_factory=dict)
    secteur_de: dict[str, str] = field(default_factory=dict)  # uai → secteur
    eleves: dict[str, Eleve] = field(default_factory=dict)
    proches: list[Proche] = field(default_factory=list)
    scolarites: dict[str, Scolarite] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    aesh_: dict[str, Aesh] = field(default_factory=dict)
    missions: dict[str, Mission] = field(default_factory=dict)
    affectations: dict[str, AffectationPial] = field(default_factory=dict)
    accompagnements: dict[str, Accompagnement] = field(default_factory=dict)
    references: list[ReferenceTemps] = field(default_factory=list)
    cartouche: dict[str, str] = field(default_factory=dict)
    formules: dict[int, str] = field(default_factory=dict)
    metas: dict[str, str] = field(default_factory=dict)

    # -- rows -----------------------------------------------------------------------
    def etablissement(self, uai: str, nom: str | None = None, type: str = "Collège",
                      commune: str = "Rennes", lat: float | None = None, lon: float | None = None,
                      pial: str | None = None, **autres) -> Etablissement:
        e = Etablissement(uai, nom or f"Établissement {uai}", type, autres.pop("statut", "Public"),
                          autres.pop("code_commune", "35238"), commune,
                          autres.pop("code_postal", "35000"), lat, lon,
                          autres.pop("circonscription", "Rennes"), autres.pop("ulis", False), pial)
        assert not autres, autres
        self.etablissements[uai] = e
        return e

    def secteur(self, code: str, nom: str, uais=(), erseh_nom: str = "ERSEH",
                erseh_mail: str = "erseh@ac-rennes.fr") -> Secteur:
        s = self.secteurs[code] = Secteur(code, nom, erseh_nom, erseh_mail)
        for uai in uais:
            self.secteur_de[uai] = code
        return s

    def eleve(self, ident: str, nom: str | None = None, prenom: str = "Prénom",
              naissance: date | None = None, etat: str = "actif", soin: str = "",
              scolarites=()) -> Eleve:
        """``scolarites``: (uai, début, fin) or (uai, début, fin, classe)."""
        e = self.eleves[ident] = Eleve(ident, nom or f"NOM{ident}", prenom, naissance, etat, soin)
        for i, s in enumerate(scolarites, 1):
            uai, debut, fin, *classe = s
            self.scolarite(f"{ident}-S{i}", ident, uai, debut, fin, *(classe or ["6A"]))
        return e

    def scolarite(self, ident: str, eleve_id: str, uai: str, debut: date, fin: date | None = None,
                  classe: str = "6A") -> Scolarite:
        s = self.scolarites[ident] = Scolarite(ident, eleve_id, uai, classe, debut, fin)
        return s

    def proche(self, eleve_id: str, nom: str, prenom: str = "", lien: str = "", telephone: str = "",
               mail: str = "") -> Proche:
        p = Proche(eleve_id, nom, prenom, lien, telephone, mail)
        self.proches.append(p)
        return p

    def decision(self, ident: str, eleve_id: str, type: str = "individuelle",
                 heures: float | None = 12.0, debut: date = date(2026, 9, 1), fin: date = date(2027, 8, 31),
                 origine: str = "Première demande", nature: str = "projet cible") -> Decision:
        d = Decision(ident, eleve_id, type, heures if type == "individuelle" else None, origine,
                     nature, debut, fin)
        self.decisions[ident] = d
        return d

    def aesh(self, ident: str, nom: str | None = None, prenom: str = "Anne",
             lat: float | None = None, lon: float | None = None, source: str = "EPP",
             actif: bool = True, **autres) -> Aesh:
        a = Aesh(ident, source, autres.pop("civilite", "Mme"), nom or f"NOM{ident}", prenom,
                 autres.pop("date_naissance", None), autres.pop("adresse", ""),
                 autres.pop("code_postal", "35000"), autres.pop("commune", "Rennes"), lat, lon,
                 autres.pop("transport", ""), autres.pop("rqth", False), actif)
        assert not autres, autres
        self.aesh_[ident] = a
        return a

    def mission(self, ident: str, aesh_id: str, nature: str = "HI2D", volume: float = 24.0,
                debut: date = date(2020, 9, 1), fin: date | None = None, contrat: str = "CDI",
                quotite: float | None = 100.0, employeur: str | None = None,
                payeur: str | None = None, source: str = "EPP", actif: bool = True) -> Mission:
        m = Mission(ident, aesh_id, contrat, nature, quotite, volume, debut, fin, employeur, payeur,
                    source, actif)
        self.missions[ident] = m
        return m

    def affectation(self, ident: str, mission_id: str, pial: str, volume: float,
                    debut: date = date(2026, 9, 1), fin: date = date(2027, 8, 31),
                    annee: int | None = None) -> AffectationPial:
        if annee is None:
            annee = debut.year if debut.month >= 9 else debut.year - 1
        a = AffectationPial(ident, mission_id, pial, annee, volume, debut, fin)
        self.affectations[ident] = a
        return a

    def accompagnement(self, ident: str, mission_id: str, decisions, uai: str, debut: date,
                       fin: date, heures: float, **flags) -> Accompagnement:
        a = Accompagnement(ident, mission_id, tuple(decisions), uai, debut, fin, heures, **flags)
        self.accompagnements[ident] = a
        return a

    def reference(self, contrat: str, base: str, heures: float) -> None:
        self.references.append(ReferenceTemps(contrat, base, heures))

    # -- out ----------------------------------------------------------------------
    def departement(self) -> Departement:
        """The world in memory, indexed (rule tests)."""
        dep = Departement()
        dep.etablissements = dict(self.etablissements)
        dep.secteurs = dict(self.secteurs)
        dep.secteur_par_uai = dict(self.secteur_de)
        dep.eleves = dict(self.eleves)
        dep.scolarites = dict(self.scolarites)
        dep.decisions = dict(self.decisions)
        dep.aesh = dict(self.aesh_)
        dep.missions = dict(self.missions)
        dep.affectations = dict(self.affectations)
        dep.accompagnements = dict(self.accompagnements)
        dep.parametres.references = list(self.references)
        dep.parametres.cartouche = dict(self.cartouche)
        dep.parametres.formules = dict(self.formules)
        dep.reindex()
        return dep

    def ecrire(self, stockage) -> None:
        """Every row into an empty base, in one write, as is."""
        with stockage.ecriture() as tx:
            ecrire_lignes(tx, self)


def ecrire_lignes(tx, m: Monde) -> None:
    ins = tx.inserer
    ins("etablissement", ("uai", "nom", "type", "statut", "code_commune", "commune",
                          "code_postal", "latitude", "longitude", "circonscription", "ulis",
                          "pial_uai"),
        [(*astuple(e)[:10], int(e.ulis), e.pial_uai) for e in m.etablissements.values()])
    ins("secteur", ("code", "nom", "erseh_nom", "erseh_mail"), [astuple(s) for s in m.secteurs.values()])
    ins("secteur_etablissement", ("secteur_code", "uai"), [(c, u) for u, c in m.secteur_de.items()])
    ins("eleve", ("id", "nom", "prenom", "date_naissance", "etat_dossier", "structure_soin", "version"),
        [(e.id, e.nom, e.prenom, _iso(e.date_naissance), e.etat_dossier, e.structure_soin, e.version)
         for e in m.eleves.values()])
    ins("proche", ("eleve_id", "nom", "prenom", "lien", "telephone", "mail"), [astuple(p) for p in m.proches])
    ins("scolarite", ("id", "eleve_id", "uai", "classe", "debut", "fin"),
        [(s.id, s.eleve_id, s.uai, s.classe, _iso(s.debut), _iso(s.fin)) for s in m.scolarites.values()])
    ins("decision", ("id", "eleve_id", "type", "heures", "origine", "nature", "debut", "fin"),
        [(d.id, d.eleve_id, d.type, d.heures, d.origine, d.nature, _iso(d.debut), _iso(d.fin))
         for d in m.decisions.values()])
    ins("aesh", ("id", "source", "civilite", "nom", "prenom", "date_naissance", "adresse",
                 "code_postal", "commune", "latitude", "longitude", "transport", "rqth", "actif",
                 "version"),
        [(a.id, a.source, a.civilite, a.nom, a.prenom, _iso(a.date_naissance), a.adresse,
          a.code_postal, a.commune, a.latitude, a.longitude, a.transport, int(a.rqth),
          int(a.actif), a.version) for a in m.aesh_.values()])
    ins("mission", ("id", "aesh_id", "contrat", "nature", "quotite", "volume", "debut", "fin",
                    "uai_employeur", "uai_payeur", "source", "actif", "version"),
        [(x.id, x.aesh_id, x.contrat, x.nature, x.quotite, x.volume, _iso(x.debut), _iso(x.fin),
          x.uai_employeur, x.uai_payeur, x.source, int(x.actif), x.version)
         for x in m.missions.values()])
    ins("affectation_pial", ("id", "mission_id", "pial_uai", "annee", "volume", "debut", "fin", "version"),
        [(a.id, a.mission_id, a.pial_uai, a.annee, a.volume, _iso(a.debut), _iso(a.fin), a.version)
         for a in m.affectations.values()])
    ins("accompagnement", ("id", "mission_id", "uai", "debut", "fin", "heures", "repas",
                           "pause_meridienne", "previsionnel", "maintien", "version", "remplace"),
        [(a.id, a.mission_id, a.uai, _iso(a.debut), _iso(a.fin), a.heures, int(a.repas),
          int(a.pause_meridienne), int(a.previsionnel), int(a.maintien), a.version, a.remplace)
         for a in m.accompagnements.values()])
    ins("accompagnement_decision", ("accompagnement_id", "decision_id", "rang"),
        [(a.id, d, rang) for a in m.accompagnements.values() for rang, d in enumerate(a.decision_ids, 1)])
    ins("reference_temps", ("contrat", "base", "heures"), [astuple(r) for r in m.references])
    ins("cartouche", ("champ", "valeur"), list(m.cartouche.items()))
    ins("formule", ("annee", "texte"), list(m.formules.items()))
    for cle, valeur in m.metas.items():
        tx.set_meta(cle, valeur)


# -- the smallest world of the rule tests: one of everything ------------------------------

def monde(*, decision_debut=date(2017, 9, 1), decision_fin=date(2019, 8, 31), heures=24.0,
          type_decision="individuelle") -> Departement:
    m = Monde()
    m.etablissement("0350001A", "Collège A", lat=48.1, lon=-1.7)
    m.eleve("E1", "DUPONT", "Léa")
    m.scolarite("S1", "E1", "0350001A", D(2010, 9, 1), None, "310")
    m.decision("D1", "E1", type_decision, heures, decision_debut, decision_fin)
    m.aesh("A1", "MARTIN", "Anne")
    m.mission("M1", "A1", "HI2D", 41.0, D(2010, 9, 1), None, employeur="0350001A",
              payeur="0350001A")
    return m.departement()


def accompagner(dep: Departement, acc_id: str, debut: date, fin: date, heures: float,
                decisions=("D1",), mission="M1", **flags) -> Accompagnement:
    acc = Accompagnement(acc_id, mission, tuple(decisions), "0350001A", debut, fin, heures, **flags)
    dep.accompagnements[acc_id] = acc
    dep.reindex()
    return acc


# -- looking at a whole base (either engine) -----------------------------------------------

def contenu(stockage, sans: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table (meta and its change counter included),
    sorted, read in one snapshot: what a refused or idle operation must
    leave as it was. ``sans``: columns left out, wherever they appear
    (``otp_secret``: the encrypted TOTP secrets, whose IV is random) or in
    one table (``message.id``)."""
    from agesh_tui.engine.stockage.tables import TABLES

    out = {}
    with stockage.lecture() as tx:
        for table in (*TABLES, "meta"):
            description = tx.execute(f"SELECT * FROM {table} LIMIT 0").description
            colonnes = [d[0] for d in description]
            colonnes = sorted(c for c in colonnes if c not in sans and f"{table}.{c}" not in sans)
            lignes = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
                      for r in tx.table(table, colonnes)]
            out[table] = sorted(lignes, key=repr)
    return out


def base_absente(url) -> bool:
    """Nothing at all where ``url`` points: no SQLite file (nor its -wal,
    -shm), or no table in the PostgreSQL schema — what a command that only
    reads must leave when it names a base that does not exist."""
    from agesh_tui.engine.stockage import chemin_sqlite

    chemin = chemin_sqlite(url)
    if chemin is not None:
        return not any(chemin.parent.glob(chemin.name + "*"))
    import psycopg

    with psycopg.connect(str(url), autocommit=True) as con:
        (tables,) = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()
    return tables == 0

