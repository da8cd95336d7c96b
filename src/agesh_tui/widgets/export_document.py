"""Writing a document (a PDF) to a file the user names: the list export's
dialog (export_tableur.py) — default name, question before replacing an
existing file, written 600 off the event loop — for ``.pdf`` files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from .export_tableur import ExportTableur


def taille_lisible(octets: int) -> str:
    return f"{octets} octets" if octets < 1024 else f"{octets / 1024:.0f} Ko".replace(".", ",")


class ExportDocument(ExportTableur):
    """Returns (file, bytes written), or None when cancelled."""

    AIDE = ("Enregistrer le document : le nom du fichier (.pdf) ; Entrée l'écrit (lisible par vous "
            "seul), Échap annule. Un fichier existant n'est remplacé qu'après confirmation.")
    FORMATS_ACCEPTES: ClassVar[tuple[str, ...]] = (".pdf",)
    INDICATION = "Fichier .pdf ; un fichier existant n'est pas remplacé sans question."
    VERBE = "Enregistrer"

    def __init__(self, titre: str, description: str, defaut: Path,
                 ecrire: Callable[[Path, bool], int]) -> None:
        super().__init__(titre, 0, defaut, ecrire)
        self._description = description

    def description(self) -> str:
        return self._description


class ExportDossier(ExportDocument):
    """The same for a set of files written into a folder the user names
    (created 700 when missing); returns (folder, files written)."""

    AIDE = ("Enregistrer les fichiers : le dossier où les écrire (créé s'il n'existe pas) ; Entrée "
            "les écrit, Échap annule. Des fichiers existants ne sont remplacés qu'après confirmation.")
    INDICATION = "Un dossier ; des fichiers existants ne sont pas remplacés sans question."

    def verifier(self, texte: str) -> tuple[Path | None, str | None]:
        texte = texte.strip()
        if not texte:
            return None, "Indiquez le dossier où écrire."
        chemin = Path(texte).expanduser()
        if chemin.exists() and not chemin.is_dir():
            return None, f"{chemin} n'est pas un dossier."
        return chemin, None
