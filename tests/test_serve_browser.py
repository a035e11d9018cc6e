"""`qa-reader serve` in a real browser: Debian's Chromium driven by Playwright, as a user meets it.

The page draws on a canvas, so the screen is read from the terminal output the server sends the tab over
its websocket (tests/serving.py: a pyte terminal fed with every frame). Keys are pressed in the page as
a user types them. Every wait is on what the screen shows (or on the processes), with a deadline.

A screenshot of the page is saved for review in `.artifacts/serve-page.png` at the top of the checkout
($QA_READER_ARTIFACTS to put it elsewhere).

Skipped, with the reason, only where no Chromium can be had: `.ci/run` installs Debian's `chromium`;
elsewhere, `apt-get install chromium` or point $QA_READER_CHROMIUM at a Chromium or Chrome binary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import Served, Tab, drawn, find_chromium, reader_pids

from tui.articles import bundled_content
from tui.store import Store

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine: `apt-get install chromium` (Debian), or set QA_READER_CHROMIUM "
    "to a Chromium or Chrome binary",
)
ARTIFACTS = Path(
    os.environ.get("QA_READER_ARTIFACTS") or Path(__file__).resolve().parent.parent / ".artifacts"
)
FIRST = "why-does-elon-musk-not-like-openai"
FIRST_TITLE = "Why does Elon Musk not like OpenAI?"
OTHER = "why-did-elon-musk-leave-openai"
OTHER_TITLE = "Why did Elon Musk leave OpenAI?"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright cannot download its own browser here: it drives the system's (executable_path).
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    with Served(bundled_content(), tmp_path / "reader.json", env=env) as server:
        yield server


def _readers_end(served: Served, within: float = 30.0) -> None:
    """Wait until the server runs no tab reader any more (each closed tab's reader has ended)."""
    deadline = time.monotonic() + within
    while reader_pids(served.process.pid):
        assert time.monotonic() < deadline, f"tab readers still running: {reader_pids(served.process.pid)}"
        time.sleep(0.05)  # polling the process table, not waiting for time to pass


def _open(tab: Tab) -> str:
    """The question the reading pane shows (its first line, right of the sidebar)."""
    assert tab.screen is not None
    return tab.screen.screen.display[1][44:].strip()


def test_a_tab_reads_compares_bookmarks_and_likes_and_closing_it_saves_everything(browser, served) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    tab = Tab(context, served.url)
    assert FIRST_TITLE in tab.text and "Questions (7)" in tab.text
    assert _open(tab) == FIRST_TITLE

    tab.press("c", lambda text: "OpenAI vs xAI" in text and "1 of 1" in text, "the comparison view")
    columns = next(line for line in tab.text.splitlines() if "Aspect" in line)
    assert columns.index("Aspect") < columns.index("OpenAI") < columns.index("xAI")
    tab.press("Escape", lambda text: "1 of 1" not in text and "Aspect" not in text, "the text again")

    tab.press("b", lambda text: "★ section bookmarked" in text, "the bookmark")
    tab.press("l", lambda text: "♥ liked" in text and "1 like " in text, "the like")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "serve-page.png"
    tab.page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    tab.close()  # the tab's reader ends, and saves what it holds first
    _readers_end(served)
    store = Store(served.db)
    state = store.article_state(FIRST)
    assert state.liked
    assert len(state.bookmarked) == 1
    assert [bookmark.section_title for bookmark in store.bookmarks()] == [
        "The shift from nonprofit to for-profit"
    ]
    assert state.position is not None
    assert store.last_article() == FIRST
    context.close()


def test_two_tabs_at_once_on_one_data_file_lose_nothing(browser, served) -> None:
    first = Tab(browser.new_context(viewport=VIEWPORT), served.url)
    second = Tab(browser.new_context(viewport=VIEWPORT), served.url)
    # the second tab opens another question through search
    second.press("/", lambda text: "Search" in text, "the search screen")
    second.type("leave")  # and enter at once: the first hit opens when it arrives
    second.press("Enter", lambda text: _open(second) == OTHER_TITLE, "the other question")

    # keys in both tabs, without waiting in between: two readers writing one file at once
    for tab, key in ((first, "b"), (second, "b"), (first, "l"), (second, "l")):
        tab.page.keyboard.press(key)
    for tab in (first, second):
        tab.wait_for(lambda text: "♥ liked" in text and "★ section bookmarked" in text, "bookmark and like")

    first.close()
    second.close()
    _readers_end(served)
    store = Store(served.db)
    for article in (FIRST, OTHER):
        state = store.article_state(article)
        assert state.liked, article
        assert len(state.bookmarked) == 1, article
        assert state.position is not None, article
    # both tabs opened the first question at start, the second tab then the other one: no view was lost
    assert store.article_state(FIRST).views == 2
    assert store.article_state(OTHER).views == 1
    assert drawn(first.text) and drawn(second.text)


def test_a_reader_that_cannot_start_says_why_in_the_page(browser, tmp_path: Path) -> None:
    content = tmp_path / "articles"
    content.mkdir()
    (content / "a.md").write_text("# A\n\nText.\n")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    with Served(content, tmp_path / "reader.json", env=env) as served:
        (content / "a.md").unlink()
        content.rmdir()
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(served.url)
        page.wait_for_selector("body.-closed", state="attached", timeout=30_000)
        assert page.locator("#closed-head").text_content() == "The reader could not go on."
        assert (
            page.locator("#closed-line").text_content() == f"qa-reader: {content}: not a folder of articles"
        )
        assert page.locator(".closed-dialog").is_visible()
        page.close()
