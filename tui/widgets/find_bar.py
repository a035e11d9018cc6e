"""The find bar (`F`): find in the open article, on a line at the foot of the reading column, as in a
browser.

Typing highlights the matches as you go (the reading pane finds them: tui/articles/find.py), and the first
one from where you are reading becomes the current one; enter or ↓ goes to the next, shift+enter or ↑ to
the previous, round from the last to the first. The bar counts them ("3/17", "no matches"). Escape closes
it and leaves the highlights, so `n` and `N` go on from the text; escape there clears them.

The bar posts what the user asked for (`Changed`, `Step`, `Closed`); the reading screen decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import Input, Label, Static

from tui.messages import FindStatus

HINT = "enter ↓ next · ↑ previous · esc close"
"""What the keys of the bar do, shown while nothing is typed."""


def status_text(status: FindStatus | None) -> str:
    """The bar's count: `3/17`, `17 matches`, `no matches`; `+` while a long article is still searched."""
    if status is None or not status.active:
        return HINT
    more = "" if status.complete else "+"
    if status.total == 0:
        return "no matches" if status.complete else "searching…"
    if status.index is None:
        noun = "match" if status.total == 1 and status.complete else "matches"
        return f"{status.total}{more} {noun}"
    wrapped = " · wrapped" if status.wrapped else ""
    return f"{status.index + 1}/{status.total}{more}{wrapped}"


class FindBar(Horizontal):
    """A labelled line to type what to find in the open article, with the count of its matches.

    Hidden until asked for (`open`). Its line is built after the first paint rather than with the screen,
    and is there to take the keys typed right after `F`.
    """

    DEFAULT_CSS = """
    FindBar {
        display: none;
        height: 1;
        background: $panel;
    }
    FindBar > #find-label {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text;
        text-style: bold;
        background: $panel-lighten-1;
    }
    FindBar > #find-input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
        color: $text;
        background: $panel;
    }
    FindBar > #find-status {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close the find bar", show=False),
        Binding("down", "step(1)", "Next match", show=False),
        Binding("up,shift+enter", "step(-1)", "Previous match", show=False),
    ]

    @dataclass
    class Changed(Message):
        """The text to find changed."""

        query: str

    @dataclass
    class Step(Message):
        """Go to the next (1) or previous (-1) match."""

        direction: int

    class Closed(Message):
        """The user closed the bar (the highlights stay)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._field: Input | None = None
        self._mounted: AwaitMount | None = None
        self._status: FindStatus | None = None

    def compose(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_early)

    def _build_early(self) -> None:
        if self.is_attached:  # (not when the app quit before its first paint was over)
            self._build()

    def _build(self) -> tuple[Input, AwaitMount]:
        if self._field is None or self._mounted is None:
            self._field = field = Input(id="find-input", select_on_focus=False)
            status = Static(status_text(self._status), id="find-status", markup=False)
            self._mounted = self.mount_all([Label("Find", id="find-label"), field, status])
        return self._field, self._mounted

    @property
    def typed(self) -> str:
        """What is typed in the bar."""
        return self._field.value if self._field is not None else ""

    @property
    def input(self) -> Input | None:
        """The bar's line, once it is built."""
        return self._field

    def open(self) -> None:
        """Show the bar and put the cursor in it, with what was typed last selected (typing replaces it)."""
        self.display = True
        field, mounted = self._build()

        def ready() -> None:
            field.focus()
            field.select_all()

        if field.is_mounted:
            ready()
            return

        async def when_mounted() -> None:  # (F pressed before the first paint was over)
            await mounted
            ready()

        self.call_later(when_mounted)

    def close(self) -> None:
        """Hide the bar (what was typed stays, for the next time)."""
        self.display = False

    def show_status(self, status: FindStatus) -> None:
        """Show the count of the matches (`status_text`)."""
        self._status = status
        found = self.query("#find-status")
        if found:
            found.first(Static).update(status_text(status))

    @property
    def status(self) -> str:
        """The count as shown."""
        return status_text(self._status)

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(1))

    def action_step(self, direction: int) -> None:
        """↓ / enter: next match; ↑ / shift+enter: previous."""
        self.post_message(self.Step(direction))

    def action_close(self) -> None:
        """escape: close the bar; the highlights stay until escape in the text."""
        self.post_message(self.Closed())
