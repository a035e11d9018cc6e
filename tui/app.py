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
from tui.screens.reader import ReaderScreen
from tui.session import ReadingSession, Shown
from tui.store import Store

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

    def __init__(self, library: Library, db: Path, article_id: str | None = None) -> None:
        super().__init__()
        self.library = library
        store = Store(db, lock_timeout=LOCK_WAIT)
        self.session = ReadingSession(store, self.tell, self._shown, self.call_later)
        self.reader = ReaderScreen(library, self.session, article_id)

    def get_default_screen(self) -> ReaderScreen:
        return self.reader

    def on_mount(self) -> None:
        for notice in self.session.store.notices:
            self.notify(notice, title="Reader data", severity="warning", timeout=10, markup=False)
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
        """q: save the place and quit (waiting a moment at most for the write)."""
        self.reader.save_place()
        await self.session.finish(QUIT_WAIT)
        self.exit()
