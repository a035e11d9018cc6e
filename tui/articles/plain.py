"""Article -> text for `qa-reader show`: for a pipe, a pager or a terminal.

Comparisons are printed in place of their per-side sub-sections, by the renderer the reader uses
(render.ComparisonBlock): side by side where every side stays readable at the width, else stacked aspect
by aspect (`Side: value`). Footnote references read `[1]`, and the notes follow the body as `[1] text`.

A URL too long for the width is printed whole on a line of its own, longer than the others, rather than
folded: a terminal wraps it softly and still sees one link, and a pipe or a pager copies it whole. A folded
URL (`…closed-research-` / `ilya-…`) reads as hyphenated and is copied broken. (Only in a table cell, which
cannot overflow, is it folded, after a `/` as in the reading pane: tui/articles/wrap.py.)
"""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui.articles.model import Article, Heading, note_label
from tui.articles.palette import TERMINAL, Palette
from tui.articles.render import (
    Line,
    Pen,
    _renderable_lines,
    _text_lines,
    comparison_table,
    inline_text,
    render_block,
    skip_title_block,
)


def article_lines(article: Article, width: int, console: Console, palette: Palette = TERMINAL) -> list[Line]:
    """The whole article as lines of segments (in the terminal's own colours unless told otherwise)."""
    lines: list[Line] = []
    pen = Pen(console, palette, keep_urls=True)

    def add(text: Text) -> None:
        lines.extend(_text_lines(text, width, console, keep_urls=True))

    add(Text(article.title, style=palette.heading))
    if article.summary:
        lines.append([])
        add(Text(article.summary, style=palette.muted + Style(italic=True)))
    for problem in article.problems:
        add(Text(f"! {problem.reason}", style=palette.warning))

    by_block = {comparison.block: comparison for comparison in article.comparisons}
    skip_until_level: int | None = None
    for index in range(skip_title_block(article), len(article.blocks)):
        block = article.blocks[index]
        if skip_until_level is not None:
            if isinstance(block, Heading) and block.level <= skip_until_level:
                skip_until_level = None
            else:
                continue
        comparison = by_block.get(index)
        lines.append([])
        if comparison is not None and comparison.kind == "sections":
            lines.extend(render_block(block, width, pen))
            lines.append([])
            lines.extend(_renderable_lines(comparison_table(comparison, palette), width, console))
            skip_until_level = block.level if isinstance(block, Heading) else None
            continue
        if comparison is not None and comparison.kind == "table":
            lines.extend(_renderable_lines(comparison_table(comparison, palette), width, console))
            continue
        lines.extend(render_block(block, width, pen))

    if article.footnotes:
        lines.append([])
        add(Text("Notes", style=palette.heading))
        for note in article.footnotes:
            text = Text(note_label(note.number) + " ")
            text.append_text(inline_text(note.inline, palette))
            lines.extend(_text_lines(text, width, console, keep_urls=True))  # the paragraphs' quick wrap
    return lines


def show(article: Article, console: Console, width: int) -> None:
    """Print an article; plain text when the console is not a terminal."""
    for line in article_lines(article, width, console):
        if console.is_terminal:
            console.print(_line_text(line), soft_wrap=True)
        else:
            console.file.write("".join(segment.text for segment in line).rstrip() + "\n")


def _line_text(line: Line) -> Text:
    text = Text()
    for segment in line:
        style = segment.style
        if style is not None and style.meta:
            style = Style(
                color=style.color,
                bgcolor=style.bgcolor,
                bold=style.bold,
                italic=style.italic,
                underline=style.underline,
                strike=style.strike,
                dim=style.dim,
                reverse=style.reverse,
            )
        text.append(segment.text, style)
    return text
