"""Building many objects at once without the cyclic garbage collector;
freeing many of them later, off the path a user waits on."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sans_collecte() -> Iterator[None]:
    """The cyclic collector paused for a block that builds hundreds of
    thousands of objects, none of them cyclic garbage (a loaded base, the
    cells of a spreadsheet): it would otherwise rescan them again and again,
    for a third of a load's time or a tenth of an export's. Reference
    counting still frees what the block drops."""
    reprendre = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if reprendre:
            gc.enable()


# How long what is dropped waits: past the repaint a save is waited for.
DELAI_LIBERATION_S = 2.0
_corbeille: list[object] = []
_verrou = threading.Lock()
_minuterie: threading.Timer | None = None


def liberer_plus_tard(objet: object) -> None:
    """Drop the last reference to ``objet`` in a while, in a thread: freeing
    a load's views (the lists' rows, hundreds of thousands of objects) takes
    tens of milliseconds, which a save would otherwise pay before its
    repaint. One thread for everything dropped meanwhile."""
    global _minuterie
    with _verrou:
        _corbeille.append(objet)
        if _minuterie is None:
            _minuterie = threading.Timer(DELAI_LIBERATION_S, _vider)
            _minuterie.daemon = True
            _minuterie.start()


def _vider() -> None:
    global _minuterie
    with _verrou:
        contenu = _corbeille[:]
        _corbeille.clear()
        _minuterie = None
    contenu.clear()  # freed here, outside the lock
