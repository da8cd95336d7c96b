"""The storage contract: what the engine asks of a base, on either engine.

- ``lecture()``: one read transaction, one state of the base (a snapshot),
  however long the reads take and whoever writes meanwhile.
- ``ecriture(dep=…)``: one write transaction, all of it or nothing. Writers
  are serialised (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the change
  counter's row locked first). With ``dep``, the write was decided on that
  loaded département: it is refused (StaleWriteError) when the counter
  moved since the load, and ``dep.changements`` follows the commit.
- the change counter grows with every committed domain write; ``ecouter``
  calls back when another process moved it (SQLite: polled; PostgreSQL:
  LISTEN/NOTIFY).
- editable rows carry a version; a write naming a stale one is refused.
Driver errors never leave: they become the exceptions of erreurs.py.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .erreurs import PERIME, StaleWriteError, StoreError
from .schema import MIGRATIONS, SCHEMA_VERSION
from .transaction import Dialecte, Transaction

if TYPE_CHECKING:
    from ..modele.departement import Departement

# Seconds between two looks for changes made elsewhere (SQLite: one read of
# one row on a connection of its own, a few µs; PostgreSQL: how long a wait
# for a NOTIFY lasts before looking whether to stop). A quarter of a second
# keeps a change made elsewhere on screen within 2 s on demo L (the reload
# itself takes ~0.9 s there; bench/bench_rafraichissement.py).
INTERVALLE_ECOUTE = 0.25


class Ecoute:
    """A background watch on the change counter; ``arreter()`` ends it."""

    def __init__(self, boucle: Callable[[threading.Event], None]):
        self._stop = threading.Event()
        self._fil = threading.Thread(target=boucle, args=(self._stop,), daemon=True,
                                     name="agesh-ecoute")
        self._fil.start()

    def arreter(self) -> None:
        self._stop.set()
        self._fil.join(timeout=5)


class Stockage(ABC):
    """A base of one département. Thread-safe: one connection shared by the
    interface and its workers, under a re-entrant lock, so that a worker's
    write and the interface's reads never interleave in one transaction."""

    moteur: str
    dialecte: Dialecte

    def __init__(self) -> None:
        self._verrou = threading.RLock()
        self._tx: Transaction | None = None
        self.avertissements: list[str] = []

    # -- what each engine provides -------------------------------------------------------
    @property
    @abstractmethod
    def description(self) -> str:
        """The base as the user knows it: a file name, or serveur/base."""

    @property
    @abstractmethod
    def nom_court(self) -> str:
        """The base in a few characters (the header): file name, base@serveur."""

    @property
    @abstractmethod
    def adresse(self) -> str:
        """What ``--db`` names it with, never holding a password."""

    @abstractmethod
    def _commencer(self, ecriture: bool) -> Any:
        """Open a transaction on the shared connection; returns the connection."""

    @abstractmethod
    def _valider(self) -> None: ...

    @abstractmethod
    def _annuler(self) -> None: ...

    @abstractmethod
    def _traduire(self, exc: BaseException) -> BaseException | None:
        """The storage exception for a driver's one, or None if not a driver's."""

    @abstractmethod
    def _apres_increment(self, tx: Transaction, compteur: int) -> None:
        """Inside the write, once the counter moved (PostgreSQL: NOTIFY)."""

    @abstractmethod
    def _boucle_ecoute(self, rappel: Callable[[int], None], stop: threading.Event) -> None: ...

    @abstractmethod
    def _version_schema(self, tx: Transaction) -> int: ...

    @abstractmethod
    def _ecrire_version_schema(self, tx: Transaction, version: int) -> None: ...

    @abstractmethod
    def _verrouiller_migration(self, tx: Transaction) -> None: ...

    @abstractmethod
    def fermer(self) -> None: ...

    def recaler_identites(self, tx: Transaction) -> None:  # noqa: B027 — a hook, no-op by default
        """After rows were written with their own ids (a copy): the next
        automatic ids follow them (SQLite's AUTOINCREMENT already does)."""

    def violations_cles(self, tx: Transaction) -> list[tuple]:
        """Foreign keys broken in this transaction (an engine that checks
        them on each row never has any)."""
        return []

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def _transaction(self, ecriture: bool) -> Iterator[Transaction]:
        with self._verrou:
            if self._tx is not None:
                # Nested in this thread's own open transaction: join it.
                if ecriture and not self._tx.ecriture:
                    raise StoreError("écriture demandée dans une lecture")
                yield self._tx
                return
            try:
                tx = Transaction(self._commencer(ecriture), self.dialecte, ecriture)
            except Exception as exc:
                raise self._traduire(exc) or exc from exc
            self._tx = tx
            try:
                yield tx
                self._valider()
            except BaseException as exc:
                try:
                    self._annuler()
                except Exception:  # the connection itself failed: the server rolled back
                    pass
                traduite = self._traduire(exc)
                if traduite is not None:
                    raise traduite from exc
                raise
            finally:
                self._tx = None

    @contextmanager
    def lecture(self) -> Iterator[Transaction]:
        """One read transaction: several reads from a single state of the base."""
        with self._transaction(ecriture=False) as tx:
            yield tx

    @contextmanager
    def ecriture(self, dep: Departement | None = None, relancer: str = "recommencez l'opération",
                 compter: bool = True) -> Iterator[Transaction]:
        """One atomic write (even on SIGKILL, thanks to the journal).
        ``compter=False`` for bookkeeping that changes no domain data (login
        attempts, preferences, stored aggregates): it must not make the PIAL
        aggregates stale nor make other sessions reload. The counter moves at
        the start, so that what the write reads of it (aggregates stamped
        with it) is already the committed value; ``tx.compteur_initial`` is
        the value before."""
        with self._verrou:
            imbriquee = self._tx is not None
            with self._transaction(ecriture=True) as tx:
                if imbriquee:
                    yield tx
                    return
                compteur = tx.compteur()
                tx.compteur_initial = compteur
                if dep is not None and compteur != dep.changements:
                    raise StaleWriteError(f"{PERIME} ; rechargez-les puis {relancer}.")
                if compter:
                    tx.incrementer()
                    self._apres_increment(tx, compteur + 1)
                yield tx
            if compter and dep is not None:
                dep.changements = compteur + 1

    # -- reads of one value ------------------------------------------------------------
    def changements(self) -> int:
        """The change counter: grows with every committed domain write."""
        with self.lecture() as tx:
            return tx.compteur()

    def meta(self, cle: str) -> str | None:
        with self.lecture() as tx:
            return tx.meta(cle)

    @property
    def est_demo(self) -> bool:
        return self.meta("demo") == "1"

    def version_schema(self) -> int:
        with self.lecture() as tx:
            return self._version_schema(tx)

    # -- changes made elsewhere -------------------------------------------------------
    def ecouter(self, rappel: Callable[[int], None]) -> Ecoute:
        """Call ``rappel(compteur)`` (from a background thread) each time the
        change counter is seen to move — by anyone, this process included:
        the caller compares with what it loaded."""
        return Ecoute(lambda stop: self._boucle_ecoute(rappel, stop))

    # -- schema ------------------------------------------------------------------------
    def _migrer(self) -> None:
        """Bring the schema forward, one migration per transaction. Read
        first: an up-to-date base opens without waiting for the write lock
        (another session may hold it for a long import). A concurrent first
        open migrates once."""
        with self.lecture() as tx:
            actuelle = self._version_schema(tx)
        if actuelle > SCHEMA_VERSION:
            raise StoreError(
                f"la base {self.description} vient d'une version plus récente de "
                f"l'application (schéma {actuelle}, connu : {SCHEMA_VERSION}) : "
                "mettez agesh-tui à jour."
            )
        for numero in range(actuelle, SCHEMA_VERSION):
            with self._transaction(ecriture=True) as tx:
                self._verrouiller_migration(tx)
                if self._version_schema(tx) > numero:
                    continue  # another process migrated while we waited
                for instruction in _instructions(MIGRATIONS[numero]):
                    tx.execute(self.dialecte.ddl(instruction))
                self._ecrire_version_schema(tx, numero + 1)


def _instructions(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
