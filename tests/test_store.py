"""The store's connection is shared by the interface and its thread
workers: a transaction is never interleaved with another thread's reads."""

from __future__ import annotations

import threading

from base_app import base  # noqa: F401  (fixture)


def test_a_read_waits_for_another_threads_transaction(base):
    avant = base.changements()
    ecrit, libre = threading.Event(), threading.Event()

    def ecrire():  # a worker's write, slow between its statements
        with base.write() as con:
            con.execute("UPDATE eleve SET nom = 'DURAND' WHERE id = 'E1'")
            ecrit.set()
            libre.wait(5)

    lus: list[tuple] = []
    ecriture = threading.Thread(target=ecrire)
    ecriture.start()
    assert ecrit.wait(5)
    # The interface's staleness check and a read, meanwhile.
    lecture = threading.Thread(target=lambda: lus.append(
        (base.changements(), base.rows("SELECT nom FROM eleve WHERE id = 'E1'"))))
    lecture.start()
    lecture.join(0.2)
    assert lecture.is_alive() and not lus  # not inside the write's transaction
    libre.set()
    ecriture.join()
    lecture.join(5)
    assert lus == [(avant + 1, [("DURAND",)])]
