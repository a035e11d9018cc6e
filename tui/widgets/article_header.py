"""The header above the text: the question, the short answer, and `N views · N likes` with markers."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.articles.model import Article
from tui.articles.palette import Palette

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
    narrow the pane; the question itself always shows in full.
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

    def render(self) -> Text:
        palette = self.app.palette  # type: ignore[attr-defined]
        answer = palette.muted + ITALIC
        if self.message:
            return Text(self.message, style=answer)
        width = max(1, self.content_region.width or self.size.width or 80)
        text = Text(self.title_text, style=palette.title)
        if self.summary and self.answer_lines > 0:
            lines = Text(self.summary, style=answer).wrap(self.app.console, width)
            kept = list(lines)[: self.answer_lines]
            if len(lines) > self.answer_lines and kept:
                last = kept[-1]
                last.truncate(max(1, width - 1))
                last.rstrip()
                last.append("…", answer)
            for line in kept:
                text.append("\n")
                text.append_text(line)
        text.append("\n")
        text.append_text(stats_line(*self.counts, palette))
        return text

    @property
    def text(self) -> str:
        """What the header says, as plain text."""
        return self.render().plain
