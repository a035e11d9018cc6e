"""Find in an article: where a phrase or words occur in its rendered lines, case- and accent-insensitive
as the search is (search.py `fold`: `cafe` finds `Café`), and across a line break where the text wrapped.

The reading pane renders an article in chunks; it hands each new line's text to a `FoldedLines`, which
keeps it folded once (so that typing in the find bar searches again without folding again), and a
`Matches` scans what was added since it last looked. The lines are searched as one string, joined by a
space (each line without its indentation or quote bar), with `str.find`: a few milliseconds for an article
of 100,000 lines. No regular expression is built from what the user typed.

No Textual import: the pane asks which characters of a line to highlight (`Matches.spans`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache

from tui.articles.search import fold, words_of

_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")
_LEAD = " ▌"
"""Left out at the start of a line (indentation, the quote bar), so a phrase can run on to the next."""


def phrase_needles(query: str) -> tuple[str, ...]:
    """The find bar's query as one folded phrase (runs of spaces as one), or none for a blank query."""
    phrase = " ".join(fold(query).split())
    return (phrase,) if phrase else ()


def word_needles(query: str) -> tuple[str, ...]:
    """A search's query as its folded words (search.py `words_of`): each is highlighted on its own."""
    return tuple(words_of(query))


@lru_cache(maxsize=4096)
def _fold_run(run: str) -> tuple[str, bool]:
    """A run of non-ASCII characters folded, and whether every character folded to exactly one."""
    parts = [fold(ch) for ch in run]
    return "".join(parts), all(len(part) == 1 for part in parts)


def _fold_text(text: str) -> tuple[str, bool]:
    """`fold(text)` character by character (as `fold_with_map`), and whether each character folded to one:
    ASCII in bulk, the runs of other characters one by one (cached: the same few accents recur)."""
    if text.isascii():
        return text.lower(), True
    parts = _NON_ASCII.split(text)  # ASCII, non-ASCII, ASCII, ...
    identity = True
    for index in range(len(parts)):
        if index % 2:
            parts[index], same = _fold_run(parts[index])
            identity = identity and same
        else:
            parts[index] = parts[index].lower()
    return "".join(parts), identity


def _positions(text: str) -> list[int]:
    """For each character of `fold(text)`, the index of the character of `text` it comes from (as
    `fold_with_map`, with ASCII in bulk)."""
    positions: list[int] = []
    index = 0
    for number, part in enumerate(_NON_ASCII.split(text)):
        if number % 2:
            for offset, ch in enumerate(part):
                positions.extend([index + offset] * len(_fold_run(ch)[0]))
        else:
            positions.extend(range(index, index + len(part)))
        index += len(part)
    return positions


def fold_line(text: str) -> tuple[str, list[int] | None]:
    """`fold(text)` character by character, as `fold_with_map` does, with the map only where it is not
    the identity (a character folded to none, as a combining accent, or to two, as `ß`)."""
    folded, identity = _fold_text(text)
    return folded, None if identity else _positions(text)


class FoldedLines:
    """An article's rendered lines, folded, as one text: line `i` starts at `starts[i]` in the lines
    joined by a space (each without its leading indentation and quote bar, and trailing spaces)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        """Each line, folded and stripped."""
        self.starts: list[int] = []
        """Where each line starts in the joined text."""
        self._leads: list[int] = []
        self._texts: dict[int, str] = {}  # lines whose folding may have moved characters
        self._maps: dict[int, list[int] | None] = {}  # their maps, made when they are first drawn
        self.end = 0
        """The length of the joined text."""

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, texts: Iterable[str]) -> None:
        """Fold and append the text of more lines (folded as one text, which is several times faster)."""
        texts = list(texts)
        folded_text, identity = _fold_text("\n".join(texts))
        folded_lines = folded_text.split("\n")
        if len(folded_lines) != len(texts):  # (a line with a line break of its own: one by one, then)
            folded_lines = [_fold_text(text)[0] for text in texts]
        lines, starts, leads = self.lines, self.starts, self._leads
        end = self.end
        for number, folded in enumerate(folded_lines):
            if not identity and not texts[number].isascii():
                self._texts[len(lines)] = texts[number]
            stripped = folded.lstrip(_LEAD)
            lead = len(folded) - len(stripped)
            stripped = stripped.rstrip(" ")
            if lines:
                end += 1  # the space between two lines
            starts.append(end)
            leads.append(lead)
            lines.append(stripped)
            end += len(stripped)
        self.end = end

    def joined(self, first: int = 0) -> str:
        """The text from line `first` on (it starts at `starts[first]`)."""
        return " ".join(self.lines[first:])

    def line_at(self, offset: int) -> int:
        """The line that holds (or, in a space between lines, precedes) `offset` of the joined text."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def columns(self, line: int, start: int, end: int) -> tuple[int, int]:
        """Offsets `start`..`end` of the folded, stripped line -> the characters of its original text."""
        lead = self._leads[line]
        start, end = start + lead, end + lead
        text = self._texts.get(line)
        if text is None:
            return start, end
        if line not in self._maps:
            self._maps[line] = None if _fold_text(text)[1] else _positions(text)
        positions = self._maps[line]
        if positions is None:
            return start, end
        first = positions[start]
        last = positions[end - 1] + 1
        while last < len(text) and not fold(text[last]):  # an accent typed as a combining mark: its letter's
            last += 1
        return first, last


