"""The reading pane: an article drawn line by line (Textual's line API), not a widget per paragraph.

The article is rendered once per width into a list of `Strip`s; `render_line` hands out only the lines on
screen, so a long article scrolls as smoothly as a short one. Links and footnote references are numbered
("refs") in reading order; left/right select one, enter follows it.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.articles.model import Article, Heading
from tui.articles.render import RefCounter, render_block, skip_title_block, text_segments
from tui.messages import FollowLink, SectionChanged, ShowNote

MEASURE = 88
"""The widest the text gets: long lines are hard to read, so wide terminals get margins instead."""

WARNING = Style(color="#d7af5f")
SELECTED = Style(reverse=True)


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; remembers where its sections, links and footnote references are."""

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        Binding("left", "select_ref(-1)", "Previous link", show=False),
        Binding("right", "select_ref(1)", "Next link", show=False),
        Binding("enter", "follow", "Follow link", show=False),
    ]

    selected_ref: reactive[int | None] = reactive(None, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.current_section: str | None = None
        self._lines: list[Strip] = []
        self._content_height = 0
        self._laid_out_width = 0
        self._block_lines: list[int] = []
        self._section_lines: list[tuple[int, str]] = []
        self._refs: list[tuple[str, str | int]] = []
        self._ref_lines: list[int] = []
        self._pending: tuple[str | None, float | None] | None = None

    # -- showing an article ---------------------------------------------------------------------------
    def show_article(
        self, article: Article, section_id: str | None = None, scroll_y: float | None = None
    ) -> None:
        """Show `article` at a section, at a scroll offset, or at the top."""
        self.article = article
        self.selected_ref = None
        self.current_section = None
        self._laid_out_width = 0
        self._pending = (section_id, scroll_y)
        if self.size.width:
            self._layout()

    def _layout(self) -> None:
        article = self.article
        width = self.scrollable_content_region.width or self.size.width
        if article is None or width <= 0:
            return
        anchor = None if self._pending else self._anchor()
        measure = max(10, min(MEASURE, width - 4))
        margin = Segment(" " * max(1, (width - measure) // 2))
        console = self.app.console
        refs = RefCounter()
        lines: list[list[Segment]] = []
        block_lines: list[int] = [0] * len(article.blocks)
        section_lines: list[tuple[int, str]] = []

        for problem in article.problems:
            for line in Text(f"⚠ {problem.reason}", style=WARNING).wrap(console, measure):
                lines.append(text_segments(line, console))
        if article.problems:
            lines.append([])
        first = skip_title_block(article)
        if first and isinstance(article.blocks[0], Heading):
            section_lines.append((0, article.blocks[0].section_id))
        for index in range(first, len(article.blocks)):
            block = article.blocks[index]
            if lines and (isinstance(block, Heading) and block.level <= 2):
                lines.append([])
            if lines:
                lines.append([])
            block_lines[index] = len(lines)
            if isinstance(block, Heading):
                section_lines.append((len(lines), block.section_id))
            lines.extend(render_block(block, measure, console, refs))
        if not article.blocks and not article.problems:
            lines.append(text_segments(Text("This article is empty.", style=Style(dim=True)), console))

        ref_lines = [0] * len(refs.targets)
        strips: list[Strip] = []
        for number, line in enumerate(lines):
            for segment in line:
                meta = segment.style.meta if segment.style is not None else None
                if meta and "ref" in meta and ref_lines[meta["ref"]] == 0:
                    ref_lines[meta["ref"]] = number
            strips.append(Strip([margin, *line]))

        self._lines = strips
        self._content_height = len(strips)
        self._block_lines = block_lines
        self._section_lines = section_lines
        self._refs = refs.targets
        self._ref_lines = ref_lines
        self._laid_out_width = width
        # Room below the last line, so that the last sections too can be read from the top of the pane.
        tail = max(0, self.scrollable_content_region.height - 3)
        self.virtual_size = Size(width, self._content_height + tail)
        self.refresh()

        if self._pending is not None:
            section_id, scroll_y = self._pending
            self._pending = None
            if section_id is not None and self.section_line(section_id) is not None:
                self.scroll_to(y=self.section_line(section_id), animate=False, immediate=True, force=True)
            else:
                self.scroll_to(y=scroll_y or 0, animate=False, immediate=True, force=True)
        elif anchor is not None:
            block, fraction = anchor
            start = self._block_lines[block]
            end = self._block_lines[block + 1] if block + 1 < len(self._block_lines) else self._content_height
            self.scroll_to(
                y=start + fraction * max(0, end - start), animate=False, immediate=True, force=True
            )
        self._update_section()

    def _anchor(self) -> tuple[int, float] | None:
        """The block at the top of the pane and how far into it, to keep the place across a resize."""
        if not self._block_lines or not self._laid_out_width:
            return None
        y = self.scroll_offset.y
        block = max(0, bisect_right(self._block_lines, y) - 1)
        start = self._block_lines[block]
        end = self._block_lines[block + 1] if block + 1 < len(self._block_lines) else self._content_height
        return block, (y - start) / max(1, end - start)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if self.article is not None and (width != self._laid_out_width or self._pending):
            self._layout()
        elif self.article is not None:
            tail = max(0, self.scrollable_content_region.height - 3)
            self.virtual_size = Size(self._laid_out_width, self._content_height + tail)

    # -- drawing --------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._lines[index]
        selected = self.selected_ref
        if selected is not None and selected < len(self._ref_lines) and self._is_ref_line(index, selected):
            strip = Strip(
                [
                    Segment(s.text, (s.style or Style()) + SELECTED)
                    if s.style is not None and s.style.meta.get("ref") == selected
                    else s
                    for s in strip
                ]
            )
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    def _is_ref_line(self, line: int, ref: int) -> bool:
        start = self._ref_lines[ref]
        return start <= line <= start + 3  # a wrapped link spans at most a few lines

    def watch_selected_ref(self) -> None:
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._update_section()

    # -- sections -------------------------------------------------------------------------------------
    def section_line(self, section_id: str) -> int | None:
        """The line of a section's heading; "" is the top of the article."""
        if section_id == "":
            return 0
        for line, found in self._section_lines:
            if found == section_id:
                return line
        return None

    def section_at(self, y: float) -> str | None:
        """The section being read when line `y` is at the top of the pane."""
        starts = [line for line, _ in self._section_lines]
        index = bisect_right(starts, int(y) + 1) - 1
        return self._section_lines[index][1] if index >= 0 else None

    def _update_section(self) -> None:
        section = self.section_at(self.scroll_offset.y)
        if section != self.current_section:
            self.current_section = section
            self.post_message(SectionChanged(section))

    def go_to_section(self, section_id: str) -> bool:
        """Scroll so the section's heading is at the top; False if the article has no such section."""
        if not self._laid_out_width:
            self._pending = (section_id, None)
            return self.article is not None and (
                section_id == "" or self.article.section(section_id) is not None
            )
        line = self.section_line(section_id)
        if line is None:
            return False
        self.scroll_to(y=line, animate=False, immediate=True, force=True)
        return True

    def step_section(self, direction: int) -> None:
        """Jump to the next (1) or previous (-1) section heading."""
        y = int(self.scroll_offset.y)
        starts = [line for line, _ in self._section_lines]
        if direction > 0:
            target = next((line for line in starts if line > y + 1), None)
        else:
            target = next((line for line in reversed(starts) if line < y), 0)
        if target is None:
            self.app.bell()
            return
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def scroll_to_end_of_text(self) -> None:
        """Bring the last line of the article to the bottom of the pane."""
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, self._content_height - height), animate=False, immediate=True, force=True)

    # -- links and footnote references ----------------------------------------------------------------
    def select_citation(self, number: int) -> bool:
        """Select the first reference to footnote `number` and scroll it into view."""
        for ref, (kind, target) in enumerate(self._refs):
            if kind == "note" and target == number:
                self.selected_ref = ref
                self._reveal(ref, center=True)
                return True
        return False

    def _reveal(self, ref: int, center: bool = False) -> None:
        line = self._ref_lines[ref]
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if center or not (top <= line < top + height):
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True, force=True)

    def action_select_ref(self, direction: int) -> None:
        """Select the next or previous link or footnote reference (starting from what is on screen)."""
        if not self._refs:
            self.notify("No links or footnote references in this article.", timeout=3, markup=False)
            return
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        current = self.selected_ref
        on_screen = current is not None and top <= self._ref_lines[current] < top + height
        if not on_screen:
            visible = [r for r, line in enumerate(self._ref_lines) if top <= line < top + height]
            if visible:
                choice = visible[0] if direction > 0 else visible[-1]
            elif direction > 0:
                choice = next(
                    (r for r, line in enumerate(self._ref_lines) if line >= top), len(self._refs) - 1
                )
            else:
                choice = next((r for r in range(len(self._refs) - 1, -1, -1) if self._ref_lines[r] < top), 0)
        else:
            assert current is not None
            choice = min(max(0, current + direction), len(self._refs) - 1)
        self.selected_ref = choice
        self._reveal(choice)
        kind, target = self._refs[choice]
        if (
            kind == "link"
            and isinstance(target, str)
            and target.startswith(("http://", "https://", "mailto:"))
        ):
            self.app.notify(
                f"{target}\nenter or o: open in your browser", title="Web link", timeout=4, markup=False
            )

    @property
    def selected_target(self) -> tuple[str, str | int] | None:
        """(kind, target) of the selected link or footnote reference."""
        if self.selected_ref is None or self.selected_ref >= len(self._refs):
            return None
        return self._refs[self.selected_ref]

    def action_follow(self) -> None:
        """Follow the selected link, or show the selected footnote."""
        target = self.selected_target
        if target is None:
            self.notify("Choose a link or a footnote reference with ← and → first.", timeout=3, markup=False)
            return
        kind, value = target
        if kind == "note":
            self.post_message(ShowNote(int(value)))
        else:
            self.post_message(FollowLink(str(value)))

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta if event.style else {}
        if "ref" in meta:
            self.selected_ref = int(meta["ref"])
            self.action_follow()

    def visible_region(self) -> Region:
        """The lines on screen, for tests and position bookkeeping."""
        return Region(0, int(self.scroll_offset.y), self.size.width, self.scrollable_content_region.height)

    def line_text(self, index: int) -> str:
        """The text of one rendered line (without the margin)."""
        return self._lines[index].text.strip() if index < len(self._lines) else ""

    def screen_text(self) -> str:
        """The text of the lines on screen."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        return "\n".join(self.line_text(i) for i in range(top, min(top + height, len(self._lines))))
