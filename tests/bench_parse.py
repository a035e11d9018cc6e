"""Parser benchmark on hostile-but-valid articles: prints a table; asserts nothing.

    python tests/bench_parse.py [--refs 100000] [--headings 50000] [--timeout 600] [--code PATH]

Generates, in a temporary folder, one article per case:
  footnote-refs   one paragraph citing the same footnote `--refs` times (`text[^1] text[^1] ...`)
  footnote-defs   one paragraph citing `--refs` distinct footnotes, each defined at the end
  headings        `--headings` sections, each a heading and a line of text
  deep-nesting    3,000 nested list levels, 5,000 nested quotes and 50,000 `*` around a word
and measures, each in a fresh process (so a run never pays for the previous one): `qa-reader check` on
the article's folder, `qa-reader show` of it with the output to /dev/null, and a bare `parse_file` (the
time printed by the process itself, after its imports). Memory is the process's peak resident size.
`--code` runs another checkout of the project (for before/after figures, e.g. a `git archive` of an older
commit unpacked somewhere). Targets (on a 2-core machine): check under 5 s and show under 10 s, for each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"check": 5.0, "show": 10.0, "parse": 5.0}
PARSE = """
import sys, time
from pathlib import Path
from tui.articles.parse import parse_file
started = time.perf_counter()
article = parse_file(Path(sys.argv[1]), "a")
print(f"{time.perf_counter() - started:.3f}")
"""


def articles(refs: int, headings: int) -> dict[str, str]:
    """Case name -> the article's text."""
    deep = (
        "# Deep\n\n## Lists\n\n"
        + "".join("  " * level + f"- level {level + 1}\n" for level in range(3000))
        + "\n## Quotes\n\n"
        + ">" * 5000
        + " deep\n\n## Emphasis\n\n"
        + "*" * 50_000
        + "word"
        + "*" * 50_000
        + "\n\n## After\n\nThe end.\n"
    )
    return {
        "footnote-refs": "# Footnote references\n\n" + "text[^1] " * refs + "\n\n[^1]: The only note.\n",
        "footnote-defs": "# Footnote definitions\n\n"
        + "".join(f"text[^{n}] " for n in range(refs))
        + "\n\n"
        + "".join(f"[^{n}]: Note {n}.\n" for n in range(refs)),
        "headings": "# Headings\n\n" + "".join(f"## Heading {n}\n\nText {n}.\n\n" for n in range(headings)),
        "deep-nesting": deep,
    }


def measure(args: list[str], code: Path, timeout: float) -> tuple[float | None, float, str]:
    """(seconds, or None past the timeout; peak resident size in MB; stdout) of one fresh process."""
    env = dict(os.environ, PYTHONPATH=str(code), COLUMNS="80")
    env.pop("QA_READER_CONTENT", None)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, open(os.devnull, "w") as devnull:
        process = subprocess.Popen([sys.executable, *args], stdout=out, stderr=devnull, env=env, text=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                _, _, usage = os.wait4(process.pid, 0)
                return None, usage.ru_maxrss / 1024, ""
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        return elapsed, usage.ru_maxrss / 1024, out.read()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--refs", type=int, default=100_000, help="footnote references (default 100,000)")
    parser.add_argument("--headings", type=int, default=50_000, help="headings (default 50,000)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is given up")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure (default: this one)")
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    options = parser.parse_args()
    code = options.code.resolve()
    print(f"code: {code}   refs: {options.refs:,}   headings: {options.headings:,}")
    print(f"targets: check < {TARGETS['check']:.0f} s, show < {TARGETS['show']:.0f} s")
    print(f"{'case':<16}{'size':>9}  {'what':<7}{'time':>10}{'peak RSS':>12}  target")
    with tempfile.TemporaryDirectory(prefix="bench-parse-") as temp:
        for name, text in articles(options.refs, options.headings).items():
            if options.only and name not in options.only:
                continue
            folder = Path(temp) / name
            folder.mkdir()
            path = folder / f"{name}.md"
            path.write_text(text, encoding="utf-8")
            size = f"{len(text.encode()) / 2**20:.1f} MB"
            runs = {
                "check": ["-m", "tui", "check", "--content", str(folder)],
                "show": ["-m", "tui", "show", str(path)],
                "parse": ["-c", PARSE, str(path)],
            }
            for what, args in runs.items():
                elapsed, peak, out = measure(args, code, options.timeout)
                if what == "parse" and elapsed is not None and out.strip():
                    elapsed = float(out.strip().splitlines()[-1])
                target = TARGETS[what]
                if elapsed is None:
                    shown, verdict = f"> {options.timeout:.0f} s", "over"
                else:
                    shown, verdict = f"{elapsed:.2f} s", "ok" if elapsed < target else "over"
                print(f"{name:<16}{size:>9}  {what:<7}{shown:>10}{peak:>9.0f} MB  < {target:.0f} s {verdict}")
                sys.stdout.flush()
                size = ""


if __name__ == "__main__":
    main()
