"""The search screen (`/`): type words, see matching articles live; enter opens the article at the
section that matched, escape closes."""

from __future__ import annotations

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
from textual.widgets.option_list import Option

from tui.articles.search import Hit, SearchIndex

TITLE = Style(color="#e4e4e4", bold=True)
SECTION = Style(color="#5fafd7")
SNIPPET = Style(color="#a8a8a8")
MATCH = Style(color="#ffd75f", bold=True, underline=True)
DIM = Style(color="#8a8a8a")
LIMIT = 25
"""Hits listed as you type: a screenful or two; `qa-reader search --limit` goes further."""


def marked(text: str, marks: tuple[tuple[int, int], ...], style: Style, match: Style = MATCH) -> Text:
    """`text` with the matched spans styled; built as `Text`, so it is never read as markup."""
    result = Text(text, style=style)
    for start, end in marks:
        result.stylize(match, start, end)
    return result


def hit_prompt(hit: Hit) -> Group:
    """A hit as its question, then its section and snippet indented under it (wrapped lines too)."""
    details = Text()
    if hit.section_title and hit.section_title != hit.title:
        details.append("› ", DIM).append(hit.section_title, SECTION)
    if hit.snippet.text:
        if details:
            details.append("\n")
        details.append_text(marked(hit.snippet.text, hit.snippet.marks, SNIPPET))
    title = marked(hit.title, hit.title_marks, TITLE)
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

    def __init__(self, index: SearchIndex | None, total: int, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.total = total
        self.query_text = query
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(value=self.query_text, placeholder="Search every article…", id="search-input")
            yield Static(id="search-status")
            yield OptionList(id="search-hits")

    def on_mount(self) -> None:
        box = self.query_one("#search-box")
        box.border_title = "Search"
        box.border_subtitle = "↑↓: choose · enter: open · esc: close"
        self.query_one("#search-hits", OptionList).can_focus = False
        self.query_one(Input).focus()
        self._run(self.query_text)

    def set_index(self, index: SearchIndex) -> None:
        """The index finished building: search again with what was typed meanwhile."""
        self.index = index
        self._run(self.query_one(Input).value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._run(event.value)

    def _run(self, query: str) -> None:
        self.query_text = query
        status = self.query_one("#search-status", Static)
        hits_list = self.query_one("#search-hits", OptionList)
        if not query.strip():
            self.hits = []
            hits_list.clear_options()
            status.update(Text(f"Type words to search {self.total} articles; every word must match.", DIM))
            return
        if self.index is None:
            status.update(Text(f"Indexing {self.total} articles…", DIM))
            return
        self.hits = self.index.search(query, limit=LIMIT)
        hits_list.set_options([Option(hit_prompt(hit)) for hit in self.hits])
        if self.hits:
            hits_list.highlighted = 0
            noun = "article" if len(self.hits) == 1 else "articles"
            more = "+" if len(self.hits) >= LIMIT else ""
            status.update(Text(f"{len(self.hits)}{more} {noun}", DIM))
        else:
            status.update(Text(f"Nothing matches “{query.strip()}”.", DIM))

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
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
