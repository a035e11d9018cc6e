"""The sidebar: every article's question; the open one unfolds into its sections.

Entries are plain strings drawn by `EntryList`, so a question that looks like markup is shown as
written, long questions wrap under themselves, and thousands of questions list at once.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import AwaitMount
from textual.widgets import Input, Label

from tui.articles.model import Article, ArticleInfo
from tui.messages import OpenArticle
from tui.widgets.entry_list import Entry, EntryList

SEP = "\x00"  # entry keys are "a<NUL>article" and "s<NUL>article<NUL>section"; no path holds a NUL


def article_key(article_id: str) -> str:
    """The entry key of an article."""
    return f"a{SEP}{article_id}"


def section_key(article_id: str, section_id: str) -> str:
    """The entry key of a section of an article."""
    return f"s{SEP}{article_id}{SEP}{section_id}"


class Sidebar(EntryList):
    """Questions, plus the sections of the open article with the one being read marked."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.infos: list[ArticleInfo] = []
        self.filter_words: list[str] = []
        self._folded: dict[str, str] = {}  # title -> folded title, for the filter
        self._entries: dict[str, Entry] = {}  # article id -> its entry when not open
        self.open_id: str | None = None
        self.current_section: str | None = None
        self.bookmarked: set[str] = set()
        self._article: Article | None = None

    def set_articles(self, infos: list[ArticleInfo]) -> None:
        """Fill the list with questions."""
        self.infos = list(infos)
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Show only the questions holding every word of `text` (case- and accent-insensitive)."""
        from tui.articles.search import words_of

        words = words_of(text)
        if words != self.filter_words:
            self.filter_words = words
            self._rebuild(keep_cursor=False)  # on the first match: enter in the filter opens it
            if not words:
                self.follow_reading()  # cleared: back on what is being read

    def _shown(self) -> list[ArticleInfo]:
        if not self.filter_words:
            return self.infos
        from tui.articles.search import fold

        shown = []
        for info in self.infos:
            folded = self._folded.get(info.title)
            if folded is None:
                folded = self._folded[info.title] = fold(info.title)
            if all(word in folded for word in self.filter_words):
                shown.append(info)
        return shown

    def show_article(self, article: Article, bookmarked: set[str]) -> None:
        """Unfold the open article's sections and put the cursor on it."""
        previous = self.open_id
        self._article = article
        self.open_id = article.id
        self.bookmarked = set(bookmarked)
        self.current_section = None
        for position, info in enumerate(self.infos):
            if info.id == article.id and info.title != article.title:
                self.infos[position] = ArticleInfo(info.id, article.title, info.path, info.order)
        if not self._swap_open(previous, article):
            self._rebuild(keep_cursor=False)
        self.select(article_key(article.id))

    def _swap_open(self, previous: str | None, article: Article) -> bool:
        """Fold the previous article and unfold this one in place: no rebuild of thousands of entries."""
        new_at = self.index_of(article_key(article.id))
        if new_at is None or (previous is not None and self.index_of(article_key(previous)) is None):
            return False
        if previous is not None:
            at = self.index_of(article_key(previous))
            assert at is not None
            prefix = section_key(previous, "")
            count = 0
            while at + 1 + count < len(self.entries) and self.entries[at + 1 + count].key.startswith(prefix):
                count += 1
            info = next((i for i in self.infos if i.id == previous), None)
            if info is None:
                return False
            self.splice(at, 1 + count, [self._article_entry(info)])
        new_at = self.index_of(article_key(article.id))
        info = next((i for i in self.infos if i.id == article.id), None)
        if new_at is None or info is None:
            return False
        sections = [
            self._section_entry(section.id)
            for section in article.sections
            if not (section.level == 1 and section.title == article.title)
        ]
        self.splice(new_at, 1, [self._article_entry(info), *sections])
        return True

    def _rebuild(self, keep_cursor: bool = True) -> None:
        keep = self.cursor_key if keep_cursor else None
        shown = self._shown()
        total = len(self.infos)
        self.border_title = (
            f"Questions ({total})" if not self.filter_words else f"Questions ({len(shown)} of {total})"
        )
        entries: list[Entry] = []
        if not shown:
            text = "No question matches the filter." if self.filter_words else "No articles yet."
            entries.append(Entry("empty", text, "muted", selectable=False))
        for info in shown:
            entries.append(self._article_entry(info))
            if info.id == self.open_id and self._article is not None:
                for section in self._article.sections:
                    if section.level == 1 and section.title == self._article.title:
                        continue
                    entries.append(self._section_entry(section.id))
        self.set_entries(entries, keep)

    def _article_entry(self, info: ArticleInfo) -> Entry:
        if info.id == self.open_id:
            entry = Entry(article_key(info.id), info.title, "current", "▸ ", "current")
        else:
            entry = self._entries.get(info.id)
            if entry is None or entry.text != info.title:  # made once per question, not on every switch
                entry = self._entries[info.id] = Entry(article_key(info.id), info.title, "text", "  ")
        if self.filter_words:  # the words the filter matched, on the title's own characters
            from tui.articles.search import match_spans

            entry = replace(entry, marks=match_spans(info.title, self.filter_words))
        return entry

    def _section_entry(self, section_id: str) -> Entry:
        article = self._article
        assert article is not None and self.open_id is not None
        section = article.section(section_id)
        assert section is not None
        current = section_id == self.current_section
        style = "current" if current else "muted"
        indent = "  " + "  " * max(0, section.level - 2)
        lead = indent + ("● " if current else "· ") + ("★ " if section_id in self.bookmarked else "")
        return Entry(
            section_key(self.open_id, section_id),
            section.title,
            style,
            lead,
            "marked" if "★" in lead else style,
        )

    def mark_section(self, section_id: str | None) -> None:
        """Mark the section being read; without focus the cursor follows it (with focus it stays where the
        user put it)."""
        if self.open_id is None or self._article is None or section_id == self.current_section:
            return
        previous, self.current_section = self.current_section, section_id
        for changed in (previous, section_id):
            if changed is not None and self._article.section(changed) is not None:
                self.replace_entry(section_key(self.open_id, changed), self._section_entry(changed))
        if not self.has_focus:
            self.follow_reading()

    def follow_reading(self) -> None:
        """Put the cursor on what is being read: the marked section, else the open question (when listed).

        A blurred cursor left on a row chosen long ago would be a second highlight disagreeing with the ●.
        """
        if self.open_id is None:
            return
        if self.current_section is not None and self.select(section_key(self.open_id, self.current_section)):
            return
        self.select(article_key(self.open_id))

    def on_blur(self) -> None:
        # Left, the cursor goes back to what is being read (and so is there when the sidebar is focused
        # again). The terminal losing focus is not the user leaving the sidebar.
        if self.app.app_focus:
            self.follow_reading()

    def mark_bookmarks(self, bookmarked: set[str]) -> None:
        """Refresh the ★ marks after a bookmark was added or removed."""
        if self._article is None or self.open_id is None:
            return
        changed = bookmarked ^ self.bookmarked
        self.bookmarked = set(bookmarked)
        for section_id in changed:
            if self._article.section(section_id) is not None:
                self.replace_entry(section_key(self.open_id, section_id), self._section_entry(section_id))

    @on(EntryList.Chosen)
    def _chosen(self, event: EntryList.Chosen) -> None:
        event.stop()
        kind, _, rest = event.key.partition(SEP)
        if kind == "a":
            self.post_message(OpenArticle(rest))
        elif kind == "s":
            article_id, _, section_id = rest.partition(SEP)
            self.post_message(OpenArticle(article_id, section_id))


