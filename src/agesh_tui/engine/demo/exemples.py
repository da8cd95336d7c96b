"""Sample SIECLE and ONDE exports made from the demo (docs/exemples/), so
that ``agesh siecle`` and ``agesh onde`` have something true to read: one
collège and one école of the demo, with their notified pupils as the base
has them — a few in another classe (what the run updates), a third without
INE (matched by name and birth date), one notified pupil the base schools
elsewhere (« sans scolarité » here) — among pupils who have no dossier.

Deterministic like the demo: the same base, day and seed give the same
bytes (tests/test_voisins_exemples.py compares the committed files).
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from xml.sax.saxutils import escape

from ..modele.departement import Departement
from ..modele.model import Eleve
from . import noms

JOUR = date(2026, 11, 22)  # the demo's day in the tests and benches
GRAINE = 7
SANS_DOSSIER = 24  # pupils of the sample who have no dossier in the base


def _presents(dep: Departement, uai: str, jour: date) -> list[tuple[Eleve, str]]:
    """The élèves with a scolarité in ``uai`` covering ``jour``, with its classe."""
    out = []
    for s in dep.scolarites.values():
        if s.uai == uai and s.debut <= jour and (s.fin is None or jour <= s.fin):
            out.append((dep.eleves[s.eleve_id], s.classe))
    return sorted(out, key=lambda x: x[0].id)


def _notifies(dep: Departement, jour: date) -> set[str]:
    return {d.eleve_id for d in dep.decisions.values() if d.debut <= jour <= d.fin}


def choisir(dep: Departement, type_etab: str, jour: date = JOUR) -> str:
    """The établissement of that type with the most notified pupils on ``jour``."""
    notifies = _notifies(dep, jour)
    compte: dict[str, int] = {}
    for s in dep.scolarites.values():
        if (s.eleve_id in notifies and s.debut <= jour and (s.fin is None or jour <= s.fin)
                and dep.etablissements[s.uai].type == type_etab):
            compte[s.uai] = compte.get(s.uai, 0) + 1
    return max(sorted(compte), key=lambda u: compte[u])


def _eleves(dep: Departement, uai: str, jour: date, classes: list[str], sans_dossier: int = SANS_DOSSIER):
    """(INE, nom, prénom, naissance, classe) of the sample, in file order."""
    rng = random.Random(f"{GRAINE}-{uai}")
    notifies = _notifies(dep, jour)
    lignes = []
    for i, (e, classe) in enumerate(_presents(dep, uai, jour)):
        if e.id not in notifies:
            continue
        if i % 4 == 1:  # moved to another classe of the same level: the run updates it
            classe = next((c for c in classes if c != classe and _niveau(c) == _niveau(classe)), classe)
        ine = "" if i % 3 == 2 else e.id
        lignes.append((ine, e.nom, e.prenom, e.date_naissance, classe))
    # A notified pupil the base schools that day in another établissement of
    # the same type (a move not entered yet): « sans scolarité » here.
    type_etab = dep.etablissements[uai].type

    def ailleurs_ce_jour(e: Eleve) -> bool:
        scolarites = dep.scolarites_par_eleve.get(e.id, ())
        return (not any(s.uai == uai for s in scolarites) and any(
            dep.etablissements[s.uai].type == type_etab and s.debut <= jour and (s.fin is None or jour <= s.fin)
            for s in scolarites))

    ailleurs = next(e for e in sorted(dep.eleves.values(), key=lambda e: e.id)
                    if e.id in notifies and e.date_naissance is not None and ailleurs_ce_jour(e))
    lignes.append((ailleurs.id, ailleurs.nom, ailleurs.prenom, ailleurs.date_naissance, classes[0]))
    # Pupils without a dossier born around the notified ones.
    annee = next(n.year for _, _, _, n, _ in lignes if n is not None)
    for _ in range(sans_dossier):
        garcon = rng.random() < 0.5
        naissance = date(annee + rng.randint(-1, 1), rng.randint(1, 12), rng.randint(1, 28))
        lignes.append(("".join(rng.choice("0123456789") for _ in range(10)) + rng.choice("ABCDEFGHJK"),
                       rng.choice(noms.NOMS),
                       rng.choice(noms.PRENOMS_GARCONS if garcon else noms.PRENOMS_FILLES),
                       naissance, rng.choice(classes)))
    rng.shuffle(lignes)
    return lignes


def _niveau(classe: str) -> str:
    """« CM1 » of « CM1 B », « 3 » of « 302 »."""
    return classe.split(" ")[0] if " " in classe else classe[:1]


def _classes(dep: Departement, uai: str, jour: date) -> list[str]:
    return sorted({c for _, c in _presents(dep, uai, jour) if c})


def siecle(dep: Departement, uai: str, jour: date = JOUR, sans_dossier: int = SANS_DOSSIER) -> bytes:
    """``ElevesSansAdresses.xml`` of ``uai`` on ``jour``, ISO-8859-15 (as
    SIECLE writes it); ``sans_dossier`` pupils without a dossier (a bench
    makes a whole lycée of them)."""
    lignes = _eleves(dep, uai, jour, _classes(dep, uai, jour), sans_dossier)
    annee = jour.year if jour.month >= 9 else jour.year - 1
    x = ['<?xml version="1.0" encoding="ISO-8859-15"?>', '<BEE_ELEVES VERSION="3.5">',
         "  <PARAMETRES>", f"    <UAJ>{uai}</UAJ>", f"    <ANNEE_SCOLAIRE>{annee}</ANNEE_SCOLAIRE>",
         f"    <DATE_EXPORT>{jour:%d/%m/%Y}</DATE_EXPORT>",
         f"    <HORODATAGE>{jour:%d/%m/%Y} 08:30:00</HORODATAGE>", "  </PARAMETRES>",
         "  <DONNEES>", "    <ELEVES>"]
    for n, (ine, nom, prenom, naissance, _) in enumerate(lignes, 1):
        x += [f'      <ELEVE ELEVE_ID="{100000 + n}" ELENOET="{n}">',
              f"        <ID_NATIONAL>{escape(ine)}</ID_NATIONAL>",
              f"        <NOM_DE_FAMILLE>{escape(nom)}</NOM_DE_FAMILLE>",
              f"        <PRENOM>{escape(prenom)}</PRENOM>",
              f"        <DATE_NAISS>{naissance:%d/%m/%Y}</DATE_NAISS>",
              "      </ELEVE>"]
    x += ["    </ELEVES>", "    <STRUCTURES>"]
    for n, (_, _, _, _, classe) in enumerate(lignes, 1):
        x += [f'      <STRUCTURES_ELEVE ELEVE_ID="{100000 + n}">', "        <STRUCTURE>",
              f"          <CODE_STRUCTURE>{escape(classe)}</CODE_STRUCTURE>",
              "          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>", "        </STRUCTURE>",
              "      </STRUCTURES_ELEVE>"]
    x += ["    </STRUCTURES>", "  </DONNEES>", "</BEE_ELEVES>", ""]
    return "\n".join(x).encode("iso-8859-15")


def onde(dep: Departement, uai: str, jour: date = JOUR) -> bytes:
    """The ONDE pupils CSV of school ``uai``, Windows-1252 and « ; » (as ONDE writes it)."""
    lignes = _eleves(dep, uai, jour, _classes(dep, uai, jour))
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    w.writerow(["Nom élève", "Nom d'usage élève", "Prénom élève", "Date naissance", "INE", "Niveau",
                "Libellé classe"])
    for ine, nom, prenom, naissance, classe in lignes:
        w.writerow([nom, "", prenom, f"{naissance:%d/%m/%Y}", ine, classe.split(" ")[0], classe])
    return sortie.getvalue().encode("windows-1252")
