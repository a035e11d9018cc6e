"""The footnote panel: the article's notes, numbered; those cited by the section in view stand out.

A note's web links (links with an http(s) href, and bare URLs in its text) are drawn as links; with the
panel focused, ← and → select one in the note under the cursor and `o` opens it (the first, if none is
selected) the way `o` opens a web link in the text: a `FollowLink` the reading screen resolves and opens.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rich.style import Style
from textual import on
from textual.binding import Binding

from tui.articles.model import Article, Footnote, Inline, note_label
from tui.articles.palette import Palette
from tui.messages import FollowLink, JumpToCitation
from tui.widgets.entry_list import Entry, EntryList

_BARE_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"”’»"
"""Punctuation after a bare URL that ends the sentence, not the URL (and `)` when unbalanced)."""
SELECTED_LINK = "link_selected"
"""The role of the selected link: the link's colours reversed on the cursor row, as in the text."""


def web_links(inline: Inline) -> tuple[tuple[int, int, str], ...]:
    """The web links of a note's text: `(start, end, url)`, offsets into its plain text (`Footnote.text`).

    A span with an http(s) `link` is one (its text may be other than the URL); in other spans, each bare
    `http://` or `https://` URL is one, without the punctuation that closes the sentence around it.
    """
    found: list[tuple[int, int, str]] = []
    position = 0
    for span in inline:
        end = position + len(span.text)
        if span.link is not None:
            if urlsplit(span.link.strip()).scheme.lower() in ("http", "https") and span.text:
                found.append((position, end, span.link.strip()))
        elif span.note is None and "://" in span.text:
            for match in _BARE_URL.finditer(span.text):
                url = _trimmed(match.group())
                if urlsplit(url).netloc:
                    found.append((position + match.start(), position + match.start() + len(url), url))
        position = end
    return tuple(found)


def _trimmed(url: str) -> str:
    """A URL found in text without the punctuation after it or an unbalanced `)`; linear in its length."""
    end, opens, closes = len(url), url.count("("), url.count(")")
    while end and (url[end - 1] in _TRAILING or (url[end - 1] == ")" and closes > opens)):
        closes -= url[end - 1] == ")"
        end -= 1
    return url[:end]


