"""The bookmarks screen: every bookmark, newest first; enter jumps to it, d deletes it."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.articles import Library
from tui.articles.text import clean
from tui.session import ReadingSession
from tui.store import Bookmark

TITLE = Style(color="#e4e4e4", bold=True)
SECTION = Style(color="#5fafd7")
DIM = Style(color="#8a8a8a")
STALE = Style(color="#d7875f")


def local_time(created: str) -> str:
    """An ISO UTC timestamp as local `YYYY-MM-DD HH:MM`; as stored if it does not parse."""
    try:
        return datetime.fromisoformat(created).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created[:16].replace("T", " ")


class BookmarksScreen(ModalScreen[Bookmark | None]):
    """Lists bookmarks; dismisses with the chosen one (or None)."""

    BINDINGS = [
        Binding("escape,B,q", "dismiss_none", "Close"),
        Binding("d,delete", "delete", "Delete"),
        Binding("enter", "choose", "Open", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, session: ReadingSession, library: Library) -> None:
        super().__init__()
        self.session = session  # the one writer of reader data: deletions go through it
        self.library = library
        self.items: list[Bookmark] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-box"):
            yield OptionList(id="bookmarks-list")
            yield Static(id="bookmarks-empty")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#bookmarks-box")
        box.border_title = "Bookmarks"
        box.border_subtitle = "enter: open · d: delete · esc: close"
        self._refresh_list()
        self.query_one(OptionList).focus()

    def _refresh_list(self, keep: int | None = None) -> None:
        self.items = self.session.bookmarks()
        options = self.query_one("#bookmarks-list", OptionList)
        empty = self.query_one("#bookmarks-empty", Static)
        if not self.items:
            options.display = False
            empty.display = True
            empty.update(
                Text("No bookmarks yet.\n\nPress b while reading to bookmark the section in view.", style=DIM)
            )
            return
        empty.display = False
        options.display = True
        prompts = []
        for bookmark in self.items:
            prompts.append(Option(self._prompt(bookmark)))
        options.set_options(prompts)
        options.highlighted = min(keep or 0, len(prompts) - 1)

    def _prompt(self, bookmark: Bookmark) -> Text:
        article = (
            self.library.article(bookmark.article_id) if self.library.info(bookmark.article_id) else None
        )
        section = article.section(bookmark.section_id) if article else None
        stale = article is None or (bookmark.section_id != "" and section is None)
        # Titles stored in the data file are untrusted too (it may have been edited by hand).
        article_title = article.title if article else clean(bookmark.article_title)
        section_title = section.title if section else clean(bookmark.section_title)
        text = Text.assemble((article_title, TITLE), ("\n  › ", DIM), (section_title, SECTION))
        when = local_time(bookmark.created)
        text.append(f"   {when}", DIM)
        if stale:
            text.append("   (stale: no longer in the articles)", STALE)
        if bookmark.note:
            text.append(f"\n  {clean(bookmark.note)}", DIM)
        return text

    def _selected(self) -> int | None:
        options = self.query_one("#bookmarks-list", OptionList)
        if not self.items or options.highlighted is None:
            return None
        return options.highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.items[event.option_index])

    def action_choose(self) -> None:
        index = self._selected()
        if index is not None:
            self.dismiss(self.items[index])

    def action_cursor(self, step: int) -> None:
        options = self.query_one("#bookmarks-list", OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_delete(self) -> None:
        index = self._selected()
        if index is None:
            return
        bookmark = self.items[index]

        def removed() -> None:
            if self.is_attached:
                self._refresh_list(keep=index)

        self.session.remove_bookmark(bookmark, clean(bookmark.section_title), removed)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
