"""ReaderApp: placeholder until the reader lands."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, OptionList

from tui.articles import Library


class ReaderApp(App[int]):
    """The reader."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, library: Library, db: Path, article_id: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.db = db
        self.start_article = article_id

    def compose(self) -> ComposeResult:
        yield OptionList(*[info.title for info in self.library.infos])
        yield Footer()
