"""The preview of a formule du besoin as it is typed (SPEC F4): checked,
evaluated on the guide's cM values and on every PIAL of the year. The
décisions are counted once per load (regles.besoin); each keystroke only
parses and evaluates the formula (≈ 1 µs a PIAL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .besoin import AgregatPial
from .formule import FormuleError, parse

# The cM values the guide's examples name (SPEC §2.5).
CM_EXEMPLES = (0, 4, 5, 7, 10, 11)


@dataclass(frozen=True, slots=True)
class Apercu:
    erreur: FormuleError | None
    exemples: tuple[tuple[int, float], ...]  # (cM, hours) with cI = hI = 0
    besoins: tuple[tuple[str, float], ...]  # (PIAL, hI + formula)
    total: float  # the département: Σ of the PIAL

    @property
    def valide(self) -> bool:
        return self.erreur is None


def apercu(texte: str, comptes: Sequence[AgregatPial]) -> Apercu:
    """``comptes``: the year's aggregates (their cI, cM, hI are used)."""
    try:
        formule = parse(texte)
        exemples = tuple((cm, formule.evaluate(cm)) for cm in CM_EXEMPLES)
        besoins = []
        for a in comptes:
            try:
                mutualise = formule.evaluate(a.decisions_mutualisees, a.decisions_individuelles,
                                             a.heures_individuelles)
            except FormuleError as exc:
                raise FormuleError(
                    f"{exc.message} pour le PIAL {a.pial_uai} (cM = {a.decisions_mutualisees}, "
                    f"cI = {a.decisions_individuelles}, hI = {a.heures_individuelles:g})",
                    exc.position) from exc
            besoins.append((a.pial_uai, a.heures_individuelles + mutualise))
    except FormuleError as exc:
        return Apercu(exc, (), (), 0.0)
    return Apercu(None, exemples, tuple(besoins), sum(b for _, b in besoins))
