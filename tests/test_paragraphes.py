"""The documents' own paragraphs (documents/paragraphes.py): lines broken
at ordinary spaces within their width, bold runs kept, a word too long for
a line cut between its characters, a split across pages that loses no line
and never leaves a first line alone, a list's items as one flowable placed
as separate paragraphs would be, markup in data printed as typed."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from agesh_tui.documents.mise_en_page import STYLES, document_pdf, gras, paragraphe, paragraphes, texte
from agesh_tui.documents.paragraphes import Paragraphe, lignes

LARGEUR = 200.0


def _texte(ligne) -> str:
    return "".join(t for t, _ in ligne[1])


def _largeur(ligne) -> float:
    return sum(stringWidth(t, police, 10) for t, police in ligne[1])


def test_lines_fit_their_width_and_keep_every_word():
    mots = [f"mot{i}" for i in range(60)]
    coupees = lignes(((" ".join(mots), "Helvetica"),), LARGEUR - 30, LARGEUR, 10)
    assert len(coupees) > 3
    assert " ".join(_texte(x) for x in coupees).split() == mots
    assert _largeur(coupees[0]) <= LARGEUR - 30 and all(_largeur(x) <= LARGEUR for x in coupees[1:])
    # As many words as fit: the next line's first word would not have.
    for n, (avant, apres) in enumerate(zip(coupees, coupees[1:])):
        premier = _texte(apres).split()[0]
        limite = LARGEUR - 30 if n == 0 else LARGEUR
        assert _largeur(avant) + stringWidth(" " + premier, "Helvetica", 10) > limite


def test_no_break_spaces_hold_and_bold_runs_keep_their_font():
    (p,) = [paragraphe(f"{gras(texte('A'))}\u00a0: " + texte("« Gérer les membres »"), "sous_etape")]
    (morceaux,) = p.paragraphes
    assert morceaux == (("A", "Helvetica-Bold"), ("\u00a0: «\u00a0Gérer les membres\u00a0»", "Helvetica"))
    coupees = lignes(morceaux, 40, 40, 10)
    assert [_texte(x) for x in coupees[:2]] == ["A\u00a0:", "«\u00a0Gérer"]  # « : » stays with « A »
    assert coupees[0][1] == (("A", "Helvetica-Bold"), ("\u00a0:", "Helvetica"))


def test_a_word_longer_than_a_line_is_cut_between_its_characters():
    mot = "X" * 200
    coupees = lignes((("avant " + mot, "Helvetica"),), LARGEUR, LARGEUR, 10)
    assert _texte(coupees[0]) == "avant"
    assert "".join(_texte(x) for x in coupees[1:]) == mot
    assert all(_largeur(x) <= LARGEUR for x in coupees)


def _lignes_de(p) -> list[list[str]]:
    """The text of each line of each paragraph of ``p``."""
    return [[_texte(x) for x in lignes_bloc] for _, lignes_bloc in p._couper(LARGEUR)]


def test_a_split_loses_no_line_and_leaves_no_first_line_alone():
    p = paragraphe(texte(" ".join(f"mot{i}" for i in range(200))))
    _, hauteur = p.wrap(LARGEUR, 10_000)
    (toutes,) = _lignes_de(p)
    assert hauteur == len(toutes) * STYLES["normal"].leading
    haut, bas = p.split(LARGEUR, 3.5 * STYLES["normal"].leading)
    assert _lignes_de(haut) == [toutes[:3]] and _lignes_de(bas) == [toutes[3:]]
    assert p.split(LARGEUR, 1.5 * STYLES["normal"].leading) == []  # one line alone: all to the next page
    assert isinstance(bas, Paragraphe) and bas.getSpaceBefore() == 0


def test_a_list_is_placed_as_its_items_would_be():
    style = STYLES["puce"]
    items = paragraphes([texte(f"élément {i}") for i in range(10)], "puce")
    _, hauteur = items.wrap(LARGEUR, 10_000)
    assert hauteur == 10 * style.leading + 9 * style.spaceAfter  # as ten paragraphs in a frame
    # Room for three items and their spaces, not quite a fourth: the rest
    # goes on, with the space after the third kept (the frame must not
    # squeeze the fourth into what is left).
    haut, bas = items.split(LARGEUR, 4 * style.leading + 3 * style.spaceAfter - 1)
    assert _lignes_de(haut) == [["élément 0"], ["élément 1"], ["élément 2"]]
    assert _lignes_de(bas) == [[f"élément {i}"] for i in range(3, 10)]
    assert haut.getSpaceAfter() == style.spaceAfter and bas.getSpaceBefore() == 0
    assert items.split(LARGEUR, style.leading - 1) == []


def test_markup_in_data_is_printed_as_typed(tmp_path):
    piege = "<b>gras</b> &lt <i>x</i> < &"
    contenu = [paragraphe(texte(piege)), paragraphe(" ".join(texte(f"ligne {i}") for i in range(2000)))]
    chemin = tmp_path / "d.pdf"
    chemin.write_bytes(document_pdf(contenu, "Titre", "Établissement", date(2026, 11, 22)))
    pages = PdfReader(chemin).pages
    assert len(pages) >= 2  # the long paragraph went on over a page
    tout = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert piege in tout and "ligne 0 ligne 1" in tout and "ligne 1999" in tout
