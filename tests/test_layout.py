"""The reading screen's layout rules as a pure function: no Pilot needed."""

from __future__ import annotations

import pytest

from tui.layout import CROWDED, NARROW, SHORT, lay_out


def test_a_wide_terminal_shows_sidebar_and_text_with_a_three_line_answer() -> None:
    layout = lay_out(160, 40, notes_open=False)
    assert (layout.narrow, layout.short, layout.sidebar, layout.reading, layout.answer_lines) == (
        False,
        False,
        True,
        True,
        3,
    )


def test_a_narrow_terminal_folds_the_sidebar_until_it_is_summoned() -> None:
    assert not lay_out(NARROW - 1, 30, notes_open=False).sidebar
    summoned = lay_out(NARROW - 1, 30, notes_open=False, summoned=True)
    assert summoned.narrow and summoned.sidebar and not summoned.reading
    assert lay_out(NARROW, 30, notes_open=False, summoned=True).reading  # summoning means nothing when wide


@pytest.mark.parametrize("width", [NARROW, CROWDED - 1])
def test_notes_on_a_medium_terminal_crowd_the_sidebar_out_unless_asked_for(width: int) -> None:
    assert not lay_out(width, 30, notes_open=True).sidebar
    assert lay_out(width, 30, notes_open=True, sidebar_forced=True).sidebar
    assert lay_out(CROWDED, 30, notes_open=True).sidebar


def test_a_hidden_sidebar_stays_hidden() -> None:
    assert not lay_out(200, 50, notes_open=False, sidebar_wanted=False).sidebar


@pytest.mark.parametrize(
    ("width", "height", "lines"),
    [(120, SHORT - 1, 0), (120, SHORT, 2), (120, 29, 2), (120, 30, 3), (70, 40, 2)],
)
def test_the_short_answer_gets_fewer_lines_on_small_terminals(width: int, height: int, lines: int) -> None:
    layout = lay_out(width, height, notes_open=False)
    assert layout.answer_lines == lines and layout.short == (height < SHORT)
