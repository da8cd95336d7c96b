"""The fields of a mission prévisionnelle (guide §8.2): type de contrat,
heures hebdomadaires, quotité, nature du support, établissements employeur
and payeur (UAI of the référentiel, the name shown next to it), dates (a/z
keys). Used by « Ajouter un AESH » (one block per mission) and by the
mission form; the screen checks the values (Session.verifier_mission) and
hands the refusals back to show them next to their fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from ..engine.modele.model import CONTRATS
from ..engine.modele.natures import NATURES
from ..engine.nombres import lire_nombre, nombre
from ..engine.regles.aesh import Refus, SaisieMission
from .base import WidgetAgesh
from .date_saisie import DateSaisie
from .saisie import NOMBRE_ILLISIBLE, LigneSaisie, champ_date, champ_texte, texte_select

# The Select's lines: the code first (what the RH bases and the lists show).
OPTIONS_NATURES = [(Text(f"{code}  {n.activite}"), code) for code, n in NATURES.items()]
_NOMBRES = (("volume", "Heures", "24 ou 24,5"), ("quotite", "Quotité", "50 ou 62,5"))


def texte_nature(code: str) -> str:
    """What a nature de support means, next to its field."""
    nature = NATURES.get(code)
    if nature is None:
        return ""
    texte = f"{nature.activite} ({nature.base})"
    return texte if nature.accompagnant else f"{texte} : ne porte pas d'accompagnement d'élève"


class BlocMission(WidgetAgesh):
    """One mission's fields. ``initiale``: the values it opens with (a
    modification: the mission's; None: empty)."""

    DEFAULT_CSS = """
    BlocMission {
        height: auto;
        & > .bloc-titre {
            text-style: bold;
            margin-top: 1;
        }
    }
    """

    def __init__(self, initiale: SaisieMission | None = None, *, today: date, titre: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.initiale = initiale or SaisieMission()
        self.today = today
        self.titre = titre

    def compose(self) -> ComposeResult:
        s = self.initiale
        if self.titre:
            yield Static(Text(self.titre), classes="bloc-titre")
        yield LigneSaisie("Contrat", Select(
            [(c, c) for c in CONTRATS], prompt="choisir", compact=True, id="contrat",
            value=s.contrat if s.contrat in CONTRATS else Select.NULL), champ="contrat")
        yield LigneSaisie("Heures / sem.", champ_texte(
            nombre(s.volume, 2), "volume", max_length=6, restrict=r"[0-9,.]*",
            placeholder="par ex. 24"), champ="volume")
        yield LigneSaisie("Quotité (%)", champ_texte(
            nombre(s.quotite, 2), "quotite", max_length=6, restrict=r"[0-9,.]*",
            placeholder="par ex. 66"), champ="quotite")
        yield LigneSaisie("Nature", Select(
            OPTIONS_NATURES, prompt="choisir", compact=True, id="nature",
            value=s.nature if s.nature in NATURES else Select.NULL), champ="nature")
        for champ, libelle in (("uai_employeur", "Employeur"), ("uai_payeur", "Payeur")):
            yield LigneSaisie(libelle, champ_texte(
                getattr(s, champ), champ, max_length=8, restrict=r"[0-9A-Za-z]*",
                placeholder="UAI (facultatif)"), champ=champ)
        du = champ_date(s.debut, "debut", today=self.today)
        yield LigneSaisie("Début", du, champ="debut")
        yield LigneSaisie("Fin", champ_date(s.fin, "fin", today=self.today, debut=du), champ="fin")

    # -- values ------------------------------------------------------------------------
    def saisie(self) -> SaisieMission:
        """The values as they stand (a number that cannot be read: None)."""
        q = self.query_one
        return SaisieMission(
            texte_select(q("#contrat", Select)), texte_select(q("#nature", Select)),
            lire_nombre(q("#volume", Input).value), lire_nombre(q("#quotite", Input).value),
            q("#debut", DateSaisie).value, q("#fin", DateSaisie).value,
            q("#uai_employeur", Input).value, q("#uai_payeur", Input).value,
        )

    @property
    def modifie(self) -> bool:
        return self.saisie().nettoyee() != self.initiale.nettoyee()

    def illisibles(self) -> dict[str, str]:
        """The fields whose text is not a value: their message (« » for a
        date, which says it itself). Nothing is saved while there are some."""
        out = {}
        for champ, libelle, exemple in _NOMBRES:
            texte = self.query_one(f"#{champ}", Input).value
            if texte.strip() and lire_nombre(texte) is None:
                out[champ] = NOMBRE_ILLISIBLE.format(libelle, exemple)
        for champ in ("debut", "fin"):
            if not self.query_one(f"#{champ}", DateSaisie).valide:
                out[champ] = ""
        return out

    def remplir(self, saisie: SaisieMission) -> None:
        """Show ``saisie`` (the form after a reload)."""
        q = self.query_one
        q("#contrat", Select).value = saisie.contrat if saisie.contrat in CONTRATS else Select.NULL
        q("#nature", Select).value = saisie.nature if saisie.nature in NATURES else Select.NULL
        q("#volume", Input).value = nombre(saisie.volume, 2)
        q("#quotite", Input).value = nombre(saisie.quotite, 2)
        q("#uai_employeur", Input).value = saisie.uai_employeur
        q("#uai_payeur", Input).value = saisie.uai_payeur
        q("#debut", DateSaisie).value = saisie.debut
        q("#fin", DateSaisie).value = saisie.fin

    def change(self, champ: str) -> bool:
        """The field no longer holds the value the block opened with."""
        actuelle, initiale = self.saisie().nettoyee(), self.initiale.nettoyee()
        return champ in self.illisibles() or getattr(actuelle, champ) != getattr(initiale, champ)

    # -- messages --------------------------------------------------------------------------
    def afficher(self, refus: Sequence[Refus], montrer: Callable[[str], bool]) -> None:
        """Each refusal next to its field when ``montrer(champ)``; otherwise
        what the value means (the établissement's name, the nature's activity)."""
        par_champ: dict[str, list[str]] = {}
        for r in refus:
            par_champ.setdefault(r.regle, []).append(r.message)
        illisibles = self.illisibles()
        s = self.saisie().nettoyee()
        for ligne in self.query(LigneSaisie):
            if ligne.champ in illisibles:
                ligne.dire(illisibles[ligne.champ])
            elif par_champ.get(ligne.champ) and montrer(ligne.champ):
                ligne.dire("\n".join(par_champ[ligne.champ]))
            else:
                ligne.dire(self._sens(ligne.champ, s), refus=False)

    def _sens(self, champ: str, s: SaisieMission) -> str:
        if champ in ("uai_employeur", "uai_payeur"):
            uai = getattr(s, champ)
            session = self.app.session_ouverte
            return session.libelle_etablissement(uai) if session.nom_etablissement(uai) else ""
        if champ == "nature":
            return texte_nature(s.nature)
        if champ == "fin" and s.fin is None and s.contrat == "CDI":
            return "Sans fin : un CDI peut rester ouvert."
        return ""
