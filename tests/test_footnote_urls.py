"""URLs in notes: opened from the footnote panel (← → select, o opens), and never broken at a hyphen,
neither by the one word wrap (the panel, the reading pane) nor in `qa-reader show`."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.model import Span
from tui.articles.parse import parse_file
from tui.articles.plain import show
from tui.articles.wrap import URL_BREAKS, break_offsets, wrap
from tui.widgets.footnote_panel import web_links

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor

VERGE = (
    "https://www.theverge.com/2023/3/15/23640180/openai-gpt-4-launch-closed-research-ilya-sutskever-interview"
)
LP = "https://openai.com/index/openai-lp/"
FIRST = "https://example.org/first-page/"
SECOND = "https://example.org/second-page/"
ARTICLE = f"""\
---
title: Links in notes
---
# Links in notes

First claim[^plain]. Second claim[^two]. Third claim[^long].

A line with a hard break\\
{VERGE}

- listed {VERGE}

| Source | Link |
|---|---|
| Verge | {VERGE} |

[^plain]: A book, 2019, page 12.
[^two]: See {FIRST} and [the second](https://example.org/second-page/).
[^long]: The Verge, 2023. {VERGE} and {LP}
"""


def url_lines(text: str, width: int, keep_urls: bool = False) -> list[str]:
    starts = [0, *break_offsets(text, width, keep_urls)]
    return [text[a:b].rstrip(" ") for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


# -- the word wrap -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [VERGE, f"The Verge, 2023. {VERGE} and {LP}", f"日本語 {VERGE}"])
def test_a_url_wider_than_a_line_breaks_after_a_slash_and_never_at_a_hyphen(text: str) -> None:
    for width in range(12, 100):
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.endswith("-") for line in lines), (width, lines)
        position = 0
        for line in lines[:-1]:
            position = text.index(line, position) + len(line)
            if text[position] == " " or line[-1] in URL_BREAKS:
                continue
            # folded inside the URL elsewhere than after a `/`: only where none fitted past its `://`
            body = line.split("://", 1)[1] if "://" in line else line[1:]
            assert not any(mark in body for mark in URL_BREAKS), (width, lines)
    # the panel's "op|enai-lp/" (a note's URL folded at the width) and the words around it, as before
    assert wrap(f"x {LP}", 12) == ["x", "https://open", "ai.com/", "index/", "openai-lp/"]
    assert wrap(f"x {LP} y", 30) == ["x", "https://openai.com/index/", "openai-lp/ y"]
    assert wrap("a state-of-the-art-thing", 10) == ["a", "state-of-t", "he-art-thi", "ng"]


def test_show_keeps_a_url_wider_than_the_line_whole_on_a_line_of_its_own() -> None:
    text = f"The Verge (James Vincent), 2023. {VERGE} and {LP}."
    for width in (20, 40, 60, 80):
        lines = url_lines(text, width, keep_urls=True)
        assert VERGE in lines, (width, lines)
        assert all(cell_len(line) <= width for line in lines if not line.startswith("https://"))
        assert all(" " not in line for line in lines if cell_len(line) > width)  # a URL, alone
        assert url_lines(f"語 {VERGE} x", width, keep_urls=True) == ["語", VERGE, "x"]
    assert url_lines(f"a {VERGE}", 40) != url_lines(f"a {VERGE}", 40, keep_urls=True)


_URL_WORDS = st.sampled_from([VERGE, LP, "(https://a.org/x-y-z-w/q?a-b=c-d&e=f#g-h)", "www.ex-ample.org/a-b"])
_WORDS = st.one_of(st.text(st.sampled_from("abcé-日"), min_size=1, max_size=12), _URL_WORDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=8).map(" ".join), st.integers(8, 60))
def test_urls_fold_only_where_they_may_and_everything_else_wraps_as_it_did(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    position = 0
    for line in lines[:-1]:
        position = text.index(line, position) + len(line)
        word_start = text.rfind(" ", 0, position) + 1
        if text[position] != " " and text.startswith(("http", "(http", "www."), word_start):
            assert line[-1] != "-" or set(text[word_start:position]) <= {"-"}, (width, lines)
    kept = url_lines(text, width, keep_urls=True)
    for word in text.split(" "):
        if cell_len(word) > width and word.startswith(("http", "(http", "www.")):
            assert word in kept
    assert all(cell_len(line) <= width or " " not in line for line in kept)


def test_web_links_are_the_notes_http_links_and_bare_urls_without_closing_punctuation() -> None:
    inline = (
        Span("See (https://a.org/x-y). Then "),
        Span("the second", link=SECOND),
        Span(", "),
        Span("a page", link="other.md"),
        Span(" and https://b.org/wiki/Foo_(bar)."),
    )
    text = "".join(span.text for span in inline)
    links = web_links(inline)
    assert [url for _, _, url in links] == ["https://a.org/x-y", SECOND, "https://b.org/wiki/Foo_(bar)"]
    assert [text[start:end] for start, end, _ in links] == [
        "https://a.org/x-y",
        "the second",
        "https://b.org/wiki/Foo_(bar)",
    ]


# -- qa-reader show --------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [40, 60, 80])
def test_show_never_breaks_a_url_at_a_hyphen(write: Callable[[str, str], Path], width: int) -> None:
    article = parse_file(write("links.md", ARTICLE), "links")
    out = io.StringIO()
    show(article, Console(file=out, width=width, force_terminal=False), width)
    lines = out.getvalue().splitlines()
    assert not any(line.rstrip().endswith("-") for line in lines), lines
    notes = lines[next(n for n, line in enumerate(lines) if line == "Notes") :]
    for url in (VERGE, LP, FIRST):
        assert any(url in line for line in notes), (url, notes)
    body = lines[: len(lines) - len(notes)]
    assert sum(VERGE in line for line in body) == 2  # the hard-broken line and the list item, whole
    top = next(n for n, line in enumerate(body) if line.startswith("Source"))
    rows = body[top + 2 : body.index("", top)]
    assert "".join(line.split()[-1] for line in rows) == VERGE  # a table cannot overflow: folded there


# -- the footnote panel ----------------------------------------------------------------------------------


def notes_app(content: Path, write: Callable[[str, str], Path]) -> tuple[ReaderApp, list[str]]:
    write("links.md", ARTICLE)
    app = ReaderApp(Library(content), content.parent / "reader.json", "links")
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    return app, opened


def panel_text(app: ReaderApp) -> list[str]:
    panel = app.reader.footnotes
    return [panel.render_line(y).text for y in range(panel.scrollable_content_region.height)]


async def test_right_and_o_in_the_notes_open_the_selected_link_through_the_reader(
    content: Path, write: Callable[[str, str], Path], record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    app, opened = notes_app(content, write)
    notices = record_notices(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="the article")
        await pilot.press("f")
        panel = app.reader.footnotes
        panel.focus()
        await wait_for(pilot, lambda: panel.has_focus and panel.cursor_key == "note-1", what="the notes")
        await pilot.press("down")
        assert panel.cursor_key == "note-2" and panel.border_subtitle == "← → a link · o opens it"
        await pilot.press("right", "right")
        assert panel.selected_url == SECOND
        strips = [panel.render_line(y) for y in range(panel.scrollable_content_region.height)]
        selected = "".join(s.text for strip in strips for s in strip if s.style and s.style.reverse)
        assert selected.replace(" ", "") == "thesecond"  # drawn reversed (on one line or two)
        await pilot.press("o")
        await wait_for(pilot, lambda: opened == [SECOND], what="the link opened")
        assert any(n.message == f"Opening {SECOND}" for n in notices)
        await pilot.press("left", "o")
        await wait_for(pilot, lambda: opened == [SECOND, FIRST], what="the first link opened")
        # the next note: nothing selected yet, o opens its first link; its URLs never end a line at "-"
        await pilot.press("down")
        assert panel.cursor_key == "note-3" and panel.selected_url is None
        await pilot.press("o")
        await wait_for(pilot, lambda: opened[-1:] == [VERGE], what="the note's first link opened")
        assert not any(line.rstrip().endswith("-") for line in panel_text(app))
        # enter still goes to the place that cites the note
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is app.reader.view, what="the jump to the citation")
        assert app.reader.view.selected_target == ("note", 3)


async def test_o_on_a_note_without_a_link_says_so(
    content: Path, write: Callable[[str, str], Path], record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    app, opened = notes_app(content, write)
    notices = record_notices(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="the article")
        await pilot.press("f")
        panel = app.reader.footnotes
        panel.focus()
        await wait_for(pilot, lambda: panel.has_focus and panel.cursor_key == "note-1", what="the notes")
        assert "o opens" not in str(panel.border_subtitle)
        await pilot.press("o")
        await wait_for(pilot, lambda: any(n.message == "This note has no link." for n in notices))
        assert opened == []
