"""Performance benchmark: prints a table (figure, ours, baseline, ratio); asserts nothing.

    python tests/bench_perf.py [--runs 5] [--frogmouth PATH]

Drives the real reader in tmux (like ../shared/tools/ttfp.py: launch, poll the screen until a text shows)
on generated corpora: the bundled articles, a 0.9 MB article (400 sections, 2,000 paragraphs with a
footnote each) and a folder of 7,500 articles of about 1 KB in platform sub-folders. Baselines: a minimal
Textual app in the same venv, and Frogmouth when `--frogmouth` points at its executable (e.g. a separate
venv: `python -m venv /tmp/fm && /tmp/fm/bin/pip install frogmouth==0.9.2`).
Needs tmux. Takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from corpus import long_article, make_folder  # noqa: E402

SOCK = ["-L", "qa-bench"]
PYTHON = sys.executable
MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("Hello minimal")
Minimal().run()
"""


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *SOCK, *args], capture_output=True, text=True)


class Pane:
    """A program in a detached tmux pane of 120x40."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.name = "bench-" + uuid.uuid4().hex[:8]
        extra = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"env TERM=xterm-256color COLORTERM=truecolor {extra} " + " ".join(shlex.quote(c) for c in cmd)
        self.started = time.perf_counter()
        tmux("new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", line)

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait(self, check: Callable[[str], bool] | str, since: float, timeout: float = 30) -> float:
        """Seconds from `since` until the screen passes `check`."""
        test = check if callable(check) else (lambda screen: check in screen)
        while time.perf_counter() - since < timeout:
            if test(self.screen()):
                return time.perf_counter() - since
            time.sleep(0.003)
        raise TimeoutError(f"not seen: {check!r}\n{self.screen()}")

    def keys(self, *keys: str) -> float:
        for key in keys:
            tmux("send-keys", "-t", self.name, key)
        return time.perf_counter()

    def pid(self) -> int:
        return int(tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())

    def peak_rss_mb(self) -> float:
        """VmHWM of the pane's process (its peak resident memory)."""
        status = Path(f"/proc/{self.pid()}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return int(line.split()[1]) / 1024

    def close(self) -> None:
        tmux("kill-session", "-t", self.name)


def first_paint(cmd: list[str], text: str, runs: int, env: dict[str, str] | None = None) -> float:
    """Median seconds from launch until `text` is on screen (one warm-up run not counted)."""
    times = []
    for run in range(runs + 1):
        pane = Pane(cmd, env)
        try:
            seconds = pane.wait(text, pane.started)
        finally:
            pane.close()
        if run:
            times.append(seconds)
    return statistics.median(times)


def reader(*args: str) -> list[str]:
    return [PYTHON, "-m", "tui", *args]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frogmouth", default=None, help="path to a frogmouth executable, for the baseline")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []

    def row(
        figure: str, ours: float, baseline: float | None = None, unit: str = "s", target: str = ""
    ) -> None:
        fmt = (lambda v: f"{v:.3f} s") if unit == "s" else (lambda v: f"{v:.0f} MB")
        ratio = f"{ours / baseline:.2f}x" if baseline else ""
        rows.append(
            (
                figure,
                fmt(ours),
                fmt(baseline) if baseline else "",
                ratio + (f"  ({target})" if target else ""),
            )
        )
        print(f"  measured: {figure}: {fmt(ours)}", file=sys.stderr)

    tmux("new-session", "-d", "-s", "bench-keeper", "sleep 3600")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {"XDG_CACHE_HOME": str(work / "cache"), "XDG_DATA_HOME": str(work / "data")}
        (work / "minimal.py").write_text(MINIMAL)
        minimal = first_paint([PYTHON, str(work / "minimal.py")], "Hello minimal", args.runs)
        row("minimal Textual app, first paint", minimal)

        db = str(work / "bundled.json")
        cold_env = {**env, "XDG_CACHE_HOME": str(work / "no-cache")}
        cold_start = []
        for run in range(args.runs):
            run_env = {**cold_env, "XDG_CACHE_HOME": str(work / f"no-cache-{run}")}
            pane = Pane(reader("--db", db), run_env)
            try:
                cold_start.append(pane.wait("view", pane.started))
            finally:
                pane.close()
        row("bundled articles, first paint (first start)", statistics.median(cold_start), minimal)
        prime = Pane(reader("--db", db), env)
        prime.wait("view", prime.started)
        time.sleep(1.5)  # the parsed article is written to the cache a second after it is shown
        prime.close()
        ours = first_paint(reader("--db", db), "view", args.runs, env)
        row("bundled articles, first paint (later starts)", ours, minimal, target="target <= 1.5x")

        # The long article.
        long_dir = work / "long"
        long_dir.mkdir()
        long_file = long_dir / "long.md"
        long_file.write_text(long_article())
        size = long_file.stat().st_size / 2**20
        print(f"long article: {size:.2f} MB", file=sys.stderr)
        cold = []
        for run in range(args.runs):
            run_env = {**env, "XDG_CACHE_HOME": str(work / f"cold-cache-{run}")}
            pane = Pane(reader(str(long_file), "--db", str(work / f"long-{run}.json")), run_env)
            try:
                cold.append(pane.wait("Section 1:", pane.started))
            finally:
                pane.close()
        frogmouth = None
        if args.frogmouth:
            frogmouth = first_paint([args.frogmouth, str(long_file)], "Section 1:", max(1, args.runs // 2))
            row("0.9 MB article, Frogmouth first screen", frogmouth)
        row(
            "0.9 MB article, first screen (first open)",
            statistics.median(cold),
            frogmouth,
            target="target <= 0.1x",
        )
        prime = Pane(reader(str(long_file), "--db", str(work / "long-prime.json")), env)
        prime.wait("Section 1:", prime.started)
        time.sleep(3)  # the full parse finishes and is written to the cache
        prime.close()
        warm = first_paint(
            reader(str(long_file), "--db", str(work / "long-warm.json")), "Section 1:", args.runs, env
        )
        row("0.9 MB article, first screen (parse cached)", warm, frogmouth)

        g_times, rss = [], []
        for run in range(args.runs):
            run_env = {**env, "XDG_CACHE_HOME": str(work / f"g-cache-{run}")}
            pane = Pane(reader(str(long_file), "--db", str(work / f"g-{run}.json")), run_env)
            try:
                pane.wait("Section 1:", pane.started)
                since = pane.keys("G")
                g_times.append(pane.wait("This is the last line of the body.", since))
                time.sleep(1.5)  # let the full parse and the background rendering finish
                rss.append(pane.peak_rss_mb())
            finally:
                pane.close()
        row(
            "0.9 MB article, G to the last line (first open)",
            statistics.median(g_times),
            target="target <= 0.3 s",
        )
        warm_g = []
        for _ in range(args.runs):
            pane = Pane(reader(str(long_file), "--db", str(work / "g-warm.json")), env)
            try:
                pane.wait("Section 1:", pane.started)
                since = pane.keys("G")
                warm_g.append(pane.wait("This is the last line of the body.", since))
            finally:
                pane.close()
        row(
            "0.9 MB article, G to the last line (parse cached)",
            statistics.median(warm_g),
            target="target <= 0.3 s",
        )
        row("0.9 MB article, peak memory", max(rss), unit="MB", target="target < 100 MB")

        # 7,500 small articles.
        folder = make_folder(work / "many", 7500)
        counts, hits, switches, peak = [], [], [], []
        for run in range(args.runs):
            run_env = {**env, "XDG_CACHE_HOME": str(work / f"many-cache-{run}")}
            pane = Pane(reader("--content", str(folder), "--db", str(work / f"many-{run}.json")), run_env)
            try:
                counts.append(pane.wait("Questions (7500)", pane.started))
                pane.wait("view", pane.started)
                time.sleep(2.5)  # the search index builds in the background
                for query, expect in (("number 4242", "number 4242?"), ("number 6001", "number 6001?")):
                    pane.wait("Type words", pane.keys("/"), 5)
                    for ch in query[:-1]:
                        tmux("send-keys", "-t", pane.name, "-l", ch)
                    time.sleep(0.3)
                    since = time.perf_counter()
                    tmux("send-keys", "-t", pane.name, "-l", query[-1])
                    hits.append(
                        pane.wait(lambda s, e=expect: e in s and "1 article" in s, since)
                    )  # one hit each
                    pane.keys("Escape")
                    time.sleep(0.2)

                # switching articles: open the last question from the sidebar, then back and forward
                def title(screen: str) -> str:
                    lines = screen.splitlines()
                    return lines[1][38:].strip() if len(lines) > 1 else ""

                first = title(pane.screen())
                pane.keys("BTab")
                time.sleep(0.2)
                pane.keys("End", "Enter")
                pane.wait(lambda s, a=first: title(s) not in ("", a), time.perf_counter(), 5)
                time.sleep(0.3)
                second = title(pane.screen())
                for key, expect in (
                    ("BSpace", first),
                    ("M-Right", second),
                    ("BSpace", first),
                    ("M-Right", second),
                ):
                    since = pane.keys(key)
                    switches.append(pane.wait(lambda s, e=expect: title(s) == e and "view" in s, since, 5))
                    time.sleep(0.3)
                peak.append(pane.peak_rss_mb())
            finally:
                pane.close()
        row("7,500 articles, sidebar count shown", statistics.median(counts), target="target <= 0.6 s")
        row("7,500 articles, search hit after last key", statistics.median(hits), target="target <= 0.3 s")
        row(
            "switch between two articles (back/forward)",
            statistics.median(switches),
            target="target <= 0.05 s",
        )
        row("7,500 articles + search index, peak memory", max(peak), unit="MB", target="target < 120 MB")
    tmux("kill-server")

    widths = [max(len(r[i]) for r in rows + [("figure", "ours", "baseline", "ratio")]) for i in range(4)]
    header = ("figure", "ours", "baseline", "ratio")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians of {args.runs} runs")


if __name__ == "__main__":
    main()
