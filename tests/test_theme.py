"""Themes: chosen with --theme or from the command palette, remembered in the data file, and every
colour the reader draws taken from the theme in use (and redrawn when it changes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.theme import BUILTIN_THEMES

from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.store import Store
from tui.theme import BODY, SECONDARY, contrast, palette_for, readable

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor

ARTICLE = "why-does-elon-musk-not-like-openai"


def saved_theme(db: Path) -> str | None:
    if not db.exists():
        return None
    state = json.loads(db.read_text()).get("state", {})
    return next((doc.get("theme") for doc in state.values()), None)


def body_colour(app: ReaderApp) -> str | None:
    """The colour of the first plain word of body text in the reading pane."""
    view = app.reader.view
    for line in view._lines:
        for segment in line:
            style = segment.style
            if segment.text[:1].isalpha() and style is not None and not style.bold and not style.meta:
                return style.color.name if style.color else None
    return None


async def test_a_theme_chosen_in_the_command_palette_is_kept_for_the_next_start(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    db = tmp_path / "db.json"
    app = ReaderApp(Library(bundled_content()), db, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.view.line_text(0) != "", what="the article")
        dark_body = body_colour(app)
        await pilot.press("ctrl+p", *"theme")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette", what="the palette")
        await pilot.press("enter")
        await pilot.press(*"solarized-light", "enter")
        await wait_for(pilot, lambda: app.theme == "solarized-light", what="the theme to change")
        # the article is drawn again in the new theme's colours
        light = palette_for(app.current_theme)
        await wait_for(pilot, lambda: body_colour(app) == light.text.color.name, what="the article restyled")
        assert body_colour(app) != dark_body
        await wait_for(pilot, lambda: saved_theme(db) == "solarized-light", what="the theme saved")
    again = ReaderApp(Library(bundled_content()), db, ARTICLE)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: again.reader.view.line_text(0) != "", what="the article")
        assert again.theme == "solarized-light"
        assert body_colour(again) == light.text.color.name


async def test_the_theme_option_is_used_and_remembered(tmp_path: Path, wait_for: WaitFor) -> None:
    db = tmp_path / "db.json"
    Store(db).set_theme("nord")
    app = ReaderApp(Library(bundled_content()), db, ARTICLE, theme="gruvbox")
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == "gruvbox"
        await wait_for(pilot, lambda: saved_theme(db) == "gruvbox", what="the theme saved")


async def test_a_saved_theme_this_textual_lacks_is_told_and_left_in_the_file(
    tmp_path: Path, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    db = tmp_path / "db.json"
    Store(db).set_theme("from-a-newer-release")
    app = ReaderApp(Library(bundled_content()), db, ARTICLE)
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot, lambda: any("from-a-newer-release" in n.message for n in notices), what="notice"
        )
        assert app.theme == "textual-dark"
        app.reader.save_place()
        await app.session.finish(10)
    assert saved_theme(db) == "from-a-newer-release"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=120)


def test_an_unknown_theme_name_is_an_error_that_lists_the_themes(tmp_path: Path) -> None:
    result = _cli("--theme", "no-such-theme", "--db", str(tmp_path / "db.json"))
    assert result.returncode == 2
    assert "no theme 'no-such-theme'" in result.stderr and "solarized-light" in result.stderr
    assert not (tmp_path / "db.json").exists()
    listed = _cli("--theme", "list")
    assert listed.returncode == 0
    assert set(listed.stdout.split()) == set(BUILTIN_THEMES)


@pytest.mark.parametrize("name", sorted(n for n in BUILTIN_THEMES if not n.startswith("ansi")))
def test_every_palette_role_reads_on_the_page_and_in_boxes(name: str) -> None:
    from textual.color import Color

    theme = BUILTIN_THEMES[name]
    palette = palette_for(theme)
    variables = theme.to_color_system().generate()
    background = Color.parse(variables["background"])
    surface = background + Color.parse(variables["surface"])
    secondary = {"muted"}
    for role in ("text", "title", "muted", "heading", "subheading", "link", "note", "undefined", "warning"):
        colour = getattr(palette, role).color.get_truecolor()
        fg = Color(colour.red, colour.green, colour.blue)
        minimum = SECONDARY if role in secondary else BODY
        assert min(contrast(fg, background), contrast(fg, surface)) >= minimum, role
    for style in (palette.cursor, palette.cursor_blurred, palette.code, *palette.tokens.values()):
        fg, bg = style.color.get_truecolor(), (style.bgcolor or palette.code.bgcolor).get_truecolor()
        assert contrast(Color(*fg), Color(*bg)) >= BODY


def test_readable_moves_a_colour_only_as_far_as_it_must() -> None:
    from textual.color import Color

    white, grey = Color(255, 255, 255), Color(200, 200, 200)
    assert readable(Color(0, 0, 0), [white], BODY) == Color(0, 0, 0)  # already readable: unchanged
    moved = readable(grey, [white], BODY)
    assert contrast(moved, white) >= BODY
    assert contrast(readable(grey, [white], BODY - 0.5), white) < contrast(moved, white)
