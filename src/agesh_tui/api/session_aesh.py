"""The Session's door to what the gestionnaires enter about AESH and
missions (SPEC F8, F9, guide §7.1, §7.2, §8.2): « Modifier cet AESH »,
« Ajouter un AESH » prévisionnel with its missions, « Ajouter une mission »
prévisionnelle and its modification. A mixin of ``Session``
(api/session.py).

The forms check as the user types (``verifier_aesh``, ``verifier_mission``:
the refusals, each naming its field) and save through the commands, which
check the profile (gestionnaire) and the rules again. Errors: RegleRefusee
(a rule; nothing written), ModifieAilleurs (a StaleWriteError: another
session changed the record since it was loaded, its ``differences`` say
what), PermissionRefusee, StoreError.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..engine.modele.model import Aesh, Mission
from ..engine.regles.aesh import (
    CHAMPS_AESH,
    TRANSPORTS,
    Refus,
    SaisieAesh,
    SaisieMission,
    appliquer_mission,
    champs_modifiables,
    refus_accompagnements_portes,
    verifier_aesh,
    verifier_mission,
)
from ..engine.texte import nettoyer, propre, replier

if TYPE_CHECKING:
    from ..engine.modele.departement import Departement
    from ..engine.stockage import Stockage


_IDENTIFIANT = re.compile(r"\(([^()]+)\)\s*$")


class SessionAesh:
    """Mixed into Session, whose attributes these methods use."""

    if TYPE_CHECKING:
        _stockage: Stockage
        today: date
        profil: str

        @property
        def login(self) -> str: ...
        @property
        def dep(self) -> Departement: ...
        def exiger_gestionnaire(self) -> None: ...
        def _apres_ecriture(self) -> None: ...

    # -- what the forms read ------------------------------------------------------------
    @property
    def saisie_permise(self) -> bool:
        """The profile may enter AESH and missions (the superviseur consults)."""
        return self.profil == "gestionnaire"

    def aesh(self, aesh_id: str) -> Aesh | None:
        return self.dep.aesh.get(aesh_id)

    def mission(self, mission_id: str) -> Mission | None:
        return self.dep.missions.get(mission_id)

    def champs_modifiables_aesh(self, aesh_id: str | None) -> tuple[str, ...]:
        """The fields the gestionnaire enters: all of a new or prévisionnel
        AESH, those the RH synchronisation does not rewrite for an RH one."""
        return champs_modifiables(self.aesh(aesh_id) if aesh_id else None)

    def verifier_aesh(self, saisie: SaisieAesh, champs: Sequence[str] = CHAMPS_AESH) -> list[Refus]:
        """Every rule the values of ``champs`` break (empty: they may be saved)."""
        return verifier_aesh(saisie, self.today, champs)

    def verifier_mission(self, saisie: SaisieMission, mission_id: str | None = None) -> list[Refus]:
        """Every rule the mission's values break; for a modification
        (``mission_id``), also what its accompagnements would no longer fit."""
        dep = self.dep
        refus = verifier_mission(saisie, dep.etablissements)
        mission = dep.missions.get(mission_id) if mission_id else None
        if not refus and mission is not None:
            refus = refus_accompagnements_portes(dep, appliquer_mission(mission, saisie))
        return refus

    def transports_connus(self) -> list[str]:
        """The usual moyens de transport, then those of the base (suggestions)."""
        vus = {replier(t) for t in TRANSPORTS}
        autres = sorted({t for a in self.dep.aesh.values() if (t := nettoyer(a.transport))
                         and replier(t) not in vus}, key=replier)
        return [*TRANSPORTS, *autres]

    def chercher_aesh(self, texte: str) -> list[Aesh]:
        """The AESH named by ``texte``: its identifier (alone, or in
        brackets after the name: « NOEL Paul (A4) », as ``noms_aesh`` gives
        it), else every AESH whose « nom prénom identifiant » holds all the
        words (case and accents folded), by name."""
        texte = nettoyer(texte)
        if not texte:
            return []
        dep = self.dep
        entre_parentheses = _IDENTIFIANT.search(texte)
        for ident in (texte, texte.upper(), entre_parentheses and entre_parentheses.group(1)):
            if ident and ident in dep.aesh:
                return [dep.aesh[ident]]
        mots = replier(texte).split()
        trouves = [a for a in dep.aesh.values()
                   if all(m in replier(f"{a.nom} {a.prenom} {a.id}") for m in mots)]
        return sorted(trouves, key=lambda a: (replier(f"{a.nom} {a.prenom}"), a.id))

    def noms_aesh(self) -> list[str]:
        """« NOM Prénom (identifiant) » of every AESH, active first, by name
        (what a form suggests as the user types)."""
        return [f"{propre(a.nom)} {propre(a.prenom)} ({propre(a.id)})"
                for a in sorted(self.dep.aesh.values(),
                                key=lambda a: (not a.actif, replier(f"{a.nom} {a.prenom}"), a.id))]

    # -- commands -------------------------------------------------------------------------
    def modifier_aesh(self, aesh_id: str, version: int, saisie: SaisieAesh) -> Aesh:
        """``version``: the AESH's as the form loaded it."""
        from ..engine.operations.aesh import modifier_aesh

        self.exiger_gestionnaire()
        aesh = modifier_aesh(self._stockage, self.dep, self.login, aesh_id, version, saisie,
                             today=self.today)
        self._apres_ecriture()
        return aesh

    def ajouter_aesh(self, saisie: SaisieAesh,
                     missions: Sequence[SaisieMission] = ()) -> tuple[Aesh, list[Mission]]:
        """A prévisionnel AESH and its missions prévisionnelles, in one write."""
        from ..engine.operations.aesh import creer_aesh

        self.exiger_gestionnaire()
        resultat = creer_aesh(self._stockage, self.dep, self.login, saisie, missions,
                              today=self.today)
        self._apres_ecriture()
        return resultat

    def ajouter_mission(self, aesh_id: str, saisie: SaisieMission) -> Mission:
        from ..engine.operations.aesh import creer_mission

        self.exiger_gestionnaire()
        mission = creer_mission(self._stockage, self.dep, self.login, aesh_id, saisie)
        self._apres_ecriture()
        return mission

    def modifier_mission(self, mission_id: str, version: int, saisie: SaisieMission) -> Mission:
        """A prévisionnelle mission only; ``version``: as the form loaded it."""
        from ..engine.operations.aesh import modifier_mission

        self.exiger_gestionnaire()
        mission = modifier_mission(self._stockage, self.dep, self.login, mission_id, version,
                                   saisie)
        self._apres_ecriture()
        return mission
