"""Every view is readable in every built-in theme: the contrast of the cells actually drawn.

One reader on the bundled articles plus an article with code, a quote and a table, and one with what
note vaults hold (callouts of every colour, tasks, a highlight, a tag, an unresolved link), shows each view
(reading with the sidebar, the sidebar focused, footnotes, comparison, bookmarks, search, help, the two
articles) in every theme in turn. Each time the whole screen is rendered through Textual's compositor and
every drawn character is checked against the background it is drawn on (WCAG contrast):

- secondary text (the palette's muted roles, the footer's key hints, a box's bottom-border hint) at
  least 3:1;
- everything else, body text, headings, links, titles and selected rows included, at least 4.5:1.

Spaces, box-drawing and block characters are lines, not text, and are not measured. The two ANSI themes
are left out: their colours are the terminal's own, which no program can measure.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.style import Style
from textual.color import Color
from textual.geometry import Region
from textual.theme import BUILTIN_THEMES
from textual.widgets import Footer

from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.theme import SECONDARY, contrast

if TYPE_CHECKING:
    from conftest import WaitFor

THEMES = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi"))
BODY = 4.5

CODE_ARTICLE = """---
title: How do I read code here?
summary: Code blocks are highlighted by language.
---

# How do I read code here?

Run `qa-reader --theme nord` to try a theme.[^1]

```python
def greet(name: str) -> str:
    # a comment that is long enough to be cut somewhere on a narrow screen, at a space or a token
    return f"Hello, {name}!" + str(42)
```

