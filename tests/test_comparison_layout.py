"""The comparison stays readable at every width: side by side with no word split while a column has room,
stacked aspect by aspect when the sides would be too narrow, and the sidebar out of the way on a medium
terminal. The same renderer draws `qa-reader show` and the reading screen, so both are checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.articles.model import Comparison, ComparisonRow, Span
from tui.articles.palette import TERMINAL
from tui.articles.plain import article_lines
from tui.articles.render import (
    COMPARISON_MIN_SIDE,
    _Extent,
    _renderable_lines,
    comparison_table,
    side_by_side_widths,
)
from tui.layout import COMPARING, NARROW, ROOMY, lay_out
from tui.widgets.comparison_view import TitleLine

if TYPE_CHECKING:
    from conftest import WaitFor

MAIN = "why-does-elon-musk-not-like-openai"
BORDERS = re.compile("[│╭╮╰╯├┤┬┴┼─]")
ASPECTS = ("Architecture", "Internationalisation support", "Licence", "Interoperability")
FIFTY = tuple(f"Side {n}" for n in range(1, 51))


def comparison(sides: tuple[str, ...], aspects: tuple[str, ...] = ASPECTS) -> Comparison:
    rows = tuple(
        ComparisonRow(
            aspect,
            tuple((Span(f"{side} answers {aspect.lower()} with several ordinary words"),) for side in sides),
        )
        for aspect in aspects
    )
    return Comparison(" vs ".join(sides), sides, rows, "cmp")


def rendered(block: Comparison, width: int) -> list[str]:
    console = Console(width=width, force_terminal=False)
    lines = _renderable_lines(comparison_table(block, TERMINAL), width, console)
    return ["".join(segment.text for segment in line) for line in lines]


def tokens(lines: list[str]) -> set[str]:
    """Every whole word drawn (borders count as spaces)."""
    return {token for line in lines for token in BORDERS.sub(" ", line).split()}


def is_table(lines: list[str]) -> bool:
    return bool(lines) and lines[0].startswith("╭")


def article_with(sides: tuple[str, ...], aspects: tuple[str, ...] = ASPECTS) -> str:
    parts = ["# Compared", "", "Intro.", "", "## " + " vs ".join(sides), ""]
    for side in sides:
        parts += [f"### {side}", ""]
        parts += [f"- **{aspect}:** {side} answers {aspect.lower()} plainly" for aspect in aspects]
        parts.append("")
    return "\n".join(parts)


# -- the widths ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("sides", [("OpenAI", "xAI"), ("Python", "Rust", "Go"), FIFTY])
def test_no_aspect_word_is_split_at_any_width(width: int, sides: tuple[str, ...]) -> None:
    lines = rendered(comparison(sides), width)
    drawn = tokens(lines)
    for aspect in ASPECTS:
        for word in aspect.split():
            assert word in drawn, f"{word!r} split at width {width}"


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_bundled_comparison_keeps_its_aspects_and_values_whole(width: int) -> None:
    [block] = Library(bundled_content()).article(MAIN).comparisons
    lines = rendered(block, width)
    drawn = tokens(lines)
    for row in block.rows:
        assert set(row.aspect.split()) <= drawn
        for cell in row.cells:
            assert set("".join(span.text for span in cell).split()) <= drawn  # no value word folded either
    assert all(cell_len(line) <= width for line in lines)


@pytest.mark.parametrize("width", [80, 120])
def test_two_sides_stay_side_by_side_with_every_row_aligned(width: int) -> None:
    [block] = Library(bundled_content()).article(MAIN).comparisons
    lines = rendered(block, width)
    assert is_table(lines)
    assert {cell_len(line) for line in lines} == {width}  # it fills the width, every line as wide
    focus = next(line for line in lines if "Focus" in line)
    assert focus.index("Focus") < focus.index("Scaling") < focus.index("In Musk's")


def test_the_aspect_column_is_at_least_its_longest_word_and_values_stay_readable() -> None:
    aspect = _Extent(word=20, full=28)
    sides = [_Extent(word=9, full=120), _Extent(word=11, full=90)]
    widths = side_by_side_widths(aspect, sides, 80)
    assert widths is not None
    assert widths[0] >= 20 and min(widths[1:]) >= COMPARISON_MIN_SIDE
    assert sum(widths) + 3 * len(widths) + 1 == 80
    # too narrow for the word and two readable sides: stacked, not squeezed
    assert side_by_side_widths(aspect, sides, 20 + 2 * COMPARISON_MIN_SIDE + 9) is None


def test_sides_that_need_little_room_stay_side_by_side_even_when_many() -> None:
    yes_no = Comparison(
        "t",
        tuple(f"S{n}" for n in range(8)),
        tuple(ComparisonRow(a, tuple((Span("yes"),) for _ in range(8))) for a in ("Free", "Open")),
        "t",
    )
    assert is_table(rendered(yes_no, 80))


@pytest.mark.parametrize("width", [60, 80, 120])
def test_fifty_sides_are_stacked_with_every_side_and_value_within_the_width(width: int) -> None:
    block = comparison(FIFTY)
    lines = rendered(block, width)
    assert not is_table(lines) and not any("│" in line for line in lines)
    assert all(cell_len(line) <= width for line in lines)
    text = "\n".join(lines)
    for side in FIFTY:
        assert f"{side}:" in text
    joined = " ".join(" ".join(line.split()) for line in lines)
    for row in block.rows:
        for cell in row.cells:
            assert "".join(span.text for span in cell) in joined  # each value whole, wrapped or not
    assert lines[0] == ASPECTS[0]  # the aspect heads its group
    assert lines[1].startswith("  Side 1:")


def test_long_side_names_put_the_value_under_its_label() -> None:
    sides = ("A remarkably long name for the first side", "A second side named at length")
    lines = rendered(comparison(sides), 50)
    assert not is_table(lines)
    assert "  A remarkably long name for the first side:" in lines
    assert all(cell_len(line) <= 50 for line in lines)


def test_show_prints_many_sides_stacked_within_80_columns(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "many.md").write_text(article_with(FIFTY[:6]), encoding="utf-8")
    console = Console(width=80, force_terminal=False)
    lines = [
        "".join(s.text for s in line) for line in article_lines(Library(folder).article("many"), 80, console)
    ]
    assert all(cell_len(line) <= 80 for line in lines)
    assert "Internationalisation support" in lines and "  Side 6: Side 6 answers licence plainly" in lines


def test_the_title_takes_one_line_when_the_hint_fits_beside_it() -> None:
    title = TitleLine(Text("OpenAI vs xAI"), Text("1 of 1 · c or esc: back to the text"))
    wide = Console(width=76, force_terminal=False)
    assert len(wide.render_lines(title, wide.options, pad=False)) == 1
    narrow = Console(width=40, force_terminal=False)
    assert len(narrow.render_lines(title, narrow.options, pad=False)) == 2


# -- the layout ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [NARROW, COMPARING - 1])
def test_the_comparison_folds_the_sidebar_away_on_a_medium_terminal(width: int) -> None:
    assert not lay_out(width, 24, notes_open=False, comparing=True).sidebar
    assert lay_out(width, 24, notes_open=False, comparing=True, sidebar_forced=True).sidebar
    assert lay_out(width, 24, notes_open=False).sidebar
    assert lay_out(COMPARING, 24, notes_open=False, comparing=True).sidebar


def test_the_comparison_takes_the_short_answers_rows_on_a_short_terminal() -> None:
    comparing = lay_out(120, ROOMY - 1, notes_open=False, comparing=True)
    assert comparing.answer_lines == 0 and comparing.short
    assert lay_out(120, ROOMY, notes_open=False, comparing=True).answer_lines == 3
    assert lay_out(120, ROOMY - 1, notes_open=False).answer_lines == 2


# -- on screen ----------------------------------------------------------------------------------------


def screen_lines(app: ReaderApp) -> list[str]:
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    return ["".join(segment.text for strip in row for segment in strip) for row in update.strips]  # type: ignore[union-attr]


async def test_at_80x24_the_comparison_shows_several_whole_rows_without_the_sidebar(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(bundled_content()), tmp_path / "db.json", MAIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="the article")
        assert app.reader.questions.display
        await pilot.press("c")
        await wait_for(pilot, lambda: app.reader.comparison.display, what="the comparison")

        [block] = app.reader.article.comparisons
        # the first two rows whole: their aspects and the last word of every value
        wanted = [row.aspect for row in block.rows[:2]]
        wanted += [
            "".join(span.text for span in cell).split()[-1] for row in block.rows[:2] for cell in row.cells
        ]

        def rows_on_screen() -> bool:
            drawn = tokens(screen_lines(app))
            return all(word in drawn for word in wanted)

        await wait_for(pilot, rows_on_screen, what="two whole rows of the comparison on screen")
        assert not app.reader.questions.display
        second = block.rows[1]
        firsts = ["".join(span.text for span in cell).split()[0] for cell in second.cells]
        row = next(line for line in screen_lines(app) if second.aspect in line)
        assert all(word in row for word in firsts)  # the sides of one aspect on one row
        await pilot.press("s")  # the sidebar can still be called back
        await wait_for(pilot, lambda: app.reader.questions.display, what="the sidebar back")
        await pilot.press("c")
        await wait_for(pilot, lambda: app.reader.view.display, what="the text again")
        assert app.reader.questions.display and app.reader.header.answer_lines == 2


async def test_fifty_sides_are_stacked_on_screen(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    write("fifty.md", article_with(FIFTY))
    app = ReaderApp(Library(content), tmp_path / "db.json", "fifty")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="the article")
        await pilot.press("c")
        await wait_for(pilot, lambda: any("Side 3:" in line for line in screen_lines(app)), what="stacked")
        lines = screen_lines(app)
        assert any(line.strip() == "Architecture" for line in lines)
        assert any("Side 1:  Side 1 answers architecture plainly" in line for line in lines)
        assert any("(50 sides)" in line for line in lines)  # the title does not list all fifty
