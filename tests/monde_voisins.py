"""The world of the neighbouring-systems tests (SIECLE, ONDE, ENT access,
spreadsheets), on the Monde builder (monde.py), and the exports that
describe it: a SIECLE XML in either encoding and vintage, an ONDE CSV.

On 15/01/2026 in the collège 0350001A:
- E1 DUPONT Léa, classe 301, the export says 302 (matched by INE: updated);
- E2 LEFÈVRE Zoé, classe 401, the export gives no INE and writes the name
  otherwise (« lefevre », « ZOE »): matched by name and birth date, unchanged;
- E3 and E4, two dossiers MARTIN Paul born the same day: the export's line
  without INE is ambiguous;
- E5 PETIT Noé, notified, schooled by the base in the collège 0350002B while
  the export places him here: ``sans_scolarite``;
- a pupil of the export with no dossier: unknown.
"""

from __future__ import annotations

from datetime import date

from monde import Monde

COLLEGE, AUTRE_COLLEGE, ECOLE = "0350001A", "0350002B", "0350003C"
JOUR = date(2026, 1, 15)
ANNEE = date(2025, 9, 1)


def monde_voisins() -> Monde:
    m = Monde()
    m.etablissement(COLLEGE, "Collège Anne de Bretagne", pial=COLLEGE)
    m.etablissement(AUTRE_COLLEGE, "Collège des Gayeulles", pial=COLLEGE)
    m.etablissement(ECOLE, "École du Pont", "Ecole", pial=COLLEGE)
    m.secteur("S1", "Rennes Nord", (COLLEGE, AUTRE_COLLEGE, ECOLE))
    eleves = [
        ("E1", "DUPONT", "Léa", date(2012, 3, 12), COLLEGE, "301"),
        ("E2", "LEFÈVRE", "Zoé", date(2012, 5, 5), COLLEGE, "401"),
        ("E3", "MARTIN", "Paul", date(2012, 1, 1), COLLEGE, "501"),
        ("E4", "MARTIN", "Paul", date(2012, 1, 1), COLLEGE, "502"),
        ("E5", "PETIT", "Noé", date(2012, 6, 6), AUTRE_COLLEGE, "301"),
    ]
    for ident, nom, prenom, naissance, uai, classe in eleves:
        m.eleve(ident, nom, prenom, naissance, scolarites=[(uai, ANNEE, None, classe)])
        m.decision(f"D{ident[1:]}", ident, "individuelle", 12.0, ANNEE, date(2026, 8, 31))
    return m


# (INE, nom, prénom, naissance jj/mm/aaaa, classe) as the export has them
LIGNES_EXPORT = [
    ("E1", "DUPONT", "Léa", "12/03/2012", "302"),
    ("", "lefevre", "ZOE", "05/05/2012", "401"),
    ("", "MARTIN", "Paul", "01/01/2012", "503"),
    ("1234567890A", "INCONNU", "Jean", "02/02/2012", "301"),
    ("E5", "PETIT", "Noé", "06/06/2012", "301"),
]


def xml_siecle(lignes=LIGNES_EXPORT, encodage: str = "UTF-8", balise_nom: str = "NOM_DE_FAMILLE",
               uaj: str = COLLEGE, date_export: str = "15/01/2026", prologue: str = "") -> bytes:
    """A SIECLE « ElevesSansAdresses.xml » (``balise_nom``: NOM_DE_FAMILLE,
    or NOM in the older exports)."""
    eleves, structures = [], []
    for n, (ine, nom, prenom, naissance, classe) in enumerate(lignes, 1):
        eleves.append(
            f'<ELEVE ELEVE_ID="{n}" ELENOET="{n}"><ID_NATIONAL>{ine}</ID_NATIONAL>'
            f"<{balise_nom}>{nom}</{balise_nom}><NOM_USAGE/><PRENOM>{prenom}</PRENOM>"
            f"<DATE_NAISS>{naissance}</DATE_NAISS><CODE_SEXE>1</CODE_SEXE></ELEVE>")
        structures.append(
            f'<STRUCTURES_ELEVE ELEVE_ID="{n}"><STRUCTURE><CODE_STRUCTURE>G{n}</CODE_STRUCTURE>'
            f"<TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE><STRUCTURE><CODE_STRUCTURE>{classe}"
            f"</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>")
    texte = (f'<?xml version="1.0" encoding="{encodage}"?>\n{prologue}<BEE_ELEVES VERSION="3.5">\n'
             f"<PARAMETRES><UAJ>{uaj}</UAJ><ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE>"
             f"<DATE_EXPORT>{date_export}</DATE_EXPORT></PARAMETRES>\n<DONNEES><ELEVES>\n"
             + "\n".join(eleves) + "\n</ELEVES><STRUCTURES>\n" + "\n".join(structures)
             + "\n</STRUCTURES></DONNEES></BEE_ELEVES>\n")
    return texte.encode(encodage)


def csv_onde(lignes=LIGNES_EXPORT, encodage: str = "windows-1252", separateur: str = ";") -> bytes:
    entete = ["Nom élève", "Nom d'usage élève", "Prénom élève", "Date naissance", "Sexe", "INE",
              "Niveau", "Libellé classe"]
    rangs = [separateur.join(entete)]
    for ine, nom, prenom, naissance, classe in lignes:
        rangs.append(separateur.join([nom, "", prenom, naissance, "M", ine, "CM1", classe]))
    return ("\r\n".join(rangs) + "\r\n").encode(encodage)