> A quote with `code` and a [link](https://example.com).
>
> ```sh
> echo "quoted code is not italic"
> ```

| Theme | Kind |
| ----- | ---- |
| nord  | dark |

[^1]: A note.
"""


VAULT_ARTICLE = """---
title: How does a vault page read?
---

# How does a vault page read?

> [!note] A note with [[Nowhere|an unresolved link]]
> Body text, ==highlighted== and #tagged.

> [!tip]+ A tip

> [!warning]- A warning

> [!danger] Danger

> [!example] An example

> [!quote] A quote

- [ ] open task
- [x] done task with [[How do I read code here?|a link]]

An image ![[photo.png]] and https://example.com.
"""


def _rgb(color: object) -> Color | None:
    if color is None:
        return None
    triplet = color.get_truecolor()  # type: ignore[attr-defined]
    return Color(triplet.red, triplet.green, triplet.blue)


def drawn_cells(app: ReaderApp) -> list[tuple[int, int, str, Style]]:
    """(x, y, character, style) of every cell on screen, modal screens over what is under them."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    cells = []
    for y, row in enumerate(update.strips):  # type: ignore[union-attr]
        x = 0
        for strip in row:
            for segment in strip:
                for char in segment.text:
                    cells.append((x, y, char, segment.style or Style()))
                    x += 1
    return cells


def _secondary_colours(app: ReaderApp) -> set[str]:
    palette = app.palette
    return {
        style.color.get_truecolor().hex.upper()
        for style in (palette.muted, palette.code_label, palette.code_marker)
        if style.color is not None
    }


def low_contrast(app: ReaderApp, region: Region | None = None) -> list[str]:
    """Descriptions of the drawn characters below their minimum contrast (in `region`, or anywhere)."""
    secondary = _secondary_colours(app)
    screen = app.screen
    footers = [footer.region for footer in screen.query(Footer)]
    hints = [
        Region(box.region.x, box.region.bottom - 1, box.region.width, 1)
        for box in screen.query("#bookmarks-box, #search-box, #help-box, #sidebar, #footnotes")
    ]
    # (fg, bg, ratio, fg is a secondary colour) of each style drawn, worked out once per style
    measured: dict[Style, tuple[Color, Color, float, bool] | None] = {}
    problems: dict[tuple[str, str, float], list[str]] = {}
    for x, y, char, style in drawn_cells(app):
        if char.isspace() or 0x2500 <= ord(char) <= 0x259F:
            continue
        if region is not None and not region.contains(x, y):
            continue
        if style in measured:
            colours = measured[style]
        else:
            fg, bg = _rgb(style.color), _rgb(style.bgcolor)
            if style.reverse:
                fg, bg = bg, fg
            if fg is None or bg is None:
                colours = None
            else:
                if style.dim:
                    fg = bg.blend(fg, 0.5)
                colours = (fg, bg, contrast(fg, bg), fg.hex.upper() in secondary)
            measured[style] = colours
        if colours is None:
            problems.setdefault(("default colour", "", 0.0), []).append(char)
            continue
        fg, bg, ratio, is_secondary = colours
        if ratio >= BODY:
            continue
        minimum = BODY
        if (
            is_secondary
            or any(footer.contains(x, y) for footer in footers)
            or any(hint.contains(x, y) for hint in hints)
        ):
            minimum = SECONDARY
        if ratio < minimum:
            problems.setdefault((fg.hex, bg.hex, round(ratio, 2)), []).append(char)
    return [
        f"{''.join(chars)[:40]!r}: {fg} on {bg} is {ratio}:1" for (fg, bg, ratio), chars in problems.items()
    ]


@pytest.fixture(scope="module")
def themed_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    for path in bundled_content().glob("*.md"):
        shutil.copy(path, folder / path.name)
    (folder / "how-do-i-read-code-here.md").write_text(CODE_ARTICLE, encoding="utf-8")
    (folder / "how-does-a-vault-page-read.md").write_text(VAULT_ARTICLE, encoding="utf-8")
    return folder


VIEWS = (
    "reading",
    "sidebar focused",
    "footnotes",
    "comparison",
    "bookmarks",
    "search",
    "help",
    "code",
    "vault page",
)


async def test_every_view_is_readable_in_every_theme(
    themed_content: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    """Every view in every theme, drawn by one reader: it goes through the views once, and in each view it
    puts on every theme in turn and checks the screen (a reader per theme took the same walk 19 times).

    When the theme changes the reader draws again what is on screen: the same cells that a reader started
    in that theme draws. What is drawn only once is made again in each theme: the help box is composed
    again and the search is run again (its status line is drawn when a search ends).
    """
    app = ReaderApp(
        Library(themed_content), tmp_path / "db.json", "why-does-elon-musk-not-like-openai", theme=THEMES[0]
    )
    failures: dict[tuple[str, str], list[str]] = {}
    checked: set[tuple[str, str]] = set()

    async with app.run_test(size=(140, 40)) as pilot:
        reader = app.reader

        def redrawn(theme: str) -> bool:
            """The theme's CSS is applied and the article (when shown) laid out again in its palette."""
            return (
                app.theme == theme
                and reader.styles.background.hex == app.get_css_variables()["background"]
                and (not reader.view.display or reader.view._pen.palette == app.palette)
            )

        async def in_every_theme(
            view: str, box: str = "", again: Callable[[], Awaitable[object]] | None = None
        ) -> None:
            """Check `view` (only `box` in it, if given) in each theme, after `again()` if given."""
            for theme in THEMES:
                app.theme = theme
                await wait_for(pilot, partial(redrawn, theme), what=f"the reader redrawn in {theme}")
                if again is not None:
                    await again()
                region = app.screen.query_one(box).region if box else None
                assert region is None or region.area, f"{theme}, {view}: {box} is not on screen"
                checked.add((theme, view))
                found = low_contrast(app, region)
                if found:
                    failures[(theme, view)] = found

        async def search_again() -> None:
            before = app.screen.hits
            await pilot.press("backspace", "k")
            await wait_for(
                pilot,
                lambda: (
                    app.screen.hits is not before and app.screen.shown_query == "musk" and app.screen.hits
                ),
                what="the search run again",
            )

        async def compose_again() -> None:
            before = app.screen.query_one("#help-box")
            await app.screen.recompose()
            await wait_for(
                pilot,
                lambda: (
                    (box := app.screen.query("#help-box"))
                    and box.first() is not before
                    and box.first().region.area
                ),
                what="the help box composed again",
            )

        await wait_for(pilot, lambda: reader.view.line_text(0) != "", what="the article")
        assert app.theme == THEMES[0]
        await pilot.press("b")  # a bookmark, for the header's ★ and the bookmarks screen
        await wait_for(pilot, lambda: reader.shown.bookmarked, what="the bookmark")
        await in_every_theme("reading")
        reader.sidebar.focus()
        await pilot.pause()
        await in_every_theme("sidebar focused")
        reader.view.focus()
        await pilot.press("f")
        await wait_for(pilot, lambda: reader.footnotes.display, what="the footnote panel")
        await in_every_theme("footnotes")
        await pilot.press("f", "c")
        await wait_for(pilot, lambda: reader.comparison.display, what="the comparison")
        await in_every_theme("comparison")
        await pilot.press("c", "B")
        await wait_for(pilot, lambda: app.screen.query("#bookmarks-box"), what="the bookmarks screen")
        await in_every_theme("bookmarks", "#bookmarks-box")
        await pilot.press("escape", "slash", *"musk")
        await wait_for(
            pilot,
            lambda: getattr(app.screen, "shown_query", None) == "musk" and app.screen.hits,
            what="search hits",
        )
        await in_every_theme("search", "#search-box", search_again)
        await pilot.press("escape", "question_mark")
        await wait_for(pilot, lambda: app.screen.query("#help-box"), what="the help screen")
        await in_every_theme("help", "#help-box", compose_again)
        await pilot.press("escape")
        reader.open_article("how-do-i-read-code-here")
        await wait_for(pilot, lambda: "greet" in reader.view.screen_text(), what="the code article")
        await in_every_theme("code")
        reader.open_article("how-does-a-vault-page-read")
        await wait_for(pilot, lambda: "open task" in reader.view.screen_text(), what="the vault page")
        await in_every_theme("vault page")
    assert checked == {(theme, view) for theme in THEMES for view in VIEWS}
    assert not failures, "\n".join(
        f"{theme}, {view}: {'; '.join(found)}" for (theme, view), found in failures.items()
    )
