"""The reading pane: an article drawn line by line (Textual's line API), not a widget per paragraph.

The article is rendered once per width into a list of `Strip`s; `render_line` hands out only the lines on
screen, so a long article scrolls as smoothly as a short one. Links and footnote references are numbered
("refs") in reading order; left/right select one, enter follows it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.articles.model import Article, Heading
from tui.articles.render import Pen, RefCounter, render_block, skip_title_block, text_segments
from tui.layout import text_column
from tui.messages import FindStatus, FollowLink, SectionChanged, ShowNote

if TYPE_CHECKING:
    from tui.articles.find import FoldedLines, Matches

SELECTED = Style(reverse=True)
FIND_BUDGET = 0.1
"""Seconds a find may render ahead for a match not found yet; the background rendering does the rest."""


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
        self.resolves: Callable[[str], bool] | None = None
        """Whether a "wiki:" href leads somewhere: unresolved ones are drawn as such (None: all alike)."""
        self.current_section: str | None = None
        self._pending: tuple[str | None, float | None] | None = None
        self._generation = 0
        self._find_needles: tuple[str, ...] = ()  # what is being found (tui/articles/find.py), folded
        self._find_current: int | None = None  # the current match
        self._find_wanted: tuple[int | None, int] | None = None  # (from where, which way): a step to make
        self._find_wrapped = False
        self._find_status: tuple[object, ...] = (False, None, 0, False, False)  # as last told (nothing)
        self._reset()

    def _reset(self) -> None:
        """Forget the rendered lines (a new article, or a new width)."""
        self._lines: list[list[Segment]] = []  # Strips are made only for the lines on screen
        self._laid_out_width = 0
        self._measure = 0
        self._margin = Segment("")
        self._next_block = 0
        self._done = False
        self._block_lines: list[int] = []
        self._section_lines: list[tuple[int, str]] = []
        self._refs = RefCounter()
        self._ref_lines: list[int] = []
        self._pen: Pen | None = None
        self._folded: FoldedLines | None = None  # the lines, folded for finding (only while finding)
        self._matches: Matches | None = None
        if self._find_wanted is not None:  # (its place was in the old lines: from the top of the pane)
            self._find_wanted = (None, self._find_wanted[1])

    @property
    def _content_height(self) -> int:
        return len(self._lines)

    @property
    def _refs_targets(self) -> list[tuple[str, str | int]]:
        return self._refs.targets

    # -- showing an article ---------------------------------------------------------------------------
    def show_article(
        self, article: Article, section_id: str | None = None, scroll_y: float | None = None
    ) -> None:
        """Show `article` at a section, at a scroll offset, or at the top.

        With a section, `scroll_y` counts from that section's heading (so a saved place survives a
        change of width); without one, from the top of the article.
        """
        if self.article is None or article.id != self.article.id:
            self.clear_find()  # another article: the find was in the one before
        self._find_current = self._find_wanted = None
        self.article = article
        self.selected_ref = None
        self.current_section = None
        self._reset()
        self._pending = (section_id, scroll_y)
        if self.size.width:
            self._layout()

    def replace_article(self, article: Article) -> None:
        """Swap in the full parse of the article being shown (its preview was a prefix): keep the place."""
        if self.article is None or article.id != self.article.id:
            return
        pending = self._pending
        scroll_y, selected = self.scroll_offset.y, self.selected_ref
        self.article = article
        self._reset()
        self._pending = pending if pending is not None else (None, scroll_y)
        if self.size.width:
            self._layout()
        self.selected_ref = selected

    def _layout(self) -> None:
        """Start rendering at the current width: what is on screen now, the rest in the background."""
        article = self.article
        width = self.scrollable_content_region.width or self.size.width
        if article is None or width <= 0:
            return
        anchor = None if self._pending else self._anchor()
        self._reset()
        self._generation += 1
        self._laid_out_width = width
        column = text_column(width)  # shared with the header above (tui/layout.py)
        self._measure = column.measure
        self._margin = Segment(" " * column.margin)
        self._block_lines = [-1] * len(article.blocks)
        console = self.app.console
        palette = self.app.palette  # type: ignore[attr-defined]
        self._pen = Pen(console, palette, self._refs, resolves=self.resolves)
        for problem in article.problems:
            for line in Text(f"⚠ {problem.reason}", style=palette.warning).wrap(console, self._measure):
                self._add_line(text_segments(line, console))
        if article.problems:
            self._add_line([])
        self._next_block = skip_title_block(article)
        if self._next_block and isinstance(article.blocks[0], Heading):
            self._section_lines.append((0, article.blocks[0].section_id))

        height = self.scrollable_content_region.height
        if self._pending is not None:
            section_id, scroll_y = self._pending
            section = article.section(section_id) if section_id else None
            if section is not None and (article.complete or section.block < len(article.blocks)):
                self._pending = None
                self._render_until(block=section.block)
                line = self.section_line(section.id)
                target = float(line if line is not None else 0) + max(0.0, scroll_y or 0.0)
            else:
                if article.complete or not section_id:
                    self._pending = None
                target = float(scroll_y or 0)
            self._render_until(line=int(target) + 2 * height)
            self._resize_virtual()
            self.scroll_to(y=target, animate=False, immediate=True, force=True)
        elif anchor is not None:
            block, fraction = anchor
            self._render_until(block=block + 1)
            start = self._block_lines[block]
            end = self._block_end(block)
            target = start + fraction * max(0, end - start)
            self._render_until(line=int(target) + 2 * height)
            self._resize_virtual()
            self.scroll_to(y=target, animate=False, immediate=True, force=True)
        else:
            self._render_until(line=2 * height)
            self._resize_virtual()
        self.refresh()
        self._update_section()
        if self._find_needles:
            self._find_sync()
        if not self._done and article.complete:
            # (a preview is about to be replaced: leave the CPU to the parse of the whole file)
            self.set_timer(0.02, partial(self._background, self._generation))

    def _add_line(self, segments: list[Segment]) -> None:
        number = len(self._lines)
        for segment in segments:
            meta = segment.style.meta if segment.style is not None else None
            if meta and "ref" in meta:
                ref = meta["ref"]
                while len(self._ref_lines) <= ref:
                    self._ref_lines.append(number)
        self._lines.append(segments)

    def _render_next(self) -> None:
        """Render one more block (or finish)."""
        article = self.article
        if article is None:  # nothing to show (an empty content folder)
            self._done = True
            return
        if self._next_block >= len(article.blocks):
            if not article.blocks and not article.problems and not self._done:
                message = "This article is empty." if article.complete else "Loading…"
                style = self.app.palette.muted  # type: ignore[attr-defined]
                self._add_line(text_segments(Text(message, style=style), self.app.console))
            self._done = True
            return
        index = self._next_block
        block = article.blocks[index]
        if self._lines and isinstance(block, Heading) and block.level <= 2:
            self._add_line([])
        if self._lines:
            self._add_line([])
        self._block_lines[index] = len(self._lines)
        if isinstance(block, Heading):
            self._section_lines.append((len(self._lines), block.section_id))
        if self._pen is None:
            self._pen = Pen(
                self.app.console,
                self.app.palette,  # type: ignore[attr-defined]
                self._refs,
                resolves=self.resolves,
            )
        for line in render_block(block, self._measure, self._pen):
            self._add_line(line)
        self._next_block += 1

    def _render_until(self, *, line: int | None = None, block: int | None = None) -> None:
        """Render blocks until `line` exists, or `block` is rendered (or everything is)."""
        while not self._done:
            if line is not None and len(self._lines) > line:
                return
            if block is not None and self._next_block > block:
                return
            self._render_next()

    def _render_all(self) -> None:
        if not self._done:
            self._render_until()
            self._resize_virtual()

    def _background(self, generation: int) -> None:
        """Render a slice of the rest (about 15 ms), then let the user in before the next slice."""
        if generation != self._generation or self._done:
            return
        deadline = monotonic() + 0.015
        while not self._done and monotonic() < deadline:
            self._render_next()
        self._resize_virtual()
        if self._find_needles:
            self._find_sync()
        if not self._done:
            self.set_timer(0.005, partial(self._background, generation))

    def _resize_virtual(self) -> None:
        """Virtual height: the lines so far, an estimate for the rest, and room to read the end at the top."""
        article = self.article
        estimate = 0
        if article is not None and not self._done:
            rendered = max(1, self._next_block)
            estimate = int(len(self._lines) / rendered * (len(article.blocks) - self._next_block))
        tail = max(0, self.scrollable_content_region.height - 3)
        self.virtual_size = Size(self._laid_out_width, len(self._lines) + estimate + tail)

    def _block_end(self, block: int) -> int:
        for later in range(block + 1, len(self._block_lines)):
            if self._block_lines[later] >= 0:
                return self._block_lines[later]
        return len(self._lines)

    def _anchor(self) -> tuple[int, float] | None:
        """The block at the top of the pane and how far into it, to keep the place across a resize."""
        if not self._laid_out_width:
            return None
        y = int(self.scroll_offset.y)
        block = None
        for index, line in enumerate(self._block_lines):
            if 0 <= line <= y:
                block = index
            elif line > y:
                break
        if block is None:
            return None
        start = self._block_lines[block]
        end = self._block_end(block)
        return block, (y - start) / max(1, end - start)

    def restyle(self) -> None:
        """Draw the article again in the theme's new colours, at the same place."""
        if self.article is not None and self._laid_out_width:
            self._layout()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if self.article is not None and (width != self._laid_out_width or self._pending):
            self._layout()
        elif self.article is not None:
            self._resize_virtual()

    # -- drawing --------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines) and not self._done and self._laid_out_width:
            self._render_until(line=index + self.scrollable_content_region.height)
            self.call_later(self._resize_virtual)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        segments = self._lines[index]
        selected = self.selected_ref
        if selected is not None and selected < len(self._ref_lines) and self._is_ref_line(index, selected):
            segments = [
                Segment(s.text, (s.style or Style()) + SELECTED)
                if s.style is not None and s.style.meta.get("ref") == selected
                else s
                for s in segments
            ]
        if self._find_needles:
            segments = self._highlight(index, segments)
        strip = Strip([self._margin, *segments])
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
        # (runs on every scroll step: search the list in place rather than copying it)
        index = bisect_right(self._section_lines, int(y) + 1, key=lambda item: item[0]) - 1
        return self._section_lines[index][1] if index >= 0 else None

    def _update_section(self) -> None:
        section = self.section_at(self.scroll_offset.y)
        if section != self.current_section:
            self.current_section = section
            self.post_message(SectionChanged(section))

    def go_to_section(self, section_id: str) -> bool:
        """Scroll so the section's heading is at the top; False if the article has no such section."""
        article = self.article
        if article is None:
            return False
        section = article.section(section_id) if section_id else None
        if section_id and section is None and article.complete:
            return False
        if not self._laid_out_width or (section is None and section_id):
            self._pending = (section_id, None)  # not laid out yet, or not parsed yet: go there when it is
            return True
        if section is not None:
            self._render_until(block=section.block)
        line = self.section_line(section_id)
        if line is None:
            return False
        self._render_until(line=line + 2 * self.scrollable_content_region.height)
        self._resize_virtual()
        self.scroll_to(y=line, animate=False, immediate=True, force=True)
        return True

    def step_section(self, direction: int) -> None:
        """Jump to the next (1) or previous (-1) section heading."""
        y = int(self.scroll_offset.y)
        if direction > 0:
            target = next((line for line, _ in self._section_lines if line > y + 1), None)
            while target is None and not self._done:
                count = len(self._section_lines)
                while len(self._section_lines) == count and not self._done:
                    self._render_next()
                target = next((line for line, _ in self._section_lines[count:] if line > y + 1), None)
        else:
            target = next((line for line, _ in reversed(self._section_lines) if line < y), 0)
        if target is None:
            self.app.bell()
            return
        self._render_until(line=target + 2 * self.scrollable_content_region.height)
        self._resize_virtual()
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def scroll_to_end_of_text(self) -> None:
        """Bring the last line of the article to the bottom of the pane."""
        self._render_all()
        height = self.scrollable_content_region.height
        target = max(0, self._content_height - height)
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        if self.scroll_offset.y != target:
            # the scroll range grows with the virtual size only at the next refresh: finish the move then
            self.call_after_refresh(self.scroll_to, y=target, animate=False, immediate=True, force=True)

    # -- links and footnote references ----------------------------------------------------------------
    def select_citation(self, number: int) -> bool:
        """Select the first reference to footnote `number` and scroll it into view."""
        checked = 0
        while True:
            for ref in range(checked, len(self._refs_targets)):
                kind, target = self._refs_targets[ref]
                if kind == "note" and target == number:
                    self.selected_ref = ref
                    self._reveal(ref, center=True)
                    return True
            checked = len(self._refs_targets)
            if self._done:
                return False
            self._render_next()

    def _reveal(self, ref: int, center: bool = False) -> None:
        line = self._ref_lines[ref]
        height = self.scrollable_content_region.height
        self._render_until(line=line + height)
        self._resize_virtual()
        top = self.scroll_offset.y
        if center or not (top <= line < top + height):
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True, force=True)

    def action_select_ref(self, direction: int) -> None:
        """Select the next or previous link or footnote reference (starting from what is on screen)."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        self._render_until(line=top + height)
        refs = self._refs_targets
        if direction > 0:
            # the next reference may lie beyond what is rendered yet
            while not self._done and (
                not refs
                or self._ref_lines[-1] < top + height
                or (self.selected_ref is not None and self.selected_ref >= len(refs) - 1)
            ):
                count = len(refs)
                while len(refs) == count and not self._done:
                    self._render_next()
                if len(refs) > count:
                    break
        if not refs:
            self.notify("No links or footnote references in this article.", timeout=3, markup=False)
            return
        current = self.selected_ref
        on_screen = current is not None and top <= self._ref_lines[current] < top + height
        if not on_screen:
            visible = [r for r, line in enumerate(self._ref_lines) if top <= line < top + height]
            if visible:
                choice = visible[0] if direction > 0 else visible[-1]
            elif direction > 0:
                choice = next((r for r, line in enumerate(self._ref_lines) if line >= top), len(refs) - 1)
            else:
                choice = next((r for r in range(len(refs) - 1, -1, -1) if self._ref_lines[r] < top), 0)
        else:
            assert current is not None
            choice = min(max(0, current + direction), len(refs) - 1)
        self.selected_ref = choice
        self._reveal(choice)
        kind, target = refs[choice]
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
        if self.selected_ref is None or self.selected_ref >= len(self._refs_targets):
            return None
        return self._refs_targets[self.selected_ref]

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

    def line_text(self, index: int) -> str:
        """The text of one rendered line (without the margin)."""
        return "".join(s.text for s in self._lines[index]).strip() if index < len(self._lines) else ""

    def screen_text(self) -> str:
        """The text of the lines on screen."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        return "\n".join(self.line_text(i) for i in range(top, min(top + height, len(self._lines))))

    # -- find in the article --------------------------------------------------------------------------
    @property
    def finding(self) -> bool:
        """Words or a phrase are being found, and their matches highlighted."""
        return bool(self._find_needles)

    @property
    def match_count(self) -> int:
        """The matches found so far (all of them once `find_complete`)."""
        return len(self._matches) if self._matches is not None else 0

    @property
    def match_index(self) -> int | None:
        """The current match, from 0 (None before one is chosen, or when there is none)."""
        current = self._find_current
        return current if current is not None and current < self.match_count else None

    @property
    def find_complete(self) -> bool:
        """The whole article has been searched: a long one is rendered in chunks, and searched as it is."""
        article, matches = self.article, self._matches
        return (
            self._done
            and (article is None or article.complete)
            and matches is not None
            and len(matches.text) == len(self._lines)
        )

    def find(self, needles: Sequence[str]) -> None:
        """Highlight where the folded `needles` occur (tui/articles/find.py) and make the first match a
        current one: from the current match if it is on screen (typing on in the find bar), else from the
        top of the pane. No needles: stop finding."""
        origin = None
        current = self.match_index
        if current is not None and self._matches is not None and self._match_on_screen(current):
            origin = self._matches.starts[current]
        self._find_needles = tuple(needle for needle in needles if needle)
        self._matches = None
        self._find_current = None
        self._find_wrapped = False
        self._find_wanted = (origin, 1) if self._find_needles else None
        self.refresh()
        self._find_sync()
        self._find_more()
        self._post_find_status()

    def find_step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) match, from the first or last at either end: from the
        current match if it is on screen, else from the top of the pane (the reader scrolled on)."""
        if not self._find_needles:
            return
        self._find_sync()
        origin = None
        current = self.match_index
        if current is not None and self._matches is not None and self._match_on_screen(current):
            origin = self._matches.starts[current] + (1 if direction > 0 else 0)
        self._find_wanted = (origin, direction)
        self._find_sync()
        self._find_more()

    def clear_find(self) -> None:
        """Stop finding: the highlights go."""
        self._find_needles = ()
        self._matches = None
        self._find_current = self._find_wanted = None
        self._find_wrapped = False
        self.refresh()
        self._post_find_status()

    def highlights(self, line: int) -> list[tuple[int, int, bool]]:
        """The matches on a rendered line: (start, end, current) in characters of `line_text` before it
        is stripped (the text of the line's segments)."""
        if not self._find_needles:
            return []
        self._find_sync(resolve=False)
        matches = self._matches
        if matches is None:
            return []
        return [(start, end, match == self._find_current) for start, end, match in matches.spans(line)]

    def _find_sync(self, resolve: bool = True) -> None:
        """Fold and search the lines rendered since the last call; make a wanted step if it can be."""
        if not self._find_needles or not self._laid_out_width:
            return
        from tui.articles.find import FoldedLines, Matches  # (not at start-up)

        if self._folded is None:
            self._folded = FoldedLines()
        folded = self._folded
        if len(folded) < len(self._lines):
            folded.add("".join(segment.text for segment in line) for line in self._lines[len(folded) :])
        if self._matches is None:
            self._matches = Matches(self._find_needles, folded)
        found = self._matches.update()
        if not resolve:
            return
        if self._find_wanted is not None:
            self._resolve_find()
        if found:
            self.refresh()  # (a match may run on from a line already drawn)
        self._post_find_status()

    def _resolve_find(self) -> None:
        """Make the wanted step when the match it goes to is known (or the whole article has no other)."""
        assert self._find_wanted is not None and self._matches is not None and self._folded is not None
        origin, direction = self._find_wanted
        matches, folded = self._matches, self._folded
        if origin is None:
            top = int(self.scroll_offset.y)
            if top < len(folded):
                origin = folded.starts[top]
            elif self._done:
                origin = folded.end + 1
            else:
                return  # (the top of the pane is not rendered yet)
            self._find_wanted = (origin, direction)
        choice = matches.first_from(origin) if direction > 0 else matches.last_before(origin)
        wrapped = False
        if choice is None:
            if not self.find_complete:
                return  # the next match may be in what is not rendered yet
            wrapped = bool(len(matches)) and origin > 0
            choice = (0 if direction > 0 else len(matches) - 1) if len(matches) else None
        self._find_wanted = None
        self._find_current = choice
        self._find_wrapped = wrapped
        self.refresh()
        if choice is not None:
            self._reveal_match(choice)

    def _find_more(self) -> None:
        """Render ahead (for a while) for a wanted match not found yet; the background rendering, or the
        full parse of a long article, does the rest."""
        if not self._laid_out_width:
            return
        deadline = monotonic() + FIND_BUDGET
        rendered = False
        while self._find_wanted is not None and not self._done and monotonic() < deadline:
            for _ in range(20):
                if self._done:
                    break
                self._render_next()
            rendered = True
            self._find_sync()
        if rendered:
            self._resize_virtual()

    def _match_on_screen(self, match: int) -> bool:
        assert self._matches is not None
        line = self._matches.line_of(match)
        top = int(self.scroll_offset.y)
        return top <= line < top + self.scrollable_content_region.height

    def _reveal_match(self, match: int) -> None:
        """Scroll a match into view, a third of the way down the pane, unless it is in view already."""
        assert self._matches is not None
        line = self._matches.line_of(match)
        height = self.scrollable_content_region.height
        self._render_until(line=line + height)
        self._resize_virtual()
        top = int(self.scroll_offset.y)
        if not top <= line < top + max(1, height - 1):  # (and the line after it: a match may run on)
            target = max(0, line - height // 3)
            self.scroll_to(y=target, animate=False, immediate=True, force=True)
            if self.scroll_offset.y != target:  # the scroll range grows at the next refresh: finish then
                self.call_after_refresh(self.scroll_to, y=target, animate=False, immediate=True, force=True)

    def _post_find_status(self) -> None:
        status = (self.finding, self.match_index, self.match_count, self.find_complete, self._find_wrapped)
        if status != self._find_status:
            self._find_status = status
            self.post_message(FindStatus(*status))

    def _highlight(self, index: int, segments: list[Segment]) -> list[Segment]:
        """A line's segments with its matches in the palette's `match` style, the current one in `current`."""
        if self._folded is None or len(self._folded) <= index:
            self._find_sync(resolve=False)
            self.call_later(self._find_sync)  # then the count, and a wanted match among the new lines
        matches = self._matches
        spans = matches.spans(index) if matches is not None else []
        if not spans:
            return segments
        palette = self._pen.palette if self._pen is not None else self.app.palette  # type: ignore[attr-defined]
        current = palette.current + SELECTED
        return highlighted(
            segments,
            [(start, end, current if n == self._find_current else palette.match) for start, end, n in spans],
        )


def highlighted(segments: list[Segment], spans: list[tuple[int, int, Style]]) -> list[Segment]:
    """`segments` with characters `start`..`end` of their joined text restyled by each span's style."""
    result: list[Segment] = []
    position = 0
    for segment in segments:
        text, style = segment.text, segment.style
        size = len(text)
        at = 0
        for start, end, extra in spans:
            start, end = max(start - position, at), min(end - position, size)
            if end <= start:
                continue
            if start > at:
                result.append(Segment(text[at:start], style))
            result.append(Segment(text[start:end], (style or Style()) + extra))
            at = end
        if at == 0:
            result.append(segment)
        elif at < size:
            result.append(Segment(text[at:], style))
        position += size
    return result
