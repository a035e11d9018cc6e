"""Search benchmark: prints figures, asserts nothing. Run: python tests/bench_search.py [--count N]

On a generated folder of N (default 10,000) articles of about 1 KB each, in platform sub-folders:
time to scan and index, time per query, memory of the index, and time from the last keystroke to the
first hit on screen in the reader (driven by Textual's Pilot, the index already built).
Targets: a query under 50 ms; the first hit on screen under 1 s after typing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from corpus import make_folder  # noqa: E402

from tui.articles import Library  # noqa: E402
from tui.articles.search import SearchIndex  # noqa: E402

QUERIES = [
    "grok",
    "apache license",
    "café",
    "kernel socket memory",
    "number 9999",
    "zzzz",
    "open source model",
]


def measure_index(root: Path) -> SearchIndex:
    started = time.perf_counter()
    library = Library(root)
    library.scan()
    scanned = time.perf_counter()
    index = SearchIndex.build(library)
    built = time.perf_counter()
    print(f"{'scan (cheap index)':<34}{(scanned - started) * 1000:10.0f} ms")
    print(f"{'build search index':<34}{(built - scanned) * 1000:10.0f} ms")
    # Memory on a second build, so tracemalloc's overhead does not distort the timings above.
    del index, library
    gc.collect()
    tracemalloc.start()
    library = Library(root)
    library.scan()
    index = SearchIndex.build(library)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{'memory held (library + index)':<34}{current / 2**20:10.1f} MB   (peak while building {peak / 2**20:.1f} MB)"
    )
    return index


def measure_queries(index: SearchIndex) -> None:
    for query in QUERIES:
        times = []
        hits = []
        for _ in range(7):
            started = time.perf_counter()
            hits = index.search(query)
            times.append(time.perf_counter() - started)
        print(f"{'query ' + repr(query):<34}{statistics.median(times) * 1000:10.1f} ms   {len(hits)} hits")


async def measure_first_hit(root: Path) -> None:
    from tui.app import ReaderApp
    from tui.screens.search import SearchScreen

    with tempfile.TemporaryDirectory() as data:
        app = ReaderApp(Library(root), Path(data) / "reader.json")
        async with app.run_test(size=(120, 40)) as pilot:
            while app.reader.search_index is None:
                await pilot.pause(0.05)
            times = []
            for query in ("grok", "apache license", "kernel"):
                await pilot.press("slash")
                await pilot.press(*query[:-1])
                started = time.perf_counter()
                await pilot.press(query[-1])
                screen = app.screen
                assert isinstance(screen, SearchScreen)
                while not screen.hits:
                    await pilot.pause(0.001)
                await pilot.pause()  # one refresh: the hit list is painted
                times.append(time.perf_counter() - started)
                await pilot.press("escape")
            print(
                f"{'last key -> first hit painted':<34}{statistics.median(times) * 1000:10.0f} ms   (Pilot, median of 3)"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_folder(Path(tmp) / "corpus", args.count)
        size = sum(path.stat().st_size for path in root.rglob("*.md"))
        print(f"{args.count} articles, {size / 2**20:.1f} MB")
        index = measure_index(root)
        measure_queries(index)
        asyncio.run(measure_first_hit(root))


if __name__ == "__main__":
    main()
