"""Benchmark: a 1,000-page Obsidian-style vault against the bundled articles; prints figures, asserts nothing.

    python tests/bench_vault.py [--runs 5] [--pages 1000] [--baseline PYTHON]

Figures (medians): first paint of the reader (launch until the open note's title is on screen, in tmux
at 120x40, as bench_perf.py does), the same for the 7 bundled articles, a minimal Textual app, and
`qa-reader check` over the whole vault. `--baseline PYTHON` runs the same figures with the `qa-reader` of another
venv that has another qa-reader installed (an earlier commit), for "as fast as today".
Needs tmux.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from bench_perf import MINIMAL, first_paint, tmux  # noqa: E402
from corpus import make_vault  # noqa: E402


def _timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def figures(python: str, vault: Path, db: Path, runs: int) -> dict[str, float]:
    # the venv's own `qa-reader` script, not `python -m tui`, which would import the tree in the cwd
    script = str(Path(python).parent / "qa-reader")
    reader = [script, "--db", str(db)]
    return {
        "first paint, 7 bundled articles": first_paint(
            [*reader, "why-did-elon-musk-leave-openai"], "Why did Elon Musk leave", runs
        ),
        "first paint, vault of notes": first_paint(
            [*reader, "--content", str(vault), "archive/2025/note-0005"], "Note 5 on", runs
        ),
        "qa-reader check, vault": _timed([script, "check", "--content", str(vault)], max(1, runs // 2)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--baseline", default=None, help="a python with an earlier qa-reader installed")
    args = parser.parse_args()
    tmux("new-session", "-d", "-s", "bench-keeper", "sleep 3600")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            vault = make_vault(work / "vault", args.pages)
            minimal = work / "minimal.py"
            minimal.write_text(MINIMAL)
            base = first_paint([sys.executable, str(minimal)], "Hello minimal", args.runs)
            ours = figures(sys.executable, vault, work / "ours.json", args.runs)
            theirs = figures(args.baseline, vault, work / "theirs.json", args.runs) if args.baseline else {}
    finally:
        tmux("kill-session", "-t", "bench-keeper")
    print(f"\n{args.pages} pages; medians of {args.runs} runs\n")
    print(f"{'figure':40} {'this tree':>10} {'baseline':>10} {'ratio':>7}")
    print(f"{'first paint, minimal Textual app':40} {base:>8.3f} s")
    for name, value in ours.items():
        other = theirs.get(name)
        extra = f" {other:>8.3f} s {value / other:>6.2f}x" if other else ""
        print(f"{name:40} {value:>8.3f} s{extra}")


if __name__ == "__main__":
    main()
