"""Blocks -> lines of Rich segments, at a given width. Shared by `qa-reader show` and the reading pane.

Text is always built as `rich.text.Text` from the model's spans, never parsed as markup, so article text
that looks like `[bold red]` or `[@click=app.quit]` stays literal. Links and footnote references carry
their target in the style's `meta` ("link", "note") plus a running "ref" number, so the reading pane can
find, highlight and follow them. Wikilinks ("wiki:..." hrefs) and images are links like any other: an
image reads `▣ alt`, a wikilink to a page the folder lacks is drawn in the `link_unresolved` role (the
pen asks its `resolves` hook).
"""

from __future__ import annotations

from collections.abc import Callable
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
    Callout,
    Code,
    Comparison,
    Embed,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    wikilink_text,
)
from tui.articles.palette import TERMINAL, Palette
from tui.articles.wrap import break_offsets

if TYPE_CHECKING:
    from rich.console import ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.table import Table as RichTable

Line = list[Segment]

_FLAGS = {
    "bold": Style(bold=True),
    "italic": Style(italic=True),
    "strike": Style(strike=True),
}
IMAGE_MARK = "▣ "
"""Before an image's alt text (or file name): it is a link to the image, which `o` opens."""
EMBED_MARK = "↳ "
"""Before the link line of an embedded page (`![[Page]]`)."""
TASK_MARKS = {False: "☐ ", True: "☑ "}
"""A task item's marker, open and done (in place of the bullet)."""

# Callouts by kind, grouped as Obsidian colours them: (palette role, icon). The icons are one cell wide
# in every terminal: no emoji (which some terminals draw two cells wide), no East Asian wide forms.
#   ✎ note (and unknown kinds)   ≡ abstract   ● info   ○ todo        -> callout_note    ($primary)
#   ✦ tip   ✓ success   ? question                                   -> callout_tip     ($success)
#   ▲ warning, caution, attention                                    -> callout_warning ($warning)
#   ✗ failure   ϟ danger, error   ✱ bug                              -> callout_danger  ($error)
#   ▤ example                                                        -> callout_example ($secondary)
#   ❝ quote, cite                                                    -> callout_quote   (muted)
_CALLOUTS: dict[str, tuple[str, str]] = {}
for _role, _kinds in (
    ("callout_note", {"note": "✎", "abstract": "≡", "summary": "≡", "tldr": "≡", "info": "●", "todo": "○"}),
    ("callout_tip", {"tip": "✦", "hint": "✦", "important": "✦", "success": "✓", "check": "✓", "done": "✓"}),
    ("callout_tip", {"question": "?", "help": "?", "faq": "?"}),
    ("callout_warning", {"warning": "▲", "caution": "▲", "attention": "▲"}),
    ("callout_danger", {"failure": "✗", "fail": "✗", "missing": "✗", "bug": "✱"}),
    ("callout_danger", {"danger": "ϟ", "error": "ϟ"}),
    ("callout_example", {"example": "▤"}),
    ("callout_quote", {"quote": "❝", "cite": "❝"}),
):
    _CALLOUTS.update((kind, (_role, icon)) for kind, icon in _kinds.items())


