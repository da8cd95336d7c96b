"""Files that hold personal data: private to their owner, never through a
link planted in the folder, never half-written; and files read from the
outside: regular files only, never through a link."""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO


class FichierRefuse(OSError):
    """A target or a source that is a link or not a regular file (French
    message, naming the path only: never the content of what it points to)."""


class FichierExistant(FichierRefuse):
    """A target that exists while the caller asked not to replace it."""


_RAISONS = {
    errno.ENOENT: "dossier ou fichier inexistant : vérifiez le chemin",
    errno.EACCES: "permission refusée : vérifiez les droits sur le fichier et son dossier",
    errno.EPERM: "opération non permise : vérifiez les droits sur le fichier et son dossier",
    errno.EISDIR: "c'est un dossier : donnez un chemin de fichier",
    errno.ENOTDIR: "une partie du chemin n'est pas un dossier : vérifiez le chemin",
    errno.ENOSPC: "disque plein : libérez de la place",
    errno.EROFS: "système de fichiers en lecture seule : choisissez un autre emplacement",
    errno.EEXIST: "le fichier existe déjà",
}


def raison_fichier(exc: OSError) -> str:
    """Why a file operation failed, in French, for the common cases (the
    system's own message otherwise: it may be in English)."""
    return _RAISONS.get(exc.errno or 0) or exc.strerror or str(exc)


def ouvrir_ordinaire(chemin: Path) -> BinaryIO:
    """``chemin`` opened for reading, refused when it is a symbolic link or
    not a regular file. A link planted where a file is expected could make
    the application read — and quote in an error — a file it was never
    given; a FIFO or a device would never end. Checked on the open file
    (O_NOFOLLOW, then fstat), so it cannot change in between."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(chemin, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        if os.path.islink(chemin):  # ELOOP: the O_NOFOLLOW refusal
            raise FichierRefuse(f"{chemin} est un lien symbolique : il n'est pas lu") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FichierRefuse(f"{chemin} n'est pas un fichier ordinaire : il n'est pas lu")
    return os.fdopen(fd, "rb")


def verifier_cible(chemin: Path) -> None:
    """Refuse a target that is a link or not a regular file — before any
    file of a set is written, so that a refused export writes nothing."""
    if chemin.is_symlink():
        raise FichierRefuse(f"{chemin} est un lien symbolique : il n'est pas remplacé")
    if chemin.exists() and not chemin.is_file():
        raise FichierRefuse(f"{chemin} n'est pas un fichier ordinaire")


def creer_dossier_prive(dossier: Path) -> None:
    """Create ``dossier`` (and missing parents) 700, whatever the umask; an
    existing folder is left as its owner set it."""
    manquants = []
    courant = dossier
    while not courant.exists():
        manquants.append(courant)
        courant = courant.parent
    for d in reversed(manquants):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(d, 0o700)


def ecrire_prive(chemin: Path, data: bytes, *, remplacer: bool = True) -> None:
    """Write ``chemin`` 600 through a fresh temporary file in the same folder
    (created exclusively, links never followed) renamed into place: a crash
    never leaves half a file, and a link planted as the temporary file or as
    the target is never written through (a rename replaces a link, it does
    not follow it). ``remplacer=False``: an existing ``chemin`` is refused
    (FichierExistant), even one created between the check and the write —
    the temporary file is then hard-linked into place, which fails on any
    existing name instead of replacing it."""
    dossier = chemin.parent
    verifier_cible(chemin)
    if not remplacer and os.path.lexists(chemin):
        raise FichierExistant(f"{chemin} existe déjà : il n'est pas remplacé")
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for essai in range(100):
        temporaire = dossier / f".{chemin.name}.{os.getpid()}.{essai}.tmp"
        try:
            fd = os.open(temporaire, flags, 0o600)
        except FileExistsError:
            continue
        break
    else:
        raise FichierRefuse(f"impossible de créer un fichier temporaire dans {dossier}")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if remplacer:
            os.replace(temporaire, chemin)
        else:
            try:
                os.link(temporaire, chemin, follow_symlinks=False)
            except FileExistsError:
                raise FichierExistant(f"{chemin} existe déjà : il n'est pas remplacé") from None
            os.unlink(temporaire)
    except BaseException:
        try:
            os.unlink(temporaire)
        except FileNotFoundError:
            pass
        raise


def ecrire_prives(fichiers: Iterable[tuple[Path, bytes]], *, remplacer: bool = True,
                  ensemble: int = 8) -> None:
    """Write each ``(chemin, data)`` as ``ecrire_prive`` does, ``ensemble``
    at a time: a file's fsync mostly waits for the disk, and the file
    system commits those that wait together in one go — hundreds of files
    (a département's exports) in a fraction of the time, and more so on a
    busy disk. ``fichiers`` may come as they are made; writing starts with
    the first. The first error is raised, in the order of ``fichiers``,
    once the writes under way are done; the files not begun are not
    written."""
    groupe = ThreadPoolExecutor(max_workers=ensemble, thread_name_prefix="ecriture")
    en_cours: deque[Future[None]] = deque()
    try:
        for chemin, data in fichiers:
            en_cours.append(groupe.submit(ecrire_prive, chemin, data, remplacer=remplacer))
            while en_cours and en_cours[0].done():
                en_cours.popleft().result()  # raises the write's error
        while en_cours:
            en_cours.popleft().result()
    finally:
        groupe.shutdown(cancel_futures=True)
