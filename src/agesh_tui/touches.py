"""Keys: their French names on screen, and the user's own keys.

Every Binding of the project has an ``id`` (« liste.trier », « app.quitter »…).
The user may give another key to any of them in a TOML file of their
configuration folder (``platformdirs.user_config_dir("agesh-tui")``):
``touches.toml``, or the ``[touches]`` table of ``config.toml``
(docs/application.md). The file is checked: an unreadable file, an unknown
id or a key that no terminal sends is said in French and left out — the
application always starts, with the keys it can trust.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_TO_UNICODE_NAME, Keys, _normalize_key_list, format_key

from .engine.fichiers import raison_fichier

FICHIER_TOUCHES = "touches.toml"
FICHIER_CONFIGURATION = "config.toml"
TABLE_TOUCHES = "touches"

# The names the user reads: the French keyboard's (« Échap », « Page suiv. »).
NOMS = {
    "space": "Espace", "enter": "Entrée", "escape": "Échap", "tab": "Tab",
    "backspace": "Retour arrière", "delete": "Suppr", "insert": "Inser",
    "home": "Début", "end": "Fin", "pageup": "Page préc.", "pagedown": "Page suiv.",
    "up": "↑", "down": "↓", "left": "←", "right": "→",
}
MODIFICATEURS = {"ctrl": "Ctrl", "shift": "Maj", "alt": "Alt", "meta": "Méta", "super": "Super",
                 "hyper": "Hyper"}
_TOUCHES_NOMMEES = {k.value for k in Keys} | set(KEY_TO_UNICODE_NAME)


def nom_touche(touche: str) -> str:
    """« ctrl+q » → « Ctrl+Q », « pagedown » → « Page suiv. », « shift+tab »
    → « Maj+Tab », « question_mark » → « ? »."""
    *modificateurs, cle = touche.split("+")
    nom = NOMS.get(cle) or (cle.upper() if len(cle) == 1 and modificateurs else format_key(cle))
    if re.fullmatch(r"f\d{1,2}", nom):
        nom = nom.upper()
    return "+".join([*(MODIFICATEURS.get(m, m) for m in modificateurs), nom])


def touche_valide(touche: str) -> bool:
    """A key a terminal can send, written the way Textual names it."""
    *modificateurs, cle = touche.split("+")
    if not cle or any(m not in MODIFICATEURS for m in modificateurs):
        return False
    if len(cle) == 1 or cle in _TOUCHES_NOMMEES or cle in NOMS:
        return True
    try:
        unicodedata.lookup(cle.replace("_", " "))
    except KeyError:
        return False
    return True


def dossier_configuration() -> Path:
    return Path(user_config_dir("agesh-tui", appauthor=False))


def _classes_du_projet() -> list[type[DOMNode]]:
    """The project's screens and widgets, among the loaded classes."""
    trouvees, a_voir = [], list(DOMNode.__subclasses__())
    while a_voir:
        classe = a_voir.pop()
        a_voir.extend(classe.__subclasses__())
        if classe.__module__.startswith("agesh_tui."):
            trouvees.append(classe)
    return trouvees


def _liaisons_de(classe: type[DOMNode]) -> list[Binding]:
    """A class's own Bindings and those it inherits from the project's."""
    return [b for c in classe.__mro__ if c.__module__.startswith("agesh_tui.")
            for b in Binding.make_bindings(c.__dict__.get("BINDINGS", ()))]


def liaisons_du_projet() -> dict[str, Binding]:
    """Every Binding of the project's screens and widgets, by id (the ids a
    user's file may name)."""
    trouvees: dict[str, Binding] = {}
    for classe in _classes_du_projet():
        for binding in Binding.make_bindings(classe.__dict__.get("BINDINGS", ())):
            if binding.id is not None:
                trouvees.setdefault(binding.id, binding)
    return trouvees


