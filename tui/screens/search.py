"""The search screen (`/`): type words, see matching articles live; enter opens the article at the
section that matched, escape closes.

Each query runs on a thread (the stored index answers in milliseconds, but a first word of one letter
over 100,000 articles may take longer), the newest cancelling the one before; only the hits of what is
in the box now are ever shown. While the stored index is being built, search covers what it holds so far
and the status line says how far it has got.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker, WorkerState

from tui.articles.palette import Palette
from tui.articles.search import Hit
from tui.background import in_daemon_thread
from tui.widgets.prompt_list import PromptList

if TYPE_CHECKING:
    from tui.screens.index_keeper import Searcher

LIMIT = 25
"""Hits listed as you type: a screenful or two; `qa-reader search --limit` goes further."""


def marked(text: str, marks: tuple[tuple[int, int], ...], style: Style, match: Style) -> Text:
    """`text` with the matched spans styled; built as `Text`, so it is never read as markup."""
    result = Text(text, style=style)
    for start, end in marks:
        result.stylize(match, start, end)
    return result


def hit_prompt(hit: Hit, palette: Palette) -> Group:
    """A hit as its question, then its section and snippet indented under it (wrapped lines too)."""
    details = Text()
    if hit.section_title and hit.section_title != hit.title:
        details.append("› ", palette.muted).append(hit.section_title, palette.current)
    if hit.snippet.text:
        if details:
            details.append("\n")
        details.append_text(marked(hit.snippet.text, hit.snippet.marks, palette.text, palette.match))
    title = marked(hit.title, hit.title_marks, palette.title, palette.match)
    return Group(title, Padding(details, (0, 0, 0, 4))) if details else Group(title)


class SearchScreen(ModalScreen[tuple[str, str | None] | None]):
    """Live search across every article; dismisses with (article id, section id) or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(8)", "Page down", show=False),
        Binding("pageup", "move(-8)", "Page up", show=False),
    ]

    def __init__(self, index: Searcher | None, total: int, query: str = "", progress: str = "") -> None:
        super().__init__()
        self.index = index
        self.total = total
        self.query_text = query
        self.progress = progress
        """How far the stored index's build has got ("" when it is not building)."""
        self.hits: list[Hit] = []
        self.shown_query: str | None = None
        self.open_when_found = False
        """Enter came before the hits of what is in the box (typed fast, or over a slow link under
        `qa-reader serve`): the first of them opens when they arrive."""
        """The query whose hits are on screen."""

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(value=self.query_text, placeholder="Search every article…", id="search-input")
            yield Static(id="search-status")
            yield PromptList(lambda index, palette: hit_prompt(self.hits[index], palette), id="search-hits")

    def on_mount(self) -> None:
        box = self.query_one("#search-box")
        box.border_title = "Search"
        box.border_subtitle = "↑↓: choose · enter: open · esc: close"
        self.query_one("#search-hits", OptionList).can_focus = False
        self.query_one(Input).focus()
        self._run(self.query_text)

    def set_index(self, index: Searcher) -> None:
        """The index is ready (or holds more): search again with what is typed."""
        self.index = index
        self._run(self.query_one(Input).value)

    def set_progress(self, progress: str, total: int) -> None:
        """The stored index's build got further ("" when it is done)."""
        self.progress = progress
        self.total = total or self.total
        if not self.query_text.strip() or self.index is None:
            self._run(self.query_text)
        else:
            self._say_found()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.open_when_found = False
        self._run(event.value)

    def _run(self, query: str) -> None:
        self.query_text = query
        status = self.query_one("#search-status", Static)
        hits_list = self.query_one("#search-hits", PromptList)
        muted = self.app.palette.muted  # type: ignore[attr-defined]
        if not query.strip():
            self.hits = []
            self.shown_query = query
            hits_list.show(0)
            if self.progress:
                status.update(Text(f"Type words to search; {self.progress} (search covers those).", muted))
            else:
                status.update(
                    Text(f"Type words to search {self.total:,} articles; every word must match.", muted)
                )
            return
        if self.index is None:
            if self.progress:
                status.update(Text(f"{self.progress[0].upper()}{self.progress[1:]}…", muted))
            else:
                total = f" {self.total:,} articles" if self.total else ""
                status.update(Text(f"Indexing{total}…", muted))
            return
        self.run_worker(
            in_daemon_thread(self._search, self.index, query),
            name="search",
            group="search",
            exclusive=True,
            exit_on_error=False,
        )

    @staticmethod
    def _search(index: Searcher, query: str) -> tuple[str, list[Hit]]:
        return query, index.search(query, limit=LIMIT)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "search":
            return
        if event.state == WorkerState.SUCCESS:
            query, hits = event.worker.result
            if query != self.query_text:
                return  # (typed on since: its own search follows)
            self.hits = hits
            self.shown_query = query
            self.query_one("#search-hits", PromptList).show(len(hits))
            self._say_found()
            if self.open_when_found and hits:
                self.open_when_found = False
                self.dismiss((hits[0].article_id, hits[0].section_id))
        elif event.state == WorkerState.ERROR:
            status = self.query_one("#search-status", Static)
            error = self.app.palette.callout_danger  # type: ignore[attr-defined]
            status.update(Text(f"Search failed: {event.worker.error}", error))

    def _say_found(self) -> None:
        muted = self.app.palette.muted  # type: ignore[attr-defined]
        status = self.query_one("#search-status", Static)
        building = f" · {self.progress} (search covers those)" if self.progress else ""
        if self.shown_query is None or not self.shown_query.strip():
            return
        if self.hits:
            noun = "article" if len(self.hits) == 1 else "articles"
            more = "+" if len(self.hits) >= LIMIT else ""
            status.update(Text(f"{len(self.hits)}{more} {noun}{building}", muted))
        else:
            status.update(Text(f"Nothing matches “{self.shown_query.strip()}”.{building}", muted))

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self.query_text.strip() and self.shown_query != self.query_text:
            self.open_when_found = True  # its search is still running
            return
        hits_list = self.query_one("#search-hits", OptionList)
        index = hits_list.highlighted
        if self.hits and index is not None:
            hit = self.hits[index]
            self.dismiss((hit.article_id, hit.section_id))

    @on(OptionList.OptionSelected, "#search-hits")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits[event.option_index]
        self.dismiss((hit.article_id, hit.section_id))

    def action_move(self, step: int) -> None:
        hits_list = self.query_one("#search-hits", OptionList)
        if not self.hits:
            return
        current = hits_list.highlighted or 0
        hits_list.highlighted = max(0, min(len(self.hits) - 1, current + step))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
