"""Printable documents (DESIGN.md): the procédure d'accès ENT now, the PV
d'affectation and the synthèse par établissement later — one page layout
and one French typography for all (mise_en_page.py)."""
