"""Code blocks: highlighted by Pygments' lexers, coloured from the palette, drawn as one even box.

The box has a top row with the language's name at the right, one cell of padding either side and a
bottom row; every cell of it, padding included, is on the code background. A line wider than the box is
broken at a token or a space, never inside a word while there is another place to break, and each
continuation row starts with `↪` (under the line's own indent) so the reader sees that it continues the
line above (a single token
wider than the box, a long URL say, is cut where it must and marked the same way).

Languages are named by the fence (```python); an unknown or missing name is shown as plain code. The
lexer is never guessed: guessing is slow and often wrong on short snippets.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

if TYPE_CHECKING:
    from pygments.lexer import Lexer

    from tui.articles.palette import Palette

Line = list[Segment]
CONTINUED = "↪ "
"""Starts a row that continues the line above it."""
PAD = 1
"""Cells of code background either side of the text."""


@cache
def _lexer(language: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False, tabsize=4)
    except ClassNotFound:
        return None


def language_name(language: str) -> str:
    """The name shown over a block: Pygments' own name for a known language, else as written."""
    lexer = _lexer(language.lower()) if language else None
    return lexer.name if lexer is not None else language


def tokens(code: str, language: str) -> list[list[tuple[tuple[str, ...], str]]]:
    """The code as lines of (token type, text); one token per line when the language is not known."""
    lexer = _lexer(language.lower()) if language else None
    lines: list[list[tuple[tuple[str, ...], str]]] = [[]]
    if lexer is None:
        return [[((), line)] if line else [] for line in code.split("\n")]
    for token_type, value in lexer.get_tokens(code):
        pieces = value.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                lines.append([])
            if piece:
                lines[-1].append((tuple(token_type), piece))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _cut(runs: list[tuple[str, Style]], width: int) -> int:
    """How many characters of `runs` go on one row of `width` cells: at the last token boundary or space
    that fits (if it leaves the row at least a third full), else as many characters as fit."""
    text = "".join(piece for piece, _ in runs)
    if cell_len(text) <= width:
        return len(text)
    boundaries: list[int] = []
    position = 0
    for piece, _ in runs:
        for offset, char in enumerate(piece):
            if char == " ":
                boundaries.append(position + offset + 1)
        position += len(piece)
        boundaries.append(position)
    fit = 0
    cells = 0
    for char in text:
        cells += cell_len(char)
        if cells > width:
            break
        fit += 1
    best = max((b for b in boundaries if b <= fit), default=0)
    if best >= max(1, width // 3):
        return best
    return max(1, fit)


def code_lines(code: str, language: str, width: int, palette: Palette) -> list[Line]:
    """A code block as rows exactly `width` cells wide, all on the code background."""
    base = palette.code
    inner = max(4, width - 2 * PAD)
    name = language_name(language)
    label = f" {name} " if name else ""
    if cell_len(label) > inner:
        label = ""
    rows: list[Line] = [[Segment(" " * (width - cell_len(label)), base), Segment(label, palette.code_label)]]
    for line in tokens(code.expandtabs(4), language):
        runs = [(piece, base + palette.token(token_type)) for token_type, piece in line]
        plain = "".join(piece for _, piece in line)
        indent = len(plain) - len(plain.lstrip(" "))
        lead = " " * (indent if indent <= inner // 3 else 0) + CONTINUED  # continuations keep the indent
        first = True
        while True:
            room = inner if first else inner - cell_len(lead)
            taken = _cut(runs, room)
            row: Line = [Segment(" " * PAD, base)]
            if not first:
                row.append(Segment(lead, palette.code_marker))
            used = 0 if first else cell_len(lead)
            rest: list[tuple[str, Style]] = []
            count = taken
            for piece, style in runs:
                if count <= 0:
                    rest.append((piece, style))
                elif len(piece) <= count:
                    row.append(Segment(piece, style))
                    used += cell_len(piece)
                    count -= len(piece)
                else:
                    row.append(Segment(piece[:count], style))
                    used += cell_len(piece[:count])
                    rest.append((piece[count:], style))
                    count = 0
            row.append(Segment(" " * max(0, width - PAD - used), base))
            rows.append(row)
            # a row that ends at a space: the spaces go with the break, as in the text's word wrap
            while rest and not rest[0][0].strip(" "):
                rest.pop(0)
            if rest and rest[0][0].startswith(" "):
                piece, style = rest[0]
                rest[0] = (piece.lstrip(" "), style)
            runs = rest
            first = False
            if not runs:
                break
    rows.append([Segment(" " * width, base)])
    return rows
