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
from hypothesis import given, settings
from hypothesis import strategies as st
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


def test_an_exact_title_comes_first_then_titles_starting_with_the_word(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("amdgpu_top.md", "# amdgpu_top\n\nShows the top of the GPU: top, top, top.\n")
    write("anytopnm.md", "# anytopnm\n\nConverts any image.\n")
    write("htop.md", "# htop\n\nLike top, in colour.\n")
    write("top.md", "# top\n\nLists processes.\n")
    write("topology.md", "# Topology\n\nShapes.\n")
    write("top-tips.md", "# top: tips\n\nFlags.\n")
    ids = [hit.article_id for hit in index(content).search("top")]
    assert ids[:3] == ["top", "top-tips", "topology"]  # exact, then titles starting with it (a prefix)
    assert set(ids[3:]) == {"amdgpu_top", "htop"} and "anytopnm" not in ids  # whole words, not inside one
    assert [hit.article_id for hit in index(content).search("top ")][:2] == ["top", "top-tips"]
    assert "topology" not in [hit.article_id for hit in index(content).search("top ")]


def test_a_tag_and_a_heading_weigh_more_than_the_text(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write(
        "leave.md",
        "# Why did Elon Musk leave OpenAI?\n\nMusk left in 2018. A lawsuit came later, and another lawsuit.\n",
    )
    write(
        "suing.md",
        "---\ntags: [lawsuit]\n---\n# What is Elon Musk suing OpenAI over?\n\nThe claims.\n\n"
        "## The first lawsuit\n\nFiled in 2024.\n",
    )
    hits = index(content).search("musk lawsuit")
    assert [hit.article_id for hit in hits] == ["suing", "leave"]
    assert hits[0].section_id == "the-first-lawsuit"  # the section whose heading holds the word


def test_the_word_being_typed_is_a_prefix_unless_the_query_is_finished(folder: Path) -> None:
    assert {h.article_id for h in index(folder).search("bake")} == {"bakery", "cafe"}
    assert index(folder).search("bake ") == []
    assert index(folder).search("bake", typing=False) == []
    assert {h.article_id for h in index(folder).search("bakery", typing=False)} == {"bakery", "cafe"}


def test_quoted_phrases_and_excluded_words(folder: Path) -> None:
    assert [h.article_id for h in index(folder).search('"next door"')] == ["bakery"]
    assert index(folder).search('"door next"') == []
    assert [h.article_id for h in index(folder).search("bakery -eight")] == ["cafe"]
    assert [h.article_id for h in index(folder).search('bakery -"turn left"')] == ["bakery"]
    assert index(folder).search("-bakery") == []  # only an excluded word: nothing to search


def test_snippets_are_plain_text(write: Callable[[str, str], Path], content: Path) -> None:
    write(
        "t.md",
        "# T\n\n## Table\n\n| Tool | Use |\n| --- | :---: |\n| **grep** | find [text](https://x.org) |\n\n"
        "## Prose\n\n> A *quoted* ~~old~~ line with `code_span` and a note[^1] and <b>html</b>.\n\n"
        "[^1]: The note.\n",
    )
    [hit] = index(content).search("grep")
    assert hit.snippet.text == "Tool Use grep find text"
    [hit] = index(content).search("quoted")
    assert hit.snippet.text == "A quoted old line with code_span and a note and html . The note."
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.marks] == ["quoted"]


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("| a | b |\n|---|---|\n| c | d |", "a b c d"),
        ("a | b\n:-- | --:\nc | d", "a b c d"),
        (
            "**bold** and __strong__ and *em* and _em_ and ~~gone~~ and ==marked==",
            "bold and strong and em and em and gone and marked",
        ),
        ("snake_case and 5 * 3 and a\\*b and foo**bar**", "snake_case and 5 * 3 and a*b and foobar"),
        (
            '[text](https://x.y/a_(b) "title") and ![alt](i.png) and [ref][r] and <https://x.y>',
            "text and alt and ref and https://x.y",
        ),
        ("### Heading ###\n- # listed\n> quoted\n1. first\n- [x] done", "Heading listed quoted first done"),
        (
            "a note[^1] and ^[inline words]\n\n[^1]: The note.\n[r]: https://x.y",
            "a note and inline words The note.",
        ),
        ("<span class='x'>in</span><br/>line <!-- hidden --> &amp; &copy;", "in line & ©"),
        ("[[Page#Part]] and [[Page|shown]] and %%hidden%% and #tag", "Page > Part and shown and and #tag"),
        ("***\n---\n___\n* * *\ntext", "text"),
        ("```python\nx = a_b * c | d\n```\n~~~\n# not a heading\n~~~", "x = a_b * c | d # not a heading"),
        ("`` a `tick` `` and `*not emphasis*`", "a `tick` and *not emphasis*"),
    ],
)
def test_plain_text_has_no_markdown(markdown: str, plain: str) -> None:
    from tui.articles.search import _plain

    assert _plain(markdown) == plain


