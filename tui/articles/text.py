"""Text helpers shared by the parser, the cheap index and search: decoding untrusted bytes, slugs, names.

Kept apart from parse.py so that listing a folder never imports markdown-it or YAML.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tui.articles.model import Problem

# C0 and C1 control characters other than tab and newline. Content is untrusted: an ESC or an OSC
# sequence must never reach the terminal, so they are dropped as soon as the text is decoded. So are the
# bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): they reorder what follows
# them on the line ("Trojan source"), so text, a title or a file name could read other than it is.
# Right-to-left text itself needs none of them, and the plain marks U+200E/U+200F (which only nudge
# neutral characters) are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What would break a single line: tabs and line ends (clean() has already made \r a \n), line separators.
_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")
# A footnote reference as written, `[^label]`: used where no parser is at hand (previews of long files),
# and by the parser to spot references that have no definition (left as text by the footnote plugin).
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


def decode(data: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """Bytes of a file -> clean text, or None for a binary file; with any problems found."""
    if b"\x00" in data:
        return None, [Problem(path, "binary file (contains NUL bytes); skipped")]
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = data.decode("utf-8-sig", errors="replace")
        problems.append(
            Problem(
                path,
                f"not valid UTF-8 (byte {error.start}); undecodable bytes shown as \ufffd",
            )
        )
    return clean(text), problems


def clean(text: str) -> str:
    """Normalise line ends and drop control characters (ESC, BEL, bidi overrides...) from untrusted text."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(text: str) -> str:
    """`clean()` for what must stay on one line (a title, a name, an id): tabs and line breaks as spaces."""
    return _BREAKS.sub(" ", clean(text))


def slugify(text: str) -> str:
    """A GitHub-style anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return re.sub(r"\s", "-", text) or "section"


def humanize(stem: str) -> str:
    """A title made from a file name: `my_notes-on-x` -> `My notes on x`."""
    words = re.sub(r"[-_]+", " ", clean_line(stem)).strip()
    return (words[:1].upper() + words[1:]) if words else clean_line(stem)


class Slugs:
    """Unique section ids in one article, as GitHub gives them: `intro`, `intro-1`, `intro-2`...

    github-slugger's algorithm: a title whose slug is taken gets the first free `slug-N`, counting on
    from the last number tried for that slug, so `## Same`, `## Same-1`, `## Same` -> `same`, `same-1`,
    `same-2`. The parser and the search index both use it, so their ids agree.
    """

    def __init__(self) -> None:
        self.occurrences: dict[str, int] = {}

    def make(self, title: str) -> str:
        """The id of the next section titled `title`."""
        slug = original = slugify(title)
        while slug in self.occurrences:
            self.occurrences[original] += 1
            slug = f"{original}-{self.occurrences[original]}"
        self.occurrences[slug] = 0
        return slug


def section_ids(titles: list[str]) -> list[str]:
    """The ids of an article's sections, in order, from their titles (`Section.title`)."""
    slugs = Slugs()
    return [slugs.make(title) for title in titles]


def legacy_section_ids(titles: list[str]) -> list[str]:
    """The ids the previous release gave the same sections: duplicates were `-2`, `-3`... (`-x` on a clash).

    Kept so that bookmarks and saved places stored under an old id can be moved to the new one.
    """
    seen: dict[str, int] = {}
    ids = []
    for title in titles:
        slug = slugify(title)
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            slug = f"{slug}-{seen[slug]}"
            while slug in seen:
                slug += "-x"
            seen[slug] = 1
        ids.append(slug)
    return ids
