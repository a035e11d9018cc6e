"""The content model: small frozen dataclasses, no Textual (and no Rich) in here.

An article is a title, a few front matter fields and a flat list of blocks. Inline text is a tuple of
`Span`s, so that nothing downstream ever has to parse markup again: a span's text is data, always.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Span:
    """A run of inline text with one style.

    `style` is a space-separated set of flags: "bold", "italic", "code", "strike", "mark" (`==highlight==`),
    "tag" (`#tag`, shown with its `#`), "wikilink" (`[[Page]]`, its `link` "wiki:Page") and "image" (its
    text the alt text or file name, its `link` where the image is: the renderer puts a mark before it).
    `link` is the raw href of a link; `note` the number of a footnote reference.
    """

    text: str
    style: str = ""
    link: str | None = None
    note: int | None = None


Inline = tuple[Span, ...]


def note_label(number: int | None) -> str:
    """How a footnote reference reads, in the text and before the note: `[3]`; `[?]` for a reference
    to a note that nobody defined (`number` None)."""
    return f"[{number}]" if number is not None else "[?]"


def plain(inline: Inline) -> str:
    """The text of some inline spans, without styles."""
    return "".join(span.text for span in inline)


def wikilink_text(target: str) -> str:
    """How Obsidian shows a wikilink without an alias: `Page`, `Page > Heading`, `Heading` for `#Heading`."""
    parts = [part.strip() for part in target.split("#")]
    return " > ".join(part for part in parts if part) or target


@dataclass(frozen=True)
class Heading:
    """A heading; `section_id` is the slug of the section it opens."""

    level: int
    inline: Inline
    section_id: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline text."""

    inline: Inline


@dataclass(frozen=True)
class ListItem:
    """One list item: the blocks it holds. `checked` is None for a plain item, else a task (`- [ ]`
    False, `- [x]` True)."""

    blocks: tuple[Block, ...]
    checked: bool | None = None


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Quote:
    """A block quote."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Callout:
    """An Obsidian callout, `> [!kind]- Title` and the quote's other lines.

    `kind` is in lower case as typed (unknown kinds are kept: the renderer draws them as notes); `title`
    the text after the marker, or the kind capitalised when there is none (as Obsidian shows it); `fold`
    "-" (folded by default), "+" (foldable, open) or "".
    """

    kind: str
    title: Inline
    blocks: tuple[Block, ...]
    fold: str = ""


@dataclass(frozen=True)
class Embed:
    """`![[Page]]` or `![[Page#Heading]]` alone in a paragraph: another page's text shown here.

    `target` is the raw target. The parser leaves `blocks` empty; the library fills them (one level
    deep), with `title` what to call the embedded text, or says in `note` why it could not (a missing
    page or section, a cycle).
    """

    target: str
    blocks: tuple[Block, ...] = ()
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class Code:
    """A fenced or indented code block."""

    text: str
    lang: str = ""


@dataclass(frozen=True)
class Table:
    """A table. Rows may be ragged in the source; the parser pads them to the header's width."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A thematic break."""


Block = Heading | Paragraph | ListBlock | Quote | Callout | Embed | Code | Table | Rule


@dataclass(frozen=True)
class Section:
    """A heading and what follows it up to the next heading.

    `block` is the index of the heading in `Article.blocks`; `notes` the footnote numbers cited between
    this heading and the next one (sub-sections cite their own).
    """

    id: str
    title: str
    level: int
    block: int
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Footnote:
    """A footnote, numbered by first reference (as GitHub does)."""

    number: int
    label: str
    inline: Inline
    cited_in: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The note as plain text."""
        return plain(self.inline)


@dataclass(frozen=True)
class ComparisonRow:
    """One aspect of a comparison and a cell per side (empty when a side says nothing)."""

    aspect: str
    cells: tuple[Inline, ...]


@dataclass(frozen=True)
class Comparison:
    """Two or more sides compared aspect by aspect.

    `kind` is "sections" (an `A vs B` heading with a sub-section per side) or "table" (a table whose first
    header cell is empty or `Aspect`). `section_id` is the section the comparison lives in.
    """

    title: str
    sides: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    section_id: str
    kind: str = "sections"
    block: int = 0


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file, worded for the user."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class ArticleInfo:
    """The cheap index entry of an article: enough for a sidebar, read without a full parse.

    `ArticleInfo.at(root, id, title)` makes one whose `path` (`root/id.md`) is built on first use: a
    stored list of 100,000 articles is read without making 100,000 Path objects (half a second), and
    only the few that are opened ever need theirs. Both kinds are equal when their fields are.
    """

    id: str
    title: str
    path: Path
    order: float | None = None
    aliases: tuple[str, ...] = ()
    """Front matter `aliases`: other names a wikilink may use for the article."""

    @classmethod
    def at(
        cls,
        root: str,
        article_id: str,
        title: str,
        order: float | None = None,
        aliases: tuple[str, ...] = (),
    ) -> ArticleInfo:
        """The entry of the article `article_id` under the folder `root`, its path made when first asked."""
        info = object.__new__(cls)  # (no __init__: it would want the path)
        fields = info.__dict__
        fields["id"] = article_id
        fields["title"] = title
        fields["order"] = order
        fields["aliases"] = aliases
        fields["_root"] = root
        return info

    def __getattr__(self, name: str) -> Any:
        # Only called for what the instance lacks: the path of an entry made by `at`, until first use.
        if name == "path":
            root = self.__dict__.get("_root")
            if root is not None:
                path = Path(root, self.__dict__["id"] + ".md")
                self.__dict__["path"] = path
                return path
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __hash__(self) -> int:
        # (Equal entries have equal ids and titles: hashing those leaves a lazy path unbuilt.)
        return hash((self.id, self.title))


@dataclass(frozen=True)
class Article:
    """A fully parsed article."""

    id: str
    path: Path
    title: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    """Front matter `tags` and the `#tags` in the text, without `#`, each once."""
    aliases: tuple[str, ...] = ()
    """Front matter `aliases`: other names a wikilink may use for the article."""
    related: tuple[str, ...] = ()
    order: float | None = None
    front: dict[str, Any] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    links: tuple[str, ...] = ()
    """Every link's href, in order: Markdown links and wikilinks ("wiki:Page#Heading")."""
    images: tuple[str, ...] = ()
    """Every image's href: a Markdown image's src, "wiki:name.png" for an `![[name.png]]` embed."""
    embeds: tuple[str, ...] = ()
    """The targets of the `Embed` blocks, in order."""
    problems: tuple[Problem, ...] = ()
    complete: bool = True
    """False for a quick preview of a long file (its beginning); the full parse replaces it."""

    def section(self, section_id: str) -> Section | None:
        """The section with this id, if the article has it."""
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    def footnote(self, number: int) -> Footnote | None:
        """The footnote with this number, if the article has it."""
        if 1 <= number <= len(self.footnotes):
            return self.footnotes[number - 1]
        return None