def callout_look(kind: str, palette: Palette) -> tuple[Style, str]:
    """The style (colour, bold) and the icon of a callout of this kind; an unknown kind looks like a note,
    as in Obsidian."""
    role, icon = _CALLOUTS.get(kind, ("callout_note", "✎"))
    return getattr(palette, role), icon


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
    inline: Inline,
    palette: Palette,
    base: Style | None = None,
    refs: RefCounter | None = None,
    resolves: Callable[[str], bool] | None = None,
    notes: bool = True,
) -> Text:
    """Spans -> a Rich `Text`, with links and footnote references tagged in style meta.

    `resolves` says whether a "wiki:" href leads somewhere (unresolved ones are drawn as such); with
    `notes` False footnote references are plain text, not selectable (the text of another article).
    Built in one go (one string, a list of spans) rather than by appending span by span: Rich scans
    every appended piece for control codes, which the parser has already removed.
    """
    parts: list[str] = []
    spans: list[RichSpan] = []
    position = 0
    for span in inline:
        style = Style()
        text = span.text
        for flag in span.style.split():
            if flag == "code":
                style += palette.code
            elif flag == "undefined":
                style += palette.undefined
            elif flag == "mark":
                style += palette.highlight
            elif flag == "tag":
                style += palette.tag
            elif flag == "image":
                text = IMAGE_MARK + text
            else:
                style += _FLAGS.get(flag, Style())
        if span.note is not None and not notes:
            style += palette.muted
        elif span.note is not None:
            meta: dict[str, object] = {"note": span.note}
            if refs is not None:
                meta["ref"] = refs.add("note", span.note)
            style += palette.note + Style(meta=meta)
        elif span.link is not None:
            meta = {"link": span.link}
            if refs is not None:
                meta["ref"] = refs.add("link", span.link)
            unresolved = resolves is not None and span.link.startswith("wiki:") and not resolves(span.link)
            style += (palette.link_unresolved if unresolved else palette.link) + Style(meta=meta)
        end = position + len(text)
        if style:
            spans.append(RichSpan(position, end, style))
        parts.append(text)
        position = end
    return Text("".join(parts), style=base or Style(), spans=spans)


def text_segments(text: Text, console: Console) -> Line:
    """One line of text as segments, without the trailing newline `Text.render` adds."""
    text.end = ""
    return [segment for segment in text.render(console) if segment.text != "\n"]


def _text_lines(text: Text, width: int, console: Console, keep_urls: bool = False) -> list[Line]:
    """Wrap `text` to `width` cells and cut it into lines of segments (with `keep_urls`, a URL wider than
    that has a line of its own rather than being folded: see wrap.py).

    Done here rather than with `Text.wrap`/`Text.divide`: those build a new `Text` per line, and each one
    scans its string for control codes again, which on a long article cost more than everything else put
    together; and they fold a long word (a URL) at any character, a hyphen too.
    """
    width = max(1, width)
    plain = text.plain
    if "\n" in plain:  # hard line breaks: each line wrapped on its own
        lines: list[Line] = []
        for part in text.split("\n", allow_blank=True):
            if "\t" in part.plain:
                part.expand_tabs()
            lines.extend(_text_lines(part, width, console, keep_urls))
        return lines or [[]]
    runs = _style_runs(text)
    starts = [0, *break_offsets(plain, width, keep_urls)]
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


