"""« Accès ENT des AESH » of an établissement (SPEC §6, seeds 000 and 001),
from Accompagnement par établissement: the same table as ``agesh
acces-ent`` — the AESH to add to the ENT and, since the previous export
found in the folder, those to remove, with their groups and classes — and
the same files (accounts CSV, PDF procedure, JSON for the next run)
written into a folder the user names (api/session_voisins.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from ..api.erreurs import PermissionRefusee, RefusFichier
from ..engine.calendrier import format_date
from ..engine.echange.ent import AccesEnt
from ..engine.regles.acces_ent import ENTS, Changement
from ..widgets.export_document import ExportDossier
from ..widgets.export_tableur import dossier_par_defaut
from ..widgets.liste import Colonne, ListeDonnees
from .base import EcranMenu

AJOUTER, RETIRER = "ajouter", "retirer"


@dataclass(frozen=True, slots=True)
class LigneAcces:
    action: str
    changement: Changement

    @property
    def cle(self) -> str:
        return f"{self.action}:{self.changement.aesh_id}"


@dataclass
class Calcule(Message):
    acces: AccesEnt | None
    refus: str


def lignes_acces(acces: AccesEnt) -> list[LigneAcces]:
    return ([LigneAcces(AJOUTER, c) for c in acces.ajouter]
            + [LigneAcces(RETIRER, c) for c in acces.retirer])


class AccesEntEtablissement(EcranMenu):
    MENU = "editions"
    AIDE = (
        "Accès ENT des AESH : pour l'établissement et aujourd'hui, les AESH à ajouter à l'ENT "
        "(groupe des AESH, espaces des classes de leurs élèves) et, depuis l'export précédent "
        "trouvé dans le dossier, ceux à retirer. e change d'ENT ; o écrit dans un dossier le CSV "
        "des comptes, la procédure PDF pour la direction et le JSON qui servira de point de "
        "départ au prochain export (comme « agesh acces-ent »). Échap revient."
    )
    BINDINGS = [
        Binding("escape", "retour", "Retour", id="acces_ent.retour"),
        Binding("e", "ent_suivant", "Changer d'ENT", id="acces_ent.ent"),
        Binding("o", "ecrire", "Écrire les fichiers", id="acces_ent.ecrire"),
    ]
    CSS_PATH = "acces_ent.tcss"

    def __init__(self, uai: str, ent: str = "entmip", dossier: Path | None = None) -> None:
        super().__init__()
        self.uai = uai
        self.ent = ent
        self.dossier = dossier or dossier_par_defaut() / "acces-ent"
        self._acces: AccesEnt | None = None

    def contenu(self) -> ComposeResult:
        nom = self.app.session_ouverte.libelle_etablissement(self.uai)
        yield Static(Text(f"Accès ENT des AESH — {nom} ({self.uai})", style="bold"),
                     classes="detail-titre")
        yield Static(id="acces-etat")
        yield ListeDonnees([
            Colonne("action", "Action", 8, lambda l: l.action),
            Colonne("aesh", "AESH", 24, lambda l: f"{l.changement.nom} {l.changement.prenom}"),
            Colonne("classes", "Classe(s)", 14, lambda l: ", ".join(l.changement.classes) or "—"),
            Colonne("groupes", "Groupe(s)", 30, lambda l: ", ".join(l.changement.groupes) or "—"),
            Colonne("motif", "Motif", 40, lambda l: l.changement.motif),
        ], cle_ligne=lambda l: l.cle, id="acces-lignes")
        yield Static(id="acces-note")

    def on_mount(self) -> None:
        self.query_one(ListeDonnees).focus()
        self._calculer()

    def _etat(self) -> None:
        a = self._acces
        profil = ENTS[self.ent].nom
        if a is None:
            texte = Text(f"ENT : {profil} · calcul…", style="italic")
        else:
            depuis = (f"changements depuis l'export du {format_date(a.depuis)}" if a.depuis
                      else "premier état (aucun export précédent dans le dossier)")
            texte = Text.assemble(
                ("ENT ", "bold"), profil, " (e : changer) · ", ("au ", "bold"),
                format_date(a.jour), f" · {len(a.ajouter)} à ajouter, {len(a.retirer)} à retirer · "
                f"{depuis}\n", ("Dossier ", "bold"), str(self.dossier), " (o : écrire les fichiers)")
        self.query_one("#acces-etat", Static).update(texte)

    @work(thread=True, exclusive=True, group="acces-ent")
    def _calculer(self) -> None:
        session = self.app.session_ouverte
        depuis = self.dossier if self.dossier.is_dir() else None
        try:
            acces = session.acces_ent(self.uai, None, self.ent, depuis)
        except (RefusFichier, PermissionRefusee) as exc:
            self.post_message(Calcule(None, str(exc)))
            return
        self.post_message(Calcule(acces, ""))

    def on_calcule(self, message: Calcule) -> None:
        self._acces = message.acces
        note = self.query_one("#acces-note", Static)
        if message.acces is None:
            note.update(Text(f"Calcul impossible : {message.refus}", style="bold"))
            self.query_one(ListeDonnees).definir_lignes([])
        else:
            self.query_one(ListeDonnees).definir_lignes(lignes_acces(message.acces))
            manquantes = len(message.acces.classes_manquantes)
            note.update(Text(
                f"Attention : {manquantes} élève(s) accompagné(s) sans classe connue (SIECLE ou "
                "ONDE la renseignent) : leurs AESH reçoivent le groupe, pas l'espace de la classe."
                if manquantes else "", style="bold"))
        self._etat()
        self.app.refresh_bindings()

    def action_ent_suivant(self) -> None:
        noms = list(ENTS)
        self.ent = noms[(noms.index(self.ent) + 1) % len(noms)]
        self._acces = None
        self._etat()
        self._calculer()

    def action_ecrire(self) -> None:
        if self._acces is None:
            return
        session = self.app.session_ouverte
        uai, ent = self.uai, self.ent

        def ecrire(dossier: Path, remplacer: bool) -> int:
            # The comparison is made again against that folder's latest export.
            depuis = dossier if dossier.is_dir() else None
            acces = session.acces_ent(uai, None, ent, depuis)
            return sum(len(c) for c in session.ecrire_acces_ent([acces], dossier, remplacer))

        def fini(resultat: tuple[Path, int] | None) -> None:
            if resultat is not None:
                self.dossier = resultat[0]
                self._etat()
                self.notify(f"{resultat[1]} fichiers écrits dans {resultat[0]} (CSV des comptes, "
                            "procédure PDF, JSON pour le prochain export).", title="Accès ENT",
                            markup=False)

        self.app.push_screen(ExportDossier(
            "accès ENT des AESH", f"CSV des comptes, procédure PDF et JSON de {uai} ({ENTS[ent].nom}).",
            self.dossier, ecrire), fini)

    def action_retour(self) -> None:
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ecrire":
            return self._acces is not None
        return True

    def donnees_rechargees(self) -> None:
        self._calculer()
