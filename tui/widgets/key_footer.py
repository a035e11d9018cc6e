"""The footer: the screen's key hints on one row, with help (`?`) and quit (`q`) on it at any width.

Textual's `Footer`, kept for everything it does (hints from the active bindings, dimmed when disabled,
clickable, the command palette key docked at the right, colours from the theme's $footer-* variables),
with one change: where the row is too short for every hint, whole hints give way, the least needed first
(`Key.footer_rank` in tui/keys.py), instead of the row being cut off mid-word at the right, where help
and quit are. The hints of rank 0 (help and quit) never give way and stand last, just left of the
palette key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer

from tui import keys

UNRANKED = 100
"""The rank of a hint the key table does not rank (another screen's own keys): it gives way first."""


def fitting(widths: Sequence[int], ranks: Sequence[int], room: int) -> list[bool]:
    """Which of the hints (`widths` cells each) show in `room` cells.

    Hints of rank 0 always show; the others claim the room left in the order of their rank (1 first; of
    equal ranks, the leftmost first), each showing if it still fits: a wide hint that does not fit leaves
    its room to narrower ones ranked after it.
    """
    shown = [rank == 0 for rank in ranks]
    left = room - sum(width for width, rank in zip(widths, ranks, strict=True) if rank == 0)
    for index in sorted(range(len(widths)), key=lambda i: (ranks[i], i)):
        if ranks[index] != 0 and widths[index] <= left:
            shown[index] = True
            left -= widths[index]
    return shown


class KeyFooter(Footer):
    """Textual's footer that drops the least needed hints to keep help and quit on screen."""

    def __init__(self, ranks: Mapping[str, int] | None = None) -> None:
        super().__init__()
        self.ranks = dict(keys.footer_ranks() if ranks is None else ranks)
        """Hint ranks by action (`Key.footer_rank`); actions not in here are `UNRANKED`."""

    def compose(self) -> ComposeResult:
        hints = list(super().compose())
        # Pinned hints (help, quit) last, whatever the order of the bindings; the palette key docks right.
        hints.sort(key=lambda hint: self._rank(hint) == 0)
        yield from hints

    def _rank(self, hint: Widget) -> int:
        """The rank of a hint (a FooterKey, which Textual does not export: known by its `action`)."""
        action = getattr(hint, "action", None)
        return UNRANKED if action is None else self.ranks.get(action, UNRANKED)

    async def recompose(self) -> None:
        async with self.batch():  # (never a frame with every hint, cut off at the right)
            await super().recompose()
            self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    @staticmethod
    def _width(widget: Widget, size: Size) -> int:
        """The cells `widget` takes in the row: its text, padding, border and margin."""
        styles = widget.styles
        return widget.get_content_width(size, size) + styles.gutter.width + styles.margin.width

    def _fit(self) -> None:
        """Show the hints that fit in the row, hide the others."""
        size = self.size
        if not size.width:
            return
        room = size.width
        hints: list[Widget] = []
        for child in self.children:
            if child.has_class("-command-palette") or not hasattr(child, "action"):
                room -= self._width(child, size)  # the palette key, a group of keys: always shown
            else:
                hints.append(child)
        widths = [self._width(hint, size) for hint in hints]
        for hint, shown in zip(hints, fitting(widths, [self._rank(h) for h in hints], room), strict=True):
            hint.display = shown
