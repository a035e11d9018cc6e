"""Search: matching and ranking (accents, case, every word), snippets, odd queries; the `search` command;
and `/`, the sidebar filter and the command palette in the reader."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.command import CommandList, CommandPalette

from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.search import SearchIndex, fold, make_snippet, words_of
from tui.widgets.sidebar import article_key, section_key

if TYPE_CHECKING:
    from conftest import WaitFor


@pytest.fixture
def folder(write: Callable[[str, str], Path], content: Path) -> Path:
    write("cafe.md", "# Where is the café?\n\n## Directions\n\nTurn left at the bakery.\n")
    write(
        "bakery.md",
        "# Bread\n\nIntro.\n\n## Opening hours\n\nThe bakery opens at six; the CAFÉ next door at eight.\n",
    )
    write(
        "other.md",
        "---\ntitle: Unrelated\n---\n\nNothing here but [brackets] and *stars* and a \\\\ backslash 🙂.\n",
    )
    return content


def index(folder: Path) -> SearchIndex:
    return SearchIndex.build(Library(folder))


def test_fold_ignores_case_and_accents() -> None:
    assert fold("ÉCLAIR Café") == "eclair cafe"
    assert words_of("  Café  cafe ") == ["cafe"]


def test_every_word_must_match(folder: Path) -> None:
    assert [h.article_id for h in index(folder).search("bakery eight")] == ["bakery"]
    assert index(folder).search("bakery nothing-like-this") == []


def test_accents_and_case_do_not_matter(folder: Path) -> None:
    ids = {h.article_id for h in index(folder).search("CAFE")}
    assert ids == {"cafe", "bakery"}


def test_title_matches_rank_above_body_matches(folder: Path) -> None:
    assert [h.article_id for h in index(folder).search("café")] == ["cafe", "bakery"]


def test_hit_names_the_matching_section_and_marks_the_words(folder: Path) -> None:
    [hit] = index(folder).search("opens six")
    assert hit.section_id == "opening-hours" and hit.section_title == "Opening hours"
    marked = [hit.snippet.text[start:end] for start, end in hit.snippet.marks]
    assert marked == ["opens", "six"]


def test_snippet_is_bounded_and_cut_at_words() -> None:
    text = " ".join(f"word{n}" for n in range(200)) + " needle " + " ".join(f"tail{n}" for n in range(200))
    snippet = make_snippet(text, ["needle"], width=60)
    assert len(snippet.text) <= 62
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert "needle" in snippet.text
    start, end = snippet.marks[0]
    assert snippet.text[start:end] == "needle"
    assert not snippet.text[1:].startswith("ord")  # starts on a word boundary


def test_marks_map_back_through_accents() -> None:
    snippet = make_snippet("Un café crème, s'il vous plaît", ["creme"])
    start, end = snippet.marks[0]
    assert snippet.text[start:end] == "crème"


@pytest.mark.parametrize("query", ["[", "*", "\\", "🙂", "((", ".*", "", "   "])
def test_odd_queries_just_work(folder: Path, query: str) -> None:
    hits = index(folder).search(query)
    assert all(h.article_id == "other" for h in hits)
    if query == "🙂":
        assert [h.article_id for h in hits] == ["other"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60)


def test_search_command_prints_one_hit_per_line(folder: Path) -> None:
    result = run("search", "cafe", "--content", str(folder))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("cafe  Where is the café?  Turn left")  # a title match opens at the top
    assert lines[1].startswith("bakery#opening-hours")
    rows = json.loads(run("search", "bakery", "eight", "--content", str(folder), "--json").stdout)
    assert [(r["id"], r["section"]) for r in rows] == [("bakery", "opening-hours")]
    nothing = run("search", "zzzz", "--content", str(folder))
    assert nothing.returncode == 1 and "Nothing matches" in nothing.stderr


# -- in the reader ------------------------------------------------------------------------------------


def hit_ids(app: ReaderApp) -> list[str]:
    """The articles listed by the search screen on top (none when another screen is)."""
    return [h.article_id for h in getattr(app.screen, "hits", [])]


async def test_slash_searches_live_and_enter_opens_the_article_at_the_section(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    from tui.screens.search import SearchScreen

    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the search index")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), what="the search screen")
        await pilot.press(*"six")
        await wait_for(pilot, lambda: hit_ids(app) == ["bakery"], what="the hit for 'six'")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, SearchScreen), what="the screen to close")
        assert app.reader.article.id == "bakery"
        await wait_for(pilot, lambda: app.reader.view.current_section == "opening-hours", what="the section")


async def test_search_that_matches_nothing_says_so_and_escape_closes(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    from tui.screens.search import SearchScreen

    def status() -> str:
        return str(app.screen.query_one("#search-status").render())

    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the search index")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), what="the search screen")
        await pilot.press(*"[*\\")
        await wait_for(pilot, lambda: "Nothing matches “[*\\”" in status(), what="the status line")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SearchScreen), what="the screen to close")
        assert app.reader.article.id == "cafe"


async def test_search_typed_before_the_index_is_ready_shows_results_when_it_is(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    from tui.screens.search import SearchScreen

    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    app.reader.set_timer = lambda *args, **kwargs: None  # type: ignore[method-assign,assignment]  # no early build
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SearchScreen(None, 3))
        await pilot.pause()
        await pilot.press(*"bakery")
        assert "Indexing" in str(app.screen.query_one("#search-status").render())
        app.reader.build_index()
        await wait_for(pilot, lambda: set(hit_ids(app)) == {"bakery", "cafe"}, what="the hits")


async def test_ctrl_f_filters_the_sidebar_as_you_type(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"BREAD")
        await wait_for(
            pilot, lambda: app.reader.sidebar.border_title == "Questions (1 of 3)", what="the filter"
        )
        articles = [key for key in app.reader.sidebar.keys if key.startswith(article_key(""))]
        assert articles == [article_key("bakery")]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == "bakery", what="the question to open")
        app.reader.questions.query_one("#filter").focus()
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: app.reader.sidebar.border_title == "Questions (3)", what="the filter cleared"
        )


async def test_command_palette_opens_questions_and_runs_actions(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    def offered(text: str) -> bool:
        """The palette is up and its highlighted (first) command is `text`."""
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return False
        option = screen.query_one(CommandList).highlighted_option
        return option is not None and text.casefold() in str(option.prompt).casefold()

    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    async with app.run_test(size=(100, 30)) as pilot:
        # the palette gathers its commands in the background: wait for them, not for half a second
        await pilot.press("ctrl+p", *"Unrelated")
        await wait_for(pilot, lambda: offered("Unrelated"), what="the question in the palette")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == "other", what="the question to open")
        await pilot.press("ctrl+p", *"footnote panel")
        await wait_for(pilot, lambda: offered("footnote"), what="the action in the palette")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.footnotes.display, what="the footnote panel")


def test_search_sections_have_the_parsers_ids_for_tricky_headings() -> None:
    from tui.articles.model import ArticleInfo
    from tui.articles.parse import parse_text
    from tui.articles.search import index_text

    src = (
        "# T\n\n## Q &amp; A\n\nx\n\n## snake\\_case names\n\ny\n\nSetext title\n------------\n\nz\n\n"
        "## Same\n\n## Same\n\n## Same-2\n\n## *Emph* and `code`\n\nw\n\n```\n# not a heading\n```\n"
    )
    indexed = index_text(ArticleInfo("a", "T", Path("a.md")), src)
    parsed = parse_text(src, Path("a.md"), "a")
    assert [s.section_id for s in indexed.sections] == [s.id for s in parsed.sections]


async def test_a_file_name_with_a_tab_still_opens_at_its_sections(tmp_path: Path, wait_for: WaitFor) -> None:
    folder = tmp_path / "tabs"
    folder.mkdir()
    (folder / "a\tb.md").write_text("# Tabbed\n\n## One\n\ntext\n\n## Two\n\nmore\n")
    app = ReaderApp(Library(folder), tmp_path / "db.json", "a\tb")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.reader.sidebar.select(section_key("a\tb", "two"))
        app.reader.sidebar.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.view.current_section == "two", what="the section")
        assert app.reader.article.id == "a\tb"


async def test_pressing_slash_again_does_not_restart_the_index_build(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    app.set_timer = lambda *args, **kwargs: None  # type: ignore[method-assign,assignment]
    started: list[str] = []
    real_run_worker = app.reader.run_worker
    release = threading.Event()

    def run_worker(work, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(kwargs.get("name", ""))
        if kwargs.get("name") == "index":
            # a build still under way while the later presses come, however slow the machine:
            # it finishes only when the test says so
            async def held():  # type: ignore[no-untyped-def]
                while not release.is_set():
                    await asyncio.sleep(0.01)
                return await work if inspect.isawaitable(work) else work()

            return real_run_worker(held(), *args, **kwargs)
        return real_run_worker(work, *args, **kwargs)

    app.reader.run_worker = run_worker  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        try:
            await pilot.press("slash", "escape", "slash", "escape", "slash")
            await pilot.pause()
            assert app.reader.search_index is None  # still building
            assert started.count("index") == 1
        finally:
            release.set()
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the search index")
        assert started.count("index") == 1
