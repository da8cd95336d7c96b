"""agesh-tui: gestion des AESH et des accompagnements, au clavier."""

__version__ = "0.1.0"
