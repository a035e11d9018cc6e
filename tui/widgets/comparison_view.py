"""The comparison view: one column per side, rows aligned by aspect, aspects down the left."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.articles.model import Comparison
from tui.articles.render import comparison_table

TITLE = Style(bold=True, color="#d7af5f")
HINT = Style(color="#8a8a8a")


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

    def compose(self) -> ComposeResult:
        yield Static(id="comparison-title")
        yield Static(id="comparison-table")

    def show_comparison(self, comparison: Comparison, index: int, count: int) -> None:
        """Show comparison `index` (0-based) of `count`."""
        self.comparison = comparison
        title = Text(" vs ".join(comparison.sides), style=TITLE)
        if comparison.title and comparison.title != title.plain:
            title.append(f"  ·  {comparison.title}", HINT)
        hint = (
            "c: next comparison · esc: back to the text"
            if index + 1 < count
            else "c or esc: back to the text"
        )
        title.append(f"\n{index + 1} of {count} · {hint}", HINT)
        self.query_one("#comparison-title", Static).update(title)
        self.query_one("#comparison-table", Static).update(comparison_table(comparison))
        self.scroll_home(animate=False)