@dataclass
class Touches:
    """The user's keymap (id → keys, as Textual's ``set_keymap`` takes it)
    and what was wrong in their files (French, one sentence each)."""

    correspondances: dict[str, str] = field(default_factory=dict)
    erreurs: list[str] = field(default_factory=list)


def lire_touches(dossier: Path, connus: set[str]) -> Touches:
    """The keys of ``config.toml``'s [touches] table, then of
    ``touches.toml`` (which wins for an id named in both)."""
    touches = Touches()
    for nom, table in ((FICHIER_CONFIGURATION, TABLE_TOUCHES), (FICHIER_TOUCHES, None)):
        chemin = dossier / nom
        if not chemin.is_file():
            continue
        try:
            document = tomllib.loads(chemin.read_text(encoding="utf-8"))
        except OSError as exc:
            touches.erreurs.append(f"{chemin} illisible ({raison_fichier(exc)}) : ignoré.")
            continue
        except UnicodeDecodeError:
            touches.erreurs.append(f"{chemin} n'est pas un texte UTF-8 : ignoré.")
            continue
        except tomllib.TOMLDecodeError as exc:
            touches.erreurs.append(f"{chemin} n'est pas un fichier TOML valide "
                                   f"({_position(str(exc))}) : ignoré.")
            continue
        if table is not None:
            document = document.get(table, {})
            if not isinstance(document, dict):
                touches.erreurs.append(f"{chemin} : [{table}] doit être une table : ignorée.")
                continue
        _retenir(touches, document, chemin, connus)
    touches.erreurs += conflits(touches.correspondances)
    return touches


def conflits(correspondances: dict[str, str]) -> list[str]:
    """Two actions of one screen or widget given the same key: the one the
    user named takes it, the other is left without a key — said."""
    if not correspondances:
        return []
    out: list[str] = []
    vus: set[str] = set()  # actions already said to have lost their key
    for classe in _classes_du_projet():
        par_touche: dict[str, list[str]] = {}
        for binding in _liaisons_de(classe):
            cles = correspondances.get(binding.id or "", binding.key)
            for cle in cles.split(","):
                ids = par_touche.setdefault(cle, [])
                if binding.id not in ids:
                    ids.append(binding.id or binding.action)
        for cle, ids in par_touche.items():
            prises = [i for i in ids if i in correspondances]
            # A subclass inherits its base's keys: each loss is said once.
            perdues = sorted(i for i in ids if i not in correspondances and i not in vus)
            if prises and perdues:
                vus.update(perdues)
                out.append(f"la touche {nom_touche(cle)} donnée à « {', '.join(prises)} » était "
                           f"celle de « {', '.join(perdues)} », qui n'en a plus.")
    return out


def _retenir(touches: Touches, document: dict, chemin: Path, connus: set[str]) -> None:
    for ident, valeur in document.items():
        if ident not in connus:
            touches.erreurs.append(f"{chemin} : « {ident} » n'est l'identifiant d'aucune action "
                                   "(voir docs/application.md) : ignoré.")
            continue
        if not isinstance(valeur, str) or not valeur.strip():
            touches.erreurs.append(f"{chemin} : « {ident} » doit recevoir une touche entre "
                                   "guillemets, par exemple \"ctrl+t\" : ignoré.")
            continue
        cles = [c.strip() for c in valeur.split(",")]
        mauvaises = [c for c in cles if not touche_valide(c)]
        if mauvaises:
            touches.erreurs.append(f"{chemin} : « {ident} » : touche inconnue "
                                   f"« {', '.join(mauvaises)} » : ignoré.")
            continue
        # Textual's names (« ? » is question_mark), as set_keymap reads them.
        touches.correspondances[ident] = _normalize_key_list(",".join(cles))


def _position(message: str) -> str:
    """tomllib says where in English: « (at line 3, column 7) »."""
    trouve = re.search(r"at line (\d+), column (\d+)", message)
    if trouve:
        return f"erreur ligne {trouve[1]}, colonne {trouve[2]}"
    return "erreur en fin de fichier" if "end of document" in message else "erreur de syntaxe"
