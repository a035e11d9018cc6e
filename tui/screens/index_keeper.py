"""The reader's side of the stored index: refresh it after the first paint, list the questions from it, and
hand the search screen something to search.

Three starts, decided by what the library found before the first paint (tui/articles/library.py):
- the folder was listed in memory (a small folder, the usual case): the stored index is refreshed on a
  thread for search; the sidebar already shows everything;
- the folder has a stored index: its list was read from it (in a thread when it is long, so the first
  paint never waits for 100,000 rows), and a refresh checks every file's stamp in the background; when
  files were added, changed or removed, the list is read again;
- the folder was too big to list before the first paint and has no stored index yet: the first build
  runs in a child process, the sidebar title counts it, and the list grows from what is already stored.

When SQLite has no FTS5, or the cache folder cannot be used, search falls back to the in-memory index
(tui/articles/search.py) with one notice, and a folder too big to list is listed on a thread.
No widget here: the screen passes its workers' results in (`worker_done`) and shows what `status` says.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

from textual.worker import Worker, WorkerState

from tui.articles.catalog import Catalog, CatalogUnavailable
from tui.articles.library import LIST_BEFORE_PAINT
from tui.background import in_daemon_thread
from tui.indexer import CHILD_OVER, Indexer, Outcome, Progress
from tui.messages import IndexProgress

if TYPE_CHECKING:
    from tui.articles import ArticleInfo, Library
    from tui.articles.search import Hit
    from tui.screens.reader import ReaderScreen

LIST_IN_THREAD = 5_000
"""A stored list longer than this is read on a thread after the first paint, not before it."""
RELIST_EVERY = 5.0
"""Seconds between re-reads of the list while a first build adds to it..."""
RELIST_UNDER = 20_000
"""...as long as it is shorter than this: each re-read of a long list holds a second copy of it for a
moment (the reader's peak memory), for a list that is incomplete anyway. The rest comes at the end."""
TELL_OVER = 500
"""A refresh that reads more files than this (a second or so) shows its progress; a smaller one is quiet."""
WORKERS = ("indexer", "index", "listing")
"""The screen's workers whose results come here."""


class Searcher(Protocol):
    """What the search screen searches: the stored index or the in-memory one."""

    def search(self, text: str, limit: int = 50, typing: bool = True) -> list[Hit]: ...


class IndexKeeper:
    """Keeps the stored index of the screen's library fresh and the sidebar's list in step with it."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.library: Library = screen.library
        self.searcher: Searcher | None = None
        """What search uses, once there is one."""
        self.progress: Progress | None = None
        """How far the running refresh has got (None when none runs, or it only checks stamps)."""
        self._indexer: Indexer | None = None
        self._listed_at = 0.0
        self._listing = False
        self._unlisted = False  # the in-memory fallback lists the folder too
        self._growing = False  # a first build lists the folder: the sidebar grows with it

    # -- the list -----------------------------------------------------------------------------------------
    def list_now(self) -> list[ArticleInfo] | None:
        """The questions to show at the first paint, or None when they come later (`list_ready`)."""
        library = self.library
        if library.loaded:
            return library.infos
        catalog = library.catalog
        if catalog is not None:
            try:
                return library.infos if catalog.count() <= LIST_IN_THREAD else None
            except CatalogUnavailable:  # (damaged since the command line found it complete)
                library.catalog = None
        if library.too_many:  # (found so by the command line already)
            return None
        infos = library.scan(limit=LIST_BEFORE_PAINT)
        return None if library.too_many else infos

    def list_later(self) -> None:
        """Read the list on a thread (from the stored index, else by walking the folder)."""
        if self._listing:
            return
        self._listing = True
        self._listed_at = time.monotonic()
        library = self.library
        # (The wikilink names are left to the first wikilink drawn: built here, they would hold 25 MB
        # more for 100,000 articles in every reader, wikilinks or not.)
        load = library.load_from_catalog if library.catalog is not None else library.scan
        self.screen.run_worker(in_daemon_thread(load), name="listing", exit_on_error=False)

    # -- the refresh --------------------------------------------------------------------------------------
    def start(self) -> None:
        """Refresh the stored index (once per start; the screen calls this after its first paint)."""
        if self._indexer is not None:
            return
        library = self.library
        big = library.too_many or self.count() > CHILD_OVER
        self._indexer = indexer = Indexer(library.root, child=big)
        self._growing = library.too_many and library.catalog is None
        self.screen.run_worker(
            in_daemon_thread(indexer.run, self._report), name="indexer", exit_on_error=False
        )

    def stop(self) -> None:
        """The reader is quitting: end a child process's build (what it stored so far is kept)."""
        if self._indexer is not None:
            self._indexer.stop()

    def _report(self, progress: Progress) -> None:
        """(On the refresh's thread.) Pass progress to the screen (post_message is thread-safe)."""
        self.screen.post_message(IndexProgress(progress))

    def progressed(self, progress: Progress) -> None:
        """(The screen passes its IndexProgress here.) Say how far the build got; grow the list."""
        # Only a build that reads many files is worth telling about: a stamp check of a stored index, or
        # the few files of a small folder, would only flash in the title.
        if progress.phase == "read" and progress.total > TELL_OVER or self._growing:
            self.progress = progress
            self.screen.index_progressed()
        if not self._growing or progress.phase != "read" or not progress.done:
            return
        if self.searcher is None and self._open_catalog():
            self.screen.searcher_ready()  # search covers what is stored so far
        due = time.monotonic() - self._listed_at > RELIST_EVERY
        short = not self.library.loaded or len(self.library.infos) < RELIST_UNDER
        if due and short and self._open_catalog():
            self.list_later()  # the sidebar grows with the build

    def status(self) -> str:
        """What to say about the running build ("" when nothing worth saying is going on)."""
        progress = self.progress
        if progress is None:
            return ""
        if progress.phase == "walk":
            return f"indexing: {progress.done:,} files found"
        return f"indexing {progress.done:,} of {progress.total:,}"

    def short_status(self) -> str:
        """`status` in a few cells, for the sidebar's title."""
        progress = self.progress
        if progress is None:
            return "listing…" if self._listing else ""
        if progress.phase == "walk" or not progress.total:
            return "indexing…"
        return f"indexing {min(99, progress.done * 100 // progress.total)}%"

    def count(self) -> int:
        """How many articles search covers so far (the stored count, or the build's count)."""
        if self.library.catalog is not None:
            try:
                return self.library.catalog.count()
            except CatalogUnavailable:
                return 0
        if self.progress is not None and self.progress.phase == "read":
            return self.progress.done
        return 0

    def _reopen(self) -> None:
        """Open the stored index afresh (a rebuild may have replaced the file the open one reads)."""
        old = self.library.catalog
        if old is None:
            return
        try:
            self.library.catalog = Catalog.open(self.library.root)
        except CatalogUnavailable:
            return  # (the old one stays: better than none)
        if self.searcher is old:
            self.searcher = self.library.catalog
        # (not closed here: a listing thread may be reading it; it closes when it is collected)

    def _open_catalog(self) -> bool:
        """Open the stored index for reading, once it exists; True when it is open."""
        if self.library.catalog is not None:
            self.searcher = self.library.catalog
            return True
        try:
            catalog = Catalog.open(self.library.root)
        except CatalogUnavailable:
            return False
        if self.library.loaded:
            self.searcher = catalog  # (the list stays the one read from the folder)
        else:
            self.library.catalog = catalog
            self.searcher = catalog
        return True

    # -- results ------------------------------------------------------------------------------------------
    def worker_done(self, worker: Worker[Any], state: WorkerState) -> None:
        """One of the screen's `WORKERS` finished (or failed)."""
        if worker.name == "indexer" and state == WorkerState.SUCCESS:
            self._refreshed(worker.result)
        elif worker.name == "indexer" and state == WorkerState.ERROR:
            self._refreshed(Outcome("failed", str(worker.error)))
        elif worker.name == "listing":
            self._listing = False
            if state == WorkerState.SUCCESS:
                self.screen.list_ready(self.library.infos)
            elif state == WorkerState.ERROR:
                self.screen.notify(
                    f"Could not list the articles: {worker.error}", severity="error", markup=False
                )
        elif worker.name == "index" and state == WorkerState.SUCCESS:
            self.searcher = worker.result
            if self._unlisted:
                self._unlisted = False
                self.screen.list_ready(self.library.infos)
            self.screen.searcher_ready()
        elif worker.name == "index" and state == WorkerState.ERROR:
            self.screen.notify(f"Search index failed: {worker.error}", severity="error", markup=False)

    def _refreshed(self, outcome: Outcome) -> None:
        self._growing = False
        self.progress = None
        if outcome.kind == "ready":
            stored_list = self.library.catalog is not None
            if outcome.changes:
                self._reopen()  # (a rebuild may have replaced the file the reader had open)
            if self._open_catalog():
                if not self.library.loaded or (stored_list and outcome.changes):
                    self._listing = False  # a partial list in flight is read again, in full
                    self.list_later()
                self.screen.searcher_ready()
                self.screen.index_progressed()
                return
            outcome = Outcome("failed", "the stored index could not be opened after it was built")
        reason = outcome.message
        if outcome.kind == "unavailable":
            text = f"No stored search index ({reason}); searching in memory, which is slower for big folders."
        else:
            text = f"The search index could not be built ({reason}); searching in memory."
        self.screen.notify(text, severity="warning", timeout=8, markup=False)
        self.screen.index_progressed()
        self.build_in_memory()

    def build_in_memory(self) -> None:
        """Search without the stored index: today's in-memory index, built on a thread (after listing
        the folder first, when it was too big to list before the first paint)."""
        from tui.articles.search import SearchIndex

        library = self.library
        unlisted = not library.loaded
        if unlisted:
            library.catalog = None

        def build() -> SearchIndex:
            if unlisted:
                library.scan()
            return SearchIndex.build(library)

        self._unlisted = unlisted
        self.screen.run_worker(in_daemon_thread(build), name="index", exit_on_error=False)
