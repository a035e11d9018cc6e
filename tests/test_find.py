"""Find in the article: the find bar (`F`), `n` / `N`, the words of a search hit highlighted; and the
matching itself (tui/articles/find.py): case- and accent-insensitive, across a wrapped line, in chunks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.segment import Segment
from rich.style import Style

sys.path.insert(0, str(Path(__file__).parent))

from corpus import long_article  # noqa: E402

from tui.app import ReaderApp  # noqa: E402
from tui.articles import Library  # noqa: E402
from tui.articles.find import FoldedLines, Matches, fold_line, phrase_needles, word_needles  # noqa: E402
from tui.articles.search import fold_with_map  # noqa: E402
from tui.widgets.article_view import SELECTED, ArticleView, highlighted  # noqa: E402
from tui.widgets.find_bar import FindBar  # noqa: E402

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor

FILLER = "Plain words about nothing in particular, to fill the page between the places that matter."


def _article() -> str:
    """Three kettles far apart (sections 1, 8 and 15), two cafés, and a lot of text between them."""
    parts = ['---\ntitle: "How do kettles work?"\n---\n', "# How do kettles work?\n"]
    for number in range(1, 16):
        parts.append(f"## Part {number}\n")
        if number == 1:
            parts.append("The first kettle sits in the Café on the corner.\n")
        for _ in range(4):
            parts.append(f"{FILLER} {FILLER}\n")
        if number == 8:
            parts.append("A second kettle, in the middle.\n")
        if number == 15:
            parts.append("The third kettle is the last one; CAFE closes.\n")
    return "\n".join(parts)


@pytest.fixture
def folder(write, content: Path) -> Path:  # type: ignore[no-untyped-def]
    write("kettles.md", _article())
    write("other.md", "# Another question?\n\nNothing to see: a kettle once.\n")
    return content


def reader_app(folder: Path, tmp_path: Path, article: str = "kettles") -> ReaderApp:
    return ReaderApp(Library(folder), tmp_path / "db.json", article)


def bar_of(app: ReaderApp) -> FindBar:
    return app.reader.find_bar


def current_line(view: ArticleView) -> int:
    assert view.match_index is not None and view._matches is not None
    return view._matches.line_of(view.match_index)


def current_on_screen(view: ArticleView) -> bool:
    return view.match_index is not None and on_screen(view, current_line(view))


def on_screen(view: ArticleView, line: int) -> bool:
    top = int(view.scroll_offset.y)
    return top <= line < top + view.scrollable_content_region.height


def drawn_styles(view: ArticleView, line: int) -> list[tuple[str, Style | None]]:
    """The segments of a rendered line as the pane draws them (on screen or not)."""
    strip = view.render_line(line - int(view.scroll_offset.y))
    return [(segment.text, segment.style) for segment in strip if segment.text.strip()]


async def open_find(pilot, app: ReaderApp, wait_for: WaitFor, text: str) -> None:  # type: ignore[no-untyped-def]
    view = app.reader.view
    await wait_for(pilot, lambda: view.line_text(0) != "", what="the article")
    await pilot.press("F")
    await wait_for(
        pilot, lambda: bar_of(app).input is not None and bar_of(app).input.has_focus, what="the find bar"
    )
    await pilot.press(*text)


# -- the find bar -------------------------------------------------------------------------------------------


async def test_F_opens_the_find_bar_and_typing_highlights_every_match(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = reader_app(folder, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await open_find(pilot, app, wait_for, "kettle")
        await wait_for(pilot, lambda: bar_of(app).status == "1/3", what="1/3 in the bar")
        assert bar_of(app).display
        line = current_line(view)
        assert on_screen(view, line)
        text = "".join(segment.text for segment in view._lines[line])
        [(start, end, current)] = [h for h in view.highlights(line) if h[2]]
        assert text[start:end].lower() == "kettle" and current
        palette = app.palette
        styles = dict(drawn_styles(view, line))
        drawn = styles["kettle"]
        assert drawn is not None and drawn.reverse and drawn.color == (palette.current + SELECTED).color
        # the others are found too (further down, in the match style)
        lines = [view._matches.line_of(n) for n in range(3)]  # type: ignore[union-attr]
        assert lines == sorted(lines) and len(set(lines)) == 3
        assert [h[2] for h in view.highlights(lines[1])] == [False]
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_screen(view, lines[1]), what="the second match")
        drawn = dict(drawn_styles(view, lines[0]))["kettle"]  # no longer the current one
        assert (
            drawn is not None and drawn.underline and not drawn.reverse and drawn.color == palette.match.color
        )


async def test_enter_and_n_go_to_the_next_match_and_N_back_round_the_ends(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = reader_app(folder, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await open_find(pilot, app, wait_for, "kettle")
        await wait_for(pilot, lambda: bar_of(app).status == "1/3", what="the first match")
        first_top = view.scroll_offset.y
        await pilot.press("enter")
        await wait_for(pilot, lambda: bar_of(app).status == "2/3", what="enter: the second match")
        await wait_for(pilot, lambda: current_on_screen(view), what="the second match in view")
        assert view.scroll_offset.y > first_top
        assert "kettle" in view.screen_text()
        await pilot.press("down")
        await wait_for(pilot, lambda: view.match_index == 2, what="↓: the third")
        await wait_for(pilot, lambda: current_on_screen(view), what="the third match in view")
        assert view.current_section == "part-15"  # the section (and the sidebar) follow, as with scrolling
        await pilot.press("enter")
        await wait_for(pilot, lambda: bar_of(app).status == "1/3 · wrapped", what="round to the first")
        await wait_for(pilot, lambda: current_on_screen(view), what="the match in view")
        await pilot.press("up")
        await wait_for(pilot, lambda: view.match_index == 2, what="↑: round back to the last")
        # escape: the bar closes, the highlights stay, n and N go on from the text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not bar_of(app).display, what="the bar closed")
        assert app.focused is view and view.finding
        await pilot.press("N")
        await wait_for(pilot, lambda: view.match_index == 1, what="N: the second")
        await wait_for(pilot, lambda: current_on_screen(view), what="the match in view")
        await pilot.press("n")
        await wait_for(pilot, lambda: view.match_index == 2, what="n: the third")
        # escape in the text clears them
        line = current_line(view)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not view.finding, what="the highlights cleared")
        assert view.highlights(line) == []
        assert all(not (style and style.reverse) for _, style in drawn_styles(view, line))


async def test_no_match_says_so_and_n_without_a_find_says_how(
    folder: Path, tmp_path: Path, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    app = reader_app(folder, tmp_path)
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await wait_for(pilot, lambda: view.line_text(0) != "", what="the article")
        await pilot.press("n")
        await wait_for(pilot, lambda: any("F finds" in n.message for n in notices), what="the hint")
        await open_find(pilot, app, wait_for, "zebra")
        await wait_for(pilot, lambda: bar_of(app).status == "no matches", what="no matches")
        assert view.match_count == 0 and view.scroll_offset.y == 0


async def test_cafe_finds_Cafe_and_CAFE(folder: Path, tmp_path: Path, wait_for: WaitFor) -> None:
    app = reader_app(folder, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await open_find(pilot, app, wait_for, "cafe")
        await wait_for(pilot, lambda: bar_of(app).status == "1/2", what="two cafés")
        found = []
        for number in range(2):
            line = view._matches.line_of(number)  # type: ignore[union-attr]
            text = "".join(segment.text for segment in view._lines[line])
            found += [text[start:end] for start, end, _ in view.highlights(line)]
        assert found == ["Café", "CAFE"]


async def test_highlights_and_the_current_match_survive_a_resize_and_a_new_theme(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = reader_app(folder, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await open_find(pilot, app, wait_for, "kettle")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bar_of(app).status == "2/3", what="the second match")
        width = view._laid_out_width
        await pilot.resize_terminal(70, 30)
        await wait_for(pilot, lambda: view._laid_out_width != width, what="the new layout")
        await wait_for(
            pilot, lambda: view.match_count == 3 and view.match_index == 1, what="the matches again"
        )
        line = current_line(view)
        text = "".join(segment.text for segment in view._lines[line])
        assert [text[s:e] for s, e, current in view.highlights(line) if current] == ["kettle"]
        await wait_for(pilot, lambda: current_on_screen(view), what="the match still in view")
        # and a new theme: the highlights in its colours
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"

        def current_colour() -> object:
            styles = dict(drawn_styles(view, current_line(view))) if view.match_index == 1 else {}
            return styles["kettle"].color if styles.get("kettle") else None

        await wait_for(
            pilot, lambda: current_colour() == (app.palette.current + SELECTED).color, what="the new colours"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.match_index == 2, what="enter after the resize")


async def test_another_article_clears_the_find_and_closes_the_bar(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = reader_app(folder, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await open_find(pilot, app, wait_for, "kettle")
        await wait_for(pilot, lambda: view.match_count == 3, what="the matches")
        app.reader.open_article("other")
        await wait_for(pilot, lambda: not bar_of(app).display, what="the bar closed")
        assert not view.finding and view.highlights(2) == []


async def test_a_search_hit_opens_with_its_words_highlighted_and_n_goes_on(
    folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = reader_app(folder, tmp_path, "other")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader
        view = reader.view
        await wait_for(pilot, lambda: view.line_text(0) != "", what="the article")
        await pilot.press("slash", *"kettle middle")
        await wait_for(pilot, lambda: getattr(app.screen, "hits", None), what="search hits")
        assert app.screen.hits[0].article_id == "kettles"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: reader.article is not None and reader.article.id == "kettles", what="it"
        )
        await wait_for(pilot, lambda: view.match_index is not None, what="a current match")
        assert view.current_section == "part-8" and view.match_count == 4  # 3 kettles, 1 middle
        line = current_line(view)
        text = "".join(segment.text for segment in view._lines[line])
        assert [text[s:e] for s, e, _ in view.highlights(line)] == ["kettle", "middle"]
        await wait_for(pilot, lambda: current_on_screen(view) and app.focused is view, what="it in view")
        await pilot.press("n")
        await wait_for(pilot, lambda: view.match_index == 2, what="n: the next word")
        await pilot.press("n")
        await wait_for(pilot, lambda: view.match_index == 3, what="n: the last kettle")
        await wait_for(pilot, lambda: current_on_screen(view), what="the match in view")


async def test_a_long_article_is_found_to_its_end_while_it_is_still_being_read(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    (tmp_path / "long").mkdir()
    (tmp_path / "long" / "long.md").write_text(long_article(sections=60, paragraphs=300))
    app = ReaderApp(Library(tmp_path / "long"), tmp_path / "db.json", "long")
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await open_find(pilot, app, wait_for, "last line of the body")
        await wait_for(pilot, lambda: bar_of(app).status == "1/1", what="the match at the very end")
        assert view.find_complete and "This is the last line of the body." in view.screen_text()


# -- the matching -------------------------------------------------------------------------------------------


def test_folding_keeps_every_character_in_its_place_or_maps_it() -> None:
    assert fold_line("Café Noir") == ("cafe noir", None)
    text = "Straße cafe\u0301! ﬁne"
    folded, positions = fold_line(text)
    assert (folded, positions) == fold_with_map(text)
    assert folded == "strasse cafe! fine" and positions is not None
    assert positions[folded.index("!")] == text.index("!")


def test_a_phrase_is_found_across_a_wrapped_line_and_highlighted_on_both() -> None:
    lines = FoldedLines()
    lines.add(["The quick brown", "  fox jumps over the Straße", "", "▌ ße quick", "brown fox"])
    matches = Matches(phrase_needles("Brown  FOX"), lines)
    matches.update()
    assert len(matches) == 2
    assert matches.spans(0) == [(10, 15, 0)]  # "brown" at the end of the first line
    assert matches.spans(1) == [(2, 5, 0)]  # "fox" after the indentation of the second
    assert matches.spans(4) == [(0, 9, 1)]
    # no phrase runs on across a blank line (a new paragraph)
    straße = Matches(phrase_needles("strasse sse"), lines)
    straße.update()
    assert len(straße) == 0
    quick = Matches(phrase_needles("STRASSE"), lines)
    quick.update()
    assert quick.spans(1) == [(21, 27, 0)]  # "Straße", six characters for seven folded


def test_matches_found_chunk_by_chunk_are_those_found_at_once() -> None:
    texts = [f"line {n} alpha beta" if n % 7 else f"gamma {n}" for n in range(500)] + ["alpha", "beta"]
    whole = FoldedLines()
    whole.add(texts)
    for needles in (phrase_needles("beta line"), word_needles("alpha gamma beta")):
        at_once = Matches(needles, whole)
        at_once.update()
        lines = FoldedLines()
        chunked = Matches(needles, lines)
        for start in range(0, len(texts), 13):
            lines.add(texts[start : start + 13])
            chunked.update()
        assert chunked.starts == at_once.starts and chunked.ends == at_once.ends
        assert len(at_once) > 100


def test_highlighted_restyles_characters_across_segments() -> None:
    bold, match = Style(bold=True), Style(underline=True)
    line = [Segment("The ket"), Segment("tle is", bold)]
    result = highlighted(line, [(4, 10, match)])
    assert [(s.text, s.style) for s in result] == [
        ("The ", None),
        ("ket", match),
        ("tle", bold + match),
        (" is", bold),
    ]
