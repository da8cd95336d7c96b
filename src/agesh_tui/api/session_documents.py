"""The Session's door to the documents (SPEC F12, F14): the PV
d'affectation of an accompagnement, the synthèse of an établissement, the
counts of « Accompagnement par établissement », and the synthèse sent by
e-mail (journaled). A mixin of ``Session`` (api/session.py).

A document that cannot be made raises ``DocumentImpossible`` (French: for a
PV, the cartouche fields that are missing); a file not written,
``RefusFichier`` (``existe`` when only replacing it stands in the way); an
e-mail not sent, ``CourrielImpossible``: then nothing left."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..documents.courriel import ConfigSmtp, CourrielImpossible, PieceJointe
from ..engine.fichiers import FichierExistant, raison_fichier
from ..engine.fichiers import FichierRefuse as _FichierRefuse
from ..engine.stockage import StoreError
from .session_voisins import RefusFichier

if TYPE_CHECKING:
    from email.message import EmailMessage

    from ..documents.pv_affectation import Pv
    from ..documents.synthese_etablissement import Synthese
    from ..engine.modele.departement import Departement
    from ..engine.modele.model import Utilisateur
    from ..engine.stockage import Stockage
    from .vues_etablissements import DetailEtablissement, LigneComptesEtablissement

__all__ = ["CourrielImpossible", "DocumentImpossible", "Courriel", "SessionDocuments"]


class DocumentImpossible(StoreError):
    """A document that cannot be made (French message: what is missing)."""


@dataclass(frozen=True)
class Courriel:
    """A message ready to send, as the preview shows it."""

    uai: str
    expediteur: str
    a: tuple[str, ...]
    cc: tuple[str, ...]
    sujet: str
    corps: str
    piece: PieceJointe
    serveur: str

    @property
    def destinataires(self) -> tuple[str, ...]:
        return self.a + tuple(c for c in self.cc if c not in self.a)


class SessionDocuments:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        today: date
        utilisateur: Utilisateur

        @property
        def login(self) -> str: ...
        @property
        def dep(self) -> Departement: ...
        @property
        def secteurs(self) -> tuple[str, ...]: ...
        def vue(self, cle: str, calcul: Any) -> Any: ...
        def nom_etablissement(self, uai: str) -> str: ...
        def _exiger_etablissement(self, uai: str) -> None: ...
        def _exiger_perimetre(self, decision_ids: Any) -> None: ...
        def exiger_gestionnaire(self) -> None: ...

    # -- Accompagnement par établissement ------------------------------------------------
    def lignes_accompagnement_etablissement(self) -> list[LigneComptesEtablissement]:
        from .vues_etablissements import lignes_comptes

        return self.vue("accompagnement_etablissement", lignes_comptes)

    def detail_etablissement(self, uai: str) -> DetailEtablissement | None:
        from .vues_etablissements import detail_etablissement

        return self.vue(f"detail_etablissement:{uai}",
                        lambda s: detail_etablissement(s, uai))

    # -- PV d'affectation -----------------------------------------------------------------
    def cartouche_manquante(self) -> list[str]:
        """The names of the cartouche fields still empty (none: a PV can be made)."""
        from ..engine.regles.parametres import CHAMPS_CARTOUCHE

        cartouche = self.dep.parametres.cartouche
        return [libelle.lower() for cle, libelle in CHAMPS_CARTOUCHE
                if not (cartouche.get(cle) or "").strip()]

    def pv_affectation(self, acc_id: str) -> bytes:
        """The PV of ``acc_id`` as PDF bytes (deterministic for a given day)."""
        from ..documents.pv_affectation import pv_pdf

        return pv_pdf(self._pv(acc_id))

    def _coordonnees(self) -> Utilisateur:
        """The user's coordonnées; a batch session (CLI) takes those of the
        stored user of the same login, when there is one."""
        from ..engine.stockage import utilisateurs

        u = self.utilisateur
        if u.mail or u.telephone or u.adresse:
            return u
        return utilisateurs.charger_utilisateur(self._stockage, u.login) or u

    def sans_coordonnees(self) -> str | None:
        """The login a PV would name under « Affaire suivie par » without
        any coordonnées (a batch run as a system user unknown to the base),
        else None."""
        u = self._coordonnees()
        return None if u.mail or u.telephone or u.adresse else u.login

    def _pv(self, acc_id: str) -> Pv:
        from ..documents.pv_affectation import EleveDuPv, Pv
        from ..engine.calendrier import format_date
        from ..engine.modele.model import LIBELLES_TYPE_DECISION
        from ..engine.nombres import heures
        from ..engine.regles.etablissements import scolarite_du_jour

        dep = self.dep
        acc = dep.accompagnements.get(acc_id)
        if acc is None:
            raise DocumentImpossible(f"accompagnement « {acc_id} » introuvable.")
        self._exiger_perimetre(acc.decision_ids)
        manquants = self.cartouche_manquante()
        if manquants:
            raise DocumentImpossible(
                "le PV d'affectation ne peut pas être établi : le cartouche courrier du département "
                f"est incomplet (à renseigner par un superviseur dans Paramètres département : "
                f"{', '.join(manquants)}).")
        mission = dep.missions.get(acc.mission_id)
        aesh = dep.aesh.get(mission.aesh_id) if mission else None
        if mission is None or aesh is None:
            raise DocumentImpossible(f"la mission ou l'AESH de l'accompagnement {acc_id} est introuvable.")
        eleves = []
        for decision_id in acc.decision_ids:
            d = dep.decisions.get(decision_id)
            if d is None:
                continue
            eleve = dep.eleves.get(d.eleve_id)
            scolarite = scolarite_du_jour(
                (s for s in dep.scolarites_par_eleve.get(d.eleve_id, ()) if s.uai == acc.uai),
                max(acc.debut, min(self.today, acc.fin)))
            type_ = LIBELLES_TYPE_DECISION.get(d.type, d.type)
            notifiees = f", {heures(d.heures)}" if d.heures is not None else ""
            eleves.append(EleveDuPv(
                f"{eleve.nom} {eleve.prenom}" if eleve else d.eleve_id,
                eleve.date_naissance if eleve else None, scolarite.classe if scolarite else "",
                f"{type_}{notifiees}, du {format_date(d.debut)} au {format_date(d.fin)}"))
        etab = dep.etablissements.get(acc.uai)
        nom_etab = f"{etab.nom} ({acc.uai}), {etab.commune}" if etab else acc.uai
        employeur = self.nom_etablissement(mission.uai_employeur or "")
        mission_txt = f"{mission.contrat}, {heures(mission.volume)} par semaine, nature {mission.nature}"
        if employeur:
            mission_txt += f", employeur {employeur}"
        modalites = [m for m, oui in (("repas", acc.repas), ("pause méridienne", acc.pause_meridienne),
                                      ("prévisionnel", acc.previsionnel), ("maintien", acc.maintien))
                     if oui]
        u = self._coordonnees()
        return Pv(acc.id, dict(dep.parametres.cartouche), u.nom, u.mail, u.telephone, u.adresse,
                  f"{aesh.civilite} {aesh.nom} {aesh.prenom}".strip(), mission_txt, nom_etab,
                  acc.debut, acc.fin, heures(acc.heures), ", ".join(modalites), tuple(eleves),
                  self.today, aesh.civilite)

    def ecrire_pv(self, acc_id: str, chemin: Path, remplacer: bool = False) -> int:
        """Write the PV of ``acc_id`` to ``chemin`` (600); returns its size."""
        return _ecrire(chemin, self.pv_affectation(acc_id), remplacer)

    # -- synthèse d'établissement ------------------------------------------------------------
    def synthese_etablissement(self, uai: str) -> Synthese:
        from ..documents.synthese_etablissement import LigneAesh, LigneEleve, Synthese
        from ..engine.nombres import heures

        self._exiger_etablissement(uai)
        detail = self.detail_etablissement(uai)
        assert detail is not None  # known: checked above
        c = detail.comptes
        return Synthese(
            uai, detail.nom, detail.pial, detail.jour, c.individuelles, c.mutualisees,
            c.accompagnements, len(c.aesh),
            tuple(LigneEleve(e.nom, e.classe, e.decisions, e.aesh) for e in detail.eleves),
            tuple(LigneAesh(a.nom, a.eleves, heures(a.heures)) for a in detail.aesh), self.today)

    def synthese_pdf(self, uai: str) -> bytes:
        from ..documents.synthese_etablissement import synthese_pdf

        return synthese_pdf(self.synthese_etablissement(uai))

    def ecrire_synthese(self, uai: str, chemin: Path, remplacer: bool = False) -> int:
        return _ecrire(chemin, self.synthese_pdf(uai), remplacer)

    # -- « Courriel » ---------------------------------------------------------------------
    def config_courriel(self, environ: Mapping[str, str] | None = None,
                        dossier: Path | None = None) -> ConfigSmtp:
        """The SMTP configuration (CourrielImpossible: what is missing)."""
        from ..documents.courriel import lire_config

        expediteur = self._coordonnees().mail or self.dep.parametres.cartouche.get("mail", "")
        return lire_config(environ, dossier, expediteur)

    def adresse_etablissement(self, uai: str, config: ConfigSmtp | None) -> str:
        """The établissement's address: the académie's functional address
        (ce.<uai>@domaine, the domain from the configuration); empty when
        unknown — the user types it."""
        from ..documents.courriel import adresse_etablissement

        return adresse_etablissement(uai, config.domaine_etablissements if config else "")

    def preparer_courriel(self, uai: str, config: ConfigSmtp | None) -> Courriel:
        """The message sending the synthèse of ``uai`` (PDF attached), to
        the établissement's address when the configuration gives it; the
        screen lets the user change À and add Cc before it is sent."""
        from ..documents.synthese_etablissement import synthese_pdf
        from ..engine.calendrier import format_date

        synthese = self.synthese_etablissement(uai)
        pdf = synthese_pdf(synthese)
        jour = format_date(synthese.jour)
        u = self._coordonnees()
        signature = "\n".join(x for x in (u.nom, u.telephone, u.mail) if x)
        corps = (
            "Madame, Monsieur,\n\n"
            "Veuillez trouver ci-joint la synthèse des accompagnements des élèves notifiés de "
            f"l'établissement {synthese.etablissement} au {jour} : élèves notifiés et AESH "
            "accompagnateurs.\n\n"
            "Pour toute question, répondez à ce message.\n\n"
            f"Le service de gestion des AESH\n{signature}\n")
        expediteur = (config.expediteur if config else
                      u.mail or self.dep.parametres.cartouche.get("mail", ""))
        a = self.adresse_etablissement(uai, config)
        return Courriel(uai, expediteur, (a,) if a else (), (),
                        f"Synthèse des accompagnements AESH — {synthese.nom} ({uai}) — {jour}",
                        corps, PieceJointe(f"synthese-{uai}-{synthese.jour.isoformat()}.pdf", pdf),
                        config.adresse if config else "")

    def message_courriel(self, courriel: Courriel, quand: datetime) -> EmailMessage:
        from ..documents.courriel import message

        return message(courriel.expediteur, courriel.a, courriel.cc, courriel.sujet, courriel.corps,
                       courriel.piece, quand)

    def envoyer_courriel(self, courriel: Courriel, config: ConfigSmtp,
                         maintenant: datetime | None = None) -> list[str]:
        """Send once, then journal who sent what to whom and when; returns
        the recipients the server refused while accepting the others.
        CourrielImpossible: nothing was sent."""
        from ..documents.courriel import adresse_valide, envoyer
        from ..engine.stockage.journal import journaliser

        self.exiger_gestionnaire()
        if not courriel.a:
            raise CourrielImpossible("indiquez l'adresse de l'établissement (À) : rien n'a été envoyé.")
        invalides = [x for x in courriel.destinataires if not adresse_valide(x)]
        if invalides:
            raise CourrielImpossible(f"adresse(s) invalide(s) : {', '.join(invalides)} ; rien n'a "
                                     "été envoyé.")
        quand = maintenant or datetime.now()
        refuses = envoyer(config, self.message_courriel(courriel, quand), courriel.destinataires)
        # Bookkeeping, not domain data: other sessions need not reload.
        with self._stockage.ecriture(compter=False) as tx:
            journaliser(tx, quand, self.login, "courriel_synthese",
                        f"synthèse {courriel.uai} ({courriel.piece.nom}, {len(courriel.piece.contenu)} "
                        f"octets) à {', '.join(courriel.a)}"
                        + (f", copie à {', '.join(courriel.cc)}" if courriel.cc else "")
                        + (f" ; refusé par le serveur : {', '.join(refuses)}" if refuses else ""))
        return refuses


def _ecrire(chemin: Path, contenu: bytes, remplacer: bool) -> int:
    from ..engine.fichiers import ecrire_prive

    try:
        ecrire_prive(chemin, contenu, remplacer=remplacer)
    except FichierExistant as exc:
        raise RefusFichier(str(exc), existe=True) from None
    except OSError as exc:
        raise RefusFichier(str(exc) if isinstance(exc, _FichierRefuse)
                           else f"{chemin} : écriture impossible ({raison_fichier(exc)})") from None
    return len(contenu)
