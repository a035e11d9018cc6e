"""The sidebar: every article's question; the open one unfolds into its sections.

An `OptionList` (a virtual list, cheap with thousands of entries) whose prompts are Rich `Text`, so a
question that looks like markup is shown as written. Long questions wrap instead of being cut off.
"""

from __future__ import annotations

from contextlib import suppress

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.articles.model import Article, ArticleInfo
from tui.articles.search import fold, words_of
from tui.messages import OpenArticle

CURRENT = Style(color="#5fafd7", bold=True)
SECTION = Style(color="#9e9e9e")
MARK = Style(color="#d7af5f")
SEP = "\t"  # option ids are "a<TAB>article" and "s<TAB>article<TAB>section"; ids never hold a tab


class Sidebar(OptionList):
    """Questions, plus the sections of the open article with the one being read marked."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.infos: list[ArticleInfo] = []
        self.filter_words: list[str] = []
        self._folded: dict[str, str] = {}  # title -> fold(title), for the filter
        self.open_id: str | None = None
        self.current_section: str | None = None
        self.bookmarked: set[str] = set()
        self._article: Article | None = None

    def set_articles(self, infos: list[ArticleInfo]) -> None:
        """Fill the list with questions."""
        self.infos = list(infos)
        self._folded = {}
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Show only the questions holding every word of `text` (case- and accent-insensitive)."""
        words = words_of(text)
        if words != self.filter_words:
            self.filter_words = words
            self._rebuild()
            if self.option_count:
                self.highlighted = 0

    def _shown(self) -> list[ArticleInfo]:
        if not self.filter_words:
            return self.infos
        shown = []
        for info in self.infos:
            folded = self._folded.get(info.title)
            if folded is None:
                folded = self._folded[info.title] = fold(info.title)
            if all(word in folded for word in self.filter_words):
                shown.append(info)
        return shown

    def show_article(self, article: Article, bookmarked: set[str]) -> None:
        """Unfold the open article's sections."""
        self._article = article
        self.open_id = article.id
        self.bookmarked = set(bookmarked)
        self.current_section = None
        self.infos = [
            info
            if info.id != article.id or info.title == article.title
            else ArticleInfo(info.id, article.title, info.path, info.order)
            for info in self.infos
        ]
        self._rebuild()
        self._highlight_open()

    def _highlight_open(self) -> None:
        if self.open_id is None:
            return
        with suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(_article_option(self.open_id))

    def _rebuild(self) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option is not None else None
        options: list[Option] = []
        shown = self._shown()
        total = len(self.infos)
        self.border_title = (
            f"Questions ({total})" if not self.filter_words else f"Questions ({len(shown)} of {total})"
        )
        if not shown and self.filter_words:
            options.append(Option(Text("No question matches the filter.", SECTION), disabled=True))
        for info in shown:
            options.append(Option(self._article_prompt(info), id=_article_option(info.id)))
            if info.id == self.open_id and self._article is not None:
                for section in self._article.sections:
                    if section.level == 1 and section.title == self._article.title:
                        continue
                    options.append(
                        Option(self._section_prompt(section.id), id=_section_option(info.id, section.id))
                    )
        self.set_options(options)
        if highlighted is not None:
            try:
                self.highlighted = self.get_option_index(highlighted)
            except OptionDoesNotExist:
                self._highlight_open()

    def _article_prompt(self, info: ArticleInfo) -> Table:
        if info.id == self.open_id:
            return _hanging(0, "▸", Text(info.title, CURRENT), CURRENT)
        return _hanging(0, " ", Text(info.title))

    def _section_prompt(self, section_id: str) -> Table:
        article = self._article
        assert article is not None
        section = article.section(section_id)
        assert section is not None
        indent = 2 + 2 * max(0, section.level - 2)
        current = section_id == self.current_section
        style = CURRENT if current else SECTION
        title = Text(section.title, style)
        if section_id in self.bookmarked:
            title = Text.assemble(("★ ", MARK), title)
        return _hanging(indent, "●" if current else "·", title, style)

    def mark_section(self, section_id: str | None) -> None:
        """Mark the section being read (the cursor stays where the user put it)."""
        if self.open_id is None or self._article is None or section_id == self.current_section:
            return
        previous, self.current_section = self.current_section, section_id
        for changed in (previous, section_id):
            if changed is None or self._article.section(changed) is None:
                continue
            try:
                self.replace_option_prompt(
                    _section_option(self.open_id, changed), self._section_prompt(changed)
                )
            except OptionDoesNotExist:
                continue

    def mark_bookmarks(self, bookmarked: set[str]) -> None:
        """Refresh the ★ marks after a bookmark was added or removed."""
        if self._article is None or self.open_id is None:
            return
        changed = bookmarked ^ self.bookmarked
        self.bookmarked = set(bookmarked)
        for section_id in changed:
            if self._article.section(section_id) is not None:
                try:
                    self.replace_option_prompt(
                        _section_option(self.open_id, section_id), self._section_prompt(section_id)
                    )
                except OptionDoesNotExist:
                    continue

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        kind, _, rest = option_id.partition(SEP)
        if kind == "a":
            self.post_message(OpenArticle(rest))
        elif kind == "s":
            article_id, _, section_id = rest.partition(SEP)
            self.post_message(OpenArticle(article_id, section_id))


class QuestionsPane(Vertical):
    """The sidebar with its filter line (ctrl+f) above it."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter questions…", id="filter")
        yield Sidebar(id="sidebar")

    def start_filter(self) -> None:
        """Show the filter line and put the cursor in it."""
        self.add_class("filtering")
        self.query_one(Input).focus()

    def action_clear_filter(self) -> None:
        """Empty and hide the filter; the list shows every question again."""
        field = self.query_one(Input)
        if not self.has_class("filtering"):
            return
        field.value = ""
        self.remove_class("filtering")
        self.query_one(Sidebar).set_filter("")
        self.query_one(Sidebar).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one(Sidebar).set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the first (highlighted) question."""
        event.stop()
        sidebar = self.query_one(Sidebar)
        sidebar.focus()
        if sidebar.highlighted is not None and sidebar.option_count:
            sidebar.action_select()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.query_one(Input).has_focus:
            event.stop()
            self.query_one(Sidebar).focus()


def _hanging(indent: int, marker: str, text: Text, style: Style | str = "") -> Table:
    """Indent, a one-cell marker, then `text`, its wrapped lines aligned under the text."""
    grid = Table.grid()
    if indent:
        grid.add_column(width=indent, no_wrap=True)
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(ratio=1)
    cells = [Text(" " * indent)] if indent else []
    grid.add_row(*cells, Text(marker, style), text)
    return grid


def _article_option(article_id: str) -> str:
    return f"a{SEP}{article_id}"


def _section_option(article_id: str, section_id: str) -> str:
    return f"s{SEP}{article_id}{SEP}{section_id}"
