"""What the store may do at its path, and what it tells the user when something there is wrong.

:class:`DataFile` classifies the path (a symlink to a regular file is followed; a folder, a device, a
FIFO or a dangling link is refused), checks the location (a read-only file or folder, a lock file that
is not a regular file), moves a corrupt regular file aside, and keeps the resulting state:
``read_only``, ``refused`` and the notices for the user.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from tui.articles.files import file_kind
from tui.store import disk
from tui.store.codec import SCHEMA_VERSION, BadFile, LazyTables, NewerSchema, Reparse
from tui.store.disk import NotAFile, strerror
from tui.store.records import StoreError

APP_NAME = "qa-reader"
DB_FILENAME = "reader.json"
_READ_ONLY = "Reading only, changes will not be saved."


class LockBusy(StoreError):
    """Another process held the lock for longer than this write was willing to wait."""


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


class DataFile:
    """The data file's location and what may be done there; see :class:`tui.store.Store` for the fields.

    ``file`` is where reads and writes go (the real file when ``path`` is a symlink to one), and
    ``lock_path`` the lock file beside it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.notices: list[str] = []
        self.read_only = False
        self.refused: str | None = None
        self.reason = ""  # why writes are refused; ends the StoreError messages
        self._temps_cleaned = False

    # -- opening ------------------------------------------------------------------------------------

    def open(self, recover: Callable[[], None]) -> None:
        """Check the location and the whole file; fill notices; never raises.

        ``recover`` runs a write transaction that reads the whole file under the lock (another process
        may have dealt with it already) and moves it aside if it is still bad; nothing is written until
        the first real change.
        """
        problem = self._follow_path()
        if problem:
            self.refuse(problem)
            return
        self._check_location()
        try:
            data = disk.load(self.file)
            try:
                data.parse_all()
            except Reparse:
                disk.load(self.file, full=True)
        except NewerSchema as exc:
            self.set_newer(exc.version)
        except NotAFile as exc:
            self.refuse(exc.reason)
        except BadFile as exc:
            if self.read_only:
                self.notices.append(
                    f"Data file {self.path} {exc.reason} and cannot be moved aside "
                    "in a read-only location; showing no saved data."
                )
                return
            try:
                recover()
            except LockBusy:
                pass  # another process is writing (and may be recovering it): the first write will
            except StoreError as err:
                if not self.read_only:
                    self.set_read_only(
                        "its bad data file could not be moved aside",
                        f"Data file {self.path} {exc.reason} and could not be moved aside "
                        f"({err}); showing no saved data, changes will not be saved.",
                    )
        except OSError as exc:
            self.set_read_only(
                f"it could not be read ({strerror(exc)})",
                f"Data file {self.path} could not be read ({strerror(exc)}); "
                "showing no saved data, changes will not be saved.",
            )

    def _follow_path(self) -> str | None:
        """Follow a symlink to a regular file; say why the path cannot be a data file, or None.

        A symlink to a regular file is followed (dotfiles are often kept that way): reads and
        writes go to the real file, and the atomic replace happens beside it, so the link stays.
        """
        try:
            mode = os.lstat(self.path).st_mode
        except FileNotFoundError:
            return None  # created on the first write
        except (OSError, ValueError):
            return None  # an impossible name: _check_location says so
        if stat.S_ISLNK(mode):
            target = os.path.realpath(self.path)
            try:
                mode = os.stat(self.path).st_mode
            except FileNotFoundError:
                return f"is a symlink to {target}, which does not exist"
            except OSError as exc:
                return f"is a symlink that cannot be followed ({strerror(exc)})"
            if not stat.S_ISREG(mode):
                return f"is a symlink to {target}, which is {file_kind(mode)}, not a file"
            self.file = Path(target)
            self.lock_path = self.file.with_name(self.file.name + ".lock")
            return None
        if stat.S_ISREG(mode):
            return None
        return f"is {file_kind(mode)}, not a file"

    def _check_location(self) -> None:
        """Make the store read-only (with a notice) if the file cannot be written."""
        suffix = "reading only, changes will not be saved."
        try:
            file = self.file
            # A file we cannot even read is handled as a bad file (moved aside).
            if file.is_file() and os.access(file, os.R_OK) and not os.access(file, os.W_OK):
                self.set_read_only("the file is read-only", f"Data file {self.path} is read-only: {suffix}")
                return
            folder = file.parent
            while not os.path.lexists(folder) and folder != folder.parent:
                folder = folder.parent
            if not folder.is_dir():
                self.set_read_only(
                    f"{folder} is not a folder", f"Data folder {folder} is not a folder: {suffix}"
                )
            elif not os.access(folder, os.W_OK | os.X_OK):
                self.set_read_only(
                    f"the folder {folder} is not writable", f"Data folder {folder} is not writable: {suffix}"
                )
            elif problem := disk.lock_problem(self.lock_path):
                self.set_read_only(problem, f"{_sentence(problem)}. {_READ_ONLY}")
        except OSError as exc:
            self.set_read_only(
                f"its location cannot be checked ({strerror(exc)})",
                f"Data location {self.path} cannot be checked ({strerror(exc)}): {suffix}",
            )

    # -- writing --------------------------------------------------------------------------------------

    def lock(self, timeout: float, on_wait: Callable[[], None] | None) -> int:
        """Create the folder if needed, take the exclusive lock and return its fd (close it to unlock).

        The lock file is ours only while it is a regular file: a folder, a symlink, a device or a FIFO
        at its path is never opened for writing, and the store goes read-only naming the lock file.
        """
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self.write_failed(exc) from None
        name = f"the lock file {self.lock_path}"
        problem = disk.lock_problem(self.lock_path)
        if problem:
            self.set_read_only(problem, f"{_sentence(problem)}. {_READ_ONLY}")
            raise self.cannot_save()
        try:
            fd = disk.open_lock(self.lock_path)
        except NotAFile as exc:
            raise StoreError(f"Cannot save to {self.path}: {name} {exc.reason}") from None
        except OSError as exc:
            if exc.errno in disk.NOT_WRITABLE:
                self.set_read_only(f"{name} cannot be opened ({strerror(exc)})")
            raise StoreError(f"Could not open {name}: {strerror(exc)}") from None
        try:
            disk.wait_for_lock(fd, timeout, on_wait)
        except disk.LockTimeout:
            os.close(fd)
            raise LockBusy(
                f"Could not save to {self.path}: another qa-reader held its lock file "
                f"{self.lock_path} for over {timeout:g} s"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"Could not lock {name}: {strerror(exc)}") from None
        except BaseException:
            os.close(fd)
            raise
        return fd

    def load_for_write(self, full: bool) -> LazyTables:
        """Load the file under the lock; a bad file is moved aside first (and leftover temps deleted)."""
        if not self._temps_cleaned:  # once per store: later leftovers are another run's business
            self._temps_cleaned = True
            disk.clean_temps(self.file)
        try:
            return disk.load(self.file, full)
        except NewerSchema as exc:
            self.set_newer(exc.version)
            raise self.cannot_save() from None
        except NotAFile as exc:
            self.refuse(exc.reason)
            raise self.cannot_save() from None
        except BadFile as exc:
            self._move_aside(exc.reason)
            return LazyTables()
        except OSError as exc:
            raise StoreError(f"Could not read {self.path}: {strerror(exc)}") from None

    def load_for_read(self, full: bool) -> LazyTables:
        """The file's tables for a read; no tables if it is refused, unusable or unreadable."""
        if self.refused:
            return LazyTables()  # not a data file: never even opened
        try:
            return disk.load(self.file, full)
        except NewerSchema as exc:
            return exc.data
        except (BadFile, NotAFile, OSError):
            return LazyTables()

    def _move_aside(self, reason: str) -> None:
        """Rename the bad file to ``<name>.corrupt-<timestamp>`` (lock is held).

        Raises StoreError (and makes the store read-only) if it cannot be moved.
        """
        try:
            mode = os.lstat(self.file).st_mode
        except OSError as exc:
            raise StoreError(f"Could not read {self.path}: {strerror(exc)}") from None
        if not stat.S_ISREG(mode):  # only ever our own regular file is moved
            self.refuse(f"is {file_kind(mode)}, not a file")
            raise self.cannot_save()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        base = f"{self.file.name}.corrupt-{stamp}"
        target = self.file.with_name(base)
        n = 1
        while os.path.lexists(target):
            n += 1
            target = self.file.with_name(f"{base}-{n}")
        try:
            os.rename(self.file, target)
        except OSError as exc:
            self.set_read_only(
                f"it {reason} and could not be moved aside ({strerror(exc)})",
                f"Data file {self.path} {reason} and could not be moved aside "
                f"({strerror(exc)}); showing no saved data, changes will not be saved.",
            )
            raise self.cannot_save() from None
        with suppress(OSError):
            disk.fsync_dir(self.file.parent)
        self.notices.append(f"Data file {self.path} {reason}; moved it to {target} and started fresh.")

    def cannot_save(self) -> StoreError:
        """The StoreError for a write refused because the store is read-only."""
        return StoreError(f"Cannot save to {self.path}: {self.reason}")

    def write_failed(self, exc: OSError) -> StoreError:
        """The StoreError for a failed write; a permission problem makes the store read-only."""
        if exc.errno in disk.NOT_WRITABLE:
            self.set_read_only(strerror(exc))
        return StoreError(f"Could not save to {self.path}: {strerror(exc)}")

    # -- state ----------------------------------------------------------------------------------------

    def refuse(self, reason: str) -> None:
        """The path is not a data file (``reason`` completes "Data file X ..."): touch nothing there."""
        hint = " --db and QA_READER_DB take the path of a file"
        if reason.startswith("is a folder"):
            hint += f" (such as {self.path / DB_FILENAME})"
        self.refused = f"Data file {self.path} {reason}.{hint}; nothing there was changed."
        self.set_read_only(reason, f"{self.refused} {_READ_ONLY}")

    def set_read_only(self, reason: str, notice: str | None = None) -> None:
        """Refuse writes from now on; ``reason`` ends the StoreError messages."""
        self.read_only = True
        self.reason = reason
        if notice and notice not in self.notices:
            self.notices.append(notice)

    def set_newer(self, version: int) -> None:
        """The file was written by a newer release: read-only, and say so."""
        self.set_read_only(
            f"it was written by a newer version of {APP_NAME} (schema {version})",
            f"Data file {self.path} was written by a newer version of {APP_NAME} "
            f"(schema {version}; this version knows {SCHEMA_VERSION}); opened read-only and left unchanged.",
        )
