"""Mon compte (SPEC F2, F3, guide §2): the user's coordonnées checked as
typed, the kinds of the messages of « Mes messages », which messages a
perimeter sees, and the choice of secteurs.

Pure functions: the form checks as the user types, the operation checks
again before writing, with the same French messages. A refusal is a Refus
whose ``regle`` is the field it speaks of (``mail``, ``telephone``,
``adresse``, ``secteurs``)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from ..modele.model import Message
from ..texte import nettoyer
from .accompagnement import Refus
from .differences import Champ

__all__ = [
    "ADRESSE_MAX", "AUTRE", "CHAMPS_COORDONNEES", "COMPARES_COORDONNEES", "MAIL_MAX", "NATURES_MESSAGE", "Refus",
    "SaisieCoordonnees", "coordonnees_a_ecrire", "dedoublonner", "libelle_nature", "message_visible", "nature_message",
    "telephone_normalise", "verifier_coordonnees", "verifier_secteurs",
]

CHAMPS_COORDONNEES = ("mail", "telephone", "adresse")
MAIL_MAX = 254  # RFC 5321's limit of a path
ADRESSE_MAX = 300
# A usual address: a local part of the common characters, a domain of
# labels separated by dots, the last one of letters (no IP literals, no
# quoted local parts: a functional mailbox of an administration has none).
_MAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# How two states of the coordonnées are compared and read (a stale write's message).
COMPARES_COORDONNEES: dict[str, Champ] = {
    "mail": Champ("Mail fonctionnel", lambda u: u.mail, lambda v: v or "(vide)"),
    "telephone": Champ("Téléphone", lambda u: u.telephone, lambda v: v or "(vide)"),
    "adresse": Champ("Adresse", lambda u: u.adresse,
                     lambda v: v.replace("\n", ", ") if v else "(vide)"),
}
# Separators people type in a number: blanks, dots, dashes.
_SEPARATEURS = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class SaisieCoordonnees:
    """The coordonnées as typed."""

    mail: str = ""
    telephone: str = ""
    adresse: str = ""

    def nettoyee(self) -> SaisieCoordonnees:
        """Texts without control characters nor surrounding blanks; the
        address keeps its lines (one per line of a letter's heading)."""
        lignes = [nettoyer(ligne) for ligne in self.adresse.splitlines()]
        return replace(self, mail=nettoyer(self.mail), telephone=nettoyer(self.telephone),
                       adresse="\n".join(ligne for ligne in lignes if ligne))


def telephone_normalise(texte: str) -> str | None:
    """A French number as documents print it (« 02 99 12 34 56 »), an
    overseas or foreign one as « +44 20 7946 0958 » is kept in its digits
    (« +442079460958 »); None when it is not a telephone number. Empty: ""."""
    brut = _SEPARATEURS.sub("", texte)
    if not brut:
        return ""
    if brut.startswith("(0)"):
        brut = brut[3:]
    if brut.startswith("+33"):
        brut = "0" + brut[3:].removeprefix("(0)")
    if brut.startswith("0033"):
        brut = "0" + brut[4:]
    if re.fullmatch(r"0[1-9][0-9]{8}", brut):
        return " ".join(brut[i:i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+[1-9][0-9]{6,14}", brut):  # E.164: at most 15 digits
        return brut
    return None


def verifier_coordonnees(saisie: SaisieCoordonnees) -> list[Refus]:
    """Every rule the coordonnées break (empty: they may be saved). Each
    field may stay empty: the documents then use the académie's mail and
    the cartouche's telephone (guide §2.1)."""
    s = saisie.nettoyee()
    refus = []
    if len(s.mail) > MAIL_MAX:
        refus.append(Refus("mail", f"Le mail a au plus {MAIL_MAX} caractères."))
    elif s.mail and not _MAIL.fullmatch(s.mail):
        refus.append(Refus("mail", "Mail invalide : attendu nom@domaine.fr, sans espace "
                                   "ni accent."))
    if s.telephone and telephone_normalise(s.telephone) is None:
        refus.append(Refus("telephone", "Téléphone invalide : 10 chiffres (02 99 12 34 56) "
                                        "ou +indicatif (+33 2 99 12 34 56)."))
    if len(s.adresse) > ADRESSE_MAX:
        refus.append(Refus("adresse", f"L'adresse a au plus {ADRESSE_MAX} caractères."))
    return refus


def coordonnees_a_ecrire(saisie: SaisieCoordonnees) -> SaisieCoordonnees:
    """What is stored: cleaned, the telephone in its printed form. Only
    for a saisie that ``verifier_coordonnees`` accepts."""
    s = saisie.nettoyee()
    return replace(s, telephone=telephone_normalise(s.telephone) or "")


def verifier_secteurs(choisis: Iterable[str], connus: Collection[str]) -> list[Refus]:
    """The secteurs chosen must exist (none chosen: the whole département)."""
    inconnus = sorted(set(choisis) - set(connus))
    if inconnus:
        return [Refus("secteurs", f"Secteur inconnu : {', '.join(inconnus)}.")]
    return []


# -- messages ----------------------------------------------------------------------------
AUTRE = "autre"
# The kinds a gestionnaire filters by (guide §2.2), their label; the
# journal's actions that write each.
NATURES_MESSAGE: dict[str, tuple[str, tuple[str, ...]]] = {
    "scolarite": ("Scolarité ajoutée", ("ajout_scolarite",)),
    "decision": ("Décision ajoutée", ("ajout_decision",)),
    "dossier": ("Dossier mis à jour", ("mise_a_jour_dossier",)),
    "accompagnement_cree": ("Accompagnement créé",
                            ("creation_accompagnement", "maintien_accompagnement")),
    "accompagnement_modifie": ("Accompagnement modifié",
                               ("modification_accompagnement", "insertion_accompagnement")),
    "accompagnement_supprime": ("Accompagnement supprimé", ("suppression_accompagnement",)),
    "aesh": ("AESH ou mission", ("creation_aesh", "modification_aesh", "creation_mission",
                                 "modification_mission")),
    AUTRE: ("Autre", ()),
}
_PAR_ACTION = {action: nature for nature, (_, actions) in NATURES_MESSAGE.items()
               for action in actions}
# Rows written before the kind was stored (schema 6): their text tells.
_DEBUTS = (
    ("Scolarité ajoutée", "scolarite"),
    ("Décision ajoutée", "decision"),
    ("Dossier mis à jour", "dossier"),
    ("Dossier de l'élève mis à jour", "dossier"),
    ("Accompagnement supprimé", "accompagnement_supprime"),
    ("Accompagnement modifié", "accompagnement_modifie"),
    ("Accompagnement inséré", "accompagnement_modifie"),
    ("Accompagnement créé", "accompagnement_cree"),
    ("Accompagnement de maintien créé", "accompagnement_cree"),
    ("Accompagnement maintenu", "accompagnement_cree"),
    ("AESH ", "aesh"),
    ("Mission prévisionnelle", "aesh"),
)


def nature_message(action: str, texte: str) -> str:
    """The kind of a message (a key of NATURES_MESSAGE) from the action
    stored with it, or from its text for an older row ('' action)."""
    if action:
        return _PAR_ACTION.get(action, AUTRE)
    for debut, nature in _DEBUTS:
        if texte.startswith(debut):
            return nature
    return AUTRE


def libelle_nature(nature: str) -> str:
    return NATURES_MESSAGE.get(nature, NATURES_MESSAGE[AUTRE])[0]


def message_visible(secteur_code: str | None, secteurs: Collection[str]) -> bool:
    """A message is in the perimeter when it is about one of the secteurs
    chosen, or about none (the gestionnaires' list); none chosen: all."""
    return not secteurs or secteur_code is None or secteur_code in secteurs



def dedoublonner(messages: Iterable[tuple[Message, str]]) -> list[tuple[Message, str, tuple[int, ...]]]:
    """Each operation once: a message written both for the gestionnaires and
    for the ERSEH (same moment, author, text and secteur) is listed once,
    with the ids of all its copies (marked together) — read when every copy
    is. ``messages``: (message, stored kind) pairs, in the order kept."""
    groupes: dict[tuple, list[tuple[Message, str]]] = {}
    for m, nature in messages:
        groupes.setdefault((m.quand, m.auteur, m.texte, m.secteur_code), []).append((m, nature))
    resultat: list[tuple[Message, str, tuple[int, ...]]] = []
    for copies in groupes.values():
        premier, nature = copies[0]
        if len(copies) == 1:  # the common case, kept cheap (tens of thousands of rows)
            resultat.append((premier, nature, (premier.id,)))
            continue
        lu = all(m.lu for m, _ in copies)
        nature = next((n for _, n in copies if n), nature)
        resultat.append((replace(premier, lu=lu), nature, tuple(m.id for m, _ in copies)))
    return resultat
