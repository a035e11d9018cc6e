"""Article files are opened only when they are regular files, never block, and are read up to a cap.

A FIFO or a symlink to /dev/zero swapped in for an article while the reader runs used to hang it on
`open()` or eat memory until it died. The risky calls here run under a guard (a thread joined with a
generous timeout, or a child process with a memory limit and a timeout) so a regression fails the test
instead of hanging or exhausting the machine. Nothing here measures time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui import cli
from tui.articles import Library
from tui.articles.files import MAX_BYTES, NotAFile, read_file

GUARD_SECONDS = 120  # a guard against hanging for ever, not a measure: a healthy call takes milliseconds
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def guarded(call: Callable[[], Any], fifo: Path | None = None) -> Any:
    """`call()` in a daemon thread; fails (rather than hangs) if it never returns.

    A call stuck opening `fifo` is released by opening the FIFO for writing, so no thread is left behind.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GUARD_SECONDS)
    if thread.is_alive():
        if fifo is not None:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the call blocked")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"# A\n" * 1000)
    assert read_file(path) == b"# A\n" * 1000


def test_a_fifo_is_refused_at_once_without_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "a.md"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile, match="a FIFO, not a file"):
        guarded(lambda: read_file(fifo), fifo)


def test_a_symlink_to_dev_zero_is_refused_as_a_device(tmp_path: Path) -> None:
    link = tmp_path / "a.md"
    os.symlink("/dev/zero", link)
    with pytest.raises(NotAFile, match="a device, not a file"):
        read_file(link)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAFile, match="a folder, not a file"):
        read_file(tmp_path)


def test_a_file_over_the_cap_is_refused_and_its_head_can_still_be_read(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"0123456789")
    assert read_file(path, 10) == b"0123456789"
    with pytest.raises(NotAFile, match="larger than 9 bytes; not opened"):
        read_file(path, 9)
    assert read_file(path, 4, head=True) == b"0123"


def test_an_article_over_16_mib_opens_as_a_problem_and_is_left_out_of_search(tmp_path: Path) -> None:
    from tui.articles.search import SearchIndex

    assert MAX_BYTES == 16 * 1024 * 1024
    root = tmp_path / "content"
    root.mkdir()
    (root / "small.md").write_text("# Small\n\nword\n")
    with open(root / "huge.md", "wb") as handle:  # sparse: costs no disk and is refused before reading
        handle.write(b"# Huge\n\nword\n")
        handle.truncate(MAX_BYTES + 1)
    library = Library(root)
    assert library.info("huge").title == "Huge"  # listed from its head
    for article in (library.article("huge"), library.preview("huge")):
        assert article is not None and article.blocks == ()
        assert any("larger than 16 MiB; not opened" in p.reason for p in article.problems)
    assert library.tail_preview("huge") is None
    assert [hit.article_id for hit in SearchIndex.build(library).search("word")] == ["small"]
    problems = [str(p) for p in library.check()]
    assert f"{root / 'huge.md'}: unreadable: larger than 16 MiB; not opened" in problems


@pytest.mark.parametrize(
    ("kind", "reason"), [("fifo", "a FIFO, not a file"), ("zero", "a device, not a file")]
)
def test_non_regular_files_found_by_the_scan_are_reported_not_opened(
    tmp_path: Path, kind: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    root.mkdir()
    (root / "b.md").write_text("# B\n")
    if kind == "fifo":
        os.mkfifo(root / "a.md")
    else:
        os.symlink("/dev/zero", root / "a.md")
    library = Library(root)
    assert [info.id for info in library.infos] == ["b"]
    assert [str(p) for p in library.problems] == [f"{root / 'a.md'}: {reason}; skipped"]
    assert guarded(lambda: cli.main(["check", "--content", str(root)])) == 1
    assert f"{root / 'a.md'}: {reason}; skipped" in capsys.readouterr().out


# Run in a child process: before the fix the FIFO blocked for ever and /dev/zero was read until memory
# ran out, so the child has a memory limit and a timeout. It prints what each way of reading returned.
_SWAPPED = r"""
import contextlib, io, json, os, sys
from pathlib import Path
from tui import cli
from tui.articles import Library
from tui.articles import catalog
from tui.articles.search import SearchIndex

catalog.fts5_available = lambda: False  # (the files themselves are read: the stored index is tested apart)
root, kind = Path(sys.argv[1]), sys.argv[2]
target = root / "a.md"
text = "# Alpha\n\n" + "".join(f"## Part {n}\n\nword{n} " + "x " * 500 + "\n\n" for n in range(120))

def restore():
    if target.is_symlink() or target.exists():
        target.unlink()
    target.write_text(text)

def swap():
    if target.is_symlink() or not target.is_file():
        return
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    else:
        os.symlink("/dev/zero", target)

def reasons(article):
    return None if article is None else [p.reason for p in article.problems]

out = {}
restore()
library = Library(root)
library.infos
library.article("a")  # parsed and cached while it was a file
swap()
out["article"] = reasons(library.article("a"))
out["preview"] = reasons(library.preview("a"))
out["tail_preview"] = reasons(library.tail_preview("a"))
out["head"] = library._head(target, "a").title
out["search"] = [article.id for article in SearchIndex.build(library).articles]

scan = Library.scan
def scan_then_swap(self, *args, **kwargs):
    infos = scan(self, *args, **kwargs)
    swap()
    return infos
Library.scan = scan_then_swap
for command in ("show", "check"):
    restore()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = cli.main(["show", "a", "--content", str(root)] if command == "show"
                          else ["check", "--content", str(root)])
    out[command] = [status, printed.getvalue()]
print(json.dumps(out))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


@pytest.mark.parametrize(
    ("kind", "reason"), [("fifo", "a FIFO, not a file"), ("zero", "a device, not a file")]
)
def test_an_article_swapped_for_a_fifo_or_dev_zero_after_the_scan_never_hangs_the_reader(
    tmp_path: Path, kind: str, reason: str
) -> None:
    root = tmp_path / "content"
    root.mkdir()
    (root / "b.md").write_text("# Bravo\n\nword\n")
    result = subprocess.run(
        [sys.executable, "-c", _SWAPPED, str(root), kind],
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout)
    assert out["article"] == [f"unreadable: {reason}"]
    assert out["preview"] == [f"unreadable: {reason}"]
    assert out["tail_preview"] is None
    assert out["head"] == "A"
    assert out["search"] == ["b"]
    show_status, shown = out["show"]
    assert show_status == 0 and f"unreadable: {reason}" in shown
    check_status, checked = out["check"]
    assert check_status == 1
    assert f"{root / 'a.md'}: unreadable: {reason}" in checked.splitlines()
