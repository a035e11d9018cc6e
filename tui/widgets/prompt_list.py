"""An OptionList whose prompts are drawn from the palette, the highlighted one in the cursor's colours.

Textual's OptionList lays its highlight colours under the prompt's own: a title in the palette's text
colour would sit on the cursor's blue at 1.7:1. Here each prompt is made by a function of the palette,
and the highlighted one is made again with `Palette.on_cursor()` whenever the highlight moves, so every
row, selected or not, reads at full contrast in every theme. Used by the search and bookmarks screens.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.articles.palette import Palette

Prompt = Callable[[int, Palette], RenderableType]
"""Makes the prompt of item N in a palette."""


class PromptList(OptionList):
    """Options made by a prompt function; the highlighted row always shows as the active cursor."""

    DEFAULT_CSS = """
    PromptList > .option-list--option-highlighted,
    PromptList:focus > .option-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: none;
    }
    """

    def __init__(self, prompt: Prompt, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._prompt = prompt
        self._count = 0

    @property
    def _palette(self) -> Palette:
        return self.app.palette  # type: ignore[attr-defined]

    def show(self, count: int, highlighted: int | None = 0) -> None:
        """List items 0..count-1 (their prompts made now), the cursor on `highlighted`."""
        self._count = count
        palette = self._palette
        self.set_options([Option(self._prompt(index, palette)) for index in range(count)])
        if count and highlighted is not None:
            self.highlighted = min(max(0, highlighted), count - 1)
            self._draw(self.highlighted)

    def restyle(self) -> None:
        """Make every prompt again (the theme changed)."""
        self.show(self._count, self.highlighted)

    def _draw(self, index: int | None) -> None:
        if index is None or not 0 <= index < min(self._count, self.option_count):
            return
        palette = self._palette
        if index == self.highlighted:
            palette = palette.on_cursor(True)
        self.replace_option_prompt_at_index(index, self._prompt(index, palette))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(new)
        if old != new:
            self._draw(old)
            self._draw(new)
