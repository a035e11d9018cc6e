"""The word wrap: where a line of text breaks to fit a width in terminal cells.

One greedy wrap for everything that wraps text itself: the reading pane and `show` (render.py, which cut
styled text at the offsets) and the sidebar, footnote and search lists (widgets/entry_list.py, which wrap
plain strings). Lines break at spaces only; a word wider than a line is folded; the spaces at a break end
the line before it (and are not shown). Text of one-cell characters, nearly all of it, takes a fast path.
"""

from __future__ import annotations

import re
from functools import cache

from rich.cells import cell_len

_WORD = re.compile(r"[^ ]+ *| +")
# Characters that are not one cell wide: combining marks, zero-width and wide (East Asian, emoji) ranges.
# Compiled on first use: it takes a couple of milliseconds, and start-up is counted in those.
_NOT_NARROW_PATTERN = (
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0e31-\u0e3a\u1100-\u115f"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u2028-\u202e\u2060-\u206f\u20d0-\u20ff\u2e80-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe00-\ufe0f\ufe20-\ufe6f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0010ffff"
    "\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff]"
)


@cache
def _not_narrow() -> re.Pattern[str]:
    return re.compile(_NOT_NARROW_PATTERN)


def _narrow_breaks(text: str, width: int) -> list[int]:
    """Greedy wrap for text whose every character is one cell wide: a jump per line, not per word."""
    breaks: list[int] = []
    start, end = 0, len(text)
    while end - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:  # no space to break at: fold the word
            start += width
            breaks.append(start)
            continue
        following = cut
        while following < end and text[following] == " ":
            following += 1
        if following >= end:
            break
        breaks.append(following)
        start = following
    return breaks


def break_offsets(text: str, width: int) -> list[int]:
    """Where to break `text` (one line: no newlines) into lines of at most `width` cells: the offset at
    which each line after the first starts."""
    width = max(1, width)
    if text.isascii() or not _not_narrow().search(text):
        return _narrow_breaks(text, width)
    breaks: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        word = match.group()
        bare = word.rstrip(" ")
        size = cell_len(bare)
        if used and used + size > width:
            breaks.append(match.start())
            used = 0
        if size > width:  # longer than a line: fold it
            start = match.start()
            taken = 0
            for index, ch in enumerate(bare):
                ch_width = cell_len(ch)
                if taken + ch_width > width:
                    breaks.append(start + index)
                    taken = 0
                taken += ch_width
            used = taken + (len(word) - len(bare))
            continue
        used += size + (len(word) - len(bare))
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """`text` (one line) as lines of at most `width` cells, without the spaces at the breaks."""
    if len(text) <= width and text.isascii():
        return [text]
    lines = []
    start = 0
    for end in break_offsets(text, width):
        lines.append(text[start:end].rstrip(" "))
        start = end
    lines.append(text[start:].rstrip(" "))
    return lines
