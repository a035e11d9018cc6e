"""The comparison view: one column per side, rows aligned by aspect, aspects down the left; stacked aspect
by aspect where the sides would not be readable side by side (tui/articles/render.py, ComparisonBlock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.articles.model import Comparison
from tui.articles.render import comparison_table

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement

NAMED_SIDES = 4
"""The title names up to this many sides; of more, the first few, the last and how many."""


class TitleLine:
    """The comparison's title and the hint: on one line, the hint at the right, where both fit; else the
    hint under the title. (Every row it saves shows more of the comparison on a short terminal.)"""

    GAP = 3

    def __init__(self, title: Text, hint: Text) -> None:
        self.title = title
        self.hint = hint

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        title, hint = self.title.copy(), self.hint.copy()
        room = width - title.cell_len - hint.cell_len
        if room >= self.GAP:
            title.append(" " * room)
            title.append_text(hint)
            yield title
            return
        yield title
        yield hint

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        widest = self.title.cell_len + self.GAP + self.hint.cell_len
        return Measurement(1, widest).clamp(max_width=options.max_width)


class ComparisonView(VerticalScroll, can_focus=True):
    """Shows one comparison of the article at a time."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison: Comparison | None = None
        self._shown_at = (0, 1)

    def compose(self) -> ComposeResult:
        yield Static(id="comparison-title")
        yield Static(id="comparison-table")

    def show_comparison(self, comparison: Comparison, index: int, count: int) -> None:
        """Show comparison `index` (0-based) of `count`.

        The table lays itself out at the width it is drawn at (again after every resize): side by side
        where the sides stay readable, stacked where they would not.
        """
        self.comparison = comparison
        self._shown_at = (index, count)
        palette = self.app.palette  # type: ignore[attr-defined]
        sides = comparison.sides
        if len(sides) > NAMED_SIDES:  # every side is named again beside its values
            named = f"{' vs '.join(sides[: NAMED_SIDES - 1])} vs … vs {sides[-1]} ({len(sides)} sides)"
        else:
            named = " vs ".join(sides)
        title = Text(named, style=palette.heading)
        if comparison.title and comparison.title != " vs ".join(sides):
            title.append(f"  ·  {comparison.title}", palette.muted)
        hint = (
            "c: next comparison · esc: back to the text"
            if index + 1 < count
            else "c or esc: back to the text"
        )
        hint_text = Text(f"{index + 1} of {count} · {hint}", style=palette.muted)
        self.query_one("#comparison-title", Static).update(TitleLine(title, hint_text))
        self.query_one("#comparison-table", Static).update(comparison_table(comparison, palette))
        self.scroll_home(animate=False)

    def restyle(self) -> None:
        """Draw the comparison again in the theme's new colours."""
        if self.comparison is not None:
            y = self.scroll_y
            self.show_comparison(self.comparison, *self._shown_at)
            self.scroll_to(y=y, animate=False)
