"""Layout rules of the reading screen, as one pure function (tested without Pilot in tests/test_layout.py)."""

from __future__ import annotations

from dataclasses import dataclass

NARROW = 80
"""Below this many columns the sidebar folds away (summoned full width with s) and panels stack."""
CROWDED = 140
"""Below this many columns, opening the footnote panel folds the sidebar away (s still brings it back)."""
COMPARING = 100
"""Below this many columns, opening the comparison folds the sidebar away (s still brings it back): the
sides get the width, and stay side by side where they can (tui/articles/render.py, ComparisonBlock)."""
SHORT = 20
"""Below this many rows the short answer is hidden from the header."""
ROOMY = 30
"""From this many rows the short answer gets three lines (two below it; none below it while comparing)."""


@dataclass(frozen=True)
class Layout:
    """What the reading screen shows at one size and state."""

    narrow: bool
    short: bool
    """Rows are scarce (below `SHORT`, or below `ROOMY` while comparing): the header drops its blank line."""
    sidebar: bool
    """The questions pane is shown."""
    reading: bool
    """The reading column is shown (not while a summoned sidebar fills a narrow screen)."""
    answer_lines: int
    """Lines of the short answer in the header."""


def lay_out(
    width: int,
    height: int,
    *,
    notes_open: bool,
    comparing: bool = False,
    sidebar_wanted: bool = True,
    sidebar_forced: bool = False,
    summoned: bool = False,
) -> Layout:
    """The layout for a `width` x `height` terminal.

    `comparing`: the comparison is open in place of the text; it crowds the sidebar out below
    `COMPARING` columns and, below `ROOMY` rows, the short answer and the header's blank line (every row
    freed shows more of the comparison). `sidebar_wanted`: the user has not hidden the sidebar with s.
    `sidebar_forced`: the user asked for it while the notes or the comparison were open (it then stays
    even where they would crowd it out). `summoned`: on a narrow terminal, s (or ctrl+f) called the
    sidebar up over the text.
    """
    narrow = width < NARROW
    summoned = narrow and summoned
    crowded = (notes_open and width < CROWDED or comparing and width < COMPARING) and not sidebar_forced
    sidebar = summoned if narrow else sidebar_wanted and not crowded
    short = height < SHORT or comparing and height < ROOMY
    answer_lines = 0 if short else 2 if narrow or height < ROOMY else 3
    return Layout(
        narrow=narrow, short=short, sidebar=sidebar, reading=not summoned, answer_lines=answer_lines
    )


MEASURE = 88
"""The widest the text gets: long lines are hard to read, so wide terminals get margins instead."""


@dataclass(frozen=True)
class Column:
    """Where the text sits across a pane: `margin` blank columns, then `measure` columns of text."""

    margin: int
    measure: int


def text_column(width: int) -> Column:
    """The text column of a pane whose content is `width` columns wide (its scrollbar column left out).

    At most `MEASURE` wide and centred, two columns in from each side where the pane is narrower, never
    under 10 columns. The article text (ArticleView) and the header above it (ArticleHeader) both take
    their column from here, so the question and the text start and end at the same columns.
    """
    measure = max(10, min(MEASURE, width - 4))
    return Column(margin=max(1, (width - measure) // 2), measure=measure)
