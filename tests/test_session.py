"""ReadingSession without Textual: what is shown at once, what lands in the file, what is told."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.session import HISTORY_LIMIT, History, Place, ReadingSession, Shown
from tui.store import Store


class Harness:
    """A session with its callbacks recorded; `settle()` waits for the writes and runs their callbacks."""

    def __init__(self, db: Path) -> None:
        self.store = Store(db)
        self.notices: list[tuple[str, str, str]] = []
        self.changes: list[Shown] = []
        self.pending: list[Callable[[], None]] = []
        self.session = ReadingSession(self.store, self.tell, self.changes.append, self.pending.append)

    def tell(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float = 3
    ) -> None:
        self.notices.append((message, title, severity))

    def settle(self) -> None:
        deadline = time.monotonic() + 30
        while not self.session.writes.idle:
            assert time.monotonic() < deadline, "writes never finished"
            time.sleep(0.002)
        while self.pending:
            self.pending.pop(0)()

    @property
    def errors(self) -> list[str]:
        return [message for message, _, severity in self.notices if severity == "error"]


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "reader.json")


def test_opening_counts_a_view_at_once_and_in_the_file(harness: Harness) -> None:
    harness.session.open("a")
    assert harness.session.shown == Shown("a", 1, False, frozenset())
    harness.settle()
    assert harness.store.article_state("a").views == 1
    harness.session.open("a", count_view=False)  # history moved back to it
    harness.settle()
    assert harness.store.article_state("a").views == 1 and harness.session.shown.views == 1


def test_a_bookmark_shows_at_once_then_is_saved_and_told(harness: Harness) -> None:
    harness.session.open("a")
    assert harness.session.toggle_bookmark("a", "s", "A?", "Part S")
    assert harness.session.shown.bookmarked == {"s"} and harness.changes[-1].bookmarked == {"s"}
    harness.settle()
    assert harness.store.article_state("a").bookmarked == {"s"}
    assert ("Bookmarked: Part S", "", "information") in harness.notices
    assert not harness.session.toggle_bookmark("a", "s", "A?", "Part S")
    harness.settle()
    assert harness.store.bookmarks() == []


def test_a_like_toggles_and_is_saved(harness: Harness) -> None:
    harness.session.open("a")
    assert harness.session.toggle_like("a") and harness.session.shown.liked
    harness.settle()
    assert harness.store.article_state("a").liked
    assert not harness.session.toggle_like("a")
    harness.settle()
    assert not harness.store.article_state("a").liked


def test_every_failed_change_is_told_and_the_shown_state_goes_back(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    harness = Harness(blocker / "reader.json")
    harness.session.open("a")
    for n in range(1, 4):
        harness.session.toggle_bookmark("a", "s", "A?", "S")
        harness.session.toggle_like("a")
        harness.settle()
        assert len(harness.errors) == 2 * n  # every time, not once per session
        assert harness.session.shown == Shown("a", 0, False, frozenset())


def test_automatic_writes_are_skipped_in_a_read_only_store(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    harness = Harness(folder)
    harness.session.open("a")
    harness.session.save_place("a", "s", 3)
    harness.settle()
    assert harness.errors == [] and harness.session.shown.views == 0
    assert list(folder.iterdir()) == []


def test_the_place_is_written_only_when_it_moved(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str | None, float]] = []
    real = harness.store.set_position
    monkeypatch.setattr(harness.store, "set_position", lambda *args: (calls.append(args), real(*args))[1])
    for offset in (0, 0, 4, 4, 4):
        harness.session.save_place("a", "s", offset)
    harness.settle()
    assert calls == [("a", "s", 0), ("a", "s", 4)]
    assert harness.store.article_state("a").position.scroll_y == 4.0


def test_removing_a_bookmark_updates_the_open_article_and_calls_back(harness: Harness) -> None:
    harness.session.open("a")
    harness.session.toggle_bookmark("a", "s", "A?", "S")
    harness.settle()
    [bookmark] = harness.session.bookmarks()
    done: list[bool] = []
    harness.session.remove_bookmark(bookmark, "S", lambda: done.append(True))
    assert harness.session.shown.bookmarked == frozenset()
    harness.settle()
    assert done == [True] and harness.store.bookmarks() == []


def test_history_goes_back_and_forward_and_is_bounded() -> None:
    history = History()
    history.leave(Place("a", 1.0))
    history.leave(Place("b", 2.0))
    assert history.go_back(Place("c", 3.0)) == Place("b", 2.0)
    assert history.go_back(Place("b", 0.0)) == Place("a", 1.0)
    assert history.go_back(Place("a", 0.0)) is None
    assert history.go_forward(Place("a", 5.0)) == Place("b", 0.0)
    history.leave(Place("b", 0.0))  # opening something new clears forward
    assert history.go_forward(Place("x", 0.0)) is None
    for n in range(HISTORY_LIMIT + 50):
        history.leave(Place(str(n), 0.0))
    assert len(history.back) == HISTORY_LIMIT


def test_a_reader_that_reopens_the_last_place_and_never_moves_does_not_write_it_back(tmp_path: Path) -> None:
    # Two readers of one data file (two terminals, two tabs under qa-reader serve): the second opened
    # where the first had been; the first then read on. The second quits unmoved: the newer place stays.
    first = Harness(tmp_path / "reader.json")
    first.session.open("a")
    first.session.save_place("a", "intro", 3)
    first.settle()
    second = Harness(tmp_path / "reader.json")
    assert second.session.open("a") == first.store.article_state("a").position  # restored at "intro" +3
    first.session.save_place("a", "end", 40)
    first.settle()
    second.session.save_place("a", "intro", 3)  # its quit: the place it was restored at
    second.settle()
    assert second.store.article_state("a").position.section_id == "end"
    second.session.save_place("a", "intro", 4)  # but once it moves, its place is saved
    second.settle()
    assert second.store.article_state("a").position.section_id == "intro"
    # only the first article opened, and only the last one of an earlier run, is taken as restored
    second.session.open("b")
    second.session.save_place("b", None, 0)
    second.settle()
    assert second.store.last_article() == "b"
