"""Timing of Store operations with many bookmarks already stored.

Run with ``python tests/bench_store.py`` (from anywhere).  Not a pytest
test: nothing here is named ``test_*``.

For 1,000 and 10,000 stored bookmarks (spread over 200 articles) it prints
the median time in ms of:

* ``open``: ``Store(path)`` - reads and checks every table once;
* ``toggle``: one bookmark toggle (``set_bookmark``, alternately adding and
  removing one bookmark in an article that already has its share);
* ``view``: one view increment;
* ``toggle*`` / ``view*``: the same, when another ``Store`` on the file
  (standing in for a second process) wrote just before, so nothing of the
  previous state can be reused;
* ``list``: ``bookmarks()`` of all articles (a read).

Every timed write is complete when it returns: lock, read, modify, write to a
temp file, fsync, ``os.replace``, fsync of the folder.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.store import SCHEMA_VERSION, Store  # noqa: E402

TARGET_MS = 20.0


def seed(path: Path, n_bookmarks: int, n_articles: int = 200) -> None:
    """Write a data file with ``n_bookmarks`` bookmarks directly (no API calls).

    The bookmarks are spread over ``n_articles`` articles, one table each, as
    the Store keeps them; the file is compact one-line JSON, which the Store
    parses in full once and then rewrites in its one-table-per-line layout.
    """
    start = datetime(2026, 1, 1, tzinfo=UTC)
    data: dict[str, dict[str, dict[str, object]]] = {
        "meta": {"1": {"schema": SCHEMA_VERSION}},
        "state": {"1": {"last_article": "article-0000"}},
        "articles": {
            str(i): {
                "article_id": f"article-{i - 1:04d}",
                "views": i,
                "liked": i % 2 == 0,
                "position": {"section_id": "section-00001", "scroll_y": 10.0 * i},
            }
            for i in range(1, n_articles + 1)
        },
    }
    for i in range(n_bookmarks):
        article_id = f"article-{i % n_articles:04d}"
        table = data.setdefault(f"bookmarks/{article_id}", {})
        table[str(len(table) + 1)] = {
            "article_id": article_id,
            "section_id": f"section-{i:05d}",
            "article_title": f"Article number {i % n_articles} about a topic",
            "section_title": f"How do I do thing {i} without breaking the other thing?",
            "created": (start + timedelta(seconds=i)).isoformat(timespec="microseconds"),
            "note": "" if i % 3 else "remember this one",
        }
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="ascii")


def median_ms(op: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> float:
    """Median wall time of ``op`` in milliseconds; ``before`` runs untimed first."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        op()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(n_bookmarks: int, runs: int, folder: Path) -> dict[str, float]:
    """Time opening, toggles, view increments and a full listing with ``n_bookmarks`` stored."""
    path = folder / f"reader-{n_bookmarks}.json"
    seed(path, n_bookmarks)
    first = Store(path)
    assert not first.notices and not first.read_only, first.notices
    first.add_view("warm-up")  # rewrites the seed in the store's own layout
    store = Store(path)
    other = Store(path)
    assert len(store.bookmarks()) == n_bookmarks

    marked = itertools.cycle([True, False])

    def toggle() -> None:
        store.set_bookmark("article-0007", "section-bench", next(marked), "Bench", "Bench section")

    def view() -> None:
        store.add_view("article-0001")

    def other_writes() -> None:
        other.add_view("article-0002")

    results = {
        "open": median_ms(lambda: Store(path), runs),
        "toggle": median_ms(toggle, runs),
        "view": median_ms(view, runs),
        "toggle*": median_ms(toggle, runs, before=other_writes),
        "view*": median_ms(view, runs, before=other_writes),
        "list": median_ms(store.bookmarks, runs),
        "file KiB": path.stat().st_size / 1024,
    }
    return results


COLUMNS = ["file KiB", "open", "toggle", "view", "toggle*", "view*", "list"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; exit 1 if a write misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per figure (the median is shown)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args(argv)

    print(f"median of {args.runs} runs, ms (writes: target < {TARGET_MS:.0f} ms)")
    print(f"{'bookmarks':>10}" + "".join(f"{name:>10}" for name in COLUMNS))
    missed = False
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for n in args.sizes:
            r = bench(n, args.runs, Path(tmp))
            print(f"{n:>10,}" + "".join(f"{r[name]:>10.2f}" for name in COLUMNS))
            missed |= any(r[name] >= TARGET_MS for name in ("toggle", "view", "toggle*", "view*"))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
