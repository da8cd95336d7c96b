"""The race of two gestionnaires on one mission (test_concurrence.py), run
in OS processes of their own: each round, both load the département from
the base and create an accompagnement of 23.5 h on the same 23.5 h mission,
as two ``agesh accompagnement creer`` started at once."""

from __future__ import annotations

import random
from datetime import date


def monde_course(rounds: int):
    from monde import Monde

    m = Monde()
    m.etablissement("0350001A", "Lycée A", lat=48.1, lon=-1.7)
    for i in range(rounds):
        m.eleve(f"E{i}", scolarites=[("0350001A", date(2020, 9, 1), None)])
        m.decision(f"D{i}", f"E{i}", "individuelle", 23.5)
        m.aesh(f"A{i}", lat=48.1, lon=-1.7)
        m.mission(f"M{i}", f"A{i}", "HI2D", 23.5)
    return m


def concurrent(url: str, cle: str, rounds: int, barriere, resultats, graine: int) -> None:
    import os

    os.environ["AGESH_KEY_FILE"] = cle
    from agesh_tui.api.base import Base
    from agesh_tui.api.erreurs import RegleRefusee, StaleWriteError

    hasard = random.Random(graine)
    base = Base.ouvrir(url)
    try:
        for i in range(rounds):
            barriere.wait()
            session = base.session_lots(f"processus{graine}", "gestionnaire", date(2026, 11, 22))
            # Loads and writes of the two processes overlap in every order.
            if hasard.random() < 0.5:
                session.charger()
            try:
                if not session.charge:
                    session.charger()
                session.creer_accompagnement(f"M{i}", [f"D{i}"], debut=date(2026, 9, 1),
                                             fin=date(2027, 6, 30), heures=23.5)
                resultats.put((i, "cree", ""))
            except StaleWriteError as exc:
                resultats.put((i, "perime", str(exc)))
            except RegleRefusee as exc:
                resultats.put((i, "regle", str(exc)))
    finally:
        base.fermer()
