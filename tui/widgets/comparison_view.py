"""The comparison view: one column per side, rows aligned by aspect, aspects down the left."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.articles.model import Comparison
from tui.articles.render import comparison_table


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
        """Show comparison `index` (0-based) of `count`."""
        self.comparison = comparison
        self._shown_at = (index, count)
        palette = self.app.palette  # type: ignore[attr-defined]
        title = Text(" vs ".join(comparison.sides), style=palette.heading)
        if comparison.title and comparison.title != title.plain:
            title.append(f"  ·  {comparison.title}", palette.muted)
        hint = (
            "c: next comparison · esc: back to the text"
            if index + 1 < count
            else "c or esc: back to the text"
        )
        title.append(f"\n{index + 1} of {count} · {hint}", palette.muted)
        self.query_one("#comparison-title", Static).update(title)
        self.query_one("#comparison-table", Static).update(comparison_table(comparison, palette))
        self.scroll_home(animate=False)

    def restyle(self) -> None:
        """Draw the comparison again in the theme's new colours."""
        if self.comparison is not None:
            y = self.scroll_y
            self.show_comparison(self.comparison, *self._shown_at)
            self.scroll_to(y=y, animate=False)
