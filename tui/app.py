"""ReaderApp: composes the screen, owns the bindings, wires the library and the store together.

A switchboard: widgets post messages (tui/messages.py), the app decides and tells widgets what to show.
Reading state the store keeps (views, likes, bookmarks, positions) is written here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from tui.articles import Article, Library
from tui.articles.text import clean
from tui.background import WriteQueue, in_daemon_thread
from tui.messages import FollowLink, JumpToCitation, OpenArticle, SectionChanged, ShowNote
from tui.store import Bookmark, Store, StoreError
from tui.upgrade import upgrade_section_ids
from tui.widgets.article_header import ArticleHeader
from tui.widgets.article_view import ArticleView
from tui.widgets.comparison_view import ComparisonView
from tui.widgets.footnote_panel import FootnotePanel
from tui.widgets.sidebar import QuestionsPane, Sidebar

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.command import Provider

    from tui.articles.search import SearchIndex

_T = TypeVar("_T")

NARROW = 80
"""Below this many columns the sidebar folds away and panels stack."""
CROWDED = 140
"""Below this many columns, opening the footnote panel folds the sidebar away."""
SHORT = 20
"""Below this many rows the short answer is hidden from the header."""
LOCK_WAIT = 30.0
"""Seconds a background write waits for another qa-reader's lock on the data file (the screen never does)."""
QUIT_WAIT = 3.0
"""Seconds `q` waits for writes still under way (the place just saved) before the reader exits anyway."""


def _provider(name: str) -> type[Provider]:
    from tui import commands

    return cast("type[Provider]", getattr(commands, name))


@dataclass
class Shown:
    """What the header and sidebar show of the store for the open article, read once when it opens
    (and kept up to date by this reader's own writes), so scrolling never touches the data file."""

    views: int = 0
    liked: bool = False
    bookmarked: set[str] = field(default_factory=set)


@dataclass
class Place:
    """Where the reader was: an entry of the back/forward history."""

    article_id: str
    scroll_y: float