class WrappedCell:
    """A table cell's text, wrapped by `_text_lines` (the one word wrap, wrap.py) at its column's width,
    where Rich would fold a word wider than the column at any character: a URL at a hyphen. Measured as
    Rich measures the text; aligned as the column says."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in _text_lines(self.text, width, console):
            room = width - _segments_width(line)
            if room > 0 and options.justify in ("right", "center"):
                yield Segment(" " * (room if options.justify == "right" else room // 2))
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.text)


@dataclass
class Pen:
    """What every block is drawn with: the console (for measuring), the palette, the reference counter."""

    console: Console
    palette: Palette = TERMINAL
    refs: RefCounter | None = None
    quoted: bool = False
    """Inside a block quote: paragraphs are set in italics (code is not)."""
    resolves: Callable[[str], bool] | None = None
    """Whether a "wiki:" href leads somewhere (the reader's library); None: every link is drawn alike."""
    done: bool = False
    """Inside a checked task item: its text is muted and struck through, as Obsidian shows it."""
    notes: bool = True
    """Footnote references are selectable (False in an embedded page: its notes are not this article's)."""
    keep_urls: bool = False
    """A URL wider than a paragraph's line is left whole on a line of its own (`qa-reader show`: a terminal
    or a pipe keeps it one link), not folded after a `/` (the reading pane, which cannot draw past its
    width)."""
    _resolved: dict[str, bool] = field(default_factory=dict, repr=False)

    def text(self, inline: Inline, base: Style | None = None) -> Text:
        """Inline spans as a Rich `Text` in this pen's palette, references numbered in its counter."""
        resolves = self._resolves if self.resolves is not None else None
        return inline_text(inline, self.palette, base, self.refs, resolves, self.notes)

    def _resolves(self, href: str) -> bool:
        """`resolves`, asked once per href (an article may link the same page hundreds of times)."""
        known = self._resolved.get(href)
        if known is None:
            assert self.resolves is not None
            known = self._resolved[href] = bool(self.resolves(href))
        return known


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
        base = palette.muted + Style(strike=True) if pen.done else palette.text
        if pen.quoted:
            base += Style(italic=True)
        return _text_lines(pen.text(block.inline, base), width, console, pen.keep_urls)
    if isinstance(block, ListBlock):
        return _list_lines(block, width, pen)
    if isinstance(block, Quote):
        inner = _blocks_lines(block.blocks, width - 2, replace(pen, quoted=True))
        bar = Segment("▌ ", palette.quote_bar)
        return [[bar, *line] for line in inner]
    if isinstance(block, Callout):
        return _callout_lines(block, width, pen)
    if isinstance(block, Embed):
        return _embed_lines(block, width, pen)
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
            header = WrappedCell(pen.text(cell, palette.text + Style(bold=True)))
            table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for row in block.rows:
            table.add_row(*[WrappedCell(pen.text(cell, palette.text)) for cell in row])
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
    """A list: each item's blocks after its marker, the lines after the first under the text. A task item
    has its box for a bullet (after the number in a numbered list), and a done one reads muted."""
    lines: list[Line] = []
    numbers = [f"{block.start + n}." for n in range(len(block.items))]
    indent = max((len(n) for n in numbers), default=1) + 1 if block.ordered else 2
    marker_style = pen.palette.list_marker
    for position, item in enumerate(block.items):
        marker = numbers[position].rjust(indent - 1) + " " if block.ordered else "• "
        box = TASK_MARKS[item.checked] if item.checked is not None else ""
        if box and not block.ordered:
            marker, box = box, ""
        item_pen = replace(pen, done=True) if item.checked else pen
        inner = _blocks_lines(item.blocks, width - indent - len(box), item_pen) or [[]]
        for row, line in enumerate(inner):
            lead = Segment(marker + box, marker_style) if row == 0 else Segment(" " * (indent + len(box)))
            lines.append([lead, *line])
    return lines


def _callout_lines(block: Callout, width: int, pen: Pen) -> list[Line]:
    """A callout: a bar in its kind's colour down the left, a title line (icon and title, bold, in that
    colour), then its body as Markdown.

    A folded callout (`[!kind]-`) is shown open, like any other, and with no fold mark: a reader is for
    reading the text, and nothing here folds or unfolds, so a ▸ would promise what a key does not do.
    """
    style, icon = callout_look(block.kind, pen.palette)
    bar = Segment("▌ ", style)
    title = Text(f"{icon} ", style=style)
    title.append_text(pen.text(block.title, style))
    inner = _text_lines(title, width - 2, pen.console)
    inner.extend(_blocks_lines(block.blocks, width - 2, replace(pen, quoted=False)))
    return [[bar, *line] for line in inner]


def _embed_lines(block: Embed, width: int, pen: Pen) -> list[Line]:
    """An embedded page or section: a link line to it, then its text behind a bar (not in italics: it is
    not a quotation); with no text (a missing page, a cycle), the link line and why."""
    palette = pen.palette
    link = (Span(block.title or wikilink_text(block.target), "wikilink", "wiki:" + block.target),)
    line = Text(EMBED_MARK, style=palette.quote_bar if block.blocks else palette.muted)
    line.append_text(pen.text(link, palette.text))
    if not block.blocks:
        if block.note:
            line.append_text(Text(f"  ({block.note})", style=palette.muted + Style(italic=True)))
        return _text_lines(line, width, pen.console)
    inner = _text_lines(line, width - 2, pen.console)
    inner.append([])
    inner.extend(_blocks_lines(block.blocks, width - 2, replace(pen, quoted=False, notes=False)))
    bar = Segment("▌ ", palette.quote_bar)
    return [[bar, *line] for line in inner]


COMPARISON_MIN_SIDE = 18
"""The narrowest (in cells) a side's column may be, side by side, unless all it holds is narrower: below
that the comparison is stacked (see `ComparisonBlock`)."""
ASPECT_SHARE = 4
"""The aspect column widens to show its aspects on one line up to 1/ASPECT_SHARE of the table's text
width (never below its longest word), before the sides get more than they need."""


@dataclass(frozen=True)
class _Extent:
    """How wide a column's text is: its longest word and its longest line, unwrapped (in cells)."""

    word: int
    full: int


def _extent(texts: list[Text]) -> _Extent:
    from rich.cells import cell_len

    words = [cell_len(word) for text in texts for word in text.plain.split()]
    lines = [cell_len(line) for text in texts for line in text.plain.split("\n")]
    return _Extent(max(words, default=1), max(lines, default=1))


def _fill(widths: list[int], targets: list[int], budget: int) -> int:
    """Widen columns toward their targets, the narrowest first (an even water level), spending at most
    `budget` cells; returns the cells left over."""
    from heapq import heapify, heappop, heappush

    heap = [(width, index) for index, width in enumerate(widths) if width < targets[index]]
    heapify(heap)
    while budget > 0 and heap:
        _, index = heappop(heap)
        widths[index] += 1
        budget -= 1
        if widths[index] < targets[index]:
            heappush(heap, (widths[index], index))
    return budget


def side_by_side_widths(
    aspect: _Extent, sides: list[_Extent], width: int, expand: bool = True
) -> list[int] | None:
    """The text width of each column (the aspect's, then each side's) of a table `width` cells wide,
    borders included; None when the comparison should be stacked instead.

    Side by side only if the aspect column gets its longest word whole and every side
    `COMPARISON_MIN_SIDE` cells (or its widest line, if that is less). Then, cell by cell, narrowest
    column first: the sides up to their longest word, the aspect column up to its share
    (`ASPECT_SHARE`), the sides up to their widest line, the aspect column up to its widest line and, with
    `expand`, the sides evenly over what is left. So no word is split while another column has room.
    """
    columns = len(sides) + 1
    text_width = width - (3 * columns + 1)  # a border left of every column and at the end, a space each side
    base = [min(side.full, COMPARISON_MIN_SIDE) for side in sides]
    budget = text_width - aspect.word - sum(base)
    if not sides or budget < 0:
        return None
    aspect_width = [aspect.word]
    budget = _fill(base, [max(side.word, low) for side, low in zip(sides, base, strict=True)], budget)
    aspect_share = min(aspect.full, max(aspect.word, text_width // ASPECT_SHARE))
    budget = _fill(aspect_width, [aspect_share], budget)
    budget = _fill(base, [side.full for side in sides], budget)
    budget = _fill(aspect_width, [aspect.full], budget)
    if expand:
        _fill(base, [text_width] * len(sides), budget)
    return aspect_width + base


class ComparisonBlock:
    """A comparison that lays itself out at the width it is drawn at (a Rich renderable).

    Side by side when it fits: a table with the aspects down the left and a column per side, rows
    aligned, column widths from `side_by_side_widths` (no aspect word split, every side readable).
    Otherwise stacked, aspect by aspect: the aspect as a small heading, then each side's value under it as
    `Side: value`, the values lined up after the longest label (or, if the labels would take more than a
    third of the width, each value on its own lines under its label). The rule: stacked as soon as the
    sides would get fewer than `COMPARISON_MIN_SIDE` cells each (many sides, a narrow pane, a very long
    aspect word).

    The cells' text is built once, here (references are numbered in `refs` in reading order); only the
    layout is done again at each width.
    """

    def __init__(
        self, comparison: Comparison, palette: Palette, refs: RefCounter | None = None, expand: bool = True
    ) -> None:
        self.comparison = comparison
        self.palette = palette
        self.expand = expand
        count = len(comparison.sides)
        self.sides = [Text(side) for side in comparison.sides]
        self.aspects = [Text(row.aspect) for row in comparison.rows]
        self.cells: list[list[Text]] = []
        for row in comparison.rows:
            cells = [
                inline_text(cell, palette, palette.text, refs) if cell else Text("—", style=palette.muted)
                for cell in row.cells[:count]
            ]
            cells += [Text("—", style=palette.muted) for _ in range(count - len(cells))]
            self.cells.append(cells)
        self.aspect_extent = _extent([Text("Aspect"), *self.aspects])
        self.side_extents = [
            _extent([self.sides[index], *(cells[index] for cells in self.cells)]) for index in range(count)
        ]

    def widths(self, width: int) -> list[int] | None:
        """Column widths side by side at `width` cells, or None: stacked (see `side_by_side_widths`)."""
        return side_by_side_widths(self.aspect_extent, self.side_extents, width, self.expand)

    def table(self, widths: list[int]) -> RichTable:
        """The side-by-side table, its columns `widths` cells wide."""
        from rich import box
        from rich.table import Table as RichTable

        palette = self.palette
        table = RichTable(
            box=box.ROUNDED,
            expand=False,
            show_lines=True,
            header_style=palette.heading,
            border_style=palette.rule,
            style=palette.text,
        )
        table.add_column("Aspect", style=palette.subheading, overflow="fold", width=widths[0])
        for side, column_width in zip(self.sides, widths[1:], strict=True):
            table.add_column(side.copy(), overflow="fold", width=column_width)
        for aspect, cells in zip(self.aspects, self.cells, strict=True):
            table.add_row(aspect.copy(), *(WrappedCell(cell) for cell in cells))
        return table

    def stacked_lines(self, width: int, console: Console) -> list[Line]:
        """The stacked layout: lines no wider than `width` (a word longer than that is folded)."""
        from rich.cells import cell_len

        palette = self.palette
        width = max(1, width)
        labels = [f"{side.plain}:" for side in self.sides]
        label_width = max((cell_len(label) for label in labels), default=0)
        hanging = 2 + label_width + 1 <= width // 3  # values lined up after the labels
        indent = 2 + label_width + 1 if hanging else 4
        lines: list[Line] = []
        for number, (aspect, cells) in enumerate(zip(self.aspects, self.cells, strict=True)):
            if number:
                lines.append([])
            heading = Text(aspect.plain or "—", style=palette.subheading if aspect.plain else palette.muted)
            lines.extend(_text_lines(heading, width, console))
            for label, cell in zip(labels, cells, strict=True):
                label_segment = Segment(label, palette.heading)
                if hanging:
                    value = _text_lines(cell, width - indent, console)
                    pad = " " * (indent - 2 - cell_len(label))
                    lines.append([Segment("  "), label_segment, Segment(pad), *value[0]])
                    lines.extend([Segment(" " * indent), *line] for line in value[1:])
                    continue
                for line in _text_lines(Text(label, style=palette.heading), width - 2, console):
                    lines.append([Segment("  "), *line])
                lines.extend(
                    [Segment(" " * indent), *line] for line in _text_lines(cell, width - indent, console)
                )
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is not None:
            yield self.table(widths)
            return
        for line in self.stacked_lines(options.max_width, console):
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        columns = len(self.sides) + 1
        natural = 3 * columns + 1 + self.aspect_extent.full + sum(side.full for side in self.side_extents)
        widest = max(options.max_width if self.expand else natural, 1)
        return Measurement(1, widest).clamp(max_width=options.max_width)


def comparison_table(
    comparison: Comparison, palette: Palette, refs: RefCounter | None = None, expand: bool = True
) -> ComparisonBlock:
    """A comparison as a Rich renderable: a table side by side where it fits, stacked where it does not
    (`ComparisonBlock` has the rule). Drawn at the width it is given (`_renderable_lines`, a `Static`)."""
    return ComparisonBlock(comparison, palette, refs, expand)


def skip_title_block(article: Article) -> int:
    """Index of the first body block: a leading H1 that repeats the title is shown by the header instead."""
    first = article.blocks[0] if article.blocks else None
    if isinstance(first, Heading) and first.level == 1:
        title = "".join(span.text for span in first.inline).strip()
        if title == article.title:
            return 1
    return 0
