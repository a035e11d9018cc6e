"""A Textual theme -> the reader's `Palette`, every text colour readable on the backgrounds it meets.

Each role takes its colour from the theme (``$text-primary`` for links, ``$text-accent`` for headings,
``$text-warning`` for bookmarks...). A colour that does not stand out enough from the backgrounds it is
drawn on (the page, the boxes of the modal screens, the code background) is pulled towards white on a
dark theme, or black on a light one, until it does: body text, headings, links and selected rows by at
least 4.5:1 (WCAG AA), secondary text by at least 3:1. So every built-in theme, and any theme a user
registers, reads well, and the colours still look like the theme's. Callouts take their kind's colour
as Obsidian groups them (notes ``$text-primary``, tips ``$text-success``, warnings ``$text-warning``,
dangers ``$text-error``, examples ``$text-secondary``, quotes muted); `==highlight==` is the body text on
the theme's ``$warning`` blended into the page, a marker pen in most themes.

The ANSI themes name the terminal's own colours, which the reader cannot measure: they get the terminal
palette (tui/articles/palette.py), whose colours the user's terminal has already chosen to be readable.
"""

from __future__ import annotations

from rich.style import Style
from textual.color import Color
from textual.theme import Theme

from tui.articles.palette import TERMINAL, Palette

BODY = 4.5
"""Minimum contrast of body text, headings, links and selected rows (WCAG AA)."""
SECONDARY = 3.0
"""Minimum contrast of secondary text: the short answer, hints, counts, notes not cited here."""
MUTED_TARGET = 3.6
"""Secondary text aims a little above its minimum, so blending on odd backgrounds never drops it below."""