class ReaderApp(App[None]):
    """The reader."""

    CSS_PATH = "reader.tcss"
    TITLE = "qa-reader"
    # Providers are imported when the palette first opens, not at start-up.
    COMMANDS = App.COMMANDS | {lambda: _provider("QuestionCommands"), lambda: _provider("ReaderCommands")}

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("c", "comparison", "Compare"),
        Binding("f", "footnotes", "Notes"),
        Binding("b", "bookmark", "Bookmark"),
        Binding("B", "bookmarks", "Bookmarks"),
        Binding("l", "like", "Like"),
        Binding("s", "sidebar", "Sidebar"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("left_square_bracket", "section(-1)", "Previous section", show=False),
        Binding("right_square_bracket", "section(1)", "Next section", show=False),
        Binding("g", "top", "Top", show=False),
        Binding("G", "bottom", "Bottom", show=False),
        Binding("backspace,alt+left", "back", "Back", show=False),
        Binding("alt+right", "forward", "Forward", show=False),
        Binding("o", "open_web", "Open web link", show=False),
        Binding("ctrl+f", "filter", "Filter questions", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    def __init__(self, library: Library, db: Path, article_id: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.store = Store(db, lock_timeout=LOCK_WAIT)
        # Every store write goes through this queue, off the UI thread: a key never waits on the file.
        self.writes = WriteQueue(self.call_later)
        self.store.on_lock_wait = partial(self.call_later, self._lock_wait_notice)
        self._automatic_failure = ""  # the last failed automatic write's message (see _save)
        self.start_article = article_id
        self.article: Article | None = None
        self.back_stack: list[Place] = []
        self.forward_stack: list[Place] = []
        self.comparison_index: int | None = None
        self.sidebar_wanted = True
        self.sidebar_forced = False
        self._focus_before_comparison: Widget | None = None
        self._scroll_before_comparison = 0.0
        self._width = 0  # the terminal's width, as of the last resize
        self._index_worker: Worker[SearchIndex] | None = None
        self._index_waiting = False
        self._showing_tail = False  # the end of a long article, parsed on its own, is on screen (after G)
        self._saved_place: tuple[str, str | None, int] | None = None
        self.shown = Shown()
        self._bottom_pending = False  # G pressed before a long article was fully parsed
        self.search_index: SearchIndex | None = None  # built in a thread after the first paint

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield QuestionsPane(id="questions")
            with Vertical(id="reading"):
                yield ArticleHeader(id="header")
                yield ArticleView(id="article")
                yield ComparisonView(id="comparison")
            yield FootnotePanel(id="footnotes")
        yield Footer()

    # The reading widgets live on the first screen; modal screens (help, bookmarks) stack above it.
    @property
    def base(self) -> Screen:
        return self.screen_stack[0]

    @property
    def questions(self) -> QuestionsPane:
        return self.base.query_one(QuestionsPane)

    @property
    def sidebar(self) -> Sidebar:
        return self.base.query_one(Sidebar)

    @property
    def view(self) -> ArticleView:
        return self.base.query_one(ArticleView)

    @property
    def header(self) -> ArticleHeader:
        return self.base.query_one(ArticleHeader)

    @property
    def footnotes(self) -> FootnotePanel:
        return self.base.query_one(FootnotePanel)

    @property
    def comparison(self) -> ComparisonView:
        return self.base.query_one(ComparisonView)

    def on_mount(self) -> None:
        for notice in self.store.notices:
            self.notify(notice, title="Reader data", severity="warning", timeout=10, markup=False)
        # First in the write queue, so every later write sees the upgraded ids.
        self.writes.submit(partial(upgrade_section_ids, self.store, self.library), self._ids_upgraded)
        self.comparison.display = False
        self.footnotes.display = False
        self.sidebar.set_articles(self.library.infos)
        for problem in self.library.problems[:3]:
            self.notify(clean(str(problem)), severity="warning", markup=False)
        self._adapt(self.size.width, self.size.height)
        target = self.start_article or self.store.last_article()
        if target is None or self.library.info(target) is None:
            target = self.library.infos[0].id if self.library.infos else None
        if target is None:
            self.header.show_message(
                f"No articles in {self.library.root} yet. Add .md files there, or start with --content DIR."
            )
            self.sidebar.focus()
            return
        self.open_article(target, record=False)
        self.view.focus()
        self.set_interval(1.0, self._save_position)
        # The search index is built in a thread once the first screen is up, never before it.
        self.set_timer(0.5, self._build_index)

    # -- search ---------------------------------------------------------------------------------------
    def _build_index(self) -> None:
        from tui.articles.search import SearchIndex

        if self.article is not None and not self.article.complete:
            if not self._index_waiting:
                self._index_waiting = True
                self.set_timer(0.5, self._build_index_later)  # a long article is being parsed: let it finish
            return
        if self.search_index is None and (self._index_worker is None or self._index_worker.is_finished):
            self._index_worker = self.run_worker(
                in_daemon_thread(SearchIndex.build, self.library), name="index", exit_on_error=False
            )

    def _build_index_later(self) -> None:
        self._index_waiting = False
        self._build_index()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False: a failure is a notice, never the end of the reader.
        if event.worker.name == "parse":
            if event.state == WorkerState.SUCCESS:
                self._full_article_ready(event.worker.result)
            elif event.state == WorkerState.ERROR:
                self.notify(
                    f"Could not finish reading this article: {event.worker.error}",
                    severity="error",
                    markup=False,
                )
            return
        if event.worker.name != "index":
            return
        if event.state == WorkerState.SUCCESS:
            self.search_index = event.worker.result
            from tui.screens.search import SearchScreen

            for screen in self.screen_stack:
                if isinstance(screen, SearchScreen):
                    screen.set_index(self.search_index)
        elif event.state == WorkerState.ERROR:
            self.notify(f"Search index failed: {event.worker.error}", severity="error", markup=False)

    def action_search(self) -> None:
        """/: search every article."""
        from tui.screens.search import SearchScreen

        self._build_index()

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                article_id, section_id = result
                self.open_article(article_id, section_id if section_id is not None else "")
                self.view.focus()

        self.push_screen(SearchScreen(self.search_index, len(self.library.infos)), chosen)

    def action_filter(self) -> None:
        """ctrl+f: filter the questions in the sidebar."""
        if self.base.has_class("narrow"):
            self.questions.add_class("summoned")
        else:
            self.sidebar_wanted = True
            self.sidebar_forced = True
        self._apply_sidebar()
        self.questions.start_filter()

    def open_from_palette(self, article_id: str) -> None:
        """A question chosen in the command palette."""
        self.open_article(article_id)
        self.view.focus()

    def on_resize(self, event: events.Resize) -> None:
        # (App.size is updated after this handler runs: the event carries the new size)
        self._adapt(event.size.width, event.size.height)

    def _adapt(self, width: int, height: int) -> None:
        """Fold the sidebar away on narrow terminals and hide the short answer on short ones."""
        self._width = width
        self.base.set_class(width < NARROW, "narrow")
        self.base.set_class(height < SHORT, "short")
        self.header.answer_lines = 0 if height < SHORT else (2 if width < NARROW or height < 30 else 3)
        self._apply_sidebar()

    def _apply_sidebar(self) -> None:
        narrow = self.base.has_class("narrow")
        summoned = narrow and self.questions.has_class("summoned")
        # With the notes open on a medium-wide terminal the text would get too narrow: the sidebar steps
        # aside until the notes close (s still brings it back).
        crowded = self.footnotes.display and self._width < CROWDED and not self.sidebar_forced
        self.questions.display = summoned if narrow else (self.sidebar_wanted and not crowded)
        self.base.query_one("#reading").display = not summoned

    # -- opening articles -----------------------------------------------------------------------------
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
        article = self.library.preview(article_id)
        if article is None:
            self.notify(f"No article {article_id!r}", severity="error", markup=False)
            return False
        state = self.store.article_state(article_id)
        position = state.position if section_id is None and scroll_y is None else None
        wanted = section_id or (position.section_id if position is not None else None)
        if not article.complete and wanted and article.section(wanted) is None:
            article = self.library.article(article_id) or article
        self._save_position()
        if record and self.article is not None:
            here = 0.0 if self._showing_tail else self.view.scroll_offset.y
            self.back_stack.append(Place(self.article.id, here))
            self.forward_stack.clear()
        if self.comparison_index is not None:
            self._close_comparison()
        self.article = article
        self._bottom_pending = False
        self._showing_tail = False
        views = state.views
        if count_view and not self.store.read_only:
            views += 1  # shown at once; the write follows in the background
            self._save(lambda: self.store.add_view(article_id), partial(self._view_counted, article_id))
        self.shown = Shown(views, state.liked, set(state.bookmarked))
        if position is not None:  # where the reader left off: a section, and how far into it
            section_id, scroll_y = position.section_id, position.scroll_y
        self.view.show_article(article, section_id, scroll_y)
        if not article.complete:
            # after the first paint: the parse thread would otherwise compete with it for the GIL
            self.call_after_refresh(self._parse_in_background, article_id)
        self.sidebar.show_article(article, self.shown.bookmarked)
        self.footnotes.show_article(article)
        self._refresh_header()
        self._saved_place = None
        return True

    def _parse_in_background(self, article_id: str) -> None:
        if self.article is not None and self.article.id == article_id and not self.article.complete:
            self.run_worker(
                in_daemon_thread(self.library.article, article_id),
                name="parse",
                group="parse",
                exclusive=True,
                exit_on_error=False,
            )

    def _full_article_ready(self, article: Article | None) -> None:
        """The full parse of a long article arrived: swap it in where the reader is."""
        if article is None or self.article is None or self.article.id != article.id or self.article.complete:
            return
        self.article = article
        self.view.replace_article(article)
        if self._bottom_pending:
            self._bottom_pending = False
            self.view.scroll_to_end_of_text()
        self.sidebar.show_article(article, self.shown.bookmarked)
        self.footnotes.show_article(article)
        self._showing_tail = False
        self._on_section_changed(SectionChanged(self.view.current_section))  # the panels follow the text

    def _refresh_header(self) -> None:
        article = self.article
        if article is None:
            return
        shown = self.shown
        self.header.show(
            article,
            shown.views,
            shown.liked,
            len(shown.bookmarked),
            (self.view.current_section or "") in shown.bookmarked,
        )

    # -- writing reader state -------------------------------------------------------------------------
    # Every write runs on the write queue's thread; the screen shows the change at once and the result
    # comes back here. Decision on failure notices: a write the user asked for (b, l, d) that does not
    # stick is reported every time and the screen goes back to what the file holds. An automatic write
    # (a view, the place) is reported when it starts failing, not again every second while it keeps
    # failing with the same message; in a read-only store they are not attempted (the notice at start
    # said so).
    def _save(self, write: Callable[[], _T], done: Callable[[_T], None] | None = None) -> None:
        """An automatic write (a view, the reading place)."""

        def succeeded(result: _T) -> None:
            self._automatic_failure = ""
            if done is not None:
                done(result)

        def failed(error: StoreError) -> None:
            if str(error) != self._automatic_failure:
                self._automatic_failure = str(error)
                self._not_saved(error)

        self.writes.submit(write, succeeded, failed)

    def _not_saved(self, error: StoreError) -> None:
        self.notify(str(error), title="Not saved", severity="error", timeout=8, markup=False)

    def _lock_wait_notice(self) -> None:
        self.notify(
            "Another qa-reader is writing the data file; saved when it is done.", timeout=4, markup=False
        )

    def _ids_upgraded(self, changed: int) -> None:
        if changed and self.article is not None:
            self._resync(self.article.id)

    def _view_counted(self, article_id: str, views: int) -> None:
        if self.article is not None and self.article.id == article_id:
            self.shown.views = views
            self._refresh_header()

    def _resync(self, article_id: str) -> None:
        """After a failed write: show what the data file really holds for the article."""
        if self.article is None or self.article.id != article_id:
            return
        state = self.store.article_state(article_id)
        self.shown.liked = state.liked
        self.shown.bookmarked = set(state.bookmarked)
        self.sidebar.mark_bookmarks(self.shown.bookmarked)
        self._refresh_header()

    def _save_position(self) -> None:
        """Remember where the reader is (called every second; writes only when the place changed)."""
        if self.article is None or self.store.read_only or not self.article.complete:
            return  # (a preview's lines are not yet the article's: wait for the full parse)
        section = self.view.current_section
        line = self.view.section_line(section) if section else 0
        # Stored relative to the section's heading, so the place survives a change of terminal width.
        place = (self.article.id, section, int(self.view.scroll_offset.y) - (line or 0))
        if place == self._saved_place:
            return
        self._saved_place = place

        def write() -> None:
            try:
                self.store.set_position(place[0], place[1], place[2])
            except StoreError:
                self._saved_place = None  # try again at the next tick
                raise

        self._save(write)

    # -- messages from widgets ------------------------------------------------------------------------
    @on(OpenArticle)
    def _on_open_article(self, message: OpenArticle) -> None:
        if self.open_article(message.article_id, message.section_id) and self.questions.has_class("summoned"):
            # On a narrow terminal the summoned sidebar steps aside once a question is chosen.
            self.questions.remove_class("summoned")
            self._apply_sidebar()
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
            self.open_url(target.url)
            self.notify(f"Opening {target.url}", timeout=3, markup=False)
        elif target.kind == "refused":
            self.notify(target.message, severity="warning", markup=False)
        elif target.kind == "section":
            if not self.view.go_to_section(target.section):
                self.notify(f"No section #{target.section} here", severity="warning", markup=False)
        else:
            self.open_article(target.article_id, target.section or None)

    @on(ShowNote)
    def _on_show_note(self, message: ShowNote) -> None:
        if not self.footnotes.display:
            self.action_footnotes()
        self.footnotes.highlight_note(message.number)
        self.footnotes.focus()

    @on(JumpToCitation)
    def _on_jump_to_citation(self, message: JumpToCitation) -> None:
        if self.comparison_index is not None:
            self._close_comparison()
        if self.view.select_citation(message.number):
            self.view.focus()
        else:
            self.notify(f"Note [{message.number}] is not cited in the text", markup=False)

    # -- actions --------------------------------------------------------------------------------------
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
        panel = self.footnotes
        panel.display = not panel.display
        self.sidebar_forced = False
        self._apply_sidebar()
        if not panel.display and (self.focused is None or self.focused is panel):
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
        section_title = section.title if section else "Beginning"
        now = section_id not in self.shown.bookmarked
        if now:
            self.shown.bookmarked.add(section_id)
        else:
            self.shown.bookmarked.discard(section_id)
        self.sidebar.mark_bookmarks(self.shown.bookmarked)
        self._refresh_header()

        def saved(_: bool) -> None:
            self.notify(
                f"{'Bookmarked' if now else 'Bookmark removed'}: {section_title}", timeout=3, markup=False
            )

        def failed(error: StoreError) -> None:
            self._not_saved(error)
            self._resync(article.id)

        self.writes.submit(
            lambda: self.store.set_bookmark(article.id, section_id, now, article.title, section_title),
            saved,
            failed,
        )

    def action_bookmarks(self) -> None:
        """B: the bookmarks screen."""
        from tui.screens.bookmarks import BookmarksScreen

        def chosen(bookmark: Bookmark | None) -> None:
            if self.article is not None:
                self.shown.bookmarked = self.store.bookmarked_sections(self.article.id)
                self.sidebar.mark_bookmarks(self.shown.bookmarked)
                self._refresh_header()
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

        self.push_screen(BookmarksScreen(self.store, self.library, self.writes), chosen)

    def action_like(self) -> None:
        """l: like or unlike the article."""
        article = self.article
        if article is None:
            return
        liked = self.shown.liked = not self.shown.liked
        self._refresh_header()

        def failed(error: StoreError) -> None:
            self._not_saved(error)
            self._resync(article.id)

        self.writes.submit(
            lambda: self.store.set_liked(article.id, liked),
            lambda _: self.notify("Liked ♥" if liked else "Like removed", timeout=2, markup=False),
            failed,
        )

    def action_sidebar(self) -> None:
        """s: show or hide the sidebar."""
        if self.base.has_class("narrow"):
            summoned = not self.questions.has_class("summoned")
            self.questions.set_class(summoned, "summoned")
            self._apply_sidebar()
            (self.sidebar if summoned else self.view).focus()
            return
        if self.questions.display:
            self.sidebar_wanted = False
            self.sidebar_forced = False
        else:
            self.sidebar_wanted = True
            self.sidebar_forced = self.footnotes.display
        self._apply_sidebar()
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
                self.view.show_article(tail)
                self.view.scroll_to_end_of_text()
            return
        self.view.scroll_to_end_of_text()

    def action_back(self) -> None:
        """backspace / alt+left: back in the history."""
        self._travel(self.back_stack, self.forward_stack)

    def action_forward(self) -> None:
        """alt+right: forward in the history."""
        self._travel(self.forward_stack, self.back_stack)

    def _travel(self, source: list[Place], target: list[Place]) -> None:
        if not source:
            self.bell()
            return
        place = source.pop()
        if self.article is not None:
            target.append(Place(self.article.id, 0.0 if self._showing_tail else self.view.scroll_offset.y))
        self.open_article(place.article_id, scroll_y=place.scroll_y, record=False, count_view=False)

    def action_open_web(self) -> None:
        """o: open the selected web link in the browser."""
        target = self.view.selected_target
        if target is None or target[0] != "link" or self.article is None:
            self.notify("Select a web link with ← and → first.", timeout=3, markup=False)
            return
        # o is for web links only: a link to an article or a section is followed with enter.
        if self.library.resolve_link(self.article.id, str(target[1])).kind != "web":
            self.notify("That link is not a web link; enter follows it.", timeout=3, markup=False)
            return
        self.post_message(FollowLink(str(target[1])))

    def action_help(self) -> None:
        """?: every key and what it does."""
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_close(self) -> None:
        """escape: close the comparison, else the footnote panel, else the sidebar on a narrow screen."""
        if self.comparison_index is not None:
            self._close_comparison()
        elif self.footnotes.display:
            self.action_footnotes()
        elif self.questions.has_class("summoned"):
            self.action_sidebar()
        elif self.view.selected_ref is not None:
            self.view.selected_ref = None

    async def action_quit(self) -> None:
        """q: save the place and quit (waiting a moment at most for the write)."""
        self._save_position()
        await self.writes.drain(QUIT_WAIT)
        self.exit()
