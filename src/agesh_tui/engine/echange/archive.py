"""Files read from the outside that may be large or packed: a size bound on
every byte read, and the one member wanted out of a ``.zip``.

A ``.zip`` is never extracted to disk: its member is read as a stream, so
no name in it (``../../.bashrc``, ``/etc/passwd``, a link) can make the
application write anywhere. Such names still make the archive suspect: it
is refused, as is an encrypted member or one whose declared size is over
the bound (a zip bomb declares its real size, or is cut at the declared one
by the zip reader; the bounded stream stops it either way).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from ..fichiers import FichierRefuse, ouvrir_ordinaire, raison_fichier
from .format import EchangeError, montrer

MEMBRES_MAX = 1000  # an export zip holds a handful of files


class TropGros(EchangeError):
    """More bytes than the bound: the reading stops there."""


class FluxBorne(io.RawIOBase):
    """A binary stream that refuses to give more than ``maximum`` bytes."""

    def __init__(self, flux: BinaryIO, maximum: int, nom: str):
        self._flux, self._reste, self._maximum, self._nom = flux, maximum, maximum, nom

    def readable(self) -> bool:
        return True

    def readinto(self, tampon: Any) -> int:
        # One byte more than allowed is enough to know the bound is passed.
        voulu = min(len(tampon), self._reste + 1)
        data = self._flux.read(voulu)
        if len(data) > self._reste:
            raise TropGros(trop_gros(self._nom, self._maximum))
        self._reste -= len(data)
        tampon[: len(data)] = data
        return len(data)


def trop_gros(nom: str, maximum: int) -> str:
    return f"{nom} : fichier de plus de {maximum // (1024 * 1024)} Mo, refusé (est-ce bien le bon fichier ?)"


@contextmanager
def ouvrir_borne(chemin: Path, maximum: int, membres: tuple[str, ...] = ()) -> Iterator[tuple[str, BinaryIO]]:
    """``(nom, flux)`` of the file, bounded to ``maximum`` bytes; for a
    ``.zip``, of its first member whose file name (folders aside, case
    folded) is one of ``membres``, in that order of preference. ``nom``
    names it in messages (``archive.zip:ElevesSansAdresses.xml``).
    EchangeError when the file cannot be read or is refused."""
    try:
        brut = ouvrir_ordinaire(chemin)
    except FichierRefuse as exc:
        raise EchangeError(str(exc)) from exc
    except OSError as exc:
        raise EchangeError(f"{chemin} : lecture impossible ({raison_fichier(exc)})") from exc
    with brut:
        taille = _taille(brut)
        if chemin.suffix.lower() == ".zip" or _est_zip(brut):
            with _membre(brut, str(chemin), maximum, membres) as (nom, flux):
                yield nom, flux
            return
        if taille > maximum:
            raise TropGros(trop_gros(str(chemin), maximum))
        yield str(chemin), io.BufferedReader(FluxBorne(brut, maximum, str(chemin)))


def _taille(flux: BinaryIO) -> int:
    return os.fstat(flux.fileno()).st_size


def _est_zip(flux: BinaryIO) -> bool:
    debut = flux.read(4)
    flux.seek(0)
    return debut == b"PK\x03\x04"


@contextmanager
def _membre(brut: BinaryIO, nom_zip: str, maximum: int,
            membres: tuple[str, ...]) -> Iterator[tuple[str, BinaryIO]]:
    try:
        archive = zipfile.ZipFile(brut)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise EchangeError(f"{nom_zip} : archive .zip illisible ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MEMBRES_MAX:
            raise EchangeError(f"{nom_zip} : archive de plus de {MEMBRES_MAX} fichiers, refusée")
        for info in infos:
            _verifier_membre(nom_zip, info)
        par_nom = {PurePosixPath(i.filename).name.casefold(): i for i in infos if not i.is_dir()}
        choisi = next((par_nom[m.casefold()] for m in membres if m.casefold() in par_nom), None)
        if choisi is None:
            trouves = ", ".join(montrer(i.filename) for i in infos[:10]) or "aucun fichier"
            raise EchangeError(f"{nom_zip} : aucun des fichiers attendus ({', '.join(membres)}) "
                               f"dans l'archive (trouvés : {trouves})")
        nom = f"{nom_zip}:{PurePosixPath(choisi.filename).name}"
        if choisi.file_size > maximum:
            raise TropGros(trop_gros(nom, maximum))
        try:
            interne = archive.open(choisi)
        # zipfile's own errors: a compression method it cannot read raises
        # NotImplementedError, an encrypted member RuntimeError.
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise EchangeError(f"{nom} : membre illisible ({exc})") from None
        with interne:
            try:
                yield nom, io.BufferedReader(FluxBorne(interne, maximum, nom))  # type: ignore[arg-type]
            except (zipfile.BadZipFile, EOFError) as exc:
                # A CRC or a size that does not match: a damaged or forged archive.
                raise EchangeError(f"{nom} : archive endommagée ({exc})") from None


def _verifier_membre(nom_zip: str, info: zipfile.ZipInfo) -> None:
    chemin = PurePosixPath(info.filename.replace("\\", "/"))
    if chemin.is_absolute() or ".." in chemin.parts or ":" in info.filename:
        raise EchangeError(f"{nom_zip} : nom de fichier suspect dans l'archive "
                           f"« {montrer(info.filename)} » (chemin hors de l'archive), refusée")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise EchangeError(f"{nom_zip} : lien symbolique dans l'archive « {montrer(info.filename)} », "
                           "refusée")
    if info.flag_bits & 0x1:
        raise EchangeError(f"{nom_zip} : fichier chiffré dans l'archive « {montrer(info.filename)} », "
                           "refusé")
