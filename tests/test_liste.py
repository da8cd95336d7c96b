"""ListeDonnees: cursor, Enter, multi-selection, sorts, search, filters,
columns, saved state, hostile data shown literally."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pytest

from agesh_tui.widgets import liste as module_liste
from agesh_tui.widgets.etat_liste import EtatListe
from agesh_tui.widgets.filtres import ANNEE_EN_COURS, filtre_annee_scolaire
from agesh_tui.widgets.liste import ListeDonnees, ajuster, texte_par_defaut
from liste_exemple import (
    COLONNES,
    DECISIONS,
    NOM_ECHAPPEMENT,
    NOM_MARKUP,
    AppListe,
    Retenue,
    anyio_backend,  # noqa: F401 (fixture)
    filtres,
    nouvelle_liste,
    sans_clignotement,
    textes,
)

pytestmark = pytest.mark.anyio
TAILLE = (100, 24)


def ids(liste: ListeDonnees) -> list[str]:
    return [d.id for d in liste.lignes_affichees()]


async def test_donnees_hostiles_affichees_telles_quelles():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        lignes = textes(app.liste)
        assert any(NOM_MARKUP in ligne for ligne in lignes)
        assert not any("\x1b" in ligne for ligne in lignes)
        assert any("[31mROUGE" in ligne for ligne in lignes)
        # A click on the markup name selects the line and nothing else.
        y = next(i for i, ligne in enumerate(lignes) if NOM_MARKUP in ligne)
        await pilot.click(ListeDonnees, offset=(16, y))
        await pilot.click(ListeDonnees, offset=(16, y))
        assert app.is_running
        assert [d.nom for d in app.choisies] == [NOM_MARKUP]
        # The search also reads the cleaned text.
        app.liste.definir_recherche("[31mrouge")
        assert [d.nom for d in app.liste.lignes_affichees()] == [NOM_ECHAPPEMENT]


async def test_curseur_et_entree():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        assert liste.ligne_courante().id == "E001"
        await pilot.press("down", "down")
        assert liste.ligne_courante().id == "E003"
        await pilot.press("up")
        assert liste.ligne_courante().id == "E002"
        await pilot.press("end")
        assert liste.ligne_courante().id == "E008"
        await pilot.press("down")
        assert liste.ligne_courante().id == "E008"
        await pilot.press("home")
        assert liste.ligne_courante().id == "E001"
        await pilot.press("pagedown")
        assert liste.ligne_courante().id == "E008"
        await pilot.press("pageup", "down", "enter")
        assert [d.id for d in app.choisies] == ["E002"]
        assert textes(liste)[2].startswith("›")


async def test_defilement_garde_le_curseur_visible():
    lignes = [replace(DECISIONS[0], id=f"E{i:04d}") for i in range(200)]
    app = AppListe(lignes)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert liste.ligne_courante().id == f"E{2 * liste._hauteur_page():04d}"
        assert any(ligne.startswith("›") for ligne in textes(liste))
        await pilot.press("end")
        await pilot.pause()
        assert textes(liste)[-2].startswith("› E0199") or any(
            ligne.startswith("› E0199") for ligne in textes(liste)
        )
        # Moving the column cursor right scrolls the columns, not the marks.
        await pilot.press(*["right"] * 8)
        await pilot.pause()
        assert liste.scroll_offset.x > 0
        assert "Mise" in textes(liste)[0]


async def test_le_curseur_ne_repeint_que_deux_lignes():
    """Moving the cursor repaints the line it leaves and the line it
    reaches, nothing else (Textual DataTable's model); a move that scrolls
    repaints the view."""
    lignes = [replace(DECISIONS[0], id=f"E{i:04d}") for i in range(200)]
    app = AppListe(lignes)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        peintes: list[int] = []
        render_line = liste.render_line

        def noter(y):
            peintes.append(y)
            return render_line(y)

        liste.render_line = noter
        await pilot.press("down", "down")  # E0003, no scroll
        await pilot.pause()
        peintes.clear()
        await pilot.press("down")
        await pilot.pause()
        assert sorted(peintes) == [3, 4]  # E0003 (line 3), E0004 (line 4)
        assert liste.ligne_courante().id == "E0003"
        peintes.clear()
        await pilot.press("end")  # far away: the view scrolls, all is repainted
        await pilot.pause()
        assert len(set(peintes)) == liste.size.height
        liste.curseur = 10_000  # clamped, never outside the rows
        assert liste.curseur == 199
        liste.curseur = -5
        assert liste.curseur == 0


async def test_un_tri_montre_les_premieres_lignes():
    """After a sort the cursor and the view are at the top (issue 9 #5: the
    urgent décisions were off screen until Début)."""
    lignes = [replace(DECISIONS[i % 8], id=f"E{i:04d}") for i in range(200)]
    app = AppListe(lignes)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert liste.curseur > 0 and liste.scroll_offset.y > 0
        await pilot.press("right", "s")  # Nom ▲
        await pilot.pause()
        assert liste.curseur == 0 and liste.scroll_offset.y == 0
        assert textes(liste)[1].startswith("›")


async def test_une_colonne_qui_se_trie_d_abord_en_decroissant():
    """« Mise en œuvre »: the first s shows what needs work (the highest
    priorité) first, then ▲; S starts with ▼ too."""
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        colonnes = [c.cle for c in liste.colonnes_affichees]
        await pilot.press(*["right"] * colonnes.index("mise"), "s")
        assert liste.etat()["tri"] == [["mise", "desc"]]
        assert ids(liste)[:2] == ["E001", "E006"]  # priorité 1: nothing in place
        await pilot.press("s")
        assert liste.etat()["tri"] == [["mise", "asc"]]
        await pilot.press("left", "s", "right", "S")
        assert liste.etat()["tri"] == [["etab", "asc"], ["mise", "desc"]]
        await pilot.press("S")
        assert liste.etat()["tri"] == [["etab", "asc"], ["mise", "asc"]]
        await pilot.press("S")
        assert liste.etat()["tri"] == [["etab", "asc"]]


async def test_la_derniere_colonne_entiere_a_droite_malgre_la_barre_de_defilement():
    """At 80 columns with a vertical scrollbar, scrolled fully right, the
    last column shows whole (issue 9 #7: « Couvertur », values without %)."""
    lignes = [replace(DECISIONS[0], id=f"E{i:04d}") for i in range(200)]
    app = AppListe(lignes)
    async with app.run_test(size=(80, 24)) as pilot:
        liste = app.liste
        liste.colonnes_visibles([c.cle for c in liste.colonnes])  # Couverture last
        await pilot.press(*["right"] * 20)
        await pilot.pause()
        assert liste.show_vertical_scrollbar
        ecran = [strip.text for strip in app.screen._compositor.render_strips()]
        entete = ecran[liste.region.y]
        assert entete.rstrip().endswith("Couverture")
        assert ecran[liste.region.y + 1].rstrip().endswith("0 %")


async def test_selection_multiple():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("space", "down", "down", "space")
        assert [d.id for d in liste.selection()] == ["E001", "E003"]
        lignes = textes(liste)
        assert lignes[1][1] == "✓" and lignes[2][1] == " " and lignes[3][1] == "✓"
        await pilot.press("space")
        assert [d.id for d in liste.selection()] == ["E001"]
        # The selection survives a search: search one pupil, select, the next…
        liste.definir_recherche("leroy")
        await pilot.press("space")
        liste.definir_recherche("")
        assert [d.id for d in liste.selection()] == ["E001", "E008"]
        await pilot.press("escape")
        assert liste.selection() == []
        liste.definir_recherche("mutualisée")
        await pilot.press("ctrl+a")
        assert [d.id for d in liste.selection()] == ["E002", "E004", "E007"]
        await pilot.pause()
        assert app.selections == [1, 2, 1, 2, 0, 3]


async def test_tri_par_colonne_au_clavier():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("right", "right", "right", "right")  # Heures
        await pilot.press("s")
        # None last, equal values keep their order (stable).
        assert ids(liste) == ["E003", "E001", "E006", "E008", "E005", "E002", "E004", "E007"]
        assert re.search(r"Heures +▲ ", textes(liste)[0])
        await pilot.press("s")
        assert ids(liste) == ["E005", "E008", "E001", "E006", "E003", "E002", "E004", "E007"]
        assert re.search(r"Heures +▼ ", textes(liste)[0])
        assert liste.etat()["tri"] == [["heures", "desc"]]


async def test_tri_sur_plusieurs_colonnes():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("right", "right", "right", "s")  # Type ▲
        await pilot.press("right", "right", "S", "S")  # then Début ▼
        entete = textes(liste)[0]
        assert re.search(r"Type +▲1 ", entete) and re.search(r"Début +▼2 ", entete)
        assert ids(liste) == ["E005", "E001", "E006", "E003", "E008", "E007", "E002", "E004"]
        assert liste.etat()["tri"] == [["type", "asc"], ["debut", "desc"]]
        await pilot.press("S")  # a third time: Début is no longer sorted
        assert liste.etat()["tri"] == [["type", "asc"]]
        assert re.search(r"Type +▲ ", textes(liste)[0])
        # « s » on another column replaces the sorts.
        await pilot.press("left", "left", "left", "left", "s")
        assert liste.etat()["tri"] == [["nom", "asc"]]


async def test_tri_par_api_texte_francais_et_priorite():
    liste = nouvelle_liste()
    liste.trier("nom")
    # Folded: « ÉTIENNE » with the E, « martin » with MARTIN (stable).
    assert [d.nom for d in liste.lignes_affichees()][2:] == [
        "BERNARD", "DUPONT", "ÉTIENNE", "LEROY", "MARTIN", "martin",
    ]
    liste.trier("mise")  # sorts by the priorité given as cle_tri
    assert ids(liste) == ["E002", "E007", "E005", "E003", "E008", "E001", "E006", "E004"]
    liste.trier("mise", descendant=True)
    assert ids(liste)[-1] == "E004"  # undefined priorité last in both directions


async def test_clic_sur_un_titre_trie():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.click(ListeDonnees, offset=(16, 0))  # Nom
        assert liste.etat()["tri"] == [["nom", "asc"]]
        await pilot.click(ListeDonnees, offset=(90, 0), shift=True)  # Établissement(s)
        assert liste.etat()["tri"] == [["nom", "asc"], ["etab", "asc"]]


async def test_recherche_plusieurs_mots_sans_accents():
    liste = nouvelle_liste()
    liste.definir_recherche("leo")
    assert ids(liste) == ["E001", "E006"]  # Léo, Léon
    liste.definir_recherche("leo martin")  # two words, two columns
    assert ids(liste) == ["E001"]
    liste.definir_recherche("MARTIN")
    assert ids(liste) == ["E001", "E007"]
    liste.definir_recherche("martin anais")
    assert ids(liste) == ["E007"]
    liste.definir_recherche("  ")
    assert liste.nombre_affiche == 8
    # A hidden column is searched too (couverture 75 %).
    liste.definir_recherche("75 %")
    assert ids(liste) == ["E005"]
    # Words match inside a column, never across two.
    liste.definir_recherche("leroyno")
    assert ids(liste) == []
    liste.definir_recherche("jules")
    assert ids(liste) == ["E001", "E003", "E007", "E008"]


async def test_recherche_affinee_puis_elargie():
    liste = nouvelle_liste()
    for texte in ("m", "ma", "mar", "mart"):
        liste.definir_recherche(texte)
    assert ids(liste) == ["E001", "E007"]
    liste.definir_recherche("mar")
    assert ids(liste) == ["E001", "E007"]
    liste.definir_recherche("")
    liste.trier("nom", descendant=True)
    liste.definir_recherche("mar")
    liste.definir_recherche("mart")  # narrowing keeps the sort order
    assert ids(liste) == ["E001", "E007"]


async def test_liste_vide_explique_pourquoi():
    app = AppListe()
    async with app.run_test(size=TAILLE):
        app.liste.definir_recherche("introuvable")
        await app.workers.wait_for_complete()  # the haystacks
        assert "vérifiez les filtres et videz la recherche" in textes(app.liste)[1]
        app.liste.definir_lignes([])
        assert "Aucune donnée." in textes(app.liste)[1]
        assert app.liste.ligne_courante() is None


async def test_filtres_de_chaque_genre():
    liste = nouvelle_liste()
    assert liste.filtres_actifs == []  # type is offered but without a value
    liste.appliquer_filtres({"proposes": ["type"], "valeurs": {"type": ["mutualisée"]}})
    assert ids(liste) == ["E002", "E004", "E007"]
    # A pupil schooled in two établissements matches either.
    liste.appliquer_filtres({"proposes": ["etab"], "valeurs": {"etab": ["Collège Anne de Bretagne"]}})
    assert ids(liste) == ["E002", "E003", "E006"]
    liste.appliquer_filtres({"proposes": ["nom"], "valeurs": {"nom": "Etien"}})
    assert ids(liste) == ["E005"]
    # Values of filters not offered are kept but do nothing.
    liste.appliquer_filtres({"proposes": [], "valeurs": {"nom": "Etien"}})
    assert liste.nombre_affiche == 8
    assert [f.cle for f in liste.filtres_actifs] == []


async def test_filtre_annee_scolaire_chevauchement():
    liste = nouvelle_liste()
    annee = next(f for f in liste.filtres if f.cle == "annee")
    assert annee.libelle == "Active sur tout ou partie de l'année scolaire"
    assert annee.defaut == ANNEE_EN_COURS  # the current year, whichever it is
    liste.appliquer_filtres({"proposes": ["annee"], "valeurs": {"annee": annee.defaut}})
    # Kept when the period overlaps, even by one day (E006 ends 01/09/2026);
    # E005 starts 01/09/2027, the day after; E002 ended in July 2026.
    assert ids(liste) == ["E001", "E003", "E006", "E007"]
    liste.appliquer_filtres({"proposes": ["annee"], "valeurs": {"annee": ["2027-09-01", None]}})
    assert ids(liste) == ["E003", "E005"]  # E005 has no end: still active


async def test_filtre_propose_par_defaut_applique_des_la_creation():
    # Missions (F9): the school-year filter is on until the user changes it.
    filtres = [filtre_annee_scolaire("annee", lambda d: (d.debut, d.fin), date(2026, 11, 22))]
    liste = ListeDonnees(COLONNES, DECISIONS, cle_ligne=lambda d: d.id, filtres=filtres)
    assert ids(liste) == ["E001", "E003", "E006", "E007"]
    assert [f.cle for f in liste.filtres_actifs] == ["annee"]


async def test_filtres_du_programme_et_de_l_utilisateur_combines():
    liste = nouvelle_liste()
    liste.appliquer_filtres({"proposes": ["type"], "valeurs": {"type": ["individuelle"]}})
    liste.definir_filtres({"sans_mise_en_oeuvre": lambda d: d.priorite == 1.0})
    assert ids(liste) == ["E001", "E006"]
    assert "filtres" in liste.etat() and "sans_mise_en_oeuvre" not in json.dumps(liste.etat())
    liste.definir_filtres({})
    assert liste.nombre_affiche == 5


async def test_colonnes_visibles():
    app = AppListe()
    async with app.run_test(size=TAILLE):
        liste = app.liste
        assert "Couverture" not in textes(liste)[0]  # hidden by default (F5)
        liste.colonnes_visibles(["nom", "couverture"])
        entete = textes(liste)[0]
        assert "Nom" in entete and "Couverture" in entete and "Prénom" not in entete
        assert "75 %" in textes(liste)[5]
        assert [c.cle for c in liste.colonnes_affichees] == ["nom", "couverture"]


async def test_etat_aller_retour():
    liste = nouvelle_liste()
    liste.colonnes_visibles(["id", "nom", "debut", "couverture"])
    liste.trier("type")
    liste.trier("debut", descendant=True, ajouter=True)
    liste.appliquer_filtres({"proposes": ["type", "annee"],
                             "valeurs": {"type": ["individuelle"], "annee": ["2026-09-01", "2027-08-31"]}})
    etat = json.loads(json.dumps(liste.etat()))
    autre = nouvelle_liste()
    autre.restaurer(etat)
    assert autre.etat() == etat
    assert ids(autre) == ids(liste) == ["E001", "E006", "E003"]
    assert [c.cle for c in autre.colonnes_affichees] == ["id", "nom", "debut", "couverture"]


async def test_restaurer_ignore_ce_qui_n_existe_plus():
    liste = nouvelle_liste()
    liste.restaurer({
        "colonnes": ["disparue"],
        "tri": [["disparue", "asc"], ["nom", "bof"], ["heures", "desc"], "x", 3],
        "filtres": {"proposes": ["type", "inconnu"], "valeurs": {"type": "pas une liste"}},
    })
    assert len(liste.colonnes_affichees) == 9  # the defaults stay
    assert liste.etat()["tri"] == [["heures", "desc"]]
    assert liste.nombre_affiche == 8
    liste.restaurer(None)
    assert liste.etat()["tri"] == [["heures", "desc"]]


async def test_nouvelles_lignes_gardent_curseur_et_selection():
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("down", "down", "space")
        liste.definir_lignes([d for d in DECISIONS if d.id != "E001"])
        assert liste.ligne_courante().id == "E003"
        assert [d.id for d in liste.selection()] == ["E003"]
        liste.definir_lignes([d for d in DECISIONS if d.id not in ("E001", "E003")])
        assert liste.selection() == []
        # Its row gone, the cursor stays at its place: on the row that followed.
        assert liste.ligne_courante().id == "E004"


async def test_nouvelles_lignes_gardent_la_vue():
    """Rows added or removed above the view (a reload): the cursor keeps
    its row and its line of the view, the scroll follows; the cursor's row
    gone, the view stays where it was."""
    lignes = [replace(DECISIONS[0], id=f"E{i:04d}") for i in range(0, 400, 2)]
    app = AppListe(lignes)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("pagedown", "pagedown", "down", "down", "space")
        liste.scroll_to(0, liste.scroll_offset.y - 3, animate=False)  # the wheel
        await pilot.pause()
        courante, y = liste.ligne_courante().id, liste.scroll_offset.y
        ligne_vue = liste.curseur - y
        plus = [replace(DECISIONS[0], id=f"E{i:04d}") for i in range(1, 30, 2)]  # 15 above
        liste.definir_lignes(sorted(lignes + plus, key=lambda d: d.id))
        await pilot.pause()
        assert liste.ligne_courante().id == courante
        assert [d.id for d in liste.selection()] == [courante]
        assert liste.scroll_offset.y == y + 15 and liste.curseur - liste.scroll_offset.y == ligne_vue
        vue = textes(liste)
        liste.definir_lignes(sorted((d for d in lignes + plus if d.id != courante), key=lambda d: d.id))
        await pilot.pause()
        assert liste.scroll_offset.y == y + 15 and liste.curseur - liste.scroll_offset.y == ligne_vue
        assert liste.selection() == [] and liste.ligne_courante().id > courante
        assert textes(liste)[1] == vue[1]  # the rows above it did not move


async def test_nouvelles_lignes_triees_par_colonne_lente_remplacent_d_un_coup():
    """Sorted by a slow column, the new rows are sorted in a thread before
    they show: the list never shows them in the order given."""
    priorite = Retenue(lambda d: d.priorite)
    priorite.libre.set()
    app = AppListe()
    app.liste = liste_lente(priorite)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        liste.trier("mise")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down")
        assert ids(liste)[:3] == ["E002", "E007", "E005"] and liste.ligne_courante().id == "E005"
        priorite.libre.clear()
        liste.definir_lignes([d for d in DECISIONS if d.id != "E007"])
        await pilot.pause()
        # The keys of the new rows wait: the old rows stay, sorted, as they were.
        assert ids(liste)[:3] == ["E002", "E007", "E005"] and not liste.tri_en_cours
        priorite.libre.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ids(liste) == ["E002", "E005", "E003", "E008", "E001", "E006", "E004"]
        assert liste.ligne_courante().id == "E005"
        assert priorite.hors_boucle


async def test_nouvelles_lignes_pendant_une_recherche(monkeypatch):
    """A search typed: the new rows show already searched (their haystacks
    built in a thread first), never all of them for a moment."""
    construire = Retenue(module_liste.construire_bottes)
    construire.libre.set()
    monkeypatch.setattr(module_liste, "construire_bottes", construire)
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        liste.definir_recherche("martin")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ids(liste) == ["E001", "E007"]
        construire.libre.clear()
        liste.definir_lignes([d for d in DECISIONS if d.id != "E001"])
        await pilot.pause()
        assert ids(liste) == ["E001", "E007"] and not liste.recherche_en_cours
        construire.libre.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ids(liste) == ["E007"] and not liste.recherche_en_cours
        assert construire.hors_boucle


def etat_affiche(app) -> str:
    return str(app.query_one(EtatListe).render())


async def test_recherche_tapee_avant_les_bottes_attend_le_thread(monkeypatch):
    construire = Retenue(module_liste.construire_bottes)
    monkeypatch.setattr(module_liste, "construire_bottes", construire)
    app = AppListe()
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("slash", *"martin")
        liste = app.liste
        # Nothing built on the event loop: the rows stay until the search can run.
        assert liste.recherche_en_cours and liste.nombre_affiche == 8
        assert etat_affiche(app).startswith("Recherche… · 8 décisions sur 8")
        construire.libre.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ids(liste) == ["E001", "E007"]
        assert not liste.recherche_en_cours and "Recherche…" not in etat_affiche(app)
        assert construire.hors_boucle


async def test_bottes_en_erreur_sans_fermer_l_application(monkeypatch):
    def en_panne(colonnes, lignes):
        raise ValueError("colonne en panne")

    monkeypatch.setattr(module_liste, "construire_bottes", en_panne)
    app = AppListe()
    notes = []
    app.notify = lambda message, **kwargs: notes.append(message)
    async with app.run_test(size=TAILLE) as pilot:
        await app.workers.wait_for_complete()
        app.liste.definir_recherche("martin")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert notes == ["Recherche impossible : colonne en panne"]
        assert not app.liste.recherche_en_cours and app.liste.nombre_affiche == 8


def liste_lente(priorite) -> ListeDonnees:
    """The example list, its Mise en œuvre sorted by a slow key."""
    colonnes = [replace(c, lente=True, cle_tri=priorite) if c.cle == "mise" else c
                for c in COLONNES]
    return ListeDonnees(colonnes, DECISIONS, cle_ligne=lambda d: d.id, filtres=filtres(),
                        id="liste")


async def test_tri_par_colonne_lente_calcule_dans_un_thread():
    priorite = Retenue(lambda d: d.priorite)
    app = AppListe()
    app.liste = liste_lente(priorite)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        await pilot.press("down", "down")  # E003
        liste.trier("mise")
        await pilot.pause()
        # The header shows the sort asked for; the rows wait for the keys.
        assert liste.tri_en_cours and liste.etat()["tri"] == [["mise", "asc"]]
        assert ids(liste)[:3] == ["E001", "E002", "E003"]
        assert etat_affiche(app).startswith("Tri… · 8 décisions sur 8")
        priorite.libre.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ids(liste) == ["E002", "E007", "E005", "E003", "E008", "E001", "E006", "E004"]
        assert liste.curseur == 0  # a sort shows its first rows
        assert not liste.tri_en_cours and "Tri…" not in etat_affiche(app)
        assert priorite.hors_boucle
        # The keys are kept: the other direction sorts at once.
        liste.trier("mise", descendant=True)
        assert not liste.tri_en_cours and ids(liste)[0] in ("E001", "E006")


async def test_tri_lent_garde_la_ligne_ou_l_utilisateur_est_alle():
    """While a slow sort computes, the user moved: their row, not the top."""
    priorite = Retenue(lambda d: d.priorite)
    app = AppListe()
    app.liste = liste_lente(priorite)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        liste.trier("mise")
        await pilot.press("down", "down")  # E003, during the sort
        priorite.libre.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not liste.tri_en_cours and liste.ligne_courante().id == "E003"


async def test_tri_lent_restaure_applique_apres_le_montage():
    priorite = Retenue(lambda d: d.priorite)
    priorite.libre.set()
    app = AppListe()
    app.liste = liste_lente(priorite)
    app.liste.restaurer({"tri": [["mise", "asc"]]})
    assert app.liste.tri_en_cours  # nothing computed while composing
    async with app.run_test(size=TAILLE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ids(app.liste)[:2] == ["E002", "E007"]
        assert app.liste.curseur == 0 and app.liste.ligne_courante().id == "E002"
        assert priorite.hors_boucle


def test_texte_par_defaut_et_ajustement():
    assert texte_par_defaut(None) == ""
    assert texte_par_defaut(date(2026, 9, 1)) == "01/09/2026"
    assert texte_par_defaut(12.5) == "12,5"
    assert texte_par_defaut(True) == "oui"
    assert ajuster("Mise en œuvre", 6) == "Mise… "
    assert ajuster("12", 5, "droite") == "   12"
    assert ajuster("漢字漢字", 5) == "漢字…"


def test_snapshot_liste_triee_avec_selection(snap_compare):
    async def preparer(pilot):
        sans_clignotement(pilot.app)
        await pilot.press("right", "right", "right", "s", "right", "right", "S", "S")
        await pilot.press("down", "space", "down", "down", "space", "down")

    assert snap_compare(AppListe(), terminal_size=TAILLE, run_before=preparer)



async def test_la_ligne_du_curseur_reste_visible_quand_la_liste_s_allonge():
    """A search narrowed the list, the cursor is on a row; the search
    cleared, that row is far down: the view scrolls to it (it stayed at the
    top, the cursor out of sight, the view size not updated yet)."""
    lignes = [replace(DECISIONS[0], id=f"E{i:04d}", nom=f"NOM{i:04d}") for i in range(200)]
    app = AppListe(lignes)
    async with app.run_test(size=TAILLE) as pilot:
        liste = app.liste
        liste.definir_recherche("nom0150")
        await pilot.pause()
        assert liste.ligne_courante().id == "E0150"
        liste.definir_recherche("")
        await pilot.pause()
        assert liste.ligne_courante().id == "E0150"
        assert any(t.startswith("› E0150") for t in textes(liste))
