"""The footnote panel: the article's notes, numbered; those cited by the section in view stand out."""

from __future__ import annotations

from textual import on

from tui.articles.model import Article, note_label
from tui.messages import JumpToCitation
from tui.widgets.entry_list import Entry, EntryList


class FootnotePanel(EntryList):
    """Notes as a list; enter on a note jumps to the place that cites it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Footnotes"
        self.article: Article | None = None
        self.cited: tuple[int, ...] = ()

    def on_mount(self) -> None:
        if self.article is None:
            self.set_entries([Entry("none", "No article is open.", "muted", "  ", selectable=False)])

    def show_article(self, article: Article) -> None:
        """List the notes of `article`."""
        self.article = article
        self.cited = ()
        self._rebuild(cursor=0)

    def mark_cited(self, numbers: tuple[int, ...]) -> None:
        """Make the notes cited by the section in view stand out. Without focus (hidden too, so the panel
        opens there) the cursor follows the first note the section cites; with focus it stays put."""
        if numbers == self.cited or self.article is None:
            return
        changed = set(numbers) ^ set(self.cited)
        self.cited = numbers
        for number in changed:
            note = self.article.footnote(number)
            if note is not None:
                self.replace_entry(f"note-{number}", self._entry(number, note.text))
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

    def _entry(self, number: int, text: str) -> Entry:
        width = len(note_label(len(self.article.footnotes) if self.article else 1))  # the widest label
        cited = number in self.cited
        lead = ("● " if cited else "  ") + note_label(number).rjust(width) + " "
        return Entry(f"note-{number}", text, "text" if cited else "muted", lead, "note")

    def _rebuild(self, cursor: int | None = None) -> None:
        article = self.article
        if article is None or not article.footnotes:
            self.set_entries([Entry("none", "This article cites no notes.", "muted", "  ", selectable=False)])
            self.border_subtitle = ""
            return
        self.set_entries([self._entry(note.number, note.text) for note in article.footnotes])
        if cursor is not None:
            self.cursor = cursor
        count = len(article.footnotes)
        self.border_subtitle = f"{count} note{'s' if count != 1 else ''} · ● cited here"

    def highlight_note(self, number: int) -> None:
        """Move the cursor to note `number`."""
        self.select(f"note-{number}")

    @on(EntryList.Chosen)
    def _chosen(self, event: EntryList.Chosen) -> None:
        event.stop()
        if event.key.startswith("note-"):
            self.post_message(JumpToCitation(int(event.key.removeprefix("note-"))))
