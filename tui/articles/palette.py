"""The styles every view draws with, by role ("heading", "link", "muted"...), as one `Palette`.

Renderers never name a colour: they ask the palette for a role. The reader builds its palette from the
Textual theme in use (tui/theme.py, with every colour checked for contrast against the backgrounds it is
drawn on); `qa-reader show` uses `TERMINAL`, which names only the terminal's own sixteen colours, so
printed output follows whatever colours the user's terminal has.

No Textual import here: the articles package stays usable without the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from rich.style import Style


@dataclass(frozen=True)
class Palette:
    """Rich styles by role. `tokens` maps a Pygments token type's name (``Keyword``, ``Literal.String``,
    ...) to the style of code of that kind; a token looks up its own name, then its parents'."""

    name: str
    text: Style
    """Body text."""
    title: Style
    """Question titles (header, search hits, bookmarks)."""
    muted: Style
    """Secondary text: short answer, stats, hints, sections in lists, notes not cited here."""
    heading: Style
    subheading: Style
    link: Style
    note: Style
    """Footnote references and numbers."""
    undefined: Style
    """A reference to a footnote the article does not define."""
    warning: Style
    marked: Style
    """★ bookmarks."""
    liked: Style
    """♥ liked."""
    match: Style
    """Words matching a search or a filter."""
    current: Style
    """The open question and the section being read, in the sidebar."""
    key: Style
    """Key names on the help screen."""
    rule: Style
    """Rules and table borders (not text)."""
    quote_bar: Style
    list_marker: Style
    code: Style
    """Code: its text colour on the code background (spans and blocks)."""
    code_label: Style
    """The language name over a code block, on the code background."""
    code_marker: Style
    """The mark where a long code line continues on the next row, on the code background."""
    cursor: Style
    """The cursor row of a focused list: one colour over the whole row."""
    cursor_blurred: Style
    """The cursor row of a list without focus."""
    highlight: Style
    """`==highlighted==` text: a marker pen's colour behind the text."""
    tag: Style
    """`#tags` in the text."""
    link_unresolved: Style
    """A wikilink to a page (or section) the folder does not have."""
    callout_note: Style
    """Callouts (`> [!kind]`), by kind as Obsidian groups them: the bar, the icon and the title. Note,
    abstract, info, todo and unknown kinds."""
    callout_tip: Style
    """Tip, success, question."""
    callout_warning: Style
    """Warning, caution, attention."""
    callout_danger: Style
    """Failure, danger, bug, error."""
    callout_example: Style
    """Example."""
    callout_quote: Style
    """Quote, cite."""
    tokens: dict[str, Style] = field(default_factory=dict)

    def on_cursor(self, focused: bool = True) -> Palette:
        """This palette for text on a cursor row: every role in the cursor's own colour (bold, italic,
        underline kept), so a selected row reads as well as any other."""
        cursor = self.cursor if focused else self.cursor_blurred
        over = Style(color=cursor.color, bgcolor=cursor.bgcolor)
        changes = {
            f.name: getattr(self, f.name) + over
            for f in fields(self)
            if isinstance(getattr(self, f.name), Style) and f.name not in ("cursor", "cursor_blurred")
        }
        return replace(self, **changes)

    def token(self, token_type: tuple[str, ...]) -> Style:
        """The style of a Pygments token type (by its most specific name that has one)."""
        parts = list(token_type)
        while parts:
            style = self.tokens.get(".".join(parts))
            if style is not None:
                return style
            parts.pop()
        return self.code


def _terminal() -> Palette:
    code = Style(color="default")
    return Palette(
        name="terminal",
        text=Style(),
        title=Style(bold=True),
        muted=Style(dim=True),
        heading=Style(bold=True, color="yellow"),
        subheading=Style(bold=True, color="cyan"),
        link=Style(color="blue", underline=True),
        note=Style(bold=True, color="magenta"),
        undefined=Style(bold=True, color="red"),
        warning=Style(color="yellow"),
        marked=Style(bold=True, color="yellow"),
        liked=Style(bold=True, color="red"),
        match=Style(bold=True, underline=True),
        current=Style(bold=True, color="blue"),
        key=Style(bold=True, color="blue"),
        rule=Style(dim=True),
        quote_bar=Style(dim=True),
        list_marker=Style(color="cyan"),
        code=code,
        code_label=Style(dim=True),
        code_marker=Style(dim=True),
        cursor=Style(reverse=True),
        cursor_blurred=Style(underline=True),
        highlight=Style(color="black", bgcolor="yellow"),
        tag=Style(color="cyan"),
        link_unresolved=Style(dim=True, italic=True, underline=True),
        callout_note=Style(bold=True, color="blue"),
        callout_tip=Style(bold=True, color="green"),
        callout_warning=Style(bold=True, color="yellow"),
        callout_danger=Style(bold=True, color="red"),
        callout_example=Style(bold=True, color="magenta"),
        callout_quote=Style(bold=True, dim=True),
        tokens={
            "Comment": Style(dim=True, italic=True),
            "Keyword": Style(color="magenta"),
            "Keyword.Constant": Style(color="cyan"),
            "Keyword.Type": Style(color="cyan"),
            "Name.Builtin": Style(color="cyan"),
            "Name.Function": Style(color="blue"),
            "Name.Class": Style(bold=True, color="yellow"),
            "Name.Decorator": Style(color="blue"),
            "Name.Tag": Style(color="blue"),
            "Name.Attribute": Style(color="yellow"),
            "Literal.String": Style(color="green"),
            "Literal.Number": Style(color="yellow"),
            "Operator.Word": Style(color="magenta"),
            "Generic.Heading": Style(bold=True, color="blue"),
            "Generic.Inserted": Style(color="green"),
            "Generic.Deleted": Style(color="red"),
            "Error": Style(color="red"),
        },
    )


TERMINAL = _terminal()
"""The terminal's own colours: for `qa-reader show` and the ANSI themes."""
