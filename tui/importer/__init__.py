"""`qa-reader import`: saved Q&A pages (text, HTML) and Stack Exchange dumps -> articles in our format.

No Textual here. Each source kind has its own module, and each turns a source into `Imported` articles
(the whole Markdown file, front matter included, and the name it wants); `write.py` is the one place that
writes them, and never over an existing file without --force:

- `text.py`: a Q&A page saved or copied from a browser as plain text (question, short answer, counts,
  sections found by their shape, comparisons, `[n]` notes, "Further Discussion" questions);
- `html.py`: a page saved as HTML: its main content only (no navigation, ads, banners), converted with
  BeautifulSoup and markdownify (both MIT);
- `stackexchange.py`: one site's data dump (`Posts.xml`, with `Users.xml` when present), streamed through
  a temporary SQLite file so a dump of any size imports in bounded memory.

`sources.py` tells which kind a source is (by what it holds, not only by its name), and refuses what is
none of them (binary, empty, an archive still packed) with a one-line reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportProblem(Exception):
    """A source cannot be imported; the message (one line) is for the user and names no path."""


@dataclass(frozen=True)
class Imported:
    """One article made from a source, ready to write."""

    title: str
    markdown: str
    """The whole file: front matter, then the body."""
    stem: str
    """The file name it wants, without `.md` (a slug of the title; write.py makes it unique if asked)."""
    folder: str = ""
    """A sub-folder of the destination (`cooking.stackexchange.com` for a dump), or "" for its top."""
    notes: list[str] = field(default_factory=list)
    """What the importer could not place exactly and kept as a paragraph, said once per article."""