class FootnotePanel(EntryList):
    """Notes as a list; enter on a note jumps to the place that cites it; ← → and `o` select and open the
    note's web links."""

    BINDINGS = [
        Binding("left", "select_link(-1)", "Previous link in the note", show=False),
        Binding("right", "select_link(1)", "Next link in the note", show=False),
        Binding("o", "open_link", "Open the note's link", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Footnotes"
        self.article: Article | None = None
        self.cited: tuple[int, ...] = ()
        self.links: dict[int, tuple[tuple[int, int, str], ...]] = {}
        """The web links of each note that has any, by note number (see `web_links`)."""
        self.selected_link: tuple[int, int] | None = None
        """(note number, index in its links) of the selected link; None when none is."""

    def on_mount(self) -> None:
        if self.article is None:
            self.set_entries([Entry("none", "No article is open.", "muted", "  ", selectable=False)])

    def show_article(self, article: Article) -> None:
        """List the notes of `article`."""
        self.article = article
        self.cited = ()
        self.selected_link = None
        self.links = {note.number: links for note in article.footnotes if (links := web_links(note.inline))}
        self._rebuild(cursor=0)

    def mark_cited(self, numbers: tuple[int, ...]) -> None:
        """Make the notes cited by the section in view stand out. Without focus (hidden too, so the panel
        opens there) the cursor follows the first note the section cites; with focus it stays put."""
        if numbers == self.cited or self.article is None:
            return
        changed = set(numbers) ^ set(self.cited)
        self.cited = numbers
        for number in changed:
            self._redraw_note(number)
        if numbers and not self.has_focus:
            self.highlight_note(numbers[0])
            self.reveal_cursor()

    def reveal_cursor(self) -> None:
        """The cursor's note in view; without focus, as many of the notes cited in view as fit with it."""
        if not self.has_focus:
            positions = sorted(p for n in self.cited if (p := self.index_of(f"note-{n}")) is not None)
            for position in positions[-1:] + positions[:1]:
                self._reveal(position)
        super().reveal_cursor()

    def _entry(self, note: Footnote) -> Entry:
        number = note.number
        width = len(note_label(len(self.article.footnotes) if self.article else 1))  # the widest label
        cited = number in self.cited
        lead = ("● " if cited else "  ") + note_label(number).rjust(width) + " "
        selected = self.selected_link[1] if self.selected_link and self.selected_link[0] == number else None
        roles = tuple(
            (start, end, SELECTED_LINK if index == selected else "link")
            for index, (start, end, _) in enumerate(self.links.get(number, ()))
        )
        return Entry(f"note-{number}", note.text, "text" if cited else "muted", lead, "note", roles=roles)

    def _redraw_note(self, number: int) -> None:
        note = self.article.footnote(number) if self.article else None
        if note is not None:
            self.replace_entry(f"note-{number}", self._entry(note))

    def _rebuild(self, cursor: int | None = None) -> None:
        article = self.article
        if article is None or not article.footnotes:
            self.set_entries([Entry("none", "This article cites no notes.", "muted", "  ", selectable=False)])
            self.border_subtitle = ""
            return
        self.set_entries([self._entry(note) for note in article.footnotes])
        if cursor is not None:
            self.cursor = cursor
        self._update_hint()

    def highlight_note(self, number: int) -> None:
        """Move the cursor to note `number`."""
        self.select(f"note-{number}")

    # -- the cursor note's links --------------------------------------------------------------------------
    @property
    def cursor_note(self) -> int | None:
        """The number of the note under the cursor."""
        key = self.cursor_key
        return int(key.removeprefix("note-")) if key and key.startswith("note-") else None

    @property
    def selected_url(self) -> str | None:
        """The URL of the selected link, if one is."""
        if self.selected_link is None:
            return None
        number, index = self.selected_link
        return self.links[number][index][2]

    def watch_cursor(self, cursor: int) -> None:
        super().watch_cursor(cursor)
        if self.selected_link is not None and self.selected_link[0] != self.cursor_note:
            number, self.selected_link = self.selected_link[0], None
            self._redraw_note(number)
        self._update_hint()

    def on_focus(self) -> None:  # (EntryList's own on_focus runs too: Textual calls each class's)
        self._update_hint()

    def on_blur(self) -> None:  # (EntryList's own on_blur runs too: Textual calls each class's)
        self._update_hint()

    def _update_hint(self) -> None:
        """The border's subtitle: how many notes and what ● means; with focus on a note with web links, how
        to open them instead."""
        if self.article is None or not self.article.footnotes:
            return
        links = self.links.get(self.cursor_note or 0, ())
        if self.has_focus and len(links) > 1:
            self.border_subtitle = "← → a link · o opens it"
        elif self.has_focus and links:
            self.border_subtitle = "o opens the link"
        else:
            count = len(self.article.footnotes)
            self.border_subtitle = f"{count} note{'s' if count != 1 else ''} · ● cited here"

    def role_style(self, palette: Palette, role: str) -> Style:
        if role == SELECTED_LINK:
            return palette.link + Style(reverse=True)
        return super().role_style(palette, role)

    def action_select_link(self, step: int) -> None:
        """← →: select the previous or next web link in the note under the cursor."""
        number = self.cursor_note
        links = self.links.get(number or 0, ())
        if number is None or not links:
            self.app.bell()
            return
        start = -1 if step > 0 else len(links)  # none selected yet: → takes the first link, ← the last
        current = start if self.selected_link is None else self.selected_link[1]
        self.selected_link = (number, min(max(0, current + step), len(links) - 1))
        self._redraw_note(number)
        start, end, url = links[self.selected_link[1]]
        note = self.article.footnote(number) if self.article else None
        if note is not None and note.text[start:end] != url:  # a link whose text is not its URL
            self.notify(f"{url}\no: open in your browser", title="Web link", timeout=4, markup=False)

    def action_open_link(self) -> None:
        """o: open the selected web link of the note under the cursor (its first, if none is selected)."""
        number = self.cursor_note
        links = self.links.get(number or 0, ())
        if number is None or not links:
            self.notify("This note has no link.", timeout=3, markup=False)
            return
        url = self.selected_url or links[0][2]
        self.post_message(FollowLink(url))

    @on(EntryList.Chosen)
    def _chosen(self, event: EntryList.Chosen) -> None:
        event.stop()
        if event.key.startswith("note-"):
            self.post_message(JumpToCitation(int(event.key.removeprefix("note-"))))
