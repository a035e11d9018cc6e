"""ReadingSession: the one writer of reader state (views, likes, bookmarks, places) and the history.

No Textual here: screens call the session, the session writes through the store off the UI thread
(tui/background.py's WriteQueue) and says what changed through two callbacks the app gives it:
`changed(shown)` with what the header and sidebar show of the open article, and `tell(...)` for a
notice. Tested without Pilot (tests/test_session.py).

Decision on failure notices: a change the user asked for (b, l, d in the bookmarks) that does not stick
is told every time, and what is shown goes back to what the file holds. An automatic write (a view, the
place) is told when it starts failing, not again every second while it keeps failing with the same
message; in a read-only store automatic writes are not attempted (the notice at start said so).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

from tui.background import Deliver, WriteQueue
from tui.store import ArticleState, Bookmark, Position, Store, StoreError
from tui.upgrade import upgrade_section_ids

if TYPE_CHECKING:
    from tui.articles import Library

_T = TypeVar("_T")

HISTORY_LIMIT = 200
"""Places kept in each direction of the back/forward history."""


class Tell(Protocol):
    """Shows a notice to the user (the app's `notify`, with markup off)."""

    def __call__(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float = 3
    ) -> None:
        """Show `message`."""


@dataclass(frozen=True)
class Shown:
    """What the header and sidebar show of the store for the open article.

    Read once when the article opens and kept up to date by this session's own writes, so scrolling
    never touches the data file.
    """

    article_id: str | None = None
    views: int = 0
    liked: bool = False
    bookmarked: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Place:
    """Where the reader was: an entry of the back/forward history."""

    article_id: str
    scroll_y: float


@dataclass
class History:
    """Back and forward through the articles read, each direction bounded."""

    back: deque[Place] = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))
    forward: deque[Place] = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))

    def leave(self, here: Place) -> None:
        """The user opened another article from `here`: it goes on the back list, forward is cleared."""
        self.back.append(here)
        self.forward.clear()

    def go_back(self, here: Place) -> Place | None:
        """The place before `here` (which moves to the forward list), or None."""
        return self._travel(self.back, self.forward, here)

    def go_forward(self, here: Place | None) -> Place | None:
        """The place after `here` (which moves to the back list), or None."""
        return self._travel(self.forward, self.back, here)

    @staticmethod
    def _travel(source: deque[Place], target: deque[Place], here: Place | None) -> Place | None:
        if not source:
            return None
        place = source.pop()
        if here is not None:
            target.append(here)
        return place