_WHITE = Color(255, 255, 255)
_BLACK = Color(0, 0, 0)


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(first: Color, second: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(color: Color, backgrounds: list[Color], ratio: float) -> Color:
    """`color`, or the least change of it towards white or black that reaches `ratio` on every background."""
    if min(contrast(color, bg) for bg in backgrounds) >= ratio:
        return color
    dark = sum(luminance(bg) for bg in backgrounds) / len(backgrounds) < 0.25
    target = _WHITE if dark else _BLACK
    for step in range(1, 41):
        candidate = color.blend(target, step / 40)
        if min(contrast(candidate, bg) for bg in backgrounds) >= ratio:
            return candidate
    return target


def _over(base: Color, color: Color) -> Color:
    """A colour with alpha, as drawn over `base`."""
    return base + color


def _rich(color: Color) -> str:
    return color.hex6


def _palette_for(theme: Theme) -> Palette:
    if theme.name.startswith("ansi"):
        return TERMINAL
    variables = theme.to_color_system().generate()

    def var(name: str, default: str = "") -> Color:
        value = variables.get(name, default)
        try:
            return Color.parse(value)
        except Exception:  # "auto 87%" and the like: fall back to the foreground
            return Color.parse(variables["foreground"])

    background = var("background")
    surface = _over(background, var("surface"))
    page = [background, surface]
    foreground = var("foreground")
    code_bg = surface if contrast(surface, background) > 1.08 else background.blend(foreground, 0.07)

    def text(name: str | Color, ratio: float = BODY, on: list[Color] | None = None) -> str:
        color = name if isinstance(name, Color) else var(name)
        return _rich(readable(_over(background, color), on or page, ratio))

    body = text(foreground)
    muted = text(background.blend(foreground, 0.62), MUTED_TARGET)
    cursor_bg = _over(background, var("block-cursor-background"))
    cursor_fg = max((foreground, background, _WHITE, _BLACK), key=lambda c: contrast(c, cursor_bg))
    blurred_bg = _over(background, var("block-cursor-blurred-background"))
    blurred_fg = readable(foreground, [blurred_bg], BODY)

    def code(name: str | Color, ratio: float = BODY) -> str:
        color = name if isinstance(name, Color) else var(name)
        return _rich(readable(_over(code_bg, color), [code_bg], ratio))

    code_bg_hex = _rich(code_bg)
    # ==highlight==: the theme's warning colour (a marker pen's yellow in most themes) well under the text
    highlight_bg = background.blend(_over(background, var("warning")), 0.35)
    highlight_fg = readable(foreground, [highlight_bg], BODY)

    def token(name: str | Color, **flags: bool) -> Style:
        return Style(color=code(name), **flags)  # type: ignore[arg-type]

    return Palette(
        name=theme.name,
        text=Style(color=body),
        title=Style(color=body, bold=True),
        muted=Style(color=muted),
        heading=Style(color=text("text-accent"), bold=True),
        subheading=Style(color=text("text-primary"), bold=True),
        link=Style(color=text("text-primary"), underline=True),
        note=Style(color=text("text-secondary"), bold=True),
        undefined=Style(color=text("text-error"), bold=True),
        warning=Style(color=text("text-warning")),
        marked=Style(color=text("text-warning"), bold=True),
        liked=Style(color=text("text-error"), bold=True),
        match=Style(color=text("text-accent"), bold=True, underline=True),
        current=Style(color=text("text-primary"), bold=True),
        key=Style(color=text("text-primary"), bold=True),
        rule=Style(color=_rich(background.blend(foreground, 0.35))),
        quote_bar=Style(color=_rich(background.blend(foreground, 0.45))),
        list_marker=Style(color=text("text-primary")),
        code=Style(color=code(foreground), bgcolor=code_bg_hex),
        code_label=Style(color=code(background.blend(foreground, 0.62), MUTED_TARGET), bgcolor=code_bg_hex),
        code_marker=Style(color=code("text-accent", SECONDARY), bgcolor=code_bg_hex),
        cursor=Style(color=_rich(cursor_fg), bgcolor=_rich(cursor_bg)),
        cursor_blurred=Style(color=_rich(blurred_fg), bgcolor=_rich(blurred_bg)),
        highlight=Style(color=_rich(highlight_fg), bgcolor=_rich(highlight_bg)),
        tag=Style(color=text("text-accent")),
        link_unresolved=Style(color=muted, italic=True, underline=True),
        callout_note=Style(color=text("text-primary"), bold=True),
        callout_tip=Style(color=text("text-success"), bold=True),
        callout_warning=Style(color=text("text-warning"), bold=True),
        callout_danger=Style(color=text("text-error"), bold=True),
        callout_example=Style(color=text("text-secondary"), bold=True),
        callout_quote=Style(color=muted, bold=True),
        tokens={
            "Comment": token(background.blend(foreground, 0.7), italic=True),
            "Keyword": token("text-accent"),
            "Keyword.Constant": token("text-success"),
            "Keyword.Namespace": token("text-error"),
            "Keyword.Type": token("text-secondary"),
            "Name.Builtin": token("text-accent"),
            "Name.Function": token("text-primary"),
            "Name.Class": token("text-primary", bold=True),
            "Name.Decorator": token("text-primary", bold=True),
            "Name.Tag": token("text-primary", bold=True),
            "Name.Attribute": token("text-warning"),
            "Name.Constant": token("text-error"),
            "Name.Variable": token("text-secondary"),
            "Literal.String": token("text-success"),
            "Literal.Number": token("text-secondary"),
            "Operator.Word": token("text-error", bold=True),
            "Generic.Heading": token("text-primary", bold=True),
            "Generic.Subheading": token("text-primary"),
            "Generic.Inserted": token("text-success"),
            "Generic.Deleted": token("text-error"),
            "Error": token("text-error"),
        },
    )


_CACHE: dict[tuple[str, int], Palette] = {}


def palette_for(theme: Theme) -> Palette:
    """The palette of a Textual theme (computed once per theme)."""
    key = (theme.name, id(theme))
    palette = _CACHE.get(key)
    if palette is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        palette = _CACHE[key] = _palette_for(theme)
    return palette
