"""SVG snapshots of every view in one dark and one light theme (pytest-textual-snapshot).

A change to how the reader looks fails here until the snapshots are updated, so it is seen in review:
run `pytest tests/test_snapshots.py --snapshot-update`, then look at the changed SVGs under
tests/__snapshots__/ (a failing run writes an HTML report that shows the old and the new side by side).

Everything on screen is fixed: the bundled articles, a fresh data file with one bookmark of a known
date, the local time zone set to UTC, a fixed terminal size.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.store import Store

ARTICLE = "why-does-elon-musk-not-like-openai"
THEMES = ("textual-dark", "solarized-light")
CREATED = "2026-03-04T05:06:00+00:00"


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data file holding one bookmark made at a known time (shown in UTC)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    db = tmp_path / "db.json"
    Store(db).set_bookmark(
        ARTICLE,
        "the-shift-from-nonprofit-to-for-profit",
        True,
        "Why does Elon Musk not like OpenAI?",
        "The shift from nonprofit to for-profit",
    )
    data = json.loads(db.read_text())
    for name, table in data.items():
        if name.startswith("bookmarks/"):
            for doc in table.values():
                doc["created"] = CREATED
    db.write_text(json.dumps(data))
    return db


def until(condition: Callable[[ReaderApp], object]) -> Callable[[Pilot], object]:
    """A run_before that waits (up to 30 s, on a slow machine) until `condition(app)` holds."""

    async def wait(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        deadline = time.monotonic() + 30
        while not condition(app):
            if time.monotonic() > deadline:
                raise AssertionError("the view never got ready for its snapshot")
            await pilot.pause(0.05)
        await pilot.pause()

    return wait


def article_drawn(app: ReaderApp) -> bool:
    return app.reader.is_mounted and app.reader.view.line_text(0) != ""


VIEWS: dict[str, tuple[tuple[str, ...], Callable[[ReaderApp], object]]] = {
    "reading": ((), article_drawn),
    "footnotes": (("f",), lambda app: article_drawn(app) and app.reader.footnotes.display),
    "comparison": (("c",), lambda app: article_drawn(app) and app.reader.comparison.display),
    "bookmarks": (("B",), lambda app: app.screen.query("#bookmarks-box")),
    "search": (("slash", *"lawsuit"), lambda app: getattr(app.screen, "hits", None)),
    "help": (("question_mark",), lambda app: app.screen.query("#help-box")),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_looks_as_reviewed(view: str, theme: str, data_file: Path, snap_compare: Callable) -> None:
    keys, ready = VIEWS[view]
    app = ReaderApp(Library(bundled_content()), data_file, ARTICLE, theme=theme)

    async def run_before(pilot: Pilot) -> None:
        await until(article_drawn)(pilot)
        await pilot.press(*keys)
        await until(ready)(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
