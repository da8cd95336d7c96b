"""The Textual application: connexion, the guide's menus (one Textual mode
each, so that every menu keeps its own stack of screens), the keys that work
everywhere, the command palette, and the watch on data changed elsewhere."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from datetime import date, datetime, timezone
from functools import partial

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal

from .api.session import PermissionRefusee, Session
from .palette import CommandesAgesh
from .engine.modele.model import Utilisateur
from .engine.stockage.sqlite import Store, StoreError, default_path
from .menus import MENUS, MENUS_PAR_CLE, Menu, menus_permis
from .screens.accueil import Accueil, lignes_accueil
from .screens.aide import Aide
from .screens.chargement import Chargement
from .screens.connexion import Connexion
from .screens.indisponible import Indisponible
from .screens.profil import Profil

# Menus whose screens exist; the others say plainly that they come later.
ECRANS: dict[str, Callable[[], Screen]] = {"accueil": Accueil}

GROUPE_MENUS = Binding.Group("Menus", compact=True)
VERIFICATION_PERIME = 10.0  # seconds between two looks at the change counter


class AgeshApp(App):
    """AGESH dans le terminal."""

    TITLE = "AGESH — Gestionnaire AESH"
    CSS_PATH = "app.tcss"
    COMMANDS = {CommandesAgesh}
    # Screens lay out side by side from 110 columns, one under the other below.
    HORIZONTAL_BREAKPOINTS = [(0, "-etroit"), (110, "-large")]
    BINDINGS = [
        *(
            Binding(m.touche, f"menu('{m.cle}')", m.libelle, group=GROUPE_MENUS)
            for m in MENUS
        ),
        Binding("question_mark,f1", "aide", "Aide", key_display="?"),
        Binding("R", "recharger", "Recharger les données"),
        Binding("ctrl+p", "command_palette", "Commandes", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    # True when another session wrote since the département was loaded.
    perime = reactive(False)

    def __init__(
        self,
        store: Store,
        today: date,
        session: Session | None = None,
        horloge: Callable[[], datetime] | None = None,
    ):
        """``session``: start already logged in (tests, bench); ``horloge``:
        the clock of the login screen, injectable so that tests control time."""
        super().__init__()
        self.store = store
        self.today = today
        self.session = session
        self.horloge = horloge or (lambda: datetime.now(timezone.utc))
        self.base_demo = store.get_meta("demo") == "1"
        self.signal_donnees: Signal[None] = Signal(self, "donnees")
        self._pret = False

    # -- start: connexion, profile, loading ------------------------------------
    def get_default_screen(self) -> Screen:
        if self.session is None:
            return Connexion()
        return Screen(id="demarrage")

    def on_mount(self) -> None:
        if self.session is not None:
            self._ouvrir_session()

    def indication_otp(self) -> str:
        """On a demo base, how to get a code (with --db when it is not the
        default base, so that the copied command works)."""
        if not self.base_demo:
            return ""
        db = ""
        if self.store.path.resolve() != default_path().resolve():
            db = f" --db {shlex.quote(str(self.store.path))}"
        # A launcher that runs agesh from a venv says how to reach it from
        # another terminal, where that venv is not on the PATH.
        commande = os.environ.get("AGESH_COMMANDE") or "agesh"
        return (
            "Base de démonstration : obtenez un code avec "
            f"« {commande} otp demo.gestionnaire{db} » (ou demo.superviseur) dans un autre terminal."
        )

    def connecte(self, utilisateur: Utilisateur) -> None:
        """Called by Connexion: choose the profile when there are several."""
        if len(utilisateur.profils) > 1:
            self.push_screen(Profil(utilisateur), partial(self._demarrer, utilisateur))
        else:
            self._demarrer(utilisateur, utilisateur.profils[0])

    def _demarrer(self, utilisateur: Utilisateur, profil: str | None) -> None:
        if profil is None:
            return
        self.session = Session(self.store, utilisateur, profil, self.today)
        self._ouvrir_session()

    def _ouvrir_session(self) -> None:
        try:
            self.session.dep
        except StoreError:
            self.push_screen(Chargement(lignes_accueil), self._charge)
        else:
            self._session_prete()

    def _charge(self, ok: bool | None) -> None:
        if ok:
            self._session_prete()

    def _session_prete(self) -> None:
        for menu in menus_permis(self.session.superviseur):
            self.add_mode(menu.cle, ECRANS.get(menu.cle, partial(Indisponible, menu.cle)))
        self._pret = True
        self.switch_mode("accueil")
        self.set_interval(VERIFICATION_PERIME, self._verifier_perime)

    # -- menus -----------------------------------------------------------------
    def menus_ouverts(self) -> tuple[Menu, ...]:
        if not self._pret:
            return ()
        return menus_permis(self.session.superviseur)

    def action_menu(self, cle: str) -> None:
        if not self._pret:
            return
        menu = MENUS_PAR_CLE[cle]
        if menu.superviseur_seulement:
            try:
                self.session.exiger_superviseur()
            except PermissionRefusee as exc:
                self.notify(f"{menu.libelle} : {exc}", severity="error")
                return
        self.switch_mode(cle)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "menu":
            # Hidden before login, and Paramètres hidden for gestionnaires.
            return bool(parameters) and any(m.cle == parameters[0] for m in self.menus_ouverts())
        if action == "recharger":
            return self.perime
        return True

    # -- help, reload, quit ------------------------------------------------------
    def action_aide(self) -> None:
        if not isinstance(self.screen, Aide):
            self.push_screen(Aide(self.screen))

    @work(thread=True, exclusive=True, group="perime", exit_on_error=False)
    def _verifier_perime(self) -> None:
        # In a thread: the store's lock may be held by a worker's write that
        # waits for another session (up to SQLite's busy timeout).
        perime = self.session.perime()
        self.call_from_thread(setattr, self, "perime", perime)

    def watch_perime(self) -> None:
        # The header watches ``perime`` itself; the footer shows « R ».
        self.refresh_bindings()

    def action_recharger(self) -> None:
        self.push_screen(Chargement(lignes_accueil), self._recharge)

    def _recharge(self, ok: bool | None) -> None:
        if ok:
            self.perime = False
            self.signal_donnees.publish(None)
            self.notify("Données rechargées.")

    def action_help_quit(self) -> None:
        self.notify("Pour quitter, appuyez sur ctrl+q.", title="Quitter ?")

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder="Rechercher une commande…")
            )
