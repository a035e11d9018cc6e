"""The word wrap: where a line of text breaks to fit a width in terminal cells.

One greedy wrap for everything that wraps text itself: the reading pane and `show` (render.py, which cut
styled text at the offsets) and the sidebar, footnote and search lists (widgets/entry_list.py, which wrap
plain strings). Lines break at spaces only; a word wider than a line is folded; the spaces at a break end
the line before it (and are not shown). Text of one-cell characters, nearly all of it, takes a fast path.

A URL wider than a line (a word that starts with `scheme://` or `www.`, after any opening brackets or
quotes) is folded where a URL reads as going on: after the last `/`, `?`, `&`, `=` or `#` that fits (never
inside its `scheme://`), else at the width, moved back so no line ends at a hyphen: `…/openai-|lp/` would
read as a word hyphenated for the line, and copied back without it. With `keep_urls` (`qa-reader show`),
such a URL is not folded at all: it gets a line of its own, wider than the others, so a terminal still sees
one link and a pipe gives it whole.
"""

from __future__ import annotations

import re
from functools import cache

from rich.cells import cell_len

_WORD = re.compile(r"[^ ]+ *| +")
_URL = re.compile(r"""[(<\["'“‘]*(?:[a-z][a-z0-9+.-]{0,15}://|www\.)""", re.IGNORECASE)
"""The start of a word that is a URL; its end is where the URL's own text may first break."""
URL_BREAKS = "/?&=#"
"""A URL wider than a line is folded after one of these characters."""
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


def _url_body(text: str, start: int) -> int | None:
    """Where the URL that starts at `start` may first break (after its `scheme://`); None if the word at
    `start` is no URL."""
    match = _URL.match(text, start)
    return match.end() if match else None


def _url_fold(text: str, line: int, limit: int, body: int) -> int:
    """Where the next line starts, for a URL folded on a line from `line` that must end before `limit`:
    after the last break character from `body` on, else at `limit` moved back before any hyphens."""
    low = max(line + 1, body)
    after = text.rfind("/", low, limit)  # nearly always the one; then any of the others after it
    low = max(low, after + 1)
    for mark in URL_BREAKS[1:]:
        after = max(after, text.rfind(mark, low, limit))
    if after >= 0:
        return after + 1
    cut = limit
    while cut - 1 > line and text[cut - 1] == "-":
        cut -= 1
    return cut if cut - 1 > line else limit


def _narrow_breaks(text: str, width: int, keep_urls: bool) -> list[int]:
    """Greedy wrap for text whose every character is one cell wide: a jump per line, not per word."""
    breaks: list[int] = []
    start, end = 0, len(text)
    body: int | None = None  # of the URL being folded
    while end - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:  # no space to break at: fold the word
            if start == 0 or text[start - 1] == " ":  # its first fold: is it a URL?
                body = _url_body(text, start)
            if body is None:
                start += width
            elif keep_urls:  # the URL whole, on its own line
                cut = text.find(" ", start)
                if cut < 0:
                    break
            else:
                start = _url_fold(text, start, start + width, body)
            if cut <= start:
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


def break_offsets(text: str, width: int, keep_urls: bool = False) -> list[int]:
    """Where to break `text` (one line: no newlines) into lines of at most `width` cells: the offset at
    which each line after the first starts. With `keep_urls`, a URL wider than a line is not folded but
    put on a line of its own (the only lines wider than `width`)."""
    width = max(1, width)
    if text.isascii() or not _not_narrow().search(text):
        return _narrow_breaks(text, width, keep_urls)
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
            body = _url_body(text, start)
            if body is not None and keep_urls:
                used = size + (len(word) - len(bare))
                continue
            line = start
            taken = 0
            for index in range(start, start + len(bare)):
                ch_width = cell_len(text[index])
                if taken + ch_width > width:
                    cut = index if body is None else _url_fold(text, line, index, body)
                    taken = cell_len(text[cut:index])
                    if taken + ch_width > width:  # a wide character after a short cut
                        cut, taken = index, 0
                    breaks.append(cut)
                    line = cut
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
