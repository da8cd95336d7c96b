"""engine/memoire.py: what a save drops is freed a while later, in a thread."""

from __future__ import annotations

import gc
import time
import weakref

from agesh_tui.engine import memoire


class Vue:
    """Stands for a load's views (a weakref-able object)."""


def test_what_is_dropped_lives_until_the_delay_then_is_freed(monkeypatch):
    monkeypatch.setattr(memoire, "DELAI_LIBERATION_S", 0.2)
    premiere, seconde = Vue(), Vue()
    refs = [weakref.ref(premiere), weakref.ref(seconde)]
    memoire.liberer_plus_tard(premiere)
    memoire.liberer_plus_tard(seconde)  # joins the pending one: one thread for both
    del premiere, seconde
    gc.collect()
    assert all(r() is not None for r in refs)  # still held: nothing freed on the caller's path
    fin = time.monotonic() + 5
    while any(r() is not None for r in refs) and time.monotonic() < fin:
        time.sleep(0.02)
    assert all(r() is None for r in refs)
    assert memoire._minuterie is None  # the next drop starts a new thread
