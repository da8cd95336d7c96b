"""Building many objects at once without the cyclic garbage collector."""

from __future__ import annotations

import gc
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