class ReadingSession:
    """The reader's state for one run: the open article's stored state, the history, and every write."""

    def __init__(
        self,
        store: Store,
        tell: Tell,
        changed: Callable[[Shown], None],
        deliver: Deliver,
    ) -> None:
        """`deliver` runs a callback on the UI thread (the app's `call_later`); writes report through it."""
        self.store = store
        self.history = History()
        self.shown = Shown()
        self.writes = WriteQueue(deliver)
        self._tell = tell
        self._changed = changed
        self._automatic_failure = ""
        self._saved_state: dict[str, str] | None = None  # the last failed automatic write's message
        self._saved_place: tuple[str, str | None, int] | None = None
        self._restored = False  # the first article opened has been (it may be the one an earlier run left)
        store.on_lock_wait = partial(deliver, self._lock_wait_notice)

    # -- opening ------------------------------------------------------------------------------------------
    def upgrade(self, library: Library) -> None:
        """Move section ids saved by an earlier release (first in the queue: later writes see new ids)."""

        def done(changed: int) -> None:
            if changed and self.shown.article_id is not None:
                self.resync()

        self.writes.submit(partial(upgrade_section_ids, self.store, library), done)

    def open(self, article_id: str, count_view: bool = True) -> Position | None:
        """The user opened an article (`count_view`), or history moved to it: returns its saved place."""
        state: ArticleState = self.store.article_state(article_id)
        views = state.views
        if count_view and not self.store.read_only:
            views += 1  # shown at once; the write follows in the background
            self._automatic(lambda: self.store.add_view(article_id), partial(self._view_counted, article_id))
        self._show(Shown(article_id, views, state.liked, frozenset(state.bookmarked)))
        position = state.position
        if not self._restored:
            self._restored = True
            if position is not None and article_id == self.last_article():
                # Reopened where an earlier run left it: nothing to save until the reader moves. Another
                # reader of this data file (a second terminal, another tab under `qa-reader serve`) may
                # save a newer place meanwhile; quitting here must not write this older one back over it.
                self._saved_place = (article_id, position.section_id, int(position.scroll_y))
        return position

    # -- what the user asks for ---------------------------------------------------------------------------
    def toggle_bookmark(
        self, article_id: str, section_id: str, article_title: str, section_title: str
    ) -> bool:
        """Bookmark the section, or remove its bookmark; True if it is bookmarked now (as shown at once)."""
        now = section_id not in self.shown.bookmarked
        marks = self.shown.bookmarked | {section_id} if now else self.shown.bookmarked - {section_id}
        self._show(replace(self.shown, bookmarked=marks))
        word = "Bookmarked" if now else "Bookmark removed"
        self._asked(
            lambda: self.store.set_bookmark(article_id, section_id, now, article_title, section_title),
            f"{word}: {section_title}",
        )
        return now

    def toggle_like(self, article_id: str) -> bool:
        """Like the article, or unlike it; True if it is liked now (as shown at once)."""
        liked = not self.shown.liked
        self._show(replace(self.shown, liked=liked))
        self._asked(lambda: self.store.set_liked(article_id, liked), "Liked ♥" if liked else "Like removed")
        return liked

    def remove_bookmark(self, bookmark: Bookmark, section_title: str, done: Callable[[], None]) -> None:
        """Delete a bookmark (from the bookmarks screen); `done()` once it is gone from the file."""
        if bookmark.article_id == self.shown.article_id:
            self._show(replace(self.shown, bookmarked=self.shown.bookmarked - {bookmark.section_id}))

        def removed(_: bool) -> None:
            self._tell(f"Bookmark removed: {section_title}", timeout=3)
            done()

        self._asked(
            lambda: self.store.remove_bookmark(bookmark.article_id, bookmark.section_id), None, removed
        )

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, newest first (a read: no lock, no wait)."""
        return self.store.bookmarks()

    def last_article(self) -> str | None:
        """The article read last in an earlier run, or None."""
        return self._earlier_run().get("last_article")

    def saved_theme(self) -> str | None:
        """The theme chosen in an earlier run, or None."""
        return self._earlier_run().get("theme") or None

    def _earlier_run(self) -> dict[str, str]:
        """What an earlier run left in the state document, read once (both are asked for at start-up)."""
        if self._saved_state is None:
            self._saved_state = self.store.saved_state()
        return self._saved_state

    def remember_theme(self, name: str) -> None:
        """Keep the theme the user chose for the next start (quietly: a failure is told once)."""
        if not self.store.read_only:
            self._automatic(lambda: self.store.set_theme(name))

    # -- automatic ----------------------------------------------------------------------------------------
    def save_place(self, article_id: str, section_id: str | None, offset: int) -> None:
        """Remember where the reader is (`offset` rows below the section's heading); only when it moved."""
        if self.store.read_only:
            return
        place = (article_id, section_id, offset)
        if place == self._saved_place:
            return
        self._saved_place = place

        def write() -> None:
            try:
                self.store.set_position(article_id, section_id, offset)
            except StoreError:
                self._saved_place = None  # try again next time
                raise

        self._automatic(write)

    async def finish(self, timeout: float) -> bool:
        """Wait (without blocking the UI) for writes under way, at most `timeout` s; True if all landed."""
        return await self.writes.drain(timeout)

    def resync(self) -> None:
        """Show what the data file really holds for the open article (after a failed write)."""
        article_id = self.shown.article_id
        if article_id is None:
            return
        state = self.store.article_state(article_id)
        self._show(replace(self.shown, liked=state.liked, bookmarked=frozenset(state.bookmarked)))

    # -- plumbing -----------------------------------------------------------------------------------------
    def _show(self, shown: Shown) -> None:
        self.shown = shown
        self._changed(shown)

    def _asked(
        self, write: Callable[[], _T], success: str | None, done: Callable[[_T], None] | None = None
    ) -> None:
        """A write the user asked for: its success is told (`success`), its failure every time."""

        def succeeded(result: _T) -> None:
            if success:
                self._tell(success, timeout=3)
            if done is not None:
                done(result)

        def failed(error: StoreError) -> None:
            self._not_saved(error)
            self.resync()

        self.writes.submit(write, succeeded, failed)

    def _automatic(self, write: Callable[[], _T], done: Callable[[_T], None] | None = None) -> None:
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
        self._tell(str(error), title="Not saved", severity="error", timeout=8)

    def _lock_wait_notice(self) -> None:
        self._tell("Another qa-reader is writing the data file; saved when it is done.", timeout=4)

    def _view_counted(self, article_id: str, views: int) -> None:
        if self.shown.article_id == article_id:
            self._show(replace(self.shown, views=views))
