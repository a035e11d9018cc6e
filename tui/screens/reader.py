"""ReaderScreen: the reading screen. It owns the reading widgets and decides what they show.

Widgets post messages (tui/messages.py); the screen answers them and tells widgets what to show.
Reader state (views, likes, bookmarks, places, history) lives in the app's ReadingSession
(tui/session.py), the only writer of the data file: the screen asks it, and `shown` follows its changes.
Layout (narrow, crowded, short) is the pure function tui/layout.py, applied whenever a reactive it
depends on changes or the terminal is resized.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui import keys, opener
from tui.articles import Article, Library
from tui.articles.files import file_stamp
from tui.articles.model import note_label
from tui.articles.text import clean
from tui.background import in_daemon_thread
from tui.layout import lay_out
from tui.messages import (
    FindStatus,
    FollowLink,
    IndexProgress,
    JumpToCitation,
    OpenArticle,
    SectionChanged,
    ShowNote,
)
from tui.screens.index_keeper import WORKERS, IndexKeeper
from tui.session import Place, ReadingSession, Shown
from tui.store import Bookmark
from tui.widgets.article_header import ArticleHeader
from tui.widgets.article_view import ArticleView
from tui.widgets.comparison_view import ComparisonView
from tui.widgets.find_bar import FindBar
from tui.widgets.footnote_panel import FootnotePanel
from tui.widgets.key_footer import KeyFooter
from tui.widgets.prompt_list import PromptList
from tui.widgets.sidebar import QuestionsPane, Sidebar

if TYPE_CHECKING:
    from tui.articles import ArticleInfo
    from tui.screens.index_keeper import Searcher

PLACE_EVERY = 1.0
"""Seconds between checks of the reading place (written only when it moved)."""
WATCH_EVERY = 1.0
"""Seconds between checks of the open article's file for changes on disk."""
INDEX_AFTER = 0.5
"""Seconds after the first paint before the stored search index is refreshed (at once when the folder was
too big to list before the first paint: the sidebar waits for it)."""


