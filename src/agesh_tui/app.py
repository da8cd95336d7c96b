"""The Textual application: connexion, the guide's menus (one Textual mode
each, so that every menu keeps its own stack of screens), the keys that work
everywhere (French names, the user's own keys), the command palette,
logout and change of profile, and the watch on data changed elsewhere:
the data reloaded in the background, every screen redrawn from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import get_current_worker

from .api.base import Base
from .api.erreurs import ChargementAnnule
from .api.session import PermissionRefusee, Session
from .engine.modele.model import Utilisateur
from .menus import MENUS, MENUS_PAR_CLE, Menu, menus_permis
from .palette import CommandesAgesh, PaletteCommandes
from .rafale import Rafale
from .screens.accompagnements import ListeAccompagnements
from .screens.accueil import Accueil, lignes_accueil
from .screens.aesh import ListeAesh
from .screens.aide import Aide
from .screens.chargement import Chargement
from .screens.compte import Compte
from .screens.connexion import Connexion
from .screens.editions import Editions
from .screens.missions import ListeMissions
from .screens.parametres import Parametres
from .screens.pial import ListePial
from .screens.profil import Profil
from .screens.recherche_eleve import RechercheEleve
from .touches import dossier_configuration, liaisons_du_projet, lire_touches, nom_touche
from .widgets.couleurs import variables_css
from .widgets.entete import Entete

# Menus whose screens exist; the others say plainly that they come later.
ICI = Path(__file__).resolve().parent
ECRANS: dict[str, Callable[[], Screen]] = {"accueil": Accueil, "aesh": ListeAesh, "missions": ListeMissions,
                                           "accompagnements": ListeAccompagnements,
                                           "editions": Editions, "recherche": RechercheEleve,
                                           "parametres": Parametres, "compte": Compte,
                                           "pial": ListePial}

GROUPE_MENUS = Binding.Group("Menus", compact=True)
# Seconds after the data is shown before the lists' rows are prepared:
# Accueil paints first.
DELAI_VUES = 0.5
# More than the stylesheet's sources (.tcss files and widgets' DEFAULT_CSS).
SOURCES_CSS = 512
# The mode of the screen shown between two sessions (after a logout).
DEPART = "depart"


@dataclass
class DonneesModifiees(Message):
    """Another process wrote in the base (from the store's watch thread)."""


@dataclass
class Rafraichi(Message):
    """The automatic reload of ``session`` ended: ``charge`` when new data
    was loaded (False: it was already up to date), ``erreur`` when it
    failed (the data shown stays)."""

    session: Session
    charge: bool
    erreur: str | None = None


class AgeshApp(App):
    """AGESH dans le terminal."""

    TITLE = "AGESH — Gestionnaire AESH"
    # Every screen's styles, read once at start: Textual reparses the whole
    # stylesheet when a screen brings a file it has not read yet, the main
    # cost of opening a menu the first time. Sorted: the same cascade
    # whatever screen opens first.
    CSS_PATH = [ICI / "app.tcss", *sorted((ICI / "screens").glob("*.tcss")),
                *sorted((ICI / "widgets").glob("*.tcss"))]
    COMMANDS = {CommandesAgesh}
    # Screens lay out side by side from 110 columns, one under the other below.
    HORIZONTAL_BREAKPOINTS = [(0, "-etroit"), (110, "-large")]
    BINDINGS = [
        *(
            Binding(m.touche, f"menu('{m.cle}')", m.libelle, group=GROUPE_MENUS, id=f"menu.{m.cle}")
            for m in MENUS
        ),
        Binding("question_mark,f1", "aide", "Aide", key_display="?", id="app.aide"),
        Binding("R", "recharger", "Recharger les données", id="app.recharger"),
        # In the palette and the help; shown in no footer (rare actions).
        Binding("P", "changer_profil", "Changer de profil", show=False, id="app.profil"),
        Binding("ctrl+d", "deconnecter", "Se déconnecter", show=False, id="app.deconnecter"),
        Binding("ctrl+p", "command_palette", "Commandes", show=False, priority=True,
                id="app.commandes"),
        Binding("ctrl+q", "quit", "Quitter", priority=True, id="app.quitter"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.ctrl_c"),
    ]

    # True when another session wrote since the département was loaded.
    perime = reactive(False)
    # True while the data changed elsewhere is reloaded in the background.
    rafraichissement = reactive(False)

    def __init__(
        self,
        base: Base,
        today: date,
        session: Session | None = None,
        horloge: Callable[[], datetime] | None = None,
    ):
        """``session``: start already logged in (tests, bench); ``horloge``:
        the clock of the login screen, injectable so that tests control time."""
        super().__init__()
        # Textual reparses the whole stylesheet each time a widget class is
        # mounted for the first time (its DEFAULT_CSS joins it: TabbedContent
        # opening a PIAL's detail, ProgressBar…), through a cache of 64 parsed
        # sources. This application has more (every .tcss read at start, and
        # the widgets'): the cache never hit, each first mount reparsed all
        # of it, 25 to 40 ms each, five times opening a PIAL's detail. Room
        # for all of them: only the new source is parsed.
        self.stylesheet._parse_cache.grow(SOURCES_CSS)
        self.base = base
        self.today = today
        self.session = session
        self.horloge = horloge or (lambda: datetime.now(UTC))
        self.base_demo = base.est_demo
        self.signal_donnees: Signal[None] = Signal(self, "donnees")
        self._pret = False
        self._desabonner: Callable[[], None] | None = None
        self._chargement_manuel = False  # « R »'s Chargement screen is open
        self._relancer = False  # data changed again during a reload: one more after it
        self._echec_signale = False  # a failed automatic reload was said (once)
        self.rafale = Rafale(self, partial(App.on_event, self))
        """The keys typed ahead (rafale.py)."""

    @property
    def session_ouverte(self) -> Session:
        """The session of the user logged in: what the menus' screens work
        with (they exist only between login and logout)."""
        if self.session is None:
            raise RuntimeError("Aucune session ouverte : personne n'est connecté.")
        return self.session

    # -- keys -----------------------------------------------------------------------
    def get_key_display(self, binding: Binding) -> str:
        # French everywhere: footer, help, palette (« Échap », « Ctrl+Q »).
        return binding.key_display or nom_touche(binding.key)

    def touche(self, ident: str) -> str:
        """The key of a binding of the project as the user reads it, after
        their own keys (the header and messages name keys)."""
        cles = self._keymap.get(ident) or liaisons_du_projet()[ident].key
        return nom_touche(cles.split(",")[0])

    def _charger_touches(self) -> None:
        touches = lire_touches(dossier_configuration(), set(liaisons_du_projet()))
        if touches.correspondances:
            self.set_keymap(touches.correspondances)
        for erreur in touches.erreurs:
            self.notify(erreur, title="Vos touches", severity="warning", timeout=20, markup=False)

    async def on_event(self, event: events.Event) -> None:
        # Keys from the terminal one after the other (rafale.py); the rest as usual.
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.rafale.recevoir(event)
        else:
            await super().on_event(event)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # The palette's hues for the .tcss files: $couleur-vert…
        return {**super().get_theme_variable_defaults(), **variables_css()}

    # -- start: connexion, profile, loading ------------------------------------
    def get_default_screen(self) -> Screen:
        if self.session is None:
            return Connexion()
        return Screen(id="demarrage")

    def on_mount(self) -> None:
        self._charger_touches()
        for avertissement in self.base.avertissements:
            self.notify(avertissement, title="Sécurité", severity="warning", timeout=20,
                        markup=False)
        if self.session is not None:
            self._ouvrir_session()

    def connecte(self, utilisateur: Utilisateur) -> None:
        """Called by Connexion: choose the profile when there are several."""
        if len(utilisateur.profils) > 1:
            self.push_screen(Profil(utilisateur), partial(self._demarrer, utilisateur))
        else:
            self._demarrer(utilisateur, utilisateur.profils[0])

    def _demarrer(self, utilisateur: Utilisateur, profil: str | None) -> None:
        if profil is None:
            return
        self.session = self.base.session(utilisateur, profil, self.today)
        self._ouvrir_session()

    def _ouvrir_session(self) -> None:
        if self.session_ouverte.charge:
            self._session_prete()
        else:
            self.push_screen(Chargement(lignes_accueil), self._charge)

    def _charge(self, ok: bool | None) -> None:
        if ok:
            self._session_prete()
        else:
            # Stopped (Échap) or failed before anything was shown: nothing
            # to go back to.
            self.exit(message="Chargement arrêté : l'application est fermée.")

    def _session_prete(self) -> None:
        for menu in menus_permis(self.session_ouverte.superviseur):
            self.add_mode(menu.cle, ECRANS[menu.cle])
        self._pret = True
        self.switch_mode("accueil")
        self._preparer_vues()
        # The store tells when another process wrote (SQLite: the counter
        # polled 4 times a second; PostgreSQL: NOTIFY), from its own thread.
        self._desabonner = self.session_ouverte.abonner(self._donnees_modifiees_ailleurs)
        if self.perime:  # a new profile on data already stale: bring it up to date
            self._rafraichir()

    def _preparer_vues(self) -> None:
        """The rows of the other menus' lists, computed in a thread once
        Accueil is painted: opening a menu then only builds its screen."""
        session = self.session_ouverte

        def lancer() -> None:
            if session is self.session:  # not after a logout or a change of profile
                self.run_worker(session.preparer_vues, thread=True, group="vues", exclusive=True,
                                exit_on_error=False)

        self.set_timer(DELAI_VUES, lancer)

    def _donnees_modifiees_ailleurs(self) -> None:
        self.post_message(DonneesModifiees())  # thread-safe; dropped when closing

    def on_donnees_modifiees(self) -> None:
        self.perime = True
        self._rafraichir()

    # -- automatic reload (docs/application.md « Chargement ») -------------------------
    def _rafraichir(self) -> None:
        """Reload the data changed elsewhere in a worker, no screen in the
        way; a change seen during a reload (automatic or « R ») makes one
        more after it, however many came meanwhile."""
        if not self._pret or self.session is None:
            return
        if self.rafraichissement or self._chargement_manuel:
            self._relancer = True
            return
        self._relancer = False
        self.rafraichissement = True
        self.run_worker(partial(self._recharger_en_fond, self.session), thread=True,
                        group="rafraichissement", exit_on_error=False)

    def _recharger_en_fond(self, session: Session) -> None:
        """In a thread: Session.charger reads one snapshot into new data, then
        swaps it in one assignment; the screens meanwhile paint the old."""
        worker = get_current_worker()

        def etape(quoi: str, faites: int, total: int) -> None:
            if worker.is_cancelled:  # the application is closing
                raise ChargementAnnule()

        try:
            # Already up to date (« R » or a previous reload got it): nothing to do.
            charge = session.perime()
            if charge:
                session.charger(etape)
        except ChargementAnnule:
            return
        except Exception as exc:  # said to the user (once); the old data stays
            self.post_message(Rafraichi(session, False, str(exc) or type(exc).__name__))
            return
        self.post_message(Rafraichi(session, charge))

    def on_rafraichi(self, message: Rafraichi) -> None:
        self.rafraichissement = False
        if message.session is not self.session:
            # Logged out or changed profile meanwhile: that session is gone.
            if self._relancer:
                self._rafraichir()
            return
        if message.erreur is not None:
            # The old data stays, stale: the header says so and « R » retries.
            self.perime = True
            if not self._echec_signale:
                self._echec_signale = True
                self.notify(
                    f"Mise à jour automatique impossible : {message.erreur}. Les données "
                    f"affichées restent celles d'avant ; {self.touche('app.recharger')} pour "
                    "réessayer.", title="Données modifiées par ailleurs", severity="warning",
                    timeout=15, markup=False)
            if self._relancer:
                self._rafraichir()
            return
        self._echec_signale = False
        if message.charge:
            self.signal_donnees.publish(None)  # lists keep their cursor, selection, scroll
            self._preparer_vues()
        if self._relancer:
            self._rafraichir()  # perime stays True until that one ends
        else:
            self.perime = False

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.fermer()

    # -- logout, change of profile ----------------------------------------------------
    async def _fermer_menus(self, depart: Callable[[], Screen]) -> None:
        """Leave the menus for a new mode showing ``depart`` (the login
        screen, or a blank one while the profile changes): the menus'
        screens close and save what they hold (list choices) while the
        session is still open."""
        self._pret = False
        if DEPART in self._modes:  # the one of a previous logout, spent
            await self.remove_mode(DEPART)
        self.add_mode(DEPART, depart)
        await self.switch_mode(DEPART)
        for menu in MENUS:
            if menu.cle in self._modes:
                await self.remove_mode(menu.cle)
        if self._desabonner is not None:
            self._desabonner()
            self._desabonner = None

    async def action_deconnecter(self) -> None:
        await self._fermer_menus(Connexion)
        self.session_ouverte.fermer()
        self.session = None
        self.perime = False
        self._relancer = self._echec_signale = False
        # The login screen's header was drawn while the session was still
        # open: it no longer names the user and profile that left.
        self.screen.query(Entete).refresh()
        self.notify("Vous êtes déconnecté. À bientôt.")

    def action_changer_profil(self) -> None:
        session = self.session_ouverte
        self.push_screen(Profil(session.utilisateur, actuel=session.profil), self._profil_choisi)

    async def _profil_choisi(self, profil: str | None) -> None:
        if profil is None or profil == self.session_ouverte.profil:
            return
        await self._fermer_menus(partial(Screen, id="changement-profil"))
        ancienne = self.session_ouverte
        self.session = nouvelle = ancienne.avec_profil(profil)  # the data stays loaded
        ancienne.fermer()
        self._session_prete()
        self.notify(f"Profil : {nouvelle.libelle_profil}.")

    async def perimetre_change(self, garder: str) -> None:
        """The user's secteurs changed (Mon compte › Mes secteurs): every
        menu but ``garder`` (the one open) starts again on the new
        perimeter — its lists, counts and titles —, as after a change of
        profile; the data stays loaded."""
        for menu in self.menus_ouverts():
            if menu.cle != garder and menu.cle in self._modes:
                await self.remove_mode(menu.cle)
                self.add_mode(menu.cle, ECRANS[menu.cle])

    # -- menus -----------------------------------------------------------------
    def menus_ouverts(self) -> tuple[Menu, ...]:
        if not self._pret:
            return ()
        return menus_permis(self.session_ouverte.superviseur)

    def action_menu(self, cle: str) -> None:
        if not self._pret:
            return
        menu = MENUS_PAR_CLE[cle]
        if menu.superviseur_seulement:
            try:
                self.session_ouverte.exiger_superviseur()
            except PermissionRefusee as exc:
                self.notify(f"{menu.libelle} : {exc}", severity="error")
                return
        self.switch_mode(cle)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "menu":
            # Hidden before login, and Paramètres hidden for gestionnaires.
            return bool(parameters) and any(m.cle == parameters[0] for m in self.menus_ouverts())
        if action == "recharger":
            # While the automatic reload runs, « R » would only load twice.
            return self.perime and not self.rafraichissement
        if action == "deconnecter":
            return self._pret
        if action == "changer_profil":
            return self._pret and len(self.session_ouverte.utilisateur.profils) > 1
        return True

    # -- help, reload, quit ------------------------------------------------------
    def action_aide(self) -> None:
        if not isinstance(self.screen, Aide):
            self.push_screen(Aide(self.screen))

    def watch_perime(self) -> None:
        # The header watches ``perime`` itself; the footer shows « R ».
        self.refresh_bindings()

    def watch_rafraichissement(self) -> None:
        self.refresh_bindings()

    def action_recharger(self) -> None:
        if self.rafraichissement:  # a key typed ahead, the automatic reload under way
            return
        self._chargement_manuel = True
        self.push_screen(Chargement(lignes_accueil), self._recharge)

    def _recharge(self, ok: bool | None) -> None:
        self._chargement_manuel = False
        if ok:
            self.perime = False
            self._echec_signale = False
            self.signal_donnees.publish(None)
            self.notify("Données rechargées.")
            if self._relancer:  # changed again while loading
                self.perime = True
                self._rafraichir()
        else:
            self._relancer = False  # the user stopped it: the « R » of the header stays
            self.notify("Rechargement arrêté : les données affichées restent celles d'avant.")

    def action_help_quit(self) -> None:
        self.notify(f"Pour quitter, appuyez sur {self.touche('app.quitter')}.", title="Quitter ?")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not PaletteCommandes.is_open(self):
            self.push_screen(PaletteCommandes())
