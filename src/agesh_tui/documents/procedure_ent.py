"""The printable procedure « Accès ENT des AESH » for the personnel de
direction of one établissement (SPEC §6): what to add and what to remove,
then the steps of the établissement's ENT with the names and classes filled
in — Toutatice after seed 000, ENT MIP after seed 001 (group « GD_AESH
(AVS) », rights A to F, « Espace AESH <classe> »), Open ENT NG in general
terms (no seed describes it)."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from ..engine.calendrier import format_date
from ..engine.echange.ent import AccesEnt
from ..engine.regles.acces_ent import ENTS, Changement
from .mise_en_page import document_pdf, gras, largeur_utile, paragraphe, paragraphes, tableau, texte

# Below this many documents, starting worker processes (some 0.3 s) costs
# more than it saves.
PARALLELE_DES = 100
# Documents a worker lays out per task: few enough that the first ones come
# back early (the caller writes them while the others are laid out).
PAR_TACHE = 8


def procedures_pdf(liste: Sequence[AccesEnt], fait_le: date) -> Generator[bytes, None, None]:
    """The procedure of each établissement, in order, each as soon as it
    is laid out. Laying out a document takes ReportLab some 5 ms: a whole
    département's (hundreds) is shared among the processors, in fresh
    worker processes (spawn: nothing of the caller — an open base above
    all — is inherited). Closing the iterator early cancels what is left."""
    processeurs = os.cpu_count() or 1
    if len(liste) < PARALLELE_DES or processeurs < 2:
        yield from (procedure_pdf(a, fait_le) for a in liste)
        return
    contexte = multiprocessing.get_context("spawn")
    groupe = ProcessPoolExecutor(max_workers=min(processeurs, 8), mp_context=contexte)
    try:
        yield from groupe.map(procedure_pdf, liste, itertools.repeat(fait_le), chunksize=PAR_TACHE)
    finally:
        groupe.shutdown(cancel_futures=True)


def procedure_pdf(acces: AccesEnt, fait_le: date) -> bytes:
    profil = ENTS[acces.ent]
    titre = f"Accès {profil.nom} des AESH"
    etab = f"{acces.nom_etablissement} ({acces.uai})" if acces.nom_etablissement else acces.uai
    contenu: list[Flowable] = [
        paragraphe(texte(titre), "titre"),
        paragraphe(texte(f"{etab} — situation au {format_date(acces.jour)}"
                         + (f", changements depuis le {format_date(acces.depuis)}" if acces.depuis
                            else ", premier état (aucun export précédent)")), "sous_titre"),
        paragraphe(texte(
            "À l'attention du personnel de direction. Les AESH qui accompagnent des élèves de "
            "l'établissement ont besoin d'un accès à l'ENT (cahier de textes, messagerie, espaces "
            "des classes de leurs élèves). Ce document dit qui ajouter, qui retirer — un AESH dont "
            "les accompagnements ici sont terminés doit perdre ses accès — puis comment faire.")),
    ]
    contenu += _bilan(acces)
    contenu += _ETAPES[acces.ent](acces)
    contenu.append(Spacer(1, 0.4 * cm))
    contenu.append(paragraphe(texte(
        "Ce document est établi par le service de gestion des AESH de la DSDEN à partir des "
        "accompagnements enregistrés. Une erreur de classe ? La classe vient de SIECLE ou d'ONDE : "
        "signalez-la au gestionnaire AESH."), "note"))
    return document_pdf(contenu, titre, etab, fait_le)


# -- what to do -------------------------------------------------------------------

def _nom(c: Changement) -> str:
    return f"{c.civilite} {c.nom} {c.prenom}".strip()


def _table_changements(changements: Sequence[Changement], quoi: str) -> list[Flowable]:
    if not changements:
        return [paragraphe(texte(f"Aucun AESH à {quoi}."))]
    l = largeur_utile()
    lignes = [[_nom(c), ", ".join(c.groupes) or "—", ", ".join(c.classes) or "—", c.motif]
              for c in changements]
    return [tableau(("AESH", "Groupe(s)", "Classe(s)", "Motif"), lignes,
                    (0.32 * l, 0.22 * l, 0.18 * l, 0.28 * l))]


def _bilan(acces: AccesEnt) -> list[Flowable]:
    sortie: list[Flowable] = [paragraphe(texte("1. À ajouter"), "section")]
    sortie += _table_changements(acces.ajouter, "ajouter")
    sortie.append(paragraphe(texte("2. À retirer"), "section"))
    if acces.depuis is None:
        sortie.append(paragraphe(texte(
            "Premier état : les retraits seront indiqués au prochain export, comparé à celui-ci.")))
    else:
        sortie += _table_changements(acces.retirer, "retirer")
    if acces.classes_manquantes:
        aesh = {a.aesh_id: a for a in acces.acces}
        noms = sorted({f"{aesh[m.aesh_id].nom} {aesh[m.aesh_id].prenom}" if m.aesh_id in aesh
                       else m.aesh_id for m in acces.classes_manquantes})
        sortie.append(paragraphe(texte(
            f"Attention : la classe de {len(acces.classes_manquantes)} élève(s) accompagné(s) n'est "
            f"pas connue (AESH : {', '.join(noms)}). Ces AESH reçoivent le groupe, pas encore "
            "l'espace de la classe."), "note"))
    return sortie


Etape = str | tuple[str, str] | list[str]


def _etapes(titre: str, etapes: Sequence[Etape]) -> list[Flowable]:
    """Numbered steps; ``(lettre, texte)`` a lettered sub-step (the seed's
    rights A to F); a list holds the bullet points of the step before it."""
    sortie: list[Flowable] = [paragraphe(texte(titre), "section")]
    numero = 0
    for etape in etapes:
        if isinstance(etape, list):
            sortie.append(paragraphes(["–\u00a0" + point for point in etape], "puce"))
        elif isinstance(etape, tuple):
            sortie.append(paragraphe(f"{gras(texte(etape[0]))}\u00a0: {etape[1]}", "sous_etape"))
        else:
            numero += 1
            sortie.append(paragraphe(f"{numero}.\u00a0{etape}", "etape"))
    return sortie


def _noms(changements: Sequence[Changement]) -> list[str]:
    return [texte(_nom(c)) for c in changements] or [texte("(personne)")]


def _q(valeur: str) -> str:
    """A name of the ENT's screens (a button, a field, a value to choose),
    in guillemets (they mark it: no bold)."""
    return texte(f"« {valeur} »")


# -- Toutatice (seed 000) -----------------------------------------------------------

def _toutatice(acces: AccesEnt) -> list[Flowable]:
    profil, moodle = ENTS["toutatice"].groupes
    a_ajouter = [c for c in acces.ajouter if c.groupes]
    sortie = _etapes("3. Ajouter les AESH (Toutatice, « Gestion des groupes »)", [
        texte("Dans votre bureau Toutatice › Mes applications, cliquer sur l'icône ")
        + _q("Gestion des groupes") + texte(" et rechercher dans la liste de gauche le profil ")
        + _q(profil) + texte("."),
        texte("Cliquer sur le bouton ") + _q("Gérer les membres") + texte("."),
        texte("À droite, placer le sélecteur Organisation sur ") + _q("Toute l'académie")
        + texte(" et Type personne sur ") + _q("Tous") + texte(", rechercher chaque AESH par son nom, "
                                                              "cliquer sur + en face du nom, puis valider :"),
        _noms(a_ajouter),
        texte("Après une ou deux heures, l'AESH voit Pronote, Moodle et PMB dans son bureau Toutatice."),
        texte("Pour Moodle, ajouter aussi ces comptes au groupe ") + _q(moodle)
        + texte(" de l'établissement (liste de gauche) : dès le lendemain, l'AESH peut être enrôlé "
                "sur les espaces de cours de ses classes :"),
        [texte(f"{_nom(c)} : {', '.join(c.classes)}") for c in acces.ajouter if c.classes]
        or [texte("(aucune classe)")],
    ])
    retraits = [c for c in acces.retirer if c.groupes]
    sortie += _etapes("4. Retirer les accès", [
        texte("Dans ") + _q("Gestion des groupes") + texte(", pour le profil ") + _q(profil)
        + texte(" puis pour le groupe ") + _q(moodle) + texte(", ") + _q("Gérer les membres")
        + texte(" et retirer :"),
        _noms(retraits),
        texte("Désinscrire des espaces de cours Moodle des classes quittées :"),
        [texte(f"{_nom(c)} : {', '.join(c.classes)}") for c in acces.retirer if c.classes]
        or [texte("(aucune)")],
    ])
    return sortie


# -- ENT MIP (seed 001) -------------------------------------------------------------

FONCTION_MIP = "ASS EDUCATION-AUXILIAIRE DE VIE SCOLAIRE"
DISCIPLINE_MIP = "S0074 - AIDE ACCUEIL INTEGRATION HANDICAPES"


def _entmip(acces: AccesEnt) -> list[Flowable]:
    groupe = ENTS["entmip"].groupes[0]
    ouvrir = list(acces.classes_a_ouvrir)
    a_ajouter = [c for c in acces.ajouter if c.groupes]
    rubrique = texte(" : rôle ")
    sortie = _etapes("3. Procédure ENT MIP", [
        texte("Créer un groupe « libre » qui contiendra les AESH (une fois, s'il n'existe pas) : "
              "Annuaire › Rechercher un groupe › ") + _q("Créer un groupe") + texte(" ; nom ")
        + _q(groupe) + texte(", description ") + _q("AESH (Accompagnants d'élèves en situation de handicap)")
        + texte(", durée de vie limitée à l'année scolaire ; valider."),
        texte("Droits d'accès du groupe aux outils nécessaires (A, B, C une fois) :"),
        ("A", texte("cahier de textes — Gestion portail › Services › Cahier de textes › Accès population "
                    "› Ajouter des accès") + rubrique + _q("CPE") + texte(", cible ") + _q("Liste de groupes")
         + texte(", groupe ") + _q(groupe) + texte(", profil ") + _q("Non enseignant")
         + texte(" ; ajouter les accès, vérifier, valider.")),
        ("B", texte("messagerie — Gestion portail › Services › Messagerie › Accès population") + rubrique
         + _q("Messagerie interne") + texte(", groupe ") + _q(groupe) + texte(", profil ") + _q("Autre")
         + texte(" ; valider.")),
        ("C", texte("visiteur de l'espace Classes — rubrique Classes › boîte à outils › Modifier la "
                    "rubrique › Accès population") + rubrique + _q("Visiteur") + texte(", groupe ")
         + _q(groupe) + texte(", profil ") + _q("Autre") + texte(" ; valider.")),
        ("D, E, F", texte("pour chaque classe d'un élève accompagné, à ouvrir :")),
        [gras(texte(f"Classe {c} › Espace AESH {c}")) for c in ouvrir] or [texte("(aucune nouvelle classe)")],
        ("D", texte("visiteur de la classe — Classe <classe> › boîte à outils › Modifier la rubrique › "
                    "Accès population") + rubrique + _q("Visiteur") + texte(", groupe ") + _q(groupe)
         + texte(", profil ") + _q("Autre") + texte(".")),
        ("E", texte("dans la classe, boîte à outils › Créer une sous-rubrique nommée ")
         + _q("Espace AESH <classe>") + texte(", où les AESH déposent documents et articles.")),
        ("F", texte("Classe <classe> › Espace AESH <classe> › Modifier la rubrique › Accès utilisateur")
         + rubrique + _q("Gestionnaire") + texte(", groupe ") + _q(groupe) + texte(", profil ")
         + _q("Autre") + texte(", fonction ") + _q(FONCTION_MIP) + texte(", discipline de poste ")
         + _q(DISCIPLINE_MIP) + texte(" ; retirer l'accès élèves et parents à cet espace avant de valider.")),
        texte("Création des utilisateurs qui n'existent pas déjà dans l'ENT (vérifier dans l'Annuaire) : ")
        + _q("Créer un utilisateur") + texte(" — profil ") + _q("Non enseignant")
        + texte(", civilité, nom, prénom, compte pérenne ; rattachement au groupe ") + _q(groupe)
        + texte(", fonction ") + _q(FONCTION_MIP) + texte(", discipline ") + _q(DISCIPLINE_MIP)
        + texte(" ; valider."),
        texte("Intégration dans le groupe de ceux qui sont déjà dans l'ENT : Annuaire › Rechercher un "
              "groupe ") + _q("GD_AESH") + texte(" › ") + _q("Ajouter des membres")
        + texte(", rechercher l'AESH par son nom, le sélectionner, valider. Les AESH à ajouter :"),
        _noms(a_ajouter),
    ])
    retraits = [c for c in acces.retirer if c.groupes]
    fermer = list(acces.classes_a_fermer)
    sortie += _etapes("4. Retirer les accès", [
        texte("Annuaire › Rechercher un groupe ") + _q("GD_AESH") + texte(" › membres : cocher et ")
        + _q("Supprimer les membres sélectionnés") + texte(" :"),
        _noms(retraits),
        texte("Plus aucun AESH n'accompagne d'élève dans ces classes : retirer les droits du groupe ")
        + _q(groupe) + texte(" sur la classe et sur son Espace AESH :"),
        [gras(texte(f"Classe {c}")) for c in fermer] or [texte("(aucune)")],
    ])
    return sortie


# -- Open ENT NG ([choice]: no seed) ------------------------------------------------

def _open_ent_ng(acces: AccesEnt) -> list[Flowable]:
    groupe = ENTS["open-ent-ng"].groupes[0]
    sortie = _etapes("3. Ajouter les AESH (Open ENT NG, console d'administration)", [
        texte("Console d'administration › Groupes manuels : si le groupe ") + _q(groupe)
        + texte(" n'existe pas, le créer."),
        texte("Y ajouter les comptes (à créer d'abord s'ils n'existent pas : import du fichier CSV "
              "joint, profil Personnel) :"),
        _noms([c for c in acces.ajouter if c.groupes]),
        texte("Partager avec le groupe, en lecture, le cahier de textes et les espaces des classes :"),
        [texte(f"Classe {c}") for c in acces.classes_a_ouvrir] or [texte("(aucune nouvelle classe)")],
    ])
    sortie += _etapes("4. Retirer les accès", [
        texte("Retirer du groupe ") + _q(groupe) + texte(" :"),
        _noms([c for c in acces.retirer if c.groupes]),
        texte("Retirer le partage des classes qu'aucun AESH n'accompagne plus :"),
        [texte(f"Classe {c}") for c in acces.classes_a_fermer] or [texte("(aucune)")],
    ])
    return sortie


_ETAPES = {"toutatice": _toutatice, "entmip": _entmip, "open-ent-ng": _open_ent_ng}