PATHOLOGICAL = {
    "spaces": " " * 200_000 + "x",
    "backticks": "`" * 100_000,
    "spaced backticks": "` " * 100_000,
    "footnote openers": "[^" * 100_000,
    "inline note openers": "^[" * 100_000,
    "link openers": "[a](" * 50_000,
    "tag openers": "<a " * 50_000,
    "comment openers": "<!--" * 50_000,
    "obsidian comment": "%%" * 3 + "a" * 100_000,
    "closing hashes": "# x" + " #" * 100_000 + " y",
    "pipes": "| " * 100_000 + "x",
    "dashes": "-" * 100_000 + "x",
    "emphasis": "*_" * 100_000,
    "highlights": "==a " * 50_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_plain_text_takes_linear_time_on_any_text(name: str) -> None:
    import time

    from tui.articles.model import ArticleInfo
    from tui.articles.search import index_text

    started = time.perf_counter()
    index_text(ArticleInfo("a", "T", Path("a.md")), PATHOLOGICAL[name])
    assert time.perf_counter() - started < 5  # quadratic would take minutes


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["=", "==", "a", " ", "\n", "é", "==="]), max_size=20).map("".join))
def test_highlights_read_as_their_words_as_the_pattern_says(text: str) -> None:
    from tui.articles.search import _MARK, _unmark

    assert _unmark(text) == _MARK.sub(r"\1", text)


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


async def test_enter_before_the_hits_arrive_opens_the_first_of_them_when_they_do(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    # A fast typist, or a browser tab over a slow link (qa-reader serve): "six" and enter at once.
    from tui.screens.search import SearchScreen

    app = ReaderApp(Library(folder), tmp_path / "db.json", "cafe")
    app.reader.set_timer = lambda *args, **kwargs: None  # type: ignore[method-assign,assignment]  # no early build
    chosen: list[object] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SearchScreen(None, 3), callback=chosen.append)
        await pilot.pause()
        await pilot.press(*"six", "enter")
        assert isinstance(app.screen, SearchScreen) and chosen == []  # nothing to open yet
        app.reader.build_index()
        await wait_for(pilot, lambda: chosen == [("bakery", "opening-hours")], what="the first hit opened")
        assert not isinstance(app.screen, SearchScreen)


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
        if kwargs.get("name") == "indexer":
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
            assert started.count("indexer") == 1
        finally:
            release.set()
        await wait_for(pilot, lambda: app.reader.search_index is not None, what="the search index")
        assert started.count("indexer") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_fold_with_map_folds_character_by_character(text: str) -> None:
    from tui.articles.search import fold_with_map

    expected = [(folded, index) for index, ch in enumerate(text) for folded in fold(ch)]
    assert fold_with_map(text) == ("".join(ch for ch, _ in expected), [index for _, index in expected])
