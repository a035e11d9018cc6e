"""Layout rules of the reading screen, as one pure function (tested without Pilot in tests/test_layout.py)."""

from __future__ import annotations

from dataclasses import dataclass

NARROW = 80
"""Below this many columns the sidebar folds away (summoned full width with s) and panels stack."""
CROWDED = 140
"""Below this many columns, opening the footnote panel folds the sidebar away (s still brings it back)."""
SHORT = 20
"""Below this many rows the short answer is hidden from the header."""


@dataclass(frozen=True)
class Layout:
    """What the reading screen shows at one size and state."""

    narrow: bool
    short: bool
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
    sidebar_wanted: bool = True,
    sidebar_forced: bool = False,
    summoned: bool = False,
) -> Layout:
    """The layout for a `width` x `height` terminal.

    `sidebar_wanted`: the user has not hidden the sidebar with s. `sidebar_forced`: the user asked for
    it while the notes were open (it then stays even where the notes would crowd it out). `summoned`:
    on a narrow terminal, s (or ctrl+f) called the sidebar up over the text.
    """
    narrow = width < NARROW
    summoned = narrow and summoned
    crowded = notes_open and width < CROWDED and not sidebar_forced
    sidebar = summoned if narrow else sidebar_wanted and not crowded
    answer_lines = 0 if height < SHORT else 2 if narrow or height < 30 else 3
    return Layout(
        narrow=narrow, short=height < SHORT, sidebar=sidebar, reading=not summoned, answer_lines=answer_lines
    )
