"""The chrome around the text: the header sits in the text's column, the footer keeps `?` and `q` at any
width, and the article pane shows when it has focus. Read from what is drawn on screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.style import Style

from tui import keys
from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.layout import MEASURE, text_column
from tui.widgets.key_footer import UNRANKED, KeyFooter, fitting

if TYPE_CHECKING:
    from conftest import WaitFor

MAIN_ID = "why-does-elon-musk-not-like-openai"


def reader(tmp_path: Path) -> ReaderApp:
    return ReaderApp(Library(bundled_content()), tmp_path / "db.json", MAIN_ID)


def drawn(app: ReaderApp) -> list[list[tuple[str, Style]]]:
    """Every cell on screen as (character, style), row by row, as Textual's compositor draws it."""
    update = app.screen._compositor.render_update(full=True, simplify=True)
    rows = []
    for row in update.strips:  # type: ignore[union-attr]
        cells = []
        for strip in row:
            for segment in strip:
                cells.extend((char, segment.style or Style()) for char in segment.text)
        rows.append(cells)
    return rows


def screen_rows(app: ReaderApp) -> list[str]:
    """The characters of every screen row."""
    return ["".join(char for char, _ in row) for row in drawn(app)]


def spans(rows: list[str], x0: int, x1: int, y0: int, y1: int) -> list[tuple[int, int]]:
    """(first, end) screen columns of the text on each non-blank row in the box x0..x1, y0..y1."""
    found = []
    for row in rows[y0:y1]:
        cut = row[x0:x1]
        if cut.strip():
            first = x0 + len(cut) - len(cut.lstrip())
            found.append((first, x0 + len(cut.rstrip())))
    return found


@pytest.mark.parametrize("width", [10, 14, 40, 69, 81, 92, 120, 161])
def test_the_text_column_is_centred_at_most_measure_wide_and_clear_of_the_edges(width: int) -> None:
    column = text_column(width)
    assert 10 <= column.measure <= MEASURE
    if width >= 14:
        assert column.margin >= 2 and column.margin + column.measure <= width - 2
        right = width - column.margin - column.measure
        assert column.margin <= right <= column.margin + 1  # centred (an odd column goes to the right)


# -- the header sits in the text column ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "keys_pressed"),
    [
        ((120, 40), ()),
        ((200, 50), ()),
        ((80, 24), ()),
        ((70, 24), ()),
        ((120, 40), ("f",)),
        ((200, 50), ("s",)),
    ],
    ids=["120", "200", "80", "70-narrow", "120-notes", "200-no-sidebar"],
)
async def test_the_header_starts_and_ends_where_the_text_column_does(
    tmp_path: Path, wait_for: WaitFor, size: tuple[int, int], keys_pressed: tuple[str, ...]
) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=size) as pilot:
        view, header = app.reader.view, app.reader.header
        await wait_for(pilot, lambda: view.line_text(0) != "" and "1 view" in header.text, what="the article")
        await pilot.press(*keys_pressed)

        def laid_out() -> bool:
            rows = screen_rows(app)
            return (
                view._laid_out_width == view.scrollable_content_region.width
                and any("Why does Elon Musk" in row for row in rows[header.region.y : header.region.bottom])
                and any("The shift from nonprofit" in row for row in rows[view.region.y : view.region.bottom])
            )

        await wait_for(pilot, laid_out, what="header and text drawn at the new width")
        await pilot.pause()
        rows = screen_rows(app)
        h, v = header.region, view.region
        column = text_column(view.scrollable_content_region.width)
        column_start, column_end = v.x + column.margin, v.x + column.margin + column.measure
        text = spans(rows, v.x, v.x + view.scrollable_content_region.width, v.y, v.bottom)
        heading = spans(rows, h.x, h.right, h.y, h.bottom - 1)  # (the last row is the rule)
        assert text and heading
        assert min(first for first, _ in text) == column_start  # the text itself, as drawn
        assert {first for first, _ in heading} == {column_start}, rows[h.y : h.bottom]
        assert max(end for _, end in heading) <= column_end
        # the short answer fills the column (it wraps at the column's width, not at some narrower one)
        assert max(end for _, end in heading) > column_end - 12


