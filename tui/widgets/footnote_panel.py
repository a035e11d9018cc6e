"""The footnote panel: the article's notes, numbered; those cited by the section in view stand out."""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.articles.model import Article
from tui.articles.render import inline_text
from tui.messages import JumpToCitation

NUMBER = Style(color="#af87d7", bold=True)
CITED = Style(color="#e4e4e4")
OTHER = Style(color="#8a8a8a")


class FootnotePanel(OptionList):
    """Notes as a list; enter on a note jumps to the place that cites it."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Footnotes"
        self.article: Article | None = None
        self.cited: tuple[int, ...] = ()

    def show_article(self, article: Article) -> None:
        """List the notes of `article`."""
        self.article = article
        self.cited = ()
        self._rebuild()

    def mark_cited(self, numbers: tuple[int, ...]) -> None:
        """Make the notes cited by the section in view stand out."""
        if numbers == self.cited:
            return
        self.cited = numbers
        self._rebuild()

    def _rebuild(self) -> None:
        highlighted = self.highlighted
        article = self.article
        if article is None or not article.footnotes:
            self.set_options([Option(Text("This article cites no notes.", style=OTHER), disabled=True)])
            self.border_subtitle = ""
            return
        options = []
        number_width = len(f"[{len(article.footnotes)}]")
        for note in article.footnotes:
            cited = note.number in self.cited
            grid = Table.grid(padding=(0, 1, 0, 0))
            grid.add_column(width=1)
            grid.add_column(width=number_width, justify="right")
            grid.add_column(ratio=1)
            grid.add_row(
                Text("●" if cited else " ", NUMBER),
                Text(f"[{note.number}]", NUMBER),
                inline_text(note.inline, CITED if cited else OTHER),
            )
            options.append(Option(grid, id=f"note-{note.number}"))
        self.set_options(options)
        self.border_subtitle = f"{len(article.footnotes)} notes · ● cited here"
        if highlighted is not None:
            self.highlighted = min(highlighted, len(options) - 1)

    def highlight_note(self, number: int) -> None:
        """Move the cursor to note `number`."""
        if self.article is not None and 1 <= number <= len(self.article.footnotes):
            self.highlighted = number - 1
            self.scroll_to_highlight(top=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("note-"):
            self.post_message(JumpToCitation(int(option_id.removeprefix("note-"))))
