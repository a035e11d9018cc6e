"""Opening an image or another file of the content folder with the system's opener (`o`). No Textual here.

The opener is `xdg-open` on Linux and the BSDs, `open` on macOS, `os.startfile` on Windows. It runs
detached (its own session, no terminal: stdin, stdout and stderr on /dev/null), so the reader never waits
for it and a viewer's chatter never lands on the screen.

A content folder is untrusted, and an opener hands a file to whatever program the desktop associates with
it: a `.desktop` entry, a script or an executable could start a program. So only the kinds of file that
notes embed are opened (images, audio, video, PDF: the list Obsidian embeds); anything else is refused
with its path, for the reader to open by hand if they mean to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from tui.articles.files import MEDIA

OPENABLE = MEDIA
"""File name extensions (lower case, no dot) that `o` hands to the system's opener."""
PLATFORM = sys.platform
"""Which opener to use ("darwin", "win32", anything else: xdg-open); tests set it."""


class OpenError(Exception):
    """The file could not be handed to an opener; the message is for the user."""


def opener_command() -> list[str] | None:
    """The command that opens a file on this system (the file's path goes last); None when there is none.

    On Windows there is no command: `os.startfile` does it (see `open_file`).
    """
    name = "open" if PLATFORM == "darwin" else "xdg-open"
    found = shutil.which(name)
    return [found] if found else None


def check_openable(path: Path) -> None:
    """OpenError (worded for the user) unless `path` is a file of a kind we hand on (see OPENABLE)."""
    # the name and what it points to (a symlink `pic.png -> run.sh` is not a picture)
    kinds = {path.suffix.lower().removeprefix("."), path.resolve().suffix.lower().removeprefix(".")}
    if not kinds <= OPENABLE:
        raise OpenError(
            f"Not opened: {path.name} is not an image, sound, video or PDF (another kind of file could run"
            f" a program). Open {path} yourself if you trust it."
        )
    if not path.is_file():
        raise OpenError(f"Not found: {path}")


def open_file(path: Path) -> None:
    """Open `path` with the system's opener, detached; OpenError (worded for the user) when it cannot."""
    check_openable(path)
    startfile = getattr(os, "startfile", None)
    if PLATFORM == "win32" and startfile is not None:
        try:
            startfile(str(path))
        except OSError as error:
            raise OpenError(f"Could not open {path}: {error.strerror or error}") from None
        return
    command = opener_command()
    if command is None:
        raise OpenError(f"No program to open files with: install xdg-utils, or open {path} yourself.")
    try:
        process = subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as error:
        raise OpenError(f"Could not start {command[0]}: {error.strerror or error}") from None
    # Reaped in a daemon thread: no zombie left behind, and quitting never waits for the viewer.
    threading.Thread(target=process.wait, name="opener", daemon=True).start()
