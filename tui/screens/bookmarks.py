"""The bookmarks screen: every bookmark, newest first; enter jumps to it, d deletes it."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from tui.articles import Library
from tui.articles.palette import Palette
from tui.articles.text import clean
from tui.session import ReadingSession
from tui.store import Bookmark
from tui.widgets.key_footer import KeyFooter
from tui.widgets.prompt_list import PromptList


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
            yield PromptList(self._prompt_at, id="bookmarks-list")
            yield Static(id="bookmarks-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        box = self.query_one("#bookmarks-box")
        box.border_title = "Bookmarks"
        box.border_subtitle = "enter: open · d: delete · esc: close"
        self._refresh_list()
        self.query_one(OptionList).focus()

    def _refresh_list(self, keep: int | None = None) -> None:
        self.items = self.session.bookmarks()
        options = self.query_one("#bookmarks-list", PromptList)
        empty = self.query_one("#bookmarks-empty", Static)
        if not self.items:
            options.display = False
            empty.display = True
            muted = self.app.palette.muted  # type: ignore[attr-defined]
            empty.update(
                Text(
                    "No bookmarks yet.\n\nPress b while reading to bookmark the section in view.", style=muted
                )
            )
            return
        empty.display = False
        options.display = True
        options.show(len(self.items), keep or 0)

    def _prompt_at(self, index: int, palette: Palette) -> Text:
        return self._prompt(self.items[index], palette)

    def _prompt(self, bookmark: Bookmark, palette: Palette) -> Text:
        article = (
            self.library.article(bookmark.article_id) if self.library.info(bookmark.article_id) else None
        )
        section = article.section(bookmark.section_id) if article else None
        stale = article is None or (bookmark.section_id != "" and section is None)
        # Titles stored in the data file are untrusted too (it may have been edited by hand).
        article_title = article.title if article else clean(bookmark.article_title)
        section_title = section.title if section else clean(bookmark.section_title)
        dim = palette.muted
        text = Text.assemble(
            (article_title, palette.title), ("\n  › ", dim), (section_title, palette.current)
        )
        when = local_time(bookmark.created)
        text.append(f"   {when}", dim)
        if stale:
            text.append("   (stale: no longer in the articles)", palette.warning)
        if bookmark.note:
            text.append(f"\n  {clean(bookmark.note)}", dim)
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