class Matches:
    """Where the folded `needles` occur in a `FoldedLines`: sorted match starts and their ends in the
    joined text. `update` scans the lines added since the last call (a match may run on across the
    break between old and new lines)."""

    def __init__(self, needles: Sequence[str], lines: FoldedLines) -> None:
        self.needles = tuple(needle for needle in needles if needle)
        self.text = lines
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._longest = max((len(needle) for needle in self.needles), default=0)
        self._patterns = [re.compile(re.escape(needle)) for needle in self.needles]  # (literal: escaped)
        self._scanned_lines = 0
        self._scanned_end = 0

    def __len__(self) -> int:
        return len(self.starts)

    def update(self) -> int:
        """Look for matches in the lines added since the last call; returns how many were found.

        Matches lying wholly in the text scanned before were found then: each needle is looked for
        only from where it could end in the new text.
        """
        text = self.text
        if not self.needles or len(text) == self._scanned_lines:
            return 0
        old_end = self._scanned_end if self._scanned_lines else -1  # (nothing scanned: from offset 0)
        first = text.line_at(max(0, old_end - self._longest + 1)) if self._scanned_lines else 0
        base = text.starts[first] if text.starts else 0
        region = text.joined(first)
        self._scanned_lines = len(text)
        self._scanned_end = text.end
        starts, ends = self.starts, self.ends
        if len(self.needles) == 1:  # (the find bar's phrase: in bulk)
            size = len(self.needles[0])
            new = [
                base + m.start()
                for m in self._patterns[0].finditer(region, max(0, old_end - size + 1 - base))
            ]
            starts.extend(new)
            ends.extend([start + size for start in new])
            return len(new)
        found: list[tuple[int, int]] = []
        for needle, pattern in zip(self.needles, self._patterns, strict=True):
            size = len(needle)
            begin = max(0, old_end - size + 1 - base)
            found.extend((base + m.start(), base + m.end()) for m in pattern.finditer(region, begin))
        found.sort()
        for start, end in found:
            if not starts or start > starts[-1]:
                starts.append(start)
                ends.append(end)
            else:  # (several needles: a longer one may start before a shorter one found last time)
                index = bisect_left(starts, start)
                starts.insert(index, start)
                ends.insert(index, end)
        return len(found)

    def line_of(self, match: int) -> int:
        """The line a match starts on."""
        return self.text.line_at(self.starts[match])

    def first_from(self, offset: int) -> int | None:
        """The first match starting at or after `offset` (of those found so far)."""
        index = bisect_left(self.starts, offset)
        return index if index < len(self.starts) else None

    def last_before(self, offset: int) -> int | None:
        """The last match starting before `offset`."""
        index = bisect_left(self.starts, offset) - 1
        return index if index >= 0 else None

    def spans(self, line: int) -> list[tuple[int, int, int]]:
        """The matches on `line` as (start, end, match number), in characters of the line's own text
        (the part of a match that runs on from the line before, or on to the next, included)."""
        text = self.text
        if not self.starts or line >= len(text.lines):
            return []
        begin = text.starts[line]
        finish = begin + len(text.lines[line])
        if finish == begin:
            return []
        found = []
        index = bisect_left(self.starts, finish) - 1
        while index >= 0 and self.starts[index] > begin - self._longest:
            start, end = self.starts[index], self.ends[index]
            if end > begin:
                first, last = text.columns(line, max(start, begin) - begin, min(end, finish) - begin)
                found.append((first, last, index))
            index -= 1
        found.reverse()
        return found