class QuestionsPane(Vertical):
    """The sidebar, with a filter line (ctrl+f) above it, hidden until asked for.

    The filter line is built after the first paint (not before it), so it is there to take the keys
    typed right after ctrl+f. It is labelled ("Filter") and has no side margin: a child's side margin
    narrows every child of the pane, the sidebar too, and would re-wrap every question.
    """

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._filter_field: Input | None = None
        self._filter_mounted: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        yield Sidebar(id="sidebar")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_filter_early)

    def _build_filter_early(self) -> None:
        if self.is_attached:  # (not when the app quit before its first paint was over)
            self._build_filter()

    def _build_filter(self) -> tuple[Input, AwaitMount]:
        if self._filter_field is None or self._filter_mounted is None:
            # No placeholder: the label names the line, and a placeholder is too faint on $panel to read.
            self._filter_field = field = Input(id="filter")
            bar = Horizontal(Label("Filter", id="filter-label"), field, id="filter-bar")
            self._filter_mounted = self.mount(bar, before=0)
        return self._filter_field, self._filter_mounted

    @property
    def filter_input(self) -> Input | None:
        """The filter line, once it exists."""
        found = self.query("#filter")
        return found.first(Input) if found else None

    def start_filter(self) -> None:
        """Show the filter line and put the cursor in it."""
        self.add_class("filtering")
        field, mounted = self._build_filter()
        if field.is_mounted:
            field.focus()
            return

        async def focus_when_mounted() -> None:  # (ctrl+f pressed before the first paint was over)
            await mounted
            field.focus()

        self.call_later(focus_when_mounted)

    def action_clear_filter(self) -> None:
        """Empty and hide the filter; the list shows every question again."""
        field = self.filter_input
        if field is None or not self.has_class("filtering"):
            raise SkipAction()  # no filter to clear: escape means what it means elsewhere
        field.value = ""
        self.remove_class("filtering")
        sidebar = self.query_one(Sidebar)
        sidebar.set_filter("")
        sidebar.focus()

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
        sidebar.action_choose()

    def on_key(self, event: events.Key) -> None:
        field = self.filter_input
        if event.key == "down" and field is not None and field.has_focus:
            event.stop()
            self.query_one(Sidebar).focus()
