"""A fast list of wrapped entries with a cursor: the base of the sidebar and the footnote panel.

Textual's OptionList measures every option through Rich before it paints, which takes about 0.3 s for
7,500 questions and as long again for each prompt replaced. This list wraps plain strings itself (with
the reading pane's greedy word wrap, articles/wrap.py: a few microseconds each) and draws only the lines
on screen (the line API), so a folder of thousands of articles lists at once and marking the section
being read costs nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.articles.palette import Palette
from tui.articles.wrap import wrap


@dataclass(frozen=True)
class Entry:
    """One entry: a lead that never wraps (indent, marker, number) and text that wraps under itself.

    Styles are palette roles ("text", "muted", "current"...: see tui/articles/palette.py), looked up
    when the entry is drawn, so a change of theme needs no rebuild. `marks` are (start, end) spans of
    `text` drawn in the palette's "match" style (the words a filter matched). `roles` are (start, end,
    role) spans of `text` drawn in another role than `style` (a folder's count, the folder that tells
    two questions of the same title apart); sorted, not overlapping.
    """

    key: str
    text: str
    style: str = "text"
    lead: str = ""
    lead_style: str = "text"
    selectable: bool = True
    marks: tuple[tuple[int, int], ...] = ()
    roles: tuple[tuple[int, int, str], ...] = ()


class EntryList(ScrollView, can_focus=True):
    """Entries, a cursor (up/down/j/k/page keys/home/end), enter or a click to choose."""

    DEFAULT_CSS = """
    EntryList { overflow-x: hidden; scrollbar-gutter: stable; }
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home", "edge(-1)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    class Chosen(Message):
        """An entry was chosen (enter or click)."""

        def __init__(self, entry_list: EntryList, key: str) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.key = key

        @property
        def control(self) -> EntryList:
            return self.entry_list

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self._index: dict[str, int] = {}
        self._fragments: list[list[str]] = []
        self._starts: list[int] = []  # first line of each entry
        self._line_count = 0
        self._width = 0
        self._wrapped: dict[tuple[str, int], list[str]] = {}  # (text, width) -> lines, across rebuilds
        self._catching_up = False

    # -- content --------------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry], keep: str | None = None) -> None:
        """Replace every entry; the cursor goes to `keep` (a key) when given and present."""
        self.entries = entries
        self._index = {entry.key: position for position, entry in enumerate(entries)}
        self._width = 0
        self._layout()
        target = self._index.get(keep, 0) if keep is not None else min(self.cursor, max(0, len(entries) - 1))
        self.cursor = self._selectable_from(target, 1)

    def splice(self, start: int, remove: int, entries: list[Entry]) -> None:
        """Replace `remove` entries at `start` with `entries`, re-wrapping only those."""
        self.entries[start : start + remove] = entries
        self._index = {entry.key: position for position, entry in enumerate(self.entries)}
        if not self._width:
            return
        self._fragments[start : start + remove] = [
            wrap(entry.text, self._text_width(entry)) for entry in entries
        ]
        starts = self._starts[:start]
        line = starts[-1] + len(self._fragments[start - 1]) if start else 0
        for fragments in self._fragments[start:]:
            starts.append(line)
            line += len(fragments)
        self._starts = starts
        self._line_count = line
        self.virtual_size = Size(self._width, line)
        self.refresh()

    def replace_entry(self, key: str, entry: Entry) -> None:
        """Redraw one entry (same key); cheap when it keeps its height."""
        position = self._index.get(key)
        if position is None:
            return
        self.entries[position] = entry
        if self._width:
            fragments = wrap(entry.text, self._text_width(entry))
            if len(fragments) == len(self._fragments[position]):
                self._fragments[position] = fragments
                self.refresh()
                return
            self._width = 0
            self._layout()
        self.refresh()

    @property
    def keys(self) -> list[str]:
        """The keys of the entries, in order."""
        return [entry.key for entry in self.entries]

    def index_of(self, key: str) -> int | None:
        """Position of the entry with `key`."""
        return self._index.get(key)

    def select(self, key: str) -> bool:
        """Move the cursor to the entry with `key`."""
        position = self._index.get(key)
        if position is None:
            return False
        self.cursor = position
        return True

    @property
    def cursor_key(self) -> str | None:
        """Key of the entry under the cursor."""
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor].key
        return None

    # -- layout and drawing ---------------------------------------------------------------------------
    def _text_width(self, entry: Entry) -> int:
        return max(4, self._width - 1 - cell_len(entry.lead))

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._width = width
        fragments: list[list[str]] = []
        starts: list[int] = []
        line = 0
        cache = self._wrapped
        if len(cache) > 4 * len(self.entries) + 1000:
            cache.clear()
        for entry in self.entries:
            key = (entry.text, self._text_width(entry))
            wrapped = cache.get(key)
            if wrapped is None:
                wrapped = cache[key] = wrap(entry.text, key[1])
            starts.append(line)
            fragments.append(wrapped)
            line += len(wrapped)
        self._fragments, self._starts, self._line_count = fragments, starts, line
        self.virtual_size = Size(width, line)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._layout()
            self.reveal_cursor()

    def _catch_up(self) -> None:
        self._catching_up = False
        if self.scrollable_content_region.width != self._width:
            self._layout()
            self.reveal_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width and width > 0 and not self._catching_up:
            # Drawn at a width it was not laid out for: Textual sends no Resize (nor Show) to a widget
            # just shown when a region was looked up between the display change and the layout.
            self._catching_up = True
            self.call_later(self._catch_up)
        base = self.rich_style
        line = int(self.scroll_offset.y) + y
        if not self._width or line >= self._line_count:
            return Strip.blank(width, base)
        position = bisect_right(self._starts, line) - 1
        entry = self.entries[position]
        number = line - self._starts[position]
        fragment = self._fragments[position][number]
        palette = self.app.palette  # type: ignore[attr-defined]
        on_cursor = position == self.cursor and entry.selectable
        if on_cursor:
            palette = palette.on_cursor(self.has_focus)
        style: Style = getattr(palette, entry.style)
        lead = entry.lead if number == 0 else " " * cell_len(entry.lead)
        segments = [Segment(" ", style), Segment(lead, getattr(palette, entry.lead_style))]
        if entry.marks or entry.roles:
            segments += self._marked(entry, position, number, fragment, style, palette)
        else:
            segments.append(Segment(fragment, style))
        strip = Strip(segments).extend_cell_length(width, style if on_cursor else None).crop(0, width)
        strip = strip.apply_style(base)
        return strip.apply_meta({"entry": position})

    def _marked(
        self, entry: Entry, position: int, number: int, fragment: str, style: Style, palette: Palette
    ) -> list[Segment]:
        """One wrapped line of an entry with its `roles` spans in their roles and its marked spans in the
        match style (over the role)."""
        start = 0
        for earlier in self._fragments[position][:number]:
            start = entry.text.find(earlier, start) + len(earlier)
        start = entry.text.find(fragment, start)
        end = start + len(fragment)
        cuts = {start, end}
        for span in (*entry.marks, *entry.roles):
            cuts.update(offset for offset in span[:2] if start < offset < end)
        match = palette.match
        segments: list[Segment] = []
        ordered = sorted(cuts)
        for lo, hi in zip(ordered, ordered[1:], strict=False):
            piece = style
            for role_start, role_end, role in entry.roles:
                if role_start <= lo < role_end:
                    piece = self.role_style(palette, role)
                    break
            if any(mark_start <= lo < mark_end for mark_start, mark_end in entry.marks):
                piece = piece + match
            segments.append(Segment(entry.text[lo:hi], piece))
        return [segment for segment in segments if segment.text]

    def role_style(self, palette: Palette, role: str) -> Style:
        """The style of an `Entry.roles` span: the palette's role of that name (a subclass may add its own
        roles, built from the palette)."""
        return getattr(palette, role)

    # -- cursor ---------------------------------------------------------------------------------------
    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.entries) - 1)) if self.entries else 0

    def watch_cursor(self, cursor: int) -> None:
        self._reveal(cursor)
        self.refresh()

    def reveal_cursor(self) -> None:
        """Scroll the cursor's entry into view (after a resize, or when shown again)."""
        self._reveal(self.cursor)

    def _reveal(self, position: int) -> None:
        if not self._width or not self.entries or position >= len(self._starts):
            return
        top = self._starts[position]
        bottom = top + len(self._fragments[position])
        height = self.scrollable_content_region.height
        y = self.scroll_offset.y
        # force: just shown or resized, the list may not know yet that it has a scrollbar
        if top < y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif bottom > y + height:
            self.scroll_to(y=max(0, bottom - height), animate=False, immediate=True, force=True)

    def _selectable_from(self, position: int, step: int) -> int:
        count = len(self.entries)
        while 0 <= position < count and not self.entries[position].selectable:
            position += step
        if not 0 <= position < count:
            return self.cursor if 0 <= self.cursor < count else 0
        return position

    def action_move(self, step: int) -> None:
        self.cursor = self._selectable_from(self.cursor + step, 1 if step > 0 else -1)

    def action_page(self, direction: int) -> None:
        if not self.entries:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        line = self._starts[self.cursor] + direction * height
        line = max(0, min(line, self._line_count - 1))
        self.cursor = self._selectable_from(bisect_right(self._starts, line) - 1, direction)

    def action_edge(self, direction: int) -> None:
        if self.entries:
            self.cursor = self._selectable_from(0 if direction < 0 else len(self.entries) - 1, -direction)

    def action_choose(self) -> None:
        if self.entries and self.entries[self.cursor].selectable:
            self.post_message(self.Chosen(self, self.entries[self.cursor].key))

    def on_click(self, event: events.Click) -> None:
        position = event.style.meta.get("entry") if event.style else None
        if position is not None and self.entries[position].selectable:
            self.cursor = position
            self.post_message(self.Chosen(self, self.entries[position].key))

    def on_show(self) -> None:
        # Shown again (the sidebar after s, the notes after f): the cursor may have moved while hidden.
        self.reveal_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
