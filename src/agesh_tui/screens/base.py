"""What every menu screen shares: the header, the menu bar, the footer, and
how a detail follows the data reloaded under it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Offset

from ..widgets.base import EcranAgesh
from ..widgets.entete import BarreMenus, Entete
from ..widgets.liste import ListeDonnees
from ..widgets.pied import PiedDePage


class EcranMenu(EcranAgesh):
    """A screen of one menu of the guide. Subclasses set ``MENU`` (the menu
    it belongs to) and yield their widgets from ``contenu``."""

    MENU = "accueil"
    # A short French description for the help screen (?).
    AIDE = ""

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # Data reloaded while out of sight: followed when shown again.
        self._a_recharger = False
        # A menu's first screen is styled as it mounts, with the stylesheet of
        # the moment (all of it read at start, app.py): without this, Textual's
        # switch_mode reparses and restyles the whole application first.
        self._css_update_count = self.app._css_update_count
        # Born with its width's class (App.HORIZONTAL_BREAKPOINTS): Textual
        # sets it at the first resize, restyling every widget once more.
        paliers = self.app.HORIZONTAL_BREAKPOINTS or []
        atteints = [c for seuil, c in sorted(paliers) if self.app.size.width >= seuil]
        for _, classe in paliers:
            self.set_class(atteints[-1:] == [classe], classe, update=False)

    def compose(self) -> ComposeResult:
        yield Entete()
        yield BarreMenus(self.MENU)
        yield from self.contenu()
        yield PiedDePage()

    # Textual runs every class's on_mount (and on_screen_resume) in turn: a
    # subclass's own must not call this one again (it would subscribe twice).
    def on_mount(self) -> None:
        self.app.signal_donnees.subscribe(self, lambda _: self._donnees_changees())

    def _donnees_changees(self) -> None:
        # A screen out of sight (under another one, in another menu) follows
        # when shown again: its threads would hold back the screen in front,
        # which a save has to repaint at once.
        if self.is_current:
            self.donnees_rechargees()
        else:
            self._a_recharger = True

    def on_screen_resume(self) -> None:
        if self._a_recharger:
            self._a_recharger = False
            # Painted first from what the Session holds (a save's frises
            # are already there), then brought up to date.
            self.call_after_refresh(self.donnees_rechargees)

    def contenu(self) -> ComposeResult:
        yield from ()

    def donnees_rechargees(self) -> None:
        """Called after the département was reloaded (on its own when
        another session wrote, or « R »): redraw from it, keeping what the
        user typed and where they are."""

    # -- details ---------------------------------------------------------------------
    def suivre_fiche(self, nouvelle: object | None, affichee: object | None, disparue: str) -> None:
        """A detail after a reload, ``nouvelle`` its record's view now (None:
        the record is gone), ``affichee`` the one it shows. Unchanged (another
        record changed): nothing moves. Gone: the detail in front closes
        and says ``disparue``; one under another screen or in another menu
        says it in place (closing it would close the screen in front).
        Changed: redrawn, keeping the scroll, the focus and the lists' rows."""
        if nouvelle == affichee:
            return
        if nouvelle is None and self.app.screen is self:
            self.dismiss()
            self.app.notify(disparue, markup=False)
            return
        # The sections are composed (``with Horizontal``) and the old widgets
        # must be gone before their ids come back: recompose, not remount.
        self.call_later(self._recomposer_en_gardant)

    async def _recomposer_en_gardant(self) -> None:
        defilements: dict[str, Offset] = {
            w.id: w.scroll_offset for w in self.query("*") if w.id and w.is_scrollable
        }
        curseurs = {l.id: cle for l in self.query(ListeDonnees)
                    if l.id and (cle := l.cle_courante()) is not None}
        focus = self.focused.id if self.focused is not None else None
        await self.recompose()
        retrouve = self.query(f"#{focus}") if focus else None
        if retrouve and retrouve.first().focusable:
            retrouve.first().focus(scroll_visible=False)
        else:
            self.focus_apres_recomposition()

        def replacer() -> None:
            # Once laid out: a scroll is clamped to the content's size.
            for ident, (x, y) in defilements.items():
                for widget in self.query(f"#{ident}"):
                    widget.scroll_to(x, y, animate=False)
            for ident, cle in curseurs.items():
                for liste in self.query(f"#{ident}").results(ListeDonnees):
                    liste.placer_sur(cle)

        self.call_after_refresh(replacer)

    def focus_apres_recomposition(self) -> None:
        """The focus of a redrawn detail whose focused widget is gone."""
