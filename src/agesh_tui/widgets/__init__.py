"""Reusable widgets: frise, list tools, date input, header and menu bar."""
