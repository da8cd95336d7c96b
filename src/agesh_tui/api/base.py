"""The base before anyone logs in: open it, log in, and the batch work that
an account with access to the base does without a profile (import, export,
référentiel, RH extracts, users, the demo). After login, everything goes
through a Session (session.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.modele.model import Utilisateur
from ..engine.stockage import Ecoute, Stockage, chemin_sqlite, default_path, ouvrir
from ..engine.stockage import utilisateurs as comptes
from . import auth
from .session import Session

if TYPE_CHECKING:  # imported when used: opening a base stays light
    from ..engine.echange.extrait_rh import ExtraitRH
    from ..engine.echange.lecture import ResultatImport
    from ..engine.echange.referentiel import Referentiel
    from ..engine.operations.synchro_rh import BilanReferences, RapportSynchro


class Base:
    """One open base (SQLite file or PostgreSQL server)."""

    def __init__(self, stockage: Stockage, fichier_cree: Path | None = None):
        self._stockage = stockage
        self._fichier_cree = fichier_cree  # the SQLite file this opening created

    @classmethod
    def ouvrir(cls, url: str | os.PathLike | None = None, creer: bool = True) -> Base:
        """``creer=False`` for what only reads: a base that does not exist is
        an error (BaseIntrouvable), never created empty."""
        chemin = chemin_sqlite(url) if creer else None
        nouveau = chemin is not None and not os.path.lexists(chemin)
        return cls(ouvrir(url, creer=creer), chemin if nouveau else None)

    def fermer(self) -> None:
        self._stockage.fermer()

    def abandonner(self) -> None:
        """Close; a SQLite file this opening created goes too (with its -wal
        and -shm): a command that failed leaves no empty base behind."""
        self.fermer()
        if self._fichier_cree is not None:
            for suffixe in ("", "-wal", "-shm", "-journal"):
                Path(f"{self._fichier_cree}{suffixe}").unlink(missing_ok=True)

    def __enter__(self) -> Base:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fermer()

    # -- what it is ---------------------------------------------------------------------
    @property
    def description(self) -> str:
        return self._stockage.description

    @property
    def nom_court(self) -> str:
        return self._stockage.nom_court

    @property
    def moteur(self) -> str:
        return self._stockage.moteur

    @property
    def avertissements(self) -> list[str]:
        """Warnings of the opening (a base readable by every account…)."""
        return list(self._stockage.avertissements)

    @property
    def est_demo(self) -> bool:
        return self._stockage.est_demo

    def option_db(self) -> str:
        """The ``--db`` that names this base in a command to copy ("" for
        the default base)."""
        chemin = chemin_sqlite(self._stockage.adresse)
        if chemin is not None and chemin.resolve() == default_path().resolve():
            return ""
        return self._stockage.adresse

    def ecouter(self, rappel: Callable[[int], None]) -> Ecoute:
        return self._stockage.ecouter(rappel)

    # -- connexion ---------------------------------------------------------------------
    def connexion(self, login: str, code: str, now: datetime) -> auth.ResultatConnexion:
        return auth.verifier(self._stockage, login, code, now)

    def code_otp(self, login: str, now: datetime) -> str:
        return auth.code_courant(self._stockage, login, now)

    def session(self, utilisateur: Utilisateur, profil: str, today: date) -> Session:
        return Session(self._stockage, utilisateur, profil, today)

    def session_lots(self, auteur: str, profil: str, today: date,
                     secteurs: tuple[str, ...] = ()) -> Session:
        """The Session of a batch command: the journal names ``auteur`` (the
        system user, or --auteur), with the one profile the command needs;
        its perimeter is the whole département unless secteurs are given."""
        batch = Utilisateur(login=auteur, nom=auteur, profils=(profil,), secteurs=secteurs)
        return Session(self._stockage, batch, profil, today)

    # -- users ------------------------------------------------------------------------
    def ajouter_utilisateur(self, login: str, nom: str, profils: list[str]) -> tuple[Utilisateur, str]:
        """Refused on a demo base: there, codes are public by design (``agesh
        otp``, secrets derived from login and seed), so an account would
        protect nothing — and real people and data belong in a real base."""
        if self._stockage.est_demo:
            raise comptes.UtilisateurError(
                f"refusé : {self._stockage.description} est une base de démonstration, où les "
                "codes de connexion sont publics (« agesh otp ») : un compte n'y protégerait "
                "rien. Créez les vrais utilisateurs dans une vraie base (--db)."
            )
        return comptes.ajouter(self._stockage, login, nom, profils)

    def utilisateurs(self) -> list[Utilisateur]:
        return comptes.lister(self._stockage)

    def utilisateur(self, login: str) -> Utilisateur | None:
        return comptes.charger_utilisateur(self._stockage, login)

    # -- batch work on the whole base ---------------------------------------------------
    def importer(self, dossier: Path, today: date) -> ResultatImport:
        from ..engine.echange.lecture import importer

        return importer(self._stockage, dossier, today)

    def exporter(self, dossier: Path) -> dict[str, int]:
        from ..engine.echange.ecriture import exporter

        return exporter(self._stockage, dossier)

    def enregistrer_referentiel(self, referentiel: Referentiel) -> dict[str, int]:
        from ..engine.echange.referentiel import enregistrer

        return enregistrer(self._stockage, referentiel)

    def copier_vers(self, url: str | os.PathLike) -> dict[str, int]:
        """Copy this whole base into the empty base ``url`` names (created
        when it is a new SQLite file)."""
        from ..engine.stockage.copie import copier

        cible = ouvrir(url)
        try:
            return copier(self._stockage, cible)
        finally:
            cible.fermer()

    def synchroniser_rh(self, extraits: list[ExtraitRH], today: date) -> RapportSynchro:
        from ..engine.operations.synchro_rh import synchroniser

        return synchroniser(self._stockage, extraits, today)

    def appliquer_references(self, today: date) -> BilanReferences:
        from ..engine.operations.synchro_rh import appliquer_references

        return appliquer_references(self._stockage, today)


def construire_demo(url: str | os.PathLike | None, taille: str, graine: int, today: date,
                    progression: Callable[[str, int, int], None] | None = None) -> dict:
    """``agesh demo``: build (or rebuild) the demo in the base ``url`` names."""
    from ..engine.demo import construire

    return construire(url, taille, graine, today, progression)


def est_sqlite(url: str | os.PathLike | None) -> bool:
    return chemin_sqlite(url) is not None
