"""Blocks -> lines of Rich segments, at a given width. Shared by `qa-reader show` and the reading pane.

Text is always built as `rich.text.Text` from the model's spans, never parsed as markup, so article text
that looks like `[bold red]` or `[@click=app.quit]` stays literal. Links and footnote references carry
their target in the style's `meta` ("link", "note") plus a running "ref" number, so the reading pane can
find, highlight and follow them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text

from tui.articles.model import (
    Article,
    Block,
    Code,
    Comparison,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from tui.articles.palette import TERMINAL, Palette
from tui.articles.wrap import break_offsets

if TYPE_CHECKING:
    from rich.table import Table as RichTable

Line = list[Segment]

_FLAGS = {
    "bold": Style(bold=True),
    "italic": Style(italic=True),
    "strike": Style(strike=True),
}


@dataclass
class RefCounter:
    """Numbers every link and footnote reference in reading order, so each can be selected."""

    next: int = 0
    targets: list[tuple[str, str | int]] = field(default_factory=list)

    def add(self, kind: str, target: str | int) -> int:
        self.targets.append((kind, target))
        self.next += 1
        return self.next - 1


def inline_text(
    inline: Inline, palette: Palette, base: Style | None = None, refs: RefCounter | None = None
) -> Text:
    """Spans -> a Rich `Text`, with links and footnote references tagged in style meta.

    Built in one go (one string, a list of spans) rather than by appending span by span: Rich scans
    every appended piece for control codes, which the parser has already removed.
    """
    parts: list[str] = []
    spans: list[RichSpan] = []
    position = 0
    for span in inline:
        style = Style()
        for flag in span.style.split():
            if flag == "code":
                style += palette.code
            elif flag == "undefined":
                style += palette.undefined
            else:
                style += _FLAGS.get(flag, Style())
        if span.note is not None:
            meta: dict[str, object] = {"note": span.note}
            if refs is not None:
                meta["ref"] = refs.add("note", span.note)
            style += palette.note + Style(meta=meta)
        elif span.link is not None:
            meta = {"link": span.link}
            if refs is not None:
                meta["ref"] = refs.add("link", span.link)
            style += palette.link + Style(meta=meta)
        end = position + len(span.text)
        if style:
            spans.append(RichSpan(position, end, style))
        parts.append(span.text)
        position = end
    return Text("".join(parts), style=base or Style(), spans=spans)


def text_segments(text: Text, console: Console) -> Line:
    """One line of text as segments, without the trailing newline `Text.render` adds."""
    text.end = ""
    return [segment for segment in text.render(console) if segment.text != "\n"]


def _text_lines(text: Text, width: int, console: Console) -> list[Line]:
    """Wrap `text` to `width` cells and cut it into lines of segments.

    The common case (no hard line break) is done here rather than with `Text.wrap`/`Text.divide`: those
    build a new `Text` per line, and each one scans its string for control codes again, which on a long
    article cost more than everything else put together.
    """
    width = max(1, width)
    plain = text.plain
    if "\n" in plain:
        lines: list[Line] = []
        for line in text.wrap(console, width, overflow="fold"):
            line.rstrip()
            lines.append(text_segments(line, console))
        return lines or [[]]
    runs = _style_runs(text)
    starts = [0, *break_offsets(plain, width)]
    ends = [*starts[1:], len(plain)]
    lines = []
    first = 0  # runs and lines both go left to right: each line starts looking where the last one did
    for start, end in zip(starts, ends, strict=True):
        end = start + len(plain[start:end].rstrip(" "))
        while first < len(runs) and runs[first][1] <= start:
            first += 1
        line: Line = []
        index = first
        while index < len(runs) and runs[index][0] < end:
            run_start, run_end, style = runs[index]
            line.append(Segment(plain[max(start, run_start) : min(end, run_end)], style))
            index += 1
        lines.append(line)
    return lines or [[]]


def _style_runs(text: Text) -> list[tuple[int, int, Style]]:
    """(start, end, style) covering the text, each style the base style plus the spans over it."""
    base = text.style if isinstance(text.style, Style) else Style.parse(text.style) if text.style else Style()
    length = len(text.plain)
    if not text.spans:
        return [(0, length, base)]
    # A sweep from left to right, keeping the spans that cover the current run (applied in their order):
    # with one span per footnote reference, looking at every span for every run would be quadratic.
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for index, span in enumerate(text.spans):
        if span.end > span.start:
            opening.setdefault(span.start, []).append(index)
            closing.setdefault(span.end, []).append(index)
    bounds = sorted({0, length, *(span.start for span in text.spans), *(span.end for span in text.spans)})
    active: set[int] = set()
    runs = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        if start >= length:
            break
        active.difference_update(closing.get(start, ()))
        active.update(opening.get(start, ()))
        style = base
        for index in sorted(active):
            span_style = text.spans[index].style
            style = style + (span_style if isinstance(span_style, Style) else Style.parse(span_style))
        runs.append((start, end, style))
    return runs


def _segments_width(line: Line) -> int:
    return sum(segment.cell_length for segment in line)


@dataclass
class Pen:
    """What every block is drawn with: the console (for measuring), the palette, the reference counter."""

    console: Console
    palette: Palette = TERMINAL
    refs: RefCounter | None = None
    quoted: bool = False
    """Inside a block quote: paragraphs are set in italics (code is not)."""

    def text(self, inline: Inline, base: Style | None = None) -> Text:
        return inline_text(inline, self.palette, base, self.refs)


def render_block(block: Block, width: int, pen: Pen) -> list[Line]:
    """One block as lines no wider than `width`."""
    width = max(4, width)
    console, palette = pen.console, pen.palette
    if isinstance(block, Heading):
        style = palette.heading if block.level <= 2 else palette.subheading
        text = pen.text(block.inline, style)
        if block.level <= 2:
            text.stylize(style)
        lines = _text_lines(text, width, console)
        if block.level <= 2:
            rule_width = min(width, max(_segments_width(line) for line in lines))
            lines.append([Segment("─" * rule_width, palette.rule)])
        return lines
    if isinstance(block, Paragraph):
        base = palette.text + Style(italic=True) if pen.quoted else palette.text
        return _text_lines(pen.text(block.inline, base), width, console)
    if isinstance(block, ListBlock):
        return _list_lines(block, width, pen)
    if isinstance(block, Quote):
        inner = _blocks_lines(block.blocks, width - 2, replace(pen, quoted=True))
        bar = Segment("▌ ", palette.quote_bar)
        return [[bar, *line] for line in inner]
    if isinstance(block, Code):
        from tui.articles.code import code_lines  # Pygments loads with the first code block, not at start-up

        return code_lines(block.text, block.lang, width, palette)
    if isinstance(block, Table):
        from rich import box
        from rich.table import Table as RichTable  # only articles with tables need it: not at start-up

        table = RichTable(
            box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, border_style=palette.rule
        )
        for index, cell in enumerate(block.header):
            justify = block.align[index] if index < len(block.align) else "left"
            if justify not in ("left", "center", "right"):
                justify = "left"
            header = pen.text(cell, palette.text + Style(bold=True))
            table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for row in block.rows:
            table.add_row(*[pen.text(cell, palette.text) for cell in row])
        return _renderable_lines(table, width, console)
    if isinstance(block, Rule):
        return [[Segment("─" * width, palette.rule)]]
    return []


def _renderable_lines(renderable: object, width: int, console: Console) -> list[Line]:
    options = console.options.update(width=width, height=None, highlight=False, markup=False)
    lines = console.render_lines(renderable, options, pad=False)  # type: ignore[arg-type]
    return [list(Segment.simplify(line)) for line in lines]


def _blocks_lines(blocks: tuple[Block, ...], width: int, pen: Pen) -> list[Line]:
    lines: list[Line] = []
    for index, block in enumerate(blocks):
        if index and not isinstance(block, ListBlock):
            lines.append([])
        lines.extend(render_block(block, width, pen))
    return lines


def _list_lines(block: ListBlock, width: int, pen: Pen) -> list[Line]:
    lines: list[Line] = []
    numbers = [f"{block.start + n}." for n in range(len(block.items))]
    indent = max((len(n) for n in numbers), default=1) + 1 if block.ordered else 2
    for position, item in enumerate(block.items):
        marker = numbers[position].rjust(indent - 1) + " " if block.ordered else "• "
        inner = _blocks_lines(item.blocks, width - indent, pen) or [[]]
        for row, line in enumerate(inner):
            lead = Segment(marker, pen.palette.list_marker) if row == 0 else Segment(" " * indent)
            lines.append([lead, *line])
    return lines


def comparison_table(
    comparison: Comparison, palette: Palette, refs: RefCounter | None = None, expand: bool = True
) -> RichTable:
    """A comparison as a Rich table: the aspects down the left, one column per side, rows aligned."""
    from rich import box
    from rich.table import Table as RichTable

    table = RichTable(
        box=box.ROUNDED,
        expand=expand,
        show_lines=True,
        header_style=palette.heading,
        border_style=palette.rule,
        style=palette.text,
    )
    table.add_column("Aspect", style=palette.subheading, overflow="fold", ratio=1, min_width=8)
    for side in comparison.sides:
        table.add_column(Text(side), overflow="fold", ratio=3)
    for row in comparison.rows:
        cells = [
            inline_text(cell, palette, palette.text, refs) if cell else Text("—", style=palette.muted)
            for cell in row.cells
        ]
        cells += [Text("—", style=palette.muted)] * (len(comparison.sides) - len(cells))
        table.add_row(Text(row.aspect), *cells[: len(comparison.sides)])
    return table


def skip_title_block(article: Article) -> int:
    """Index of the first body block: a leading H1 that repeats the title is shown by the header instead."""
    first = article.blocks[0] if article.blocks else None
    if isinstance(first, Heading) and first.level == 1:
        title = "".join(span.text for span in first.inline).strip()
        if title == article.title:
            return 1
    return 0
