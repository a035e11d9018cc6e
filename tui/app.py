"""ReaderApp: thin. The styles, the app's own keys, the reading session and the default screen.

The reading screen (tui/screens/reader.py) owns the widgets and answers their messages; the session
(tui/session.py) is the one writer of reader data. The app holds both and shows notices.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.app import App

from tui import keys
from tui.articles import Library
from tui.articles.palette import Palette
from tui.screens.reader import ReaderScreen
from tui.session import ReadingSession, Shown
from tui.store import Store
from tui.theme import palette_for

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel

LOCK_WAIT = 30.0
"""Seconds a background write waits for another qa-reader's lock on the data file (the screen never does)."""
QUIT_WAIT = 3.0
"""Seconds `q` waits for writes still under way (the place just saved) before the reader exits anyway."""


def _provider(name: str) -> type[Provider]:
    from tui import commands

    return cast("type[Provider]", getattr(commands, name))


class ReaderApp(App[None]):
    """The reader."""

    CSS_PATH = "reader.tcss"
    TITLE = "qa-reader"
    # Providers are imported when the palette first opens, not at start-up.
    COMMANDS = App.COMMANDS | {lambda: _provider("QuestionCommands"), lambda: _provider("ReaderCommands")}
    BINDINGS = keys.bindings(app_level=True)

    def __init__(
        self, library: Library, db: Path, article_id: str | None = None, theme: str | None = None
    ) -> None:
        super().__init__()
        self.library = library
        store = Store(db, lock_timeout=LOCK_WAIT)
        self.session = ReadingSession(store, self.tell, self._shown, self.call_later)
        self.reader = ReaderScreen(library, self.session, article_id)
        # The theme: --theme, else the one chosen last (kept in the data file), else Textual's default.
        # A saved name this Textual does not have is left in the file (a newer release may have it).
        saved = self.session.saved_theme()
        self._theme_notice = ""
        self._saved_theme = saved
        self._theme_given = theme is not None
        self._saved_at_exit = False
        self._themed = False  # set at mount: a theme set before it is the start-up choice, not a new one
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        elif saved is not None and saved in self.available_themes:
            self.theme = saved
        elif saved is not None:
            self._theme_notice = f"The saved theme {saved!r} is not available here; using {self.theme!r}."

    @property
    def palette(self) -> Palette:
        """The styles of the theme in use, by role (see tui/theme.py)."""
        return palette_for(self.current_theme)

    def watch_theme(self, name: str) -> None:
        """A new theme (from the palette, ctrl+p): redraw what was drawn in the old one, and remember it."""
        if not getattr(self, "_themed", False):  # (Textual sets a theme in App.__init__ too)
            return
        if name != self._saved_theme:
            self._saved_theme = name
            self.session.remember_theme(name)
        self.call_next(self.reader.restyle)

    def get_default_screen(self) -> ReaderScreen:
        return self.reader

    def on_mount(self) -> None:
        for notice in self.session.store.notices:
            self.notify(notice, title="Reader data", severity="warning", timeout=10, markup=False)
        if self._theme_notice:
            self.notify(self._theme_notice, title="Theme", severity="warning", timeout=6, markup=False)
        self._themed = True
        if self.theme != self._saved_theme and self._theme_given:
            self._saved_theme = self.theme
            self.session.remember_theme(self.theme)  # --theme NAME is a choice like any other
        self.session.upgrade(self.library)

    def tell(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float = 3
    ) -> None:
        """A notice about reader data (article and stored text is never markup)."""
        self.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _shown(self, shown: Shown) -> None:
        """The session changed what it holds for the open article: the reading screen follows."""
        if self.reader.is_mounted:
            self.reader.shown = shown

    def action_help(self) -> None:
        """?: every key and what it does."""
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """q: save the place and quit (waiting a moment at most for the write; see on_exit_app)."""
        self.exit()

    async def on_exit_app(self) -> None:
        """Every way out: q, and under `qa-reader serve` a closed browser tab or a stopped server (the web
        driver turns those into ExitApp). This runs before Textual's own handler closes the screens: the
        place is saved and writes under way are waited for (a moment at most)."""
        if self._saved_at_exit:
            return
        self._saved_at_exit = True
        if self.reader.is_mounted:
            self.reader.save_place()
        await self.session.finish(QUIT_WAIT)
