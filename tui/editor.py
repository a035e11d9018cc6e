"""Opening an article in the user's editor (`e`): which command, and running it. No Textual in here.

The editor is `$VISUAL`, else `$EDITOR` (as git and less choose), else the first of `nano`, `vi` found on
PATH: most people never set either variable, and a reader that says "no editor" where `nano` is
installed is less useful than one that opens it. The variables may hold arguments (`code --wait`,
`emacsclient -t`): they are split as a shell would, never run through a shell.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

FALLBACKS = ("nano", "vi")
"""Editors tried, in order, when neither $VISUAL nor $EDITOR is set."""


class EditorError(Exception):
    """The editor could not be started; the message is for the user."""


def editor_command(path: Path, environ: Mapping[str, str] | None = None) -> list[str]:
    """The command that edits `path`; EditorError when there is no editor to use."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise EditorError(f"${name} ({value}) cannot be read as a command: {error}") from None
        if words:
            return [*words, str(path)]
    for fallback in FALLBACKS:
        found = shutil.which(fallback, path=env.get("PATH"))
        if found:
            return [found, str(path)]
    raise EditorError("No editor found: set $VISUAL or $EDITOR (for example EDITOR=nano).")


def run_editor(command: list[str]) -> int:
    """Run the editor in the foreground on the terminal and wait for it; its exit status."""
    try:
        return subprocess.call(command)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise EditorError(f"Could not start {command[0]}: {reason}") from None
