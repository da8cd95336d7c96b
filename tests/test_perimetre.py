"""Where a décision belongs: établissements of its period, secteurs, PIAL."""

from datetime import date

from agesh_tui.engine.modele.model import Etablissement, Scolarite
from agesh_tui.engine.regles.perimetre import dans_perimetre, rattachement
from monde import monde


def test_rattachement_follows_the_schoolings_of_the_period():
    dep = monde()  # D1: 01/09/2017 – 31/08/2019, scolarité S1 in 0350001A from 2010, open
    dep.etablissements["0350002B"] = Etablissement("0350002B", "École B", "Ecole", pial_uai="0350009Z")
    dep.etablissements["0350003C"] = Etablissement("0350003C", "Lycée C", "Lycée")  # hors PIAL
    dep.scolarites["S1"].fin = date(2018, 6, 30)
    dep.scolarites["S2"] = Scolarite("S2", "E1", "0350002B", "", date(2018, 9, 1), date(2019, 6, 30))
    dep.scolarites["S3"] = Scolarite("S3", "E1", "0350003C", "", date(2019, 9, 1), None)  # after the period
    dep.secteur_par_uai = {"0350001A": "NORD", "0350002B": "SUD", "0350003C": "SUD"}
    dep.reindex()
    uais, secteurs, pial = rattachement(dep, dep.decisions["D1"])
    assert uais == ["0350001A", "0350002B"]
    assert secteurs == ["NORD", "SUD"]
    assert pial == "0350009Z"  # the latest établissement in a PIAL
    assert dans_perimetre(dep, dep.decisions["D1"], {"SUD"})
    assert not dans_perimetre(dep, dep.decisions["D1"], {"EST"})
    assert dans_perimetre(dep, dep.decisions["D1"], ())  # no secteur chosen: everything


def test_without_schooling_on_the_period_the_last_one_counts():
    dep = monde()
    dep.scolarites["S1"].debut, dep.scolarites["S1"].fin = date(2012, 9, 1), date(2013, 6, 30)
    dep.reindex()
    uais, _, pial = rattachement(dep, dep.decisions["D1"])
    assert uais == ["0350001A"] and pial is None
