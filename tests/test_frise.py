"""The frise drawn in cells (guide §5.5): exact cells on the guide's example."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment

from agesh_tui.engine.regles.couverture import frise
from agesh_tui.widgets.frise import ASPECTS, Frise, cellules_frise, colonne_du_jour, segments_frise
from monde import accompagner, monde


def texte(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def exemple_guide(**flags):
    """Décision individuelle 24 h, 01/09/2017–31/08/2019, accompagnement 24 h
    from 05/04/2019 (guide §5.5.2, exemple 1)."""
    dep = monde()
    accompagner(dep, "A1", date(2019, 4, 5), date(2019, 8, 31), 24.0, **flags)
    return dep, frise(dep, dep.decisions["D1"])


def test_guide_example_rouge_then_vert():
    _, f = exemple_guide()
    # 730 days over 40 half-cells: 05/04/2019 (day 581) falls at half-cell 31.8,
    # so the middle of half-cell 32 is the first green one: a clean cell boundary.
    assert texte(cellules_frise(f, 20, None, couleurs=False)) == "░" * 16 + "█" * 4


def test_boundary_mid_cell_is_a_half_block_of_both_colours():
    _, f = exemple_guide()
    # 32 half-cells: half-cell 25 starts green, half-cell 24 is red: cell 12 is split.
    cellules = cellules_frise(f, 16, None)
    assert texte(cellules) == "░" * 12 + "▐" + "█" * 3
    split = cellules[12].style
    assert split.color.name == ASPECTS["complete"].couleur.code  # the drawn right half: vert
    assert split.bgcolor.name == ASPECTS["sans_accompagnement"].couleur.code  # left half: rouge


def test_today_mark_inside_and_outside():
    _, f = exemple_guide()
    # 01/09/2018 is day 365 of 730: the middle cell.
    assert texte(cellules_frise(f, 20, date(2018, 9, 1), couleurs=False)) == (
        "░" * 10 + "┃" + "░" * 5 + "█" * 4
    )
    assert "┃" not in texte(cellules_frise(f, 20, date(2026, 11, 22), couleurs=False))
    assert colonne_du_jour(f, 20, date(2017, 9, 1)) == 0
    assert colonne_du_jour(f, 20, date(2019, 8, 31)) == 19


def test_no_colour_means_no_style_and_glyphs_alone():
    _, f = exemple_guide()
    assert all(s.style is None for s in cellules_frise(f, 20, date(2018, 9, 1), couleurs=False))
    assert texte(segments_frise(f, 20, None, couleurs=False)) == "░" * 16 + "█" * 4


def test_previsionnel_is_hatched_and_keeps_the_state_colour():
    _, f = exemple_guide(previsionnel=True)
    cellules = cellules_frise(f, 20, None)
    assert texte(cellules) == "░" * 16 + "▚" * 4
    assert cellules[-1].style.color.name == ASPECTS["complete"].couleur.code


def test_partielle_excedentaire_and_sans_scolarite():
    dep = monde()
    accompagner(dep, "A1", date(2017, 9, 1), date(2018, 8, 31), 12.0)  # partielle
    accompagner(dep, "A2", date(2018, 9, 1), date(2019, 8, 31), 30.0)  # excédentaire
    assert texte(cellules_frise(frise(dep, dep.decisions["D1"]), 10, None, False)) == "▓" * 5 + "■" * 5
    dep.scolarites.clear()
    dep.reindex()
    assert texte(cellules_frise(frise(dep, dep.decisions["D1"]), 10, None, False)) == "·" * 10


def test_maintien_extends_the_scale_past_the_decision_end():
    dep = monde(decision_debut=date(2018, 9, 1), decision_fin=date(2019, 8, 31))
    accompagner(dep, "A1", date(2018, 9, 1), date(2019, 8, 31), 24.0)
    accompagner(dep, "A2", date(2019, 9, 1), date(2020, 8, 31), 24.0, maintien=True)
    f = frise(dep, dep.decisions["D1"])
    assert f.fin == date(2020, 8, 31)
    assert texte(cellules_frise(f, 10, None, False)) == "█" * 5 + "◆" * 5


def test_anomalie_is_marked_at_the_start_of_its_run():
    dep = monde()
    accompagner(dep, "A1", date(2018, 9, 1), date(2019, 8, 31), 24.0)
    f = frise(dep, dep.decisions["D1"], anomalies={"A1"})
    assert texte(cellules_frise(f, 10, None, False)) == "░" * 5 + "!" + "▒" * 4


def test_anomalie_wins_over_maintien():
    """A maintien piece with an incohérence asks for action: « ! », not ◆."""
    dep = monde(decision_debut=date(2018, 9, 1), decision_fin=date(2019, 8, 31))
    accompagner(dep, "A1", date(2018, 9, 1), date(2019, 8, 31), 24.0)
    accompagner(dep, "A2", date(2019, 9, 1), date(2020, 8, 31), 24.0, maintien=True)
    f = frise(dep, dep.decisions["D1"], anomalies={"A2"})
    assert texte(cellules_frise(f, 10, None, False)) == "█" * 5 + "!" + "▒" * 4


@given(
    largeur=st.integers(min_value=1, max_value=200),
    debut=st.integers(min_value=0, max_value=700),
    longueur=st.integers(min_value=0, max_value=400),
    jour=st.integers(min_value=-30, max_value=760),
)
def test_always_exactly_largeur_cells(largeur, debut, longueur, jour):
    dep = monde()
    d0 = date(2017, 9, 1).toordinal()
    fin = min(d0 + debut + longueur, date(2019, 8, 31).toordinal())
    accompagner(dep, "A1", date.fromordinal(d0 + debut), date.fromordinal(fin), 24.0)
    f = frise(dep, dep.decisions["D1"])
    segments = segments_frise(f, largeur, date.fromordinal(d0 + jour))
    assert sum(s.cell_length for s in segments) == largeur


def test_detail_widget_dates_under_the_bar():
    dep = monde(decision_debut=date(2018, 9, 1), decision_fin=date(2019, 8, 31))
    accompagner(dep, "A1", date(2018, 9, 1), date(2019, 8, 31), 24.0)
    accompagner(dep, "A2", date(2019, 9, 1), date(2020, 8, 31), 24.0, maintien=True)
    f = frise(dep, dep.decisions["D1"])
    widget = Frise(f, date(2019, 3, 1), fin_decision=date(2019, 8, 31))
    bornes, jour = widget.lignes_dates(100)
    assert bornes.startswith("01/09/2018") and bornes.endswith("31/08/2020")
    # The décision's end is half-way: the maintien goes on after it.
    assert bornes.index("▲ fin de la décision 31/08/2019") == 49
    assert jour.index("▲ aujourd'hui 01/03/2019") == colonne_du_jour(f, 100, date(2019, 3, 1)) == 24
    # No room for the words: the mark alone, never glued to a date.
    bornes, _ = widget.lignes_dates(80)
    assert bornes == "01/09/2018" + " " * 29 + "▲" + " " * 30 + "31/08/2020"
    # Near the right edge the label goes before its mark.
    _, jour = Frise(f, date(2020, 8, 1)).lignes_dates(80)
    assert jour.rstrip().endswith("aujourd'hui 01/08/2020 ▲")


def test_the_legend_names_colours_only_when_they_are_shown():
    """One palette (widgets/couleurs.py); under NO_COLOR a colour name
    would describe nothing on screen: the glyph and the icon stay."""
    from agesh_tui.widgets.frise import MAINTIEN, legende

    assert ASPECTS["complete"].sens() == "complète (vert)"
    assert ASPECTS["complete"].sens(couleurs=False) == "complète"
    assert MAINTIEN.sens() == "maintien après la fin de la décision (violet, 🔗)"
    assert MAINTIEN.sens(couleurs=False) == "maintien après la fin de la décision (🔗)"
    assert ASPECTS["sans_scolarite"].sens() == "sans scolarité : rien à mettre en œuvre (blanc)"
    sens = " ".join(s for _, _, s in legende(couleurs=False))
    assert not re.search(r"\b(vert|bleu|jaune|rouge|violet|orange|blanc|noir)\b", sens)
