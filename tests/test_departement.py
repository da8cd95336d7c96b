"""Lookups of the in-memory département used by lists and details."""

from datetime import date

import pytest

from monde import accompagner, monde


def test_accompagnement_du_jour_is_the_earliest_covering_today():
    dep = monde()
    accompagner(dep, "AC2", date(2018, 1, 1), date(2018, 6, 30), 12)
    accompagner(dep, "AC1", date(2017, 9, 1), date(2018, 3, 31), 12)
    assert dep.accompagnement_du_jour("D1", date(2018, 2, 1)).id == "AC1"
    assert dep.accompagnement_du_jour("D1", date(2018, 4, 1)).id == "AC2"
    assert dep.accompagnement_du_jour("D1", date(2018, 7, 1)) is None


def test_distance_and_previsionnel():
    dep = monde()  # AESH without coordinates, collège at 48.1, -1.7
    acc = accompagner(dep, "AC1", date(2017, 9, 1), date(2018, 3, 31), 12)
    assert dep.distance_aesh(acc) is None
    dep.aesh["A1"].latitude, dep.aesh["A1"].longitude = 48.2, -1.7
    assert dep.distance_aesh(acc) == pytest.approx(11.1, abs=0.1)  # 0.1° of latitude
    assert not dep.accompagnement_previsionnel(acc)
    dep.aesh["A1"].source = "previsionnel"
    assert dep.mission_previsionnelle("M1") and dep.accompagnement_previsionnel(acc)