class ReaderScreen(Screen[None]):
    """The questions, the article, its comparison and its notes."""

    BINDINGS = keys.bindings(app_level=False)

    notes_open: reactive[bool] = reactive(False, init=False)
    """The footnote panel is open."""
    sidebar_wanted: reactive[bool] = reactive(True, init=False)
    """The user has not hidden the sidebar with s."""
    sidebar_forced: reactive[bool] = reactive(False, init=False)
    """The user asked for the sidebar while the notes were open: it stays even where they crowd it."""
    summoned: reactive[bool] = reactive(False, init=False)
    """On a narrow terminal, the sidebar was called up over the text."""
    shown: reactive[Shown] = reactive(Shown, init=False, always_update=True)
    """What the session holds for the open article (views, like, bookmarks)."""

    def __init__(self, library: Library, session: ReadingSession, article_id: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.session = session
        self.start_article = article_id
        self.article: Article | None = None
        self.index = IndexKeeper(self)  # the stored search index, refreshed after the first paint
        self.comparison_index: int | None = None
        self._focus_before_comparison: Widget | None = None
        self._scroll_before_comparison = 0.0
        self._index_waiting = False
        self._showing_tail = False  # the end of a long article, parsed on its own, is on screen (after G)
        self._bottom_pending = False  # G pressed before a long article was fully parsed
        self._file_stamp: tuple[int, int] | None = None  # the open article's file when it was read

    # -- widgets ------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield QuestionsPane(id="questions")
            with Vertical(id="reading"):
                yield ArticleHeader(id="header")
                yield ArticleView(id="article")
                yield ComparisonView(id="comparison")
                yield FindBar(id="find")
            yield FootnotePanel(id="footnotes")
        yield KeyFooter()

    @property
    def questions(self) -> QuestionsPane:
        return self.query_one(QuestionsPane)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def header(self) -> ArticleHeader:
        return self.query_one(ArticleHeader)

    @property
    def footnotes(self) -> FootnotePanel:
        return self.query_one(FootnotePanel)

    @property
    def comparison(self) -> ComparisonView:
        return self.query_one(ComparisonView)

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    def on_mount(self) -> None:
        self.comparison.display = False
        self.footnotes.display = False
        infos = self.index.list_now()
        if infos is not None:
            self.sidebar.set_articles(infos)
            for problem in self.library.problems[:3]:
                self.notify(clean(str(problem)), severity="warning", markup=False)
        else:
            self.sidebar.set_note("listing…")
            if self.library.catalog is not None:  # a long stored list: read on a thread, after the paint
                self.sidebar.expected = self.index.count()  # (the count is known before the list)
                self.index.list_later()
        self._lay_out()
        target = self.start_article or self.session.last_article()
        if target is None or self.library.info(target) is None:
            target = infos[0].id if infos else None
        if target is not None:
            self.open_article(target, record=False)
            self.view.focus()
        elif infos is None:  # (the list is on its way: the first question opens then)
            self.header.show_message(f"Listing the articles in {self.library.root}…")
        else:
            self.header.show_message(
                f"No articles in {self.library.root} yet. Add .md files there, or start with --content DIR."
            )
            self.sidebar.focus()
            return
        self.set_interval(PLACE_EVERY, self.save_place)
        self.set_interval(WATCH_EVERY, self.watch_file)
        # The search index is refreshed once the first screen is up, never before it; at once when the
        # sidebar waits for it.
        if infos is None and self.library.catalog is None:
            self.call_after_refresh(self.build_index)
        else:
            self.set_timer(INDEX_AFTER, self.build_index)

    def restyle(self) -> None:
        """The theme changed: redraw what holds colours of its own (lists and headers draw on demand)."""
        self.view.restyle()
        self.comparison.restyle()
        for screen in self.app.screen_stack:
            for prompts in screen.query(PromptList):
                prompts.restyle()
        self.refresh(layout=False)
        for widget in self.query("*"):
            widget.refresh()

    # -- layout -------------------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._lay_out(event.size.width, event.size.height)

    def watch_notes_open(self, open_: bool) -> None:
        self.footnotes.display = open_
        self._lay_out()

    def watch_sidebar_wanted(self) -> None:
        self._lay_out()

    def watch_sidebar_forced(self) -> None:
        self._lay_out()

    def watch_summoned(self) -> None:
        self._lay_out()

    def _lay_out(self, width: int | None = None, height: int | None = None) -> None:
        size = self.app.size
        layout = lay_out(
            size.width if width is None else width,
            size.height if height is None else height,
            notes_open=self.notes_open,
            comparing=self.comparison_index is not None,
            sidebar_wanted=self.sidebar_wanted,
            sidebar_forced=self.sidebar_forced,
            summoned=self.summoned,
        )
        self.set_class(layout.narrow, "narrow")
        self.set_class(layout.short, "short")
        self.header.answer_lines = layout.answer_lines
        self.questions.display = layout.sidebar
        self.query_one("#reading").display = layout.reading

    @property
    def narrow(self) -> bool:
        return self.has_class("narrow")

    # -- what the session holds ---------------------------------------------------------------------------
    def watch_shown(self, shown: Shown) -> None:
        if self.article is None or shown.article_id != self.article.id:
            return
        self.sidebar.mark_bookmarks(set(shown.bookmarked))
        self._refresh_header()

    def _refresh_header(self) -> None:
        article, shown = self.article, self.session.shown
        if article is None:
            return
        bookmarked = (self.view.current_section or "") in shown.bookmarked
        self.header.show(article, shown.views, shown.liked, len(shown.bookmarked), bookmarked)

    def save_place(self) -> None:
        """Remember where the reader is (every second, and on quit; written only when it moved)."""
        article = self.article
        if article is None or not article.complete:
            return  # (a preview's lines are not yet the article's: wait for the full parse)
        section = self.view.current_section
        line = self.view.section_line(section) if section else 0
        # Stored relative to the section's heading, so the place survives a change of terminal width.
        self.session.save_place(article.id, section, int(self.view.scroll_offset.y) - (line or 0))

    # -- the file on disk ---------------------------------------------------------------------------------
    def watch_file(self) -> None:
        """Re-read the open article when its file changed on disk (every second); say so once if it is gone.

        Compared by modification time and size, taken when the article was shown: an editor that saves
        by writing a new file and renaming it over the old one is seen as well as one writing in place.
        """
        article = self.article
        if article is None or not article.complete or self._showing_tail:
            return  # a long article still being parsed is checked once it is whole
        stamp = file_stamp(article.path)
        if stamp == self._file_stamp:
            return
        self._file_stamp = stamp
        if stamp is None:
            self.notify(
                f"The file of this article is gone: {article.path}. The text stays here until you open"
                " another article.",
                title="Deleted",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        self.reload_article()

    def reload_article(self) -> None:
        """Read the open article again (in a thread) and show it at the same section."""
        if self.article is None:
            return
        self.run_worker(
            in_daemon_thread(self._read_again, self.article.id),
            name="reload",
            group="reload",
            exclusive=True,
            exit_on_error=False,
        )

    def _read_again(self, article_id: str) -> Article | None:
        """(In the reload and parse threads) the article as it is on disk, its embeds filled in."""
        article = self.library.article(article_id)
        return self.library.expand_embeds(article) if article is not None else None

    def _reloaded(self, article: Article | None) -> None:
        """The article as it is on disk now: in place of the old text, at the same section and line."""
        old = self.article
        if article is None or old is None or article.id != old.id:
            return
        section = self.view.current_section
        scroll_y = self.view.scroll_offset.y
        line = self.view.section_line(section) if section else None
        self.article = article
        # (the stamp was taken by watch_file before the file was read: a save during the read is seen)
        if section and article.section(section) is None and len(old.sections) == len(article.sections):
            # the heading was reworded (its id with it): the section at the same position
            position = next((n for n, s in enumerate(old.sections) if s.id == section), None)
            section = article.sections[position].id if position is not None else section
        if section and line is not None and article.section(section) is not None:
            self.view.show_article(article, section, scroll_y - line)
        else:  # the section went away (renamed, removed): the same distance from the top
            self.view.show_article(article, None, scroll_y)
        self.sidebar.show_article(article, set(self.session.shown.bookmarked))
        self.footnotes.show_article(article)
        if self.comparison_index is not None:
            if self.comparison_index < len(article.comparisons):
                index, count = self.comparison_index, len(article.comparisons)
                self.comparison.show_comparison(article.comparisons[index], index, count)
            else:
                self._close_comparison()
        self._refresh_header()
        self.notify("Reloaded: the file changed on disk.", timeout=2, markup=False)

    def action_edit(self) -> None:
        """e: edit the article in $VISUAL / $EDITOR (the reader steps aside), and read it again after."""
        from textual.app import SuspendNotSupported

        from tui import editor

        article = self.article
        if article is None:
            self.notify("No article is open.", timeout=3, markup=False)
            return
        try:
            command = editor.editor_command(article.path)
        except editor.EditorError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.save_place()
        try:
            with self.app.suspend():
                editor.run_editor(command)
        except SuspendNotSupported:
            self.notify(
                f"An editor cannot take over this terminal. Edit {article.path} elsewhere: the reader"
                " reloads it when it changes.",
                severity="warning",
                markup=False,
            )
            return
        except editor.EditorError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.watch_file()  # reloads now if the file was saved

    # -- opening articles ---------------------------------------------------------------------------------
    def open_article(
        self,
        article_id: str,
        section_id: str | None = None,
        scroll_y: float | None = None,
        record: bool = True,
        count_view: bool = True,
    ) -> bool:
        """Open an article (at a section, an offset, or where the reader left it); False if unknown.

        `record`: push the article being left onto the back history. `count_view`: the user opened
        it (moving back and forward through the history is not a new view).
        """
        if self.article is not None and article_id == self.article.id and scroll_y is None:
            if section_id is not None:
                if self.comparison_index is not None:
                    self._close_comparison()
                if not self.view.go_to_section(section_id):
                    self.notify(f"No section #{section_id} in this article", severity="warning", markup=False)
            return True
        # A long file first shows a quick parse of its beginning, when that is where the reader is going;
        # the full parse follows from a thread and replaces it in place.
        info = self.library.info(article_id)
        stamp = file_stamp(info.path) if info is not None else None  # before the read (see watch_file)
        article = self.library.preview(article_id)
        if article is None:
            self.notify(f"No article {article_id!r}", severity="error", markup=False)
            return False
        self.save_place()
        if record and self.article is not None:
            self.session.history.leave(self._here())
        position = self.session.open(article_id, count_view)
        if section_id is not None or scroll_y is not None:
            position = None
        wanted = section_id or (position.section_id if position is not None else None)
        if not article.complete and wanted and article.section(wanted) is None:
            article = self.library.article(article_id) or article
        if self.comparison_index is not None:
            self._close_comparison()
        self.article = article = self.library.expand_embeds(article)
        self.view.resolves = self._resolver(article_id)  # unresolved wikilinks are drawn apart
        self._bottom_pending = False
        self._showing_tail = False
        self._file_stamp = stamp
        if position is not None:  # where the reader left off: a section, and how far into it
            section_id, scroll_y = position.section_id, position.scroll_y
        self.view.show_article(article, section_id, scroll_y)
        if not article.complete:
            # after the first paint: the parse thread would otherwise compete with it for the GIL
            self.call_after_refresh(self._parse_in_background, article_id)
        self.sidebar.show_article(article, set(self.session.shown.bookmarked))
        self.footnotes.show_article(article)
        self._refresh_header()
        return True

    def _resolver(self, article_id: str) -> Callable[[str], bool]:
        """For the reading pane: whether a link in `article_id` leads somewhere (a dict look-up). Until
        the list is loaded (a big folder, listed after the first paint) every link is drawn as if it did:
        telling would mean reading the whole list on this thread; `list_ready` draws them again."""
        library = self.library
        if not library.loaded:
            return lambda href: True
        return lambda href: library.link_resolves(article_id, href)

    def _here(self) -> Place:
        assert self.article is not None
        return Place(self.article.id, 0.0 if self._showing_tail else self.view.scroll_offset.y)

    def open_from_palette(self, article_id: str) -> None:
        """A question chosen in the command palette."""
        self.open_article(article_id)
        self.view.focus()

    def _parse_in_background(self, article_id: str) -> None:
        if self.article is not None and self.article.id == article_id and not self.article.complete:
            self.run_worker(
                in_daemon_thread(self._read_again, article_id),
                name="parse",
                group="parse",
                exclusive=True,
                exit_on_error=False,
            )

    def _full_article_ready(self, article: Article | None) -> None:
        """The full parse of a long article arrived: swap it in where the reader is."""
        if article is None or self.article is None or self.article.id != article.id or self.article.complete:
            return
        self.article = article  # (its embeds filled in the parse thread: _read_again)
        self.view.replace_article(article)
        if self._bottom_pending:
            self._bottom_pending = False
            self.view.scroll_to_end_of_text()
        self.sidebar.show_article(article, set(self.session.shown.bookmarked))
        self.footnotes.show_article(article)
        self._showing_tail = False
        self._on_section_changed(SectionChanged(self.view.current_section))  # the panels follow the text

    # -- search -------------------------------------------------------------------------------------------
    @property
    def search_index(self) -> Searcher | None:
        """What `/` searches: the stored index (or the in-memory one without it); None until ready."""
        return self.index.searcher

    def build_index(self) -> None:
        """Start refreshing the stored index (once; after a long article's full parse)."""
        if self.article is not None and not self.article.complete:
            if not self._index_waiting:
                self._index_waiting = True
                self.set_timer(INDEX_AFTER, self._build_index_later)  # a long article is being parsed
            return
        self.index.start()

    def _build_index_later(self) -> None:
        self._index_waiting = False
        self.build_index()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False: a failure is a notice, never the end of the reader.
        name, state = event.worker.name, event.state
        if name == "parse" and state == WorkerState.SUCCESS:
            self._full_article_ready(event.worker.result)
        elif name == "parse" and state == WorkerState.ERROR:
            self.notify(
                f"Could not finish reading this article: {event.worker.error}", severity="error", markup=False
            )
        elif name == "reload" and state == WorkerState.SUCCESS:
            self._reloaded(event.worker.result)
        elif name == "reload" and state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"Could not read this article again: {error}", severity="error", markup=False)
        elif name in WORKERS and state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self.index.worker_done(event.worker, state)

    def list_ready(self, infos: list[ArticleInfo]) -> None:
        """The list of questions arrived after the first paint (a long stored list, or a first build)."""
        self.sidebar.set_articles(infos)
        self.sidebar.set_note(self.index.short_status())
        article = self.article
        if article is not None and self.library.loaded and any(h.startswith("wiki:") for h in article.links):
            self.view.resolves = self._resolver(article.id)  # (unresolved wikilinks told apart now)
            self.view.restyle()
        if self.article is None and infos:
            self.header.show_message("")
            self.open_article(infos[0].id, record=False)

    def index_progressed(self) -> None:
        """The stored index's refresh got further (or ended): the sidebar title and search follow."""
        status = self.index.status()
        self.sidebar.set_note(self.index.short_status())
        from tui.screens.search import SearchScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.set_progress(status, len(self.library.infos) if self.library.loaded else 0)

    def searcher_ready(self) -> None:
        """Search can run now (or runs on a fuller index): an open search screen searches again."""
        from tui.screens.search import SearchScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SearchScreen) and self.search_index is not None:
                screen.set_index(self.search_index)

    def on_index_progress(self, message: IndexProgress) -> None:
        self.index.progressed(message.progress)

    def on_unmount(self) -> None:
        self.index.stop()

    def action_search(self) -> None:
        """/: search every article."""
        from tui.screens.search import SearchScreen

        self.build_index()

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                article_id, section_id = result
                self.open_article(article_id, section_id if section_id is not None else "")
                self.view.focus()
                self._find_words(search.query_text)

        total = len(self.library.infos) if self.library.loaded else self.index.count()
        search = SearchScreen(self.search_index, total, progress=self.index.status())
        self.app.push_screen(search, chosen)

    def action_filter(self) -> None:
        """ctrl+f: filter the questions in the sidebar."""
        if self.narrow:
            self.summoned = True
        else:
            self.sidebar_wanted = True
            self.sidebar_forced = True
        self.questions.start_filter()

    # -- find in the article ------------------------------------------------------------------------------
    def action_find(self) -> None:
        """F: the find bar, to find words in the open article."""
        if self.article is None:
            self.notify("No article is open.", timeout=3, markup=False)
            return
        if self.comparison_index is not None:
            self._close_comparison()
        bar = self.find_bar
        if bar.typed.strip() and not bar.display:
            self._find_phrase(bar.typed)  # (what was typed last, found again)
        bar.open()

    def action_find_next(self, direction: int) -> None:
        """n / N: the next / previous match of the find bar, or of the search that opened the article."""
        if not self.view.finding:
            self.notify("Nothing to find yet: F finds words in this article.", timeout=3, markup=False)
            return
        if self.comparison_index is not None:
            self._close_comparison()
        self.view.find_step(direction)
        if self.view.find_complete and not self.view.match_count:
            self.notify("No matches in this article.", timeout=3, markup=False)

    def _find_phrase(self, query: str) -> None:
        from tui.articles.find import phrase_needles

        self.view.find(phrase_needles(query))

    def _find_words(self, query: str) -> None:
        """Highlight a search's words in the article it opened; n and N go from match to match."""
        from tui.articles.find import word_needles

        needles = word_needles(query)
        if needles:
            self.view.find(needles)

    def _close_find_bar(self) -> None:
        bar = self.find_bar
        had_focus = self.focused is not None and bar in self.focused.ancestors
        bar.close()
        if had_focus:
            self.view.focus()

    @on(FindBar.Changed)
    def _on_find_changed(self, message: FindBar.Changed) -> None:
        self._find_phrase(message.query)

    @on(FindBar.Step)
    def _on_find_step(self, message: FindBar.Step) -> None:
        self.view.find_step(message.direction)

    @on(FindBar.Closed)
    def _on_find_closed(self) -> None:
        self._close_find_bar()

    @on(FindStatus)
    def _on_find_status(self, message: FindStatus) -> None:
        bar = self.find_bar
        if not message.active and bar.display and bar.typed.strip():
            self._close_find_bar()  # another article opened: the find was in the one before
            return
        bar.show_status(message)
        if message.wrapped and not bar.display:
            self.notify("Wrapped round the article.", timeout=2, markup=False)

    # -- messages from widgets ----------------------------------------------------------------------------
    @on(OpenArticle)
    def _on_open_article(self, message: OpenArticle) -> None:
        if self.open_article(message.article_id, message.section_id) and self.summoned:
            # On a narrow terminal the summoned sidebar steps aside once a question is chosen.
            self.summoned = False
            self.view.focus()

    @on(SectionChanged)
    def _on_section_changed(self, message: SectionChanged) -> None:
        self.sidebar.mark_section(message.section_id)
        article = self.article
        if article is not None:
            section = article.section(message.section_id or "")
            self.footnotes.mark_cited(section.notes if section else ())
        self._refresh_header()

    @on(FollowLink)
    def _on_follow_link(self, message: FollowLink) -> None:
        if self.article is None:
            return
        target = self.library.resolve_link(self.article.id, message.href)
        if target.kind == "web":
            self.app.open_url(target.url)
            self.notify(f"Opening {target.url}", timeout=3, markup=False)
        elif target.kind == "refused":
            self.notify(target.message, severity="warning", markup=False)
        elif target.kind == "file" and target.path is not None:
            self.open_file(target.path)
        elif target.kind == "section":
            if target.message:  # a wikilink to a heading this article does not have
                self.notify(target.message, severity="warning", markup=False)
            elif not self.view.go_to_section(target.section):
                self.notify(f"No section #{target.section} here", severity="warning", markup=False)
        else:
            self.open_article(target.article_id, target.section or None)
            if target.message:  # the page is there, the heading the wikilink names is not
                self.notify(target.message, severity="warning", markup=False)

    def open_file(self, path: Path) -> None:
        """Open an image or another file of the content folder with the system's opener (never waited on).

        Under `qa-reader serve` it opens in the reader's browser (a new tab), not on the server's desktop.
        """
        try:
            if self.app.is_web:
                opener.check_openable(path)
                self.app.deliver_binary(path, open_method="browser", name=path.name)
            else:
                opener.open_file(path)
        except opener.OpenError as error:
            self.notify(str(error), severity="warning", timeout=8, markup=False)
            return
        self.notify(f"Opening {path.name}", timeout=3, markup=False)

    @on(ShowNote)
    def _on_show_note(self, message: ShowNote) -> None:
        self.notes_open = True
        self.footnotes.highlight_note(message.number)
        self.footnotes.focus()

    @on(JumpToCitation)
    def _on_jump_to_citation(self, message: JumpToCitation) -> None:
        if self.comparison_index is not None:
            self._close_comparison()
        if self.view.select_citation(message.number):
            self.view.focus()
        else:
            self.notify(f"Note {note_label(message.number)} is not cited in the text", markup=False)

    # -- actions ------------------------------------------------------------------------------------------
    def action_comparison(self) -> None:
        """c: show the first comparison, then the next, then the text again."""
        article = self.article
        if article is None:
            self.notify("No article is open.", timeout=3, markup=False)
            return
        if not article.comparisons:
            self.notify("This article has no comparison.", timeout=3, markup=False)
            return
        if self.comparison_index is None:
            self._focus_before_comparison = self.focused
            self._scroll_before_comparison = self.view.scroll_offset.y
            self.comparison_index = 0
            self.sidebar_forced = False
            self._lay_out()  # below COMPARING columns the sidebar steps aside for the comparison
        elif self.comparison_index + 1 < len(article.comparisons):
            self.comparison_index += 1
        else:
            self._close_comparison()
            return
        self.view.display = False
        self.comparison.display = True
        self.comparison.show_comparison(
            article.comparisons[self.comparison_index], self.comparison_index, len(article.comparisons)
        )
        self.comparison.focus()

    def _close_comparison(self) -> None:
        """Back to the text exactly as it was: same scroll offset, same focus."""
        self.comparison_index = None
        self.sidebar_forced = False
        self._lay_out()
        self.comparison.display = False
        self.view.display = True
        self.view.scroll_to(y=self._scroll_before_comparison, animate=False, immediate=True, force=True)
        focus = self._focus_before_comparison
        if focus is not None and focus.is_attached and focus.display:
            focus.focus()
        else:
            self.view.focus()

    def action_footnotes(self) -> None:
        """f: show or hide the footnote panel."""
        self.sidebar_forced = False
        self.notes_open = not self.notes_open
        if not self.notes_open and (self.focused is None or self.focused is self.footnotes):
            self.view.focus()

    def action_bookmark(self) -> None:
        """b: bookmark the section in view, or remove the bookmark."""
        article = self.article
        if article is None:
            return
        if self._showing_tail:
            self.notify("Still reading this long article; bookmark it in a moment.", timeout=3, markup=False)
            return
        section_id = self.view.current_section or ""
        section = article.section(section_id)
        self.session.toggle_bookmark(
            article.id, section_id, article.title, section.title if section else "Beginning"
        )

    def action_bookmarks(self) -> None:
        """B: the bookmarks screen."""
        from tui.screens.bookmarks import BookmarksScreen

        def chosen(bookmark: Bookmark | None) -> None:
            if bookmark is None:
                return
            if self.library.info(bookmark.article_id) is None:
                self.notify(
                    "That article is no longer in the content folder.", severity="warning", markup=False
                )
                return
            self.open_article(bookmark.article_id, bookmark.section_id)
            article = self.article
            if article is not None and bookmark.section_id and article.section(bookmark.section_id) is None:
                self.notify("That section is gone; showing the article instead.", markup=False)
            self.view.focus()

        self.app.push_screen(BookmarksScreen(self.session, self.library), chosen)

    def action_like(self) -> None:
        """l: like or unlike the article."""
        if self.article is not None:
            self.session.toggle_like(self.article.id)

    def action_sidebar(self) -> None:
        """s: show or hide the sidebar."""
        if self.narrow:
            self.summoned = not self.summoned
            (self.sidebar if self.summoned else self.view).focus()
            return
        if self.questions.display:
            self.sidebar_wanted = False
            self.sidebar_forced = False
        else:
            self.sidebar_wanted = True
            self.sidebar_forced = self.notes_open or self.comparison_index is not None
        if not self.questions.display and self.focused is not None and self.focused.parent is self.questions:
            self.view.focus()

    def action_section(self, direction: int) -> None:
        """[ and ]: previous / next section."""
        if self.comparison_index is None:
            self.view.step_section(direction)

    def action_top(self) -> None:
        """g: top of the article."""
        self.view.scroll_to(y=0, animate=False, immediate=True, force=True)

    def action_bottom(self) -> None:
        """G: bottom of the article (of a long one still being parsed: as soon as its end is known)."""
        article = self.article
        if article is not None and not article.complete:
            # Show the end of the file now (a quick parse of its last part); the full parse, when it
            # arrives, takes its place at the same spot.
            self._bottom_pending = True
            tail = self.library.tail_preview(article.id)
            if tail is not None:
                # the end of the same article: it keeps the question, answer and front matter of the file
                self._showing_tail = True
                self.article = tail = replace(
                    tail, title=article.title, summary=article.summary, front=article.front, tags=article.tags
                )
                self.article = tail = self.library.expand_embeds(tail)
                self.view.show_article(tail)
                self.view.scroll_to_end_of_text()
            return
        self.view.scroll_to_end_of_text()

    def action_back(self) -> None:
        """backspace / alt+left: back in the history."""
        self._travel(self.session.history.go_back)

    def action_forward(self) -> None:
        """alt+right: forward in the history."""
        self._travel(self.session.history.go_forward)

    def _travel(self, go: Callable[[Place], Place | None]) -> None:
        if self.article is None:
            self.app.bell()
            return
        place = go(self._here())
        if place is None:
            self.app.bell()
            return
        self.open_article(place.article_id, scroll_y=place.scroll_y, record=False, count_view=False)

    def action_open_web(self) -> None:
        """o: open the selected web link in the browser, or the selected image or file with its opener."""
        target = self.view.selected_target
        if target is None or target[0] != "link" or self.article is None:
            self.notify("Select a web link or an image with ← and → first.", timeout=3, markup=False)
            return
        # o is for web links and files only: a link to an article or a section is followed with enter.
        if self.library.resolve_link(self.article.id, str(target[1])).kind in ("article", "section"):
            self.notify("That link leads to an article; enter follows it.", timeout=3, markup=False)
            return
        self.post_message(FollowLink(str(target[1])))  # (a link that leads nowhere: it says why)

    def action_close(self) -> None:
        """escape: close the comparison, else the footnote panel, else the sidebar on a narrow screen, else
        the find bar; else unselect the link, else clear the find's highlights."""
        if self.comparison_index is not None:
            self._close_comparison()
        elif self.notes_open:
            self.action_footnotes()
        elif self.summoned:
            self.action_sidebar()
        elif self.find_bar.display:
            self._close_find_bar()
        elif self.view.selected_ref is not None:
            self.view.selected_ref = None
        elif self.view.finding:
            self.view.clear_find()
