"""Helper process for tests/test_store.py: writes through the Store API and acknowledges each write.

Usage::

    python tests/_store_writer.py PATH MODE COUNT TAG [GO_FILE]

MODE is ``bookmarks`` (bookmark section ``TAG-<i>`` of article ``shared``) or
``views`` (one more view of article ``shared``).  COUNT 0 means "until killed".
Prints ``ready``, waits for GO_FILE to exist if one is given (so that several
writers start together), then does the writes, printing ``ack <i>`` (flushed)
after each call returned, i.e. after each write was acknowledged.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.store import Store  # noqa: E402


def main(argv: list[str]) -> int:
    """Run the writer described in the module docstring."""
    path, mode, count, tag = argv[0], argv[1], int(argv[2]), argv[3]
    go_file = Path(argv[4]) if len(argv) > 4 else None
    store = Store(path)
    print("ready", flush=True)
    if go_file is not None:
        deadline = time.monotonic() + 30
        while not go_file.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
    numbers = range(count) if count else itertools.count()
    for i in numbers:
        if mode == "bookmarks":
            section = f"{tag}-{i}"
            if not store.set_bookmark("shared", section, True, "Shared article", f"Section {section}"):
                print(f"unexpected: {section} was already bookmarked", file=sys.stderr, flush=True)
                return 1
        elif mode == "views":
            store.add_view("shared")
        else:
            print(f"unknown mode {mode!r}", file=sys.stderr)
            return 2
        print(f"ack {i}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
