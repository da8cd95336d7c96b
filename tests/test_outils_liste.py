"""The list tools of the guide (§4): Recherche bar, Colonnes and Filtres
modals, status line, and the state a screen saves."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Checkbox, Input, SelectionList

from agesh_tui.widgets.choix_filtres import ChoixFiltres
from agesh_tui.widgets.colonnes import ChoixColonnes
from agesh_tui.widgets.date_saisie import DateSaisie
from agesh_tui.widgets.etat_liste import EtatListe, nombre
from agesh_tui.widgets.filtres import ANNEE_EN_COURS, Filtre, filtre_annee_scolaire, predicats_filtres
from agesh_tui.widgets.recherche import BarreRecherche
from liste_exemple import DECISIONS, AppListe, anyio_backend, sans_clignotement  # noqa: F401 (fixture)

pytestmark = pytest.mark.anyio
TAILLE = (100, 24)


def ids(app: AppListe) -> list[str]:
    return [d.id for d in app.liste.lignes_affichees()]


def etat_liste(app: AppListe) -> str:
    return str(app.query_one(EtatListe).render())


async def test_barre_de_recherche():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, BarreRecherche)
        await pilot.press(*"leo")
        assert ids(app) == ["E001", "E006"]
        await pilot.press("space", *"mart")
        assert ids(app) == ["E001"]
        assert "recherche : « leo mart »" in etat_liste(app)
        await pilot.press("enter")  # back to the list, the search stays
        assert app.focused is app.liste and ids(app) == ["E001"]
        await pilot.press("slash", "escape")  # cleared, back to the list
        assert app.focused is app.liste and app.liste.nombre_affiche == 8
        assert app.query_one(BarreRecherche).value == ""


async def test_ligne_d_etat():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        assert etat_liste(app) == "8 décisions sur 8"
        await pilot.press("space")
        assert etat_liste(app) == "8 décisions sur 8 · 1 sélectionnée"
        await pilot.press("down", "space", "right", "s", "right", "right", "right", "right", "S", "S")
        assert etat_liste(app) == "8 décisions sur 8 · 2 sélectionnées · tri : Nom ▲, Début ▼"
        app.liste.definir_recherche("leroy")
        await pilot.pause()
        assert etat_liste(app).startswith("1 décision sur 8 · 2 sélectionnées")
    assert nombre(6012) == "6\u00a0012" and nombre(1234567) == "1\u00a0234\u00a0567"


async def test_colonnes_masquer_puis_afficher():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, ChoixColonnes)
        # Prénom is the 3rd line, Couverture (hidden by default) the last.
        await pilot.press("down", "down", "space", "end", "space", "enter")
        assert not isinstance(app.screen, ChoixColonnes)
        cles = [c.cle for c in app.liste.colonnes_affichees]
        assert "prenom" not in cles and "couverture" in cles
        assert app.etats[-1]["colonnes"] == cles


async def test_colonnes_echap_annule_et_une_colonne_reste():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        avant = app.liste.etat()
        await pilot.press("c", "space", "escape")
        assert app.liste.etat() == avant and app.etats == []
        await pilot.press("c")
        app.screen.query_one(SelectionList).deselect_all()
        await pilot.press("enter")
        assert isinstance(app.screen, ChoixColonnes)  # refused, with a message
        assert any("au moins une colonne" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert app.liste.etat() == avant


async def test_filtre_choix_par_le_modal():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, ChoixFiltres)
        # « Type de décision » is offered: its values are listed, alphabetically.
        valeurs = app.screen.query_one("#editeur-0", SelectionList)
        assert [valeurs.get_option_at_index(i).value for i in range(valeurs.option_count)] == [
            "individuelle", "mutualisée",
        ]
        await pilot.press("tab", "down", "space", "enter")
        assert not isinstance(app.screen, ChoixFiltres)
        assert ids(app) == ["E002", "E004", "E007"]
        assert "filtres : Type de décision" in etat_liste(app)
        assert app.etats[-1]["filtres"] == {
            "proposes": ["type"],
            "valeurs": {"type": ["mutualisée"], "etab": [], "nom": "", "annee": ANNEE_EN_COURS},
        }


async def test_filtre_texte_et_filtre_non_propose_cache():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("f")
        ecran = app.screen
        assert not ecran.query_one("#valeur-2").display  # « Nom contient » not offered
        ecran.query_one("#propose-2", Checkbox).focus()
        await pilot.press("space", "tab", *"mart")
        assert ecran.query_one("#valeur-2").display
        await pilot.press("enter")
        assert ids(app) == ["E001", "E007"]


async def test_filtre_annee_scolaire_par_le_modal():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("f")
        ecran = app.screen
        ecran.query_one("#propose-3", Checkbox).focus()
        await pilot.press("space")
        debut = ecran.query_one("#debut-3", DateSaisie)
        fin = ecran.query_one("#fin-3", DateSaisie)
        # Pre-filled with the current school year (today: 22/11/2026).
        assert (debut.texte, fin.texte) == ("01/09/2026", "31/08/2027")
        await pilot.press("enter")
        assert ids(app) == ["E001", "E003", "E006", "E007"]
        # Next year with the keys: début + 1 year by « > » twelve times, then
        # z in « au »: the end of the form's year, the one of « du » (SPEC §1.2).
        await pilot.press("f")
        ecran = app.screen
        ecran.query_one("#debut-3", DateSaisie).focus()
        await pilot.press(*["greater_than_sign"] * 12, "tab", "z")
        assert ecran.query_one("#fin-3", DateSaisie).texte == "31/08/2028"
        await pilot.press("enter")
        # Dates typed by the user, not the current year's: saved as dates.
        assert app.liste.parametres_filtres["valeurs"]["annee"] == ["2027-09-01", "2028-08-31"]
        assert ids(app) == ["E003", "E005"]


async def test_annee_en_cours_retenue_comme_telle():
    """The default kept is saved as « année scolaire en cours »: restored a
    year later, the filter is on the new school year, not frozen on 2026-2027."""
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("f")
        app.screen.query_one("#propose-3", Checkbox).focus()
        await pilot.press("space", "enter")
        etat = app.etats[-1]["filtres"]
        assert etat["valeurs"]["annee"] == ANNEE_EN_COURS
        assert ids(app) == ["E001", "E003", "E006", "E007"]  # 2026-2027
        # The same saved state, today 22/11/2027: 2027-2028.
        plus_tard = filtre_annee_scolaire("annee", lambda d: (d.debut, d.fin), date(2027, 11, 22))
        garder = predicats_filtres([plus_tard], etat)["annee"]
        assert [d.id for d in DECISIONS if garder(d)] == ["E003", "E005"]
        app.push_screen(ChoixFiltres([plus_tard], etat, DECISIONS, today=date(2027, 11, 22)))
        await pilot.pause()
        dates = [app.screen.query_one(f"#{champ}-0", DateSaisie).texte for champ in ("debut", "fin")]
        assert dates == ["01/09/2027", "31/08/2028"]


async def test_filtres_dates_invalides_refusees():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("f")
        ecran = app.screen
        ecran.query_one("#propose-3", Checkbox).focus()
        await pilot.press("space", "tab", *"31022027", "enter")
        assert app.screen is ecran  # refused: 31/02 does not exist
        assert any("date invalide" in n.message for n in app._notifications)
        ecran.query_one("#debut-3", DateSaisie).value = date(2028, 1, 1)
        await pilot.press("enter")
        assert app.screen is ecran  # refused: début after fin
        assert any("après la date de fin" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert app.liste.nombre_affiche == 8 and app.etats == []


async def test_filtre_choix_sans_propose_et_etat_illisible():
    filtre = Filtre("type", "Type", "choix", lambda d: d.type, choix=("individuelle",))
    assert filtre.valeurs_possibles([]) == ["individuelle"]
    assert predicats_filtres([filtre], {"proposes": "type"}) == {}
    assert predicats_filtres([filtre], {"proposes": ["type"], "valeurs": {"type": []}}) == {}
    periode = Filtre("p", "P", "periode", lambda d: (d, d))
    assert periode.predicat(["pas une date", None]) is None


def test_snapshot_colonnes(snap_compare):
    async def preparer(pilot):
        sans_clignotement(pilot.app)
        await pilot.press("c", "down", "down", "space")

    assert snap_compare(AppListe(), terminal_size=TAILLE, run_before=preparer)


def test_snapshot_filtres(snap_compare):
    async def preparer(pilot):
        await pilot.press("f")
        pilot.app.screen.query_one("#propose-3", Checkbox).focus()
        await pilot.press("space")
        sans_clignotement(pilot.app)
        await pilot.press("shift+tab", "shift+tab")

    assert snap_compare(AppListe(), terminal_size=TAILLE, run_before=preparer)


async def test_une_longue_liste_de_choix_se_reduit_en_tapant():
    """Hundreds of établissements: a field narrows them (name, commune or
    code, accents folded); the code first, never cut; the checked values
    first; at most LIMITE_AFFICHEE others, and how many more match."""
    from agesh_tui.widgets.choix_filtres import LIMITE_AFFICHEE

    noms = {f"0350{i:03d}A": f"École n° {i}, {'Fougères' if i % 10 == 0 else 'Rennes'}"
            for i in range(100)}
    filtre = Filtre("etab", "Établissement", "choix", lambda d: list(noms), libelle_code=noms.get)
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        resultats: list[dict] = []
        app.push_screen(ChoixFiltres([filtre], {"proposes": ["etab"], "valeurs": {"etab": ["0350099A"]}},
                                     DECISIONS, today=date(2026, 11, 22)), resultats.append)
        await pilot.pause()
        valeurs = app.screen.query_one("#editeur-0", SelectionList)
        textes = [str(valeurs.get_option_at_index(i).prompt) for i in range(valeurs.option_count)]
        assert textes[0] == "0350099A  École n° 99, Rennes"  # checked: first
        assert len(textes) == 1 + LIMITE_AFFICHEE + 1
        assert textes[-1] == f"… et {99 - LIMITE_AFFICHEE} autres : tapez la suite pour réduire"
        app.screen.query_one(".reduire", Input).focus()
        await pilot.press(*"fougeres")
        textes = [str(valeurs.get_option_at_index(i).prompt) for i in range(valeurs.option_count)]
        assert textes == [f"0350{i:03d}A  École n° {i}, Fougères" for i in range(0, 100, 10)]
        await pilot.press("tab", "space", "enter")
        assert resultats == [{"proposes": ["etab"], "valeurs": {"etab": ["0350000A", "0350099A"]}}]
