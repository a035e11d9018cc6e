"""Benchmark: `qa-reader serve` in Debian's Chromium: page open to first screen, and key to repaint.

    python tests/bench_serve.py [--runs 5] [--keys 20]

Starts `qa-reader serve` on a free loopback port with a temporary data file (bundled articles), and:
- **first screen**: opens the page in a new browser tab `--runs` times; each time, the seconds from asking
  for the page to the reader's whole first screen (sidebar, counts line and footer) arriving in the tab;
- **key to repaint**: in one tab, presses `j` and `k` in turn (`--keys` presses: the sidebar's choice
  moves) and `c` (comparison view on, then off), each time the seconds from the key to the changed
  screen arriving in the tab.

The screen is read as the tests read it (tests/serving.py): the terminal output the server sends over the
tab's websocket, through a terminal emulator. Prints medians, minimum and maximum.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import Served, Tab, find_chromium  # noqa: E402

from tui.articles import bundled_content  # noqa: E402


def _figures(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{name:<34} median {statistics.median(ms):7.0f} ms   min {min(ms):6.0f}   max {max(ms):6.0f}"
        f"   ({len(ms)} times)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=20)
    options = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium here: apt-get install chromium, or set QA_READER_CHROMIUM", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        env = {"XDG_CACHE_HOME": str(base / "cache"), "XDG_DATA_HOME": str(base / "data")}
        with Served(bundled_content(), base / "reader.json", env=env) as served, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            Tab(context, served.url).close()  # a first tab warms the server, the browser and the caches
            first = []
            for _ in range(options.runs):
                tab = Tab(context, served.url)
                first.append(tab.first_screen)
                tab.close()
            tab = Tab(context, served.url)
            moves, compare = [], []
            for number in range(options.keys):
                before = tab.text
                moves.append(
                    tab.press("j" if number % 2 == 0 else "k", lambda text, before=before: text != before)
                )
            for _ in range(max(1, options.keys // 4)):
                compare.append(tab.press("c", lambda text: "1 of 1" in text))
                compare.append(tab.press("c", lambda text: "1 of 1" not in text))
            tab.close()
            browser.close()
    print(f"qa-reader serve in {chromium}, 1280x800 page, bundled articles")
    _figures("page open to first screen", first)
    _figures("key to repaint: j / k (sidebar)", moves)
    _figures("key to repaint: c (comparison)", compare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
