"""Writing the generated département: rows as tuples, one insert per table,
all inside the caller's single transaction."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, time, timedelta

from ..echange.referentiel import COLONNES
from ..modele.model import Limites
from ..stockage import Transaction
from ..stockage.parametres import ecrire_limites
from .aesh import REFERENCES

CARTOUCHE = {
    "academie": "Académie de Rennes",
    "service": "Direction des services départementaux de l'éducation nationale d'Ille-et-Vilaine",
    "division": "Division de l'école inclusive – Service de gestion des AESH",
    "adresse": "1 quai Dujardin – CS 10503",
    "code_postal": "35705",
    "ville": "Rennes Cedex 7",
    "telephone": "02 99 25 10 00",
    "mail": "ce.dsden35-aesh@ac-rennes.fr",
    "signataire": "Hélène Le Gall",
    "qualite_signataire": "Pour l'inspecteur d'académie, directeur académique des services "
    "de l'éducation nationale d'Ille-et-Vilaine, et par délégation, la secrétaire générale",
}


def _d(x: date | None) -> str | None:
    return x.isoformat() if x else None


def ecrire(tx: Transaction, demo) -> dict[str, int]:
    """Write every generated row; returns the row count per table."""
    t, p = demo.territoire, demo.personnel
    n = {}
    n["etablissement"] = tx.inserer("etablissement", COLONNES, (
        (e.uai, e.nom, e.type, e.statut, e.code_commune, e.commune, e.code_postal, e.latitude,
         e.longitude, e.circonscription, int(e.ulis), e.pial_uai) for e in t.etablissements))
    n["secteur"] = tx.inserer("secteur", ("code", "nom", "erseh_nom", "erseh_mail"), (
        (s.code, s.nom, s.erseh_nom, s.erseh_mail) for s in t.secteurs))
    n["secteur_etablissement"] = tx.inserer("secteur_etablissement", ("secteur_code", "uai"), (
        (code, uai) for uai, code in t.secteur_de.items()))
    dossiers = demo.dossiers
    n["eleve"] = tx.inserer("eleve", ("id", "nom", "prenom", "date_naissance", "etat_dossier", "structure_soin"), (
        (x.eleve.id, x.eleve.nom, x.eleve.prenom, _d(x.eleve.date_naissance), x.eleve.etat_dossier,
         x.eleve.structure_soin) for x in dossiers))
    n["proche"] = tx.inserer("proche", ("eleve_id", "nom", "prenom", "lien", "telephone", "mail"), (
        (r.eleve_id, r.nom, r.prenom, r.lien, r.telephone, r.mail) for x in dossiers for r in x.proches))
    n["scolarite"] = tx.inserer("scolarite", ("id", "eleve_id", "uai", "classe", "debut", "fin"), (
        (s.id, s.eleve_id, s.uai, s.classe, _d(s.debut), _d(s.fin)) for x in dossiers for s in x.scolarites))
    n["decision"] = tx.inserer("decision", ("id", "eleve_id", "type", "heures", "origine", "nature", "debut", "fin"), (
        (d.id, d.eleve_id, d.type, d.heures, d.origine, d.nature, _d(d.debut), _d(d.fin))
        for x in dossiers for d in x.decisions))
    n["aesh"] = tx.inserer("aesh", (
        "id", "source", "civilite", "nom", "prenom", "date_naissance", "adresse", "code_postal",
        "commune", "latitude", "longitude", "transport", "rqth", "actif"), (
        (a.id, a.source, a.civilite, a.nom, a.prenom, _d(a.date_naissance), a.adresse, a.code_postal,
         a.commune, a.latitude, a.longitude, a.transport, int(a.rqth), int(a.actif)) for a in p.aesh))
    n["mission"] = tx.inserer("mission", (
        "id", "aesh_id", "contrat", "nature", "quotite", "volume", "debut", "fin", "uai_employeur",
        "uai_payeur", "source", "actif"), (
        (m.id, m.aesh_id, m.contrat, m.nature, m.quotite, m.volume, _d(m.debut), _d(m.fin),
         m.uai_employeur, m.uai_payeur, m.source, int(m.actif)) for m in p.missions))
    n["affectation_pial"] = tx.inserer("affectation_pial", (
        "id", "mission_id", "pial_uai", "annee", "volume", "debut", "fin"), (
        (a.id, a.mission_id, a.pial_uai, a.annee, a.volume, _d(a.debut), _d(a.fin)) for a in p.affectations))
    n["accompagnement"] = tx.inserer("accompagnement", (
        "id", "mission_id", "uai", "debut", "fin", "heures", "repas", "pause_meridienne",
        "previsionnel", "maintien"), (
        (a.id, a.mission_id, a.uai, _d(a.debut), _d(a.fin), a.heures, int(a.repas),
         int(a.pause_meridienne), int(a.previsionnel), int(a.maintien)) for a in demo.accompagnements))
    n["accompagnement_decision"] = tx.inserer("accompagnement_decision", (
        "accompagnement_id", "decision_id", "rang"), (
        (a.id, d, rang) for a in demo.accompagnements for rang, d in enumerate(a.decision_ids)))
    n["reference_temps"] = tx.inserer("reference_temps", ("contrat", "base", "heures"), (
        (contrat, base, heures) for (contrat, base), heures in REFERENCES.items()))
    n["cartouche"] = tx.inserer("cartouche", ("champ", "valeur"), CARTOUCHE.items())
    # The limits of the propositions d'affectation, at the SPEC's defaults:
    # written, so that the demo shows them as paramètres of its département.
    ecrire_limites(tx, Limites())
    n["parametre"] = len(fields(Limites))
    n["formule"] = tx.inserer("formule", ("annee", "texte"), (
        (annee, demo.formule) for annee in (demo.ctx.annee - 1, demo.ctx.annee, demo.ctx.annee + 1)))
    n["message"] = tx.inserer("message", ("quand", "auteur", "texte", "destinataire", "secteur_code", "lu"),
                            _messages(demo))
    n["journal"] = tx.inserer("journal", ("quand", "login", "action", "detail"), _journal(demo, n))
    return n


def _messages(demo):
    """Recent operations of the département (mes messages), newest first."""
    ctx, t = demo.ctx, demo.territoire
    eleves = {x.eleve.id: x.eleve for x in demo.dossiers}
    decisions = {d.id: d for x in demo.dossiers for d in x.decisions}
    nombre = min(300, max(20, len(demo.accompagnements) // 40))
    recents = [a for a in demo.accompagnements
               if ctx.today - timedelta(days=60) <= a.debut <= ctx.today + timedelta(days=30)]
    recents.sort(key=lambda a: (a.debut, a.id), reverse=True)
    nouvelles = [d for d in decisions.values() if ctx.today - timedelta(days=45) <= d.debut <= ctx.today]
    nouvelles.sort(key=lambda d: (d.debut, d.id), reverse=True)
    evenements = []
    for a in recents[: nombre * 2 // 3]:
        e = eleves[decisions[a.decision_ids[0]].eleve_id]
        evenements.append((f"Accompagnement créé pour {e.nom} {e.prenom}", a.uai))
    for d in nouvelles[: nombre - len(evenements)]:
        e = eleves[d.eleve_id]
        uai = next((s.uai for x in [demo.dossier_de[e.id]] for s in reversed(x.scolarites)), None)
        evenements.append((f"Décision ajoutée pour {e.nom} {e.prenom}", uai))
    depart = datetime.combine(ctx.today, time(17, 45))
    lignes = []
    for i, (texte, uai) in enumerate(evenements):
        quand = depart - timedelta(minutes=53 * i)
        lu = int(quand < depart - timedelta(days=3))
        secteur = t.secteur_de.get(uai) if uai else None
        auteur = "demo.gestionnaire" if texte.startswith("Accompagnement") else "module ERSEH"
        lignes.append((quand.isoformat(timespec="seconds"), auteur, texte, "gestionnaire", secteur, lu))
        if texte.startswith("Accompagnement"):
            lignes.append((quand.isoformat(timespec="seconds"), auteur, texte, "erseh", secteur, lu))
    return lignes


def _journal(demo, n):
    ctx = demo.ctx
    lignes = []
    for jours in range(6, -1, -1):
        quand = datetime.combine(ctx.today - timedelta(days=jours), time(5, 30))
        lignes.append((quand.isoformat(timespec="seconds"), "systeme", "import_rh",
                       f"Import des extraits RH EPP et ASSED : {n['aesh']} AESH, {n['mission']} missions"))
    construite = datetime.combine(ctx.today, time(6, 0)).isoformat(timespec="seconds")
    lignes.append((construite, "systeme", "demo",
                   f"Département de démonstration construit (taille {demo.taille}, graine {demo.graine})"))
    return lignes
