"""« PV d'affectation » (SPEC F14, §2.3 rule 10, guide §13.3), from the
détail or the list of the accompagnements: the PDF written to a file the
user names. Refused with what is missing while the cartouche courrier of
the département is incomplete."""

from __future__ import annotations

from pathlib import Path

from ..api.erreurs import PermissionRefusee, RefusFichier
from ..api.session_documents import DocumentImpossible
from ..widgets.base import EcranAgesh
from ..widgets.export_document import ExportDocument, taille_lisible
from ..widgets.export_tableur import dossier_par_defaut


def demander_pv(ecran: EcranAgesh, acc_id: str) -> None:
    session = ecran.app.session_ouverte
    manquants = session.cartouche_manquante()
    if manquants:
        ecran.notify(
            "Le PV d'affectation ne peut pas être établi : le cartouche courrier du département est "
            f"incomplet ({', '.join(manquants)}). Un superviseur le complète dans Paramètres "
            "département.", title="PV d'affectation", severity="warning", timeout=12, markup=False)
        return
    defaut = dossier_par_defaut() / f"pv-affectation-{acc_id}-{session.today.isoformat()}.pdf"

    def ecrire(chemin: Path, remplacer: bool) -> int:
        # In the dialog's worker: the layout takes tens of milliseconds. The
        # dialog says a refusal (gone meanwhile, out of the perimeter) in place.
        try:
            return session.ecrire_pv(acc_id, chemin, remplacer)
        except (DocumentImpossible, PermissionRefusee) as exc:
            raise RefusFichier(str(exc)) from None

    def fini(resultat: tuple[Path, int] | None) -> None:
        if resultat is not None:
            chemin, octets = resultat
            ecran.notify(f"PV d'affectation écrit : {chemin} ({taille_lisible(octets)}).",
                         title="PV d'affectation", markup=False)

    ecran.app.push_screen(ExportDocument(
        "PV d'affectation", f"PV d'affectation de l'accompagnement {acc_id}, en PDF.", defaut,
        ecrire), fini)