# -- the footer keeps ? and q ----------------------------------------------------------------------------


def footer_row(app: ReaderApp) -> str:
    footer = app.screen.query_one(KeyFooter)
    return screen_rows(app)[footer.region.y]


def labels() -> set[str]:
    return {f"{app_key.shown} {app_key.footer}" for app_key in keys.KEYS if app_key.footer}


@pytest.mark.parametrize("width", [40, 60, 70, 80, 120])
async def test_help_and_quit_are_drawn_in_the_footer_at_any_width(
    tmp_path: Path, wait_for: WaitFor, width: int
) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for(
            pilot,
            lambda: "? Help" in footer_row(app) and "q Quit" in footer_row(app),
            what=f"? Help and q Quit in the footer at {width} columns",
        )
        row = footer_row(app)
        hints, _, palette = row.partition("▏")
        assert palette.strip() == "^p palette"
        shown = [hint.strip() for hint in hints.split("  ") if hint.strip()]
        assert set(shown) <= labels(), shown  # whole hints only, never one cut off mid-word
        assert shown[-2:] == ["? Help", "q Quit"]  # at the right end, next to the palette key
        if width >= 120:
            assert len(shown) == len(labels())  # with room for all, none is dropped
        else:
            assert "s Sidebar" in shown  # the least to give way


async def test_the_footer_refits_when_the_terminal_is_resized(tmp_path: Path, wait_for: WaitFor) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: "l Like" in footer_row(app), what="every hint in the footer")
        await pilot.resize_terminal(64, 30)
        await wait_for(
            pilot,
            lambda: "l Like" not in footer_row(app) and "q Quit" in footer_row(app),
            what="the footer fitted to 64 columns",
        )
        await pilot.resize_terminal(120, 30)
        await wait_for(pilot, lambda: "l Like" in footer_row(app), what="the hints back at 120 columns")


def test_hints_give_way_by_rank_and_the_pinned_ones_never_do() -> None:
    # widths:        c   f   b   ?  q
    widths = [10, 9, 12, 8, 8]
    ranks = [4, 3, 5, 0, 0]
    assert fitting(widths, ranks, 100) == [True] * 5
    assert fitting(widths, ranks, 35) == [True, True, False, True, True]
    assert fitting(widths, ranks, 26) == [False, True, False, True, True]
    assert fitting(widths, ranks, 5) == [False, False, False, True, True]
    # a wide hint that does not fit leaves its room to a narrower one further down the ranks
    assert fitting([20, 6, 8], [1, 2, 0], 20) == [False, True, True]


def test_every_footer_hint_is_ranked_and_help_and_quit_are_pinned() -> None:
    ranks = keys.footer_ranks()
    assert ranks["help"] == 0 and ranks["quit"] == 0
    assert all(0 < rank < UNRANKED for action, rank in ranks.items() if action not in ("help", "quit"))


# -- focus shows on the article pane -----------------------------------------------------------------------


async def test_the_header_rule_shows_whether_the_article_pane_has_focus(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        reading = app.reader
        view, header = reading.view, reading.header
        await wait_for(pilot, lambda: view.line_text(0) != "", what="the article")
        await wait_for(pilot, lambda: app.focused is view, what="the text focused")

        def rule() -> Style:
            _, style = drawn(app)[header.region.bottom - 1][header.region.x + 1]
            return style

        def pane_text() -> list[str]:
            rows = screen_rows(app)
            h = header.region.union(view.region)
            return [row[h.x : h.right] for row in rows[h.y : h.bottom]]

        await wait_for(pilot, lambda: drawn(app)[header.region.bottom - 1][header.region.x + 1][0] == "─")
        focused_rule, focused_text = rule(), pane_text()

        reading.sidebar.focus()
        await wait_for(pilot, lambda: app.focused is reading.sidebar, what="the sidebar focused")
        await wait_for(pilot, lambda: rule().color != focused_rule.color, what="the rule to show focus left")
        assert pane_text() == focused_text  # nothing moved: only a colour changed

        await pilot.press("tab")  # back to the text
        await wait_for(pilot, lambda: app.focused is view, what="the text focused again")
        await wait_for(pilot, lambda: rule().color == focused_rule.color, what="the rule to show focus")
