"""The header above the text: the question, the short answer, and `N views · N likes` with markers."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tui.articles.model import Article
from tui.articles.palette import Palette
from tui.layout import text_column

ITALIC = Style(italic=True)


def plural(count: int, word: str) -> str:
    """`1 view`, `2 views`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def stats_line(views: int, liked: bool, bookmarks: int, section_bookmarked: bool, palette: Palette) -> Text:
    """`2 views · 1 like · ♥ liked · ★ section bookmarked`."""
    stats = palette.muted
    text = Text(f"{plural(views, 'view')} · {plural(1 if liked else 0, 'like')}", style=stats)
    if liked:
        text.append(" · ", stats).append("♥ liked", palette.liked)
    if section_bookmarked:
        text.append(" · ", stats).append("★ section bookmarked", palette.marked)
    elif bookmarks:
        text.append(" · ", stats).append(f"★ {plural(bookmarks, 'bookmark')}", palette.marked)
    return text


class ArticleHeader(Widget):
    """Question, short answer and stats; all of it plain `Text`, never markup.

    The short answer is cut to `answer_lines` lines (with …) so the stats line always shows, however
    narrow the pane; the question itself always shows in full. Every line sits in the text column of
    the article below it (`text_column`, tui/layout.py): the header's own width, less the right padding
    that stands for the article's scrollbar column (reader.tcss), is the width the article lays out in.
    """

    DEFAULT_CSS = "ArticleHeader { height: auto; }"

    answer_lines: reactive[int] = reactive(3, layout=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = ""
        self.summary = ""
        self.counts: tuple[int, bool, int, bool] = (0, False, 0, False)
        self.message = ""

    def show(
        self, article: Article, views: int, liked: bool, bookmarks: int = 0, section_bookmarked: bool = False
    ) -> None:
        """Draw the header for `article`."""
        self.title_text = article.title
        self.summary = article.summary
        self.counts = (views, liked, bookmarks, section_bookmarked)
        self.message = ""
        self.refresh(layout=True)

    def show_message(self, message: str) -> None:
        """Show a message instead of an article (e.g. an empty content folder)."""
        self.title_text, self.summary, self.message = "", "", message
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        """The header's lines for a content `width`, each wrapped to the text column (not yet indented)."""
        palette = self.app.palette  # type: ignore[attr-defined]
        console = self.app.console
        measure = text_column(max(1, width)).measure
        answer = palette.muted + ITALIC
        if self.message:
            return list(Text(self.message, style=answer).wrap(console, measure))
        lines = list(Text(self.title_text, style=palette.title).wrap(console, measure))
        if self.summary and self.answer_lines > 0:
            summary = Text(self.summary, style=answer).wrap(console, measure)
            kept = list(summary)[: self.answer_lines]
            if len(summary) > self.answer_lines and kept:
                last = kept[-1]
                last.truncate(max(1, measure - 1))
                last.rstrip()
                last.append("…", answer)
            lines.extend(kept)
        lines.extend(stats_line(*self.counts, palette).wrap(console, measure))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        width = self.content_region.width or self.size.width or 80
        indent = " " * text_column(max(1, width)).margin
        return Text("\n").join(Text(indent) + line for line in self._lines(width))

    @property
    def text(self) -> str:
        """What the header says, as plain text (its lines without the column's indent)."""
        return "\n".join(line.plain for line in self._lines(self.content_region.width or 80))
