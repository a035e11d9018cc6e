"""The reader and the stored index: search goes through it, a later start lists the questions from it and
catches up with what changed, a folder too big to list before the first paint is listed by the first
build (in a child process) with its progress in the sidebar's title, and a machine without FTS5 or a
failing build falls back to the in-memory search with a notice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.widgets import Static

from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.catalog import Catalog
from tui.articles.search import SearchIndex
from tui.screens import index_keeper
from tui.screens.search import SearchScreen

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor


def _questions(root: Path, count: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (root / f"q{number:02d}.md").write_text(
            f"# Question {number:02d}?\n\nAnswer {number} about bread.\n\n## Oven\n\nHot.\n", encoding="utf-8"
        )
    return root


def _titles(app: ReaderApp) -> list[str]:
    return [info.title for info in app.reader.sidebar.infos]


async def _search(pilot, app: ReaderApp, wait_for: WaitFor, words: str) -> list[str]:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), what="the search screen")
    await pilot.press(*words)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    await wait_for(pilot, lambda: screen.shown_query == words, what=f"the hits for {words!r}")
    return [hit.article_id for hit in screen.hits]


async def test_search_goes_through_the_stored_index_and_a_later_start_lists_from_it_and_catches_up(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    from tui.cli import _reading_library

    root = _questions(tmp_path / "content", 3)
    app = ReaderApp(Library(root), tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the stored index")
        assert isinstance(app.reader.search_index, Catalog)
        assert await _search(pilot, app, wait_for, "question 01") == ["q01"]
    # Later: an article added and one removed while the reader was closed.
    (root / "q02.md").unlink()
    (root / "new.md").write_text("# A new question?\n\nYes.\n", encoding="utf-8")
    library = _reading_library(root)
    assert library.catalog is not None  # the list comes from the stored index, not from the files
    app = ReaderApp(library, tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Question 02?" in _titles(app)  # (as stored: the refresh has not run yet)
        await wait_for(
            pilot,
            lambda: "A new question?" in _titles(app) and "Question 02?" not in _titles(app),
            what="the refresh",
        )
        assert app.reader.sidebar.border_title == "Questions (3)"
        assert await _search(pilot, app, wait_for, "new") == ["new"]


async def test_a_folder_too_big_to_list_before_the_first_paint_is_listed_by_the_first_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor
) -> None:
    monkeypatch.setattr(index_keeper, "LIST_BEFORE_PAINT", 5)
    monkeypatch.setattr(index_keeper, "RELIST_EVERY", 0.0)
    root = _questions(tmp_path / "content", 12)
    notes: list[str] = []
    app = ReaderApp(Library(root), tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = app.reader.sidebar
        set_note = sidebar.set_note
        monkeypatch.setattr(sidebar, "set_note", lambda note: (notes.append(note), set_note(note)))
        assert app.reader.library.too_many  # nothing was read before the first paint but the walk's start
        await wait_for(pilot, lambda: len(_titles(app)) == 12 and not sidebar.note, what="the whole list")
        assert any(note.startswith("indexing") for note in notes)  # progress was in the title
        assert sidebar.border_title == "Questions (12)"
        await wait_for(pilot, lambda: app.reader.article is not None, what="the first question")
        assert app.reader.article.id == "q00"
        assert await _search(pilot, app, wait_for, "bread oven") != []


async def test_without_fts5_search_is_in_memory_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    from tui.articles import catalog

    monkeypatch.setattr(catalog, "fts5_available", lambda: False)
    root = _questions(tmp_path / "content", 3)
    app = ReaderApp(Library(root), tmp_path / "db.json")
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the in-memory index")
        assert isinstance(app.reader.search_index, SearchIndex)
        assert any("No stored search index" in notice.message for notice in notices)
        assert await _search(pilot, app, wait_for, "question 02") == ["q02"]


async def test_a_build_that_fails_is_a_notice_and_search_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    def broken(self: Catalog, progress: Callable[..., None] | None = None) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Catalog, "refresh", broken)
    root = _questions(tmp_path / "content", 3)
    app = ReaderApp(Library(root), tmp_path / "db.json")
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: any("disk on fire" in n.message for n in notices), what="the notice")
        await wait_for(pilot, lambda: isinstance(app.reader.search_index, SearchIndex), what="the fallback")
        assert await _search(pilot, app, wait_for, "question 01") == ["q01"]


async def test_the_search_screen_says_how_far_a_build_has_got(tmp_path: Path, wait_for: WaitFor) -> None:
    root = _questions(tmp_path / "content", 2)
    app = ReaderApp(Library(root), tmp_path / "db.json")
    app.reader.set_timer = lambda *args, **kwargs: None  # type: ignore[method-assign,assignment]  # no refresh
    async with app.run_test(size=(100, 30)) as pilot:
        screen = SearchScreen(None, 0, progress="indexing 500 of 2,000")
        await app.push_screen(screen)
        status = screen.query_one("#search-status", Static)
        assert "indexing 500 of 2,000" in str(status.render())
        screen.set_progress("", 2000)
        await pilot.pause()
        assert "2,000 articles" in str(status.render())


async def test_a_stored_index_that_went_bad_after_it_was_opened_is_read_past(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor
) -> None:
    from tui.articles.catalog import CatalogUnavailable
    from tui.cli import _reading_library

    root = _questions(tmp_path / "content", 3)
    with Catalog.open(root, write=True) as catalog:
        catalog.refresh()
    library = _reading_library(root)
    assert library.catalog is not None

    def damaged(self: Catalog) -> int:
        raise CatalogUnavailable("stored index unusable: database disk image is malformed")

    monkeypatch.setattr(Catalog, "count", damaged)
    app = ReaderApp(library, tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: len(_titles(app)) == 3, what="the list, read from the files")
        assert app.reader.article is not None


async def test_a_search_opened_during_a_first_build_searches_what_is_stored_so_far(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor
) -> None:
    from tui.indexer import Progress

    monkeypatch.setattr(index_keeper, "LIST_BEFORE_PAINT", 5)
    root = _questions(tmp_path / "content", 12)
    app = ReaderApp(Library(root), tmp_path / "db.json")
    app.reader.build_index = lambda: None  # type: ignore[method-assign]  # (the build is played by hand)
    async with app.run_test(size=(100, 30)) as pilot:
        keeper = app.reader.index
        keeper._growing = True  # (as start() sets it for a folder too big to list first)
        keeper.progressed(Progress("read", 0, 12))
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), what="the search screen")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"bread")
        status = screen.query_one("#search-status", Static)
        assert "Indexing 0 of 12" in str(status.render())
        with Catalog.open(root, write=True) as catalog:  # (what the build has stored by now)
            catalog.refresh()
        keeper.progressed(Progress("read", 12, 12))
        await wait_for(pilot, lambda: len(screen.hits) == 12, what="the hits from the stored part")
        assert "indexing 12 of 12" in str(status.render())


async def test_a_small_folder_refreshes_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor
) -> None:
    root = _questions(tmp_path / "content", 3)
    notes: list[str] = []
    app = ReaderApp(Library(root), tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = app.reader.sidebar
        set_note = sidebar.set_note
        monkeypatch.setattr(sidebar, "set_note", lambda note: (notes.append(note), set_note(note)))
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the stored index")
        assert not any(notes)  # (three files read: nothing to flash in the title)
        assert sidebar.border_title == "Questions (3)"
