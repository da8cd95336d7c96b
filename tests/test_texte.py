"""Untrusted text is cleaned of what could act on a terminal or disguise a row."""

import pytest

from agesh_tui.engine.texte import nettoyer, replier


@pytest.mark.parametrize("brut, propre", [
    ("\x1b[31mROUGE", "[31mROUGE"),            # the escape goes, the rest is plain text
    ("[@click=app.quit]X", "[@click=app.quit]X"),  # markup characters are kept, literally
    ("DUPONT\u202eaeL", "DUPONTaeL"),           # right-to-left override
    ("MAR\u200bTIN", "MARTIN"),                 # zero-width space
    ("\u2066Léa\u2069", "Léa"),                 # bidi isolates
    ("  Zoé\t\n", "Zoé"),
    ("\ufeffCollège", "Collège"),
    (None, ""),
])
def test_nettoyer(brut, propre):
    assert nettoyer(brut) == propre


def test_nettoyer_keeps_french_and_other_scripts():
    assert nettoyer("Œdipe Ñúñez Nguyễn 李") == "Œdipe Ñúñez Nguyễn 李"


def test_replier_folds_case_and_accents():
    assert replier("Élodie LÉA Œuvre") == replier("elodie lea œuvre")
    assert replier("Léo") == "leo"
