"""Saving a list's display choices (columns, sorts, filters) without making
the interface wait: the base may be held by another session for seconds
(SQLite's busy timeout), and a sort must neither freeze nor end the
application for that."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual import on
from textual.timer import Timer
from textual.worker import Worker

from ..api.erreurs import StoreError
from ..widgets.base import EcranAgesh
from ..widgets.liste import ListeDonnees

DELAI = 0.5  # seconds: a burst of sorts or column changes is saved once


class Preferences:
    """The choices of one screen, saved under ``cle`` with the Session:
    debounced, the latest state wins, the write in a thread, a failure
    shown as a warning."""

    def __init__(self, ecran: EcranAgesh, cle: str) -> None:
        self.ecran = ecran
        self.cle = cle
        self._valeur: object | None = None  # the latest state, not saved yet
        self._minuterie: Timer | None = None
        self._travail: Worker | None = None

    def enregistrer(self, valeur) -> None:
        """Save ``valeur`` in a moment, unless a newer state replaces it."""
        self._valeur = valeur
        if self._minuterie is not None:
            self._minuterie.stop()
        self._minuterie = self.ecran.set_timer(DELAI, self._lancer)

    def _lancer(self) -> None:
        self._minuterie = None
        # One save at a time: a running one takes the latest state when its
        # write ends (both run on the event loop: no lock needed).
        if self._travail is None or self._travail.is_finished:
            self._travail = self.ecran.run_worker(
                self._ecrire(), group="preferences", exit_on_error=False
            )

    async def _ecrire(self) -> None:
        session = self.ecran.app.session_ouverte
        while self._valeur is not None:
            valeur, self._valeur = self._valeur, None
            try:
                await asyncio.to_thread(session.enregistrer_preference, self.cle, valeur)
            except StoreError as exc:
                self.ecran.notify(
                    f"Vos choix d'affichage n'ont pas pu être enregistrés : {exc}.",
                    severity="warning", timeout=10, markup=False,
                )

    def terminer(self) -> None:
        """The screen goes away (the application quits): save at once what
        the delay still held, a failure is no longer worth a message."""
        if self._minuterie is None:
            return
        self._minuterie.stop()
        self._minuterie = None
        valeur, self._valeur = self._valeur, None
        try:
            self.ecran.app.session_ouverte.enregistrer_preference(self.cle, valeur)
        except StoreError:
            pass


class ListeMemorisee(EcranAgesh):
    """Mixed into a screen with one list whose choices are remembered under
    ``PREFERENCE``: restored as it is composed (``restaurer_choix``), saved
    as they change, the last one at once when the screen goes away."""

    PREFERENCE: ClassVar[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._preferences = Preferences(self, self.PREFERENCE)

    def restaurer_choix(self, liste: ListeDonnees) -> None:
        etat = self.app.session_ouverte.preference(self.PREFERENCE)
        if isinstance(etat, dict):
            liste.restaurer(etat)

    @on(ListeDonnees.EtatModifie)
    def _memoriser(self, event: ListeDonnees.EtatModifie) -> None:
        self._preferences.enregistrer(event.etat)

    def on_unmount(self) -> None:
        self._preferences.terminer()
