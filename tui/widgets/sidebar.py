"""The sidebar: every article's question; the open one unfolds into its sections.

Entries are plain strings drawn by `EntryList`, so a question that looks like markup is shown as
written, long questions wrap under themselves, and thousands of questions list at once.

Folders. When every article sits at the top of the content folder (the bundled articles, a flat docs
folder), the sidebar is the flat list of questions in reading order, exactly as it always was. As soon as
one article lives in a subfolder (a note vault, a docs tree), the questions are grouped by folder:

- A folder is a row `▸ name/  12` (`▾` when open): its name in the title role, and in the muted role the
  number of articles inside it, subfolders included. Its articles and subfolders follow it, indented two
  cells a level.
- Folders come first, then the articles of the folder, as in Obsidian's file explorer and most file
  browsers: a vault's reader knows its tree in that order, and with folders closed the list of folders
  is short, so the pages at the top stay close to the top. Folders are sorted by name (`2` before `10`);
  articles keep the library's reading order (front matter `order`, then title) inside their folder.
- Folders start closed: a vault of a hundred folders opens as a hundred rows, not a thousand. The
  folders above the article being opened open by themselves, so the open question and its sections are
  on the list; the user may close that folder again (then the cursor that follows the reading rests on
  the folder row). Enter, space or a click opens or closes the folder under the cursor; → opens it (on an
  open folder, steps onto its first row), ← closes it (elsewhere, steps to the folder above). What is
  open is kept for the session, not across runs.
- The filter (ctrl+f) looks in every folder, closed ones too: it shows the matching questions under their
  folders, every such folder open and counting its matches. Enter and ← close one for the while of the
  filter; clearing the filter (escape) brings back the folders as the user left them.
- A title that two articles share (two `index` or `README` pages) is followed, in the muted role, by the
  shortest end of its folder path that tells it apart (`linux/`, `/` for the top; the file name when
  both are in one folder), in both layouts: a long open folder scrolls its own row out of view.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import AwaitMount
from textual.widgets import Input, Label

from tui.articles.folders import Folder, ancestors, folder_of, told_apart, tree
from tui.articles.model import Article, ArticleInfo
from tui.messages import OpenArticle
from tui.widgets.entry_list import Entry, EntryList

SEP = "\x00"  # entry keys: "a<NUL>article", "s<NUL>article<NUL>section", "f<NUL>folder"; no path holds a NUL
INDENT = "  "
"""One level of folder nesting."""
MAX_INDENT = 8
"""Deeper folders are indented as this level: a narrow sidebar keeps room for the titles."""


def article_key(article_id: str) -> str:
    """The entry key of an article."""
    return f"a{SEP}{article_id}"


def section_key(article_id: str, section_id: str) -> str:
    """The entry key of a section of an article."""
    return f"s{SEP}{article_id}{SEP}{section_id}"


def folder_key(folder: str) -> str:
    """The entry key of a folder (its path under the content folder)."""
    return f"f{SEP}{folder}"


def _indent(depth: int) -> str:
    return INDENT * min(depth, MAX_INDENT)


class Sidebar(EntryList):
    """Questions (grouped by folder when there are folders), plus the sections of the open article with
    the one being read marked."""

    BINDINGS = [
        Binding("space", "space", "Open / close folder, else page down", show=False),
        Binding("right", "unfold", "Open folder", show=False),
        Binding("left", "fold", "Close folder", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.infos: list[ArticleInfo] = []
        self.filter_words: list[str] = []
        self._folded: dict[str, str] = {}  # title -> folded title, for the filter
        self._entries: dict[str, Entry] = {}  # article id -> its entry when not open
        self.open_id: str | None = None
        self.current_section: str | None = None
        self.bookmarked: set[str] = set()
        self._article: Article | None = None
        self._folders: dict[str, Folder] = {}  # by path; empty: the flat list
        self._labels: dict[str, str] = {}  # article id -> the folder telling its shared title apart
        self.expanded: set[str] = set()
        """Open folders (paths), kept for the session."""
        self._closed_in_filter: set[str] = set()  # folders closed while a filter shows them all open
        self.note = ""
        """Said after the count in the title: how far the search index has got."""
        self.expected = 0
        """The count to show until the list arrives (the stored index knows it before it is read)."""
        self._shown_count = 0

    @property
    def nested(self) -> bool:
        """The questions are grouped by folder (some article lives below the content folder's top)."""
        return bool(self._folders)

    def set_articles(self, infos: list[ArticleInfo]) -> None:
        """Fill the list with questions (the open article's folders open, when it came first)."""
        first = not self.infos
        self.infos = list(infos)
        self._index_folders()
        if first and self.open_id is not None and self._folders:
            self.expanded |= set(ancestors(folder_of(self.open_id))) & self._folders.keys()
        self._rebuild()
        if first and self.open_id is not None:
            self.select(article_key(self.open_id))

    def _index_folders(self) -> None:
        self._labels = told_apart(self.infos)
        self._folders = tree(self.infos) if any("/" in info.id for info in self.infos) else {}
        self.expanded &= self._folders.keys()

    def set_filter(self, text: str) -> None:
        """Show only the questions holding every word of `text` (case- and accent-insensitive)."""
        from tui.articles.search import words_of

        words = words_of(text)
        if words != self.filter_words:
            self.filter_words = words
            self._closed_in_filter.clear()
            self._rebuild(keep_cursor=False)  # on the first match: enter in the filter opens it
            if not words:
                self.follow_reading()  # cleared: back on what is being read

    def _shown(self) -> list[ArticleInfo]:
        if not self.filter_words:
            return self.infos
        from tui.articles.search import fold

        shown = []
        for info in self.infos:
            folded = self._folded.get(info.title)
            if folded is None:
                folded = self._folded[info.title] = fold(info.title)
            if all(word in folded for word in self.filter_words):
                shown.append(info)
        return shown

    def show_article(self, article: Article, bookmarked: set[str]) -> None:
        """Unfold the open article's sections and put the cursor on it; a newly opened article's folders
        open."""
        previous = self.open_id
        self._article = article
        self.open_id = article.id
        self.bookmarked = set(bookmarked)
        self.current_section = None
        retitled = False
        for position, info in enumerate(self.infos):
            if info.id == article.id and info.title != article.title:
                self.infos[position] = replace(info, title=article.title)
                retitled = True
        if retitled:
            self._labels = told_apart(self.infos)
        unfolded = False
        if self.nested and article.id != previous:
            above = set(ancestors(folder_of(article.id))) & self._folders.keys()
            unfolded = not above <= self.expanded
            self.expanded |= above
        if unfolded or retitled or not self._swap_open(previous, article):
            self._rebuild(keep_cursor=False)
        if not self.select(article_key(article.id)):
            self.follow_reading()

    def _swap_open(self, previous: str | None, article: Article) -> bool:
        """Fold the previous article and unfold this one in place: no rebuild of thousands of entries."""
        new_at = self.index_of(article_key(article.id))
        if new_at is None or (previous is not None and self.index_of(article_key(previous)) is None):
            return False
        if previous is not None:
            at = self.index_of(article_key(previous))
            assert at is not None
            prefix = section_key(previous, "")
            count = 0
            while at + 1 + count < len(self.entries) and self.entries[at + 1 + count].key.startswith(prefix):
                count += 1
            info = next((i for i in self.infos if i.id == previous), None)
            if info is None:
                return False
            self.splice(at, 1 + count, [self._article_entry(info)])
        new_at = self.index_of(article_key(article.id))
        info = next((i for i in self.infos if i.id == article.id), None)
        if new_at is None or info is None:
            return False
        self.splice(new_at, 1, [self._article_entry(info), *self._section_entries()])
        return True

    def _rebuild(self, keep_cursor: bool = True) -> None:
        keep = self.cursor_key if keep_cursor else None
        shown = self._shown()
        self._shown_count = len(shown)
        self._retitle()
        entries: list[Entry] = []
        if not shown:
            if self.filter_words:
                text = "No question matches the filter."
            else:
                text = "Listing the questions…" if self.note else "No articles yet."
            entries.append(Entry("empty", text, "muted", selectable=False))
        elif self.nested:
            self._tree_entries(shown, entries)
        else:
            for info in shown:
                entries.append(self._article_entry(info))
                if info.id == self.open_id and self._article is not None:
                    entries += self._section_entries()
        self.set_entries(entries, keep)
        if self.nested and self.filter_words and not keep_cursor and shown:
            # on the first match (not on its folder's row): enter in the filter opens it
            self._select_first_article()

    def set_note(self, note: str) -> None:
        """A word after the count in the title (how far the search index has got), or "" for none."""
        if note != self.note:
            self.note = note
            if self.infos:
                self._retitle()
            else:
                self._rebuild()  # (its empty line says the questions are being listed)

    def _retitle(self) -> None:
        total = len(self.infos) or self.expected
        count = f"({total})" if not self.filter_words else f"({self._shown_count} of {total})"
        if self.note:  # (while the first build lists them, the count would only say 0)
            self.border_title = f"Questions {count} · {self.note}" if total else f"Questions · {self.note}"
        else:
            self.border_title = f"Questions {count}"

    def _select_first_article(self) -> None:
        for position, entry in enumerate(self.entries):
            if entry.key.startswith("a" + SEP):
                self.cursor = position
                return

    def _tree_entries(self, shown: list[ArticleInfo], entries: list[Entry]) -> None:
        """The folders, open ones with what they hold; under a filter only the folders with matches, open,
        with their number of matches."""
        by_id = {info.id: info for info in shown}
        counts: dict[str, int] | None = None
        if self.filter_words:
            counts = {}
            for info in shown:
                for above in ancestors(folder_of(info.id)):
                    counts[above] = counts.get(above, 0) + 1

        def walk(folder: Folder) -> None:
            for sub in folder.folders:
                if counts is None:
                    count, is_open = sub.count, sub.path in self.expanded
                else:
                    count = counts.get(sub.path, 0)
                    if not count:
                        continue
                    is_open = sub.path not in self._closed_in_filter
                entries.append(self._folder_entry(sub, count, is_open))
                if is_open:
                    walk(sub)
            for article_id in folder.articles:
                info = by_id.get(article_id)
                if info is None:
                    continue
                entries.append(self._article_entry(info))
                if article_id == self.open_id and self._article is not None:
                    entries.extend(self._section_entries())

        walk(self._folders[""])

    def _folder_entry(self, folder: Folder, count: int, is_open: bool) -> Entry:
        name = folder.name + "/"  # the slash (as `ls -F`) tells a closed folder from the open question's ▸
        text = f"{name}  {count}"
        return Entry(
            folder_key(folder.path),
            text,
            "title",
            _indent(folder.depth - 1) + ("▾ " if is_open else "▸ "),
            "muted",
            roles=((len(name) + 2, len(text), "muted"),),
        )

    def _article_entry(self, info: ArticleInfo) -> Entry:
        label = self._labels.get(info.id)
        text = info.title if label is None else f"{info.title}  {label}"
        indent = _indent(info.id.count("/")) if self.nested else ""
        if info.id == self.open_id:
            entry = Entry(article_key(info.id), text, "current", indent + "▸ ", "current")
        else:
            entry = self._entries.get(info.id)
            if entry is None or entry.text != text or len(entry.lead) != len(indent) + 2:
                # made once per question, not on every switch
                entry = self._entries[info.id] = Entry(article_key(info.id), text, "text", indent + "  ")
        if label is not None:
            entry = replace(entry, roles=((len(info.title) + 2, len(text), "muted"),))
        if self.filter_words:  # the words the filter matched, on the title's own characters
            from tui.articles.search import match_spans

            entry = replace(entry, marks=match_spans(info.title, self.filter_words))
        return entry

    def _section_entries(self) -> list[Entry]:
        """The entries of the open article's sections (all but a first heading repeating its title)."""
        article = self._article
        assert article is not None
        return [
            self._section_entry(section.id)
            for section in article.sections
            if not (section.level == 1 and section.title == article.title)
        ]

    def _section_entry(self, section_id: str) -> Entry:
        article = self._article
        assert article is not None and self.open_id is not None
        section = article.section(section_id)
        assert section is not None
        current = section_id == self.current_section
        style = "current" if current else "muted"
        indent = _indent(self.open_id.count("/")) if self.nested else ""
        indent += "  " + "  " * max(0, section.level - 2)
        lead = indent + ("● " if current else "· ") + ("★ " if section_id in self.bookmarked else "")
        return Entry(
            section_key(self.open_id, section_id),
            section.title,
            style,
            lead,
            "marked" if "★" in lead else style,
        )

    # -- folders ----------------------------------------------------------------------------------------
    def folder_is_open(self, folder: str) -> bool:
        """The folder's rows are listed (under a filter: not closed for the while of the filter)."""
        if self.filter_words:
            return folder not in self._closed_in_filter
        return folder in self.expanded

    def toggle_folder(self, folder: str, is_open: bool | None = None) -> None:
        """Open or close a folder (`is_open` None: the other way round); the cursor stays on its row."""
        if folder not in self._folders or not folder:
            return
        now = self.folder_is_open(folder)
        wanted = not now if is_open is None else is_open
        if wanted == now:
            return
        if self.filter_words:
            self._closed_in_filter ^= {folder}
        else:
            self.expanded ^= {folder}
        self._rebuild(keep_cursor=False)
        self.select(folder_key(folder))

    def _under_cursor(self) -> tuple[str, str]:
        """(kind, rest) of the entry under the cursor: kind "a", "s", "f" or ""."""
        key = self.cursor_key
        if key is None or SEP not in key:
            return "", ""
        kind, _, rest = key.partition(SEP)
        return kind, rest

    def action_space(self) -> None:
        """space: open or close the folder under the cursor; elsewhere a page down as in every list."""
        kind, rest = self._under_cursor()
        if kind == "f":
            self.toggle_folder(rest)
        else:
            self.action_page(1)

    def action_unfold(self) -> None:
        """→: open the folder under the cursor; on an open folder, step onto its first row."""
        kind, rest = self._under_cursor()
        if kind != "f":
            raise SkipAction()
        if self.folder_is_open(rest):
            self.action_move(1)
        else:
            self.toggle_folder(rest, True)

    def action_fold(self) -> None:
        """←: close the open folder under the cursor; elsewhere step to the row above it in the tree (a
        section's question, a question's or a closed folder's folder)."""
        if not self.nested:
            raise SkipAction()
        kind, rest = self._under_cursor()
        if kind == "f" and self.folder_is_open(rest):
            self.toggle_folder(rest, False)
            return
        if kind == "s":
            self.select(article_key(rest.partition(SEP)[0]))
            return
        parent = folder_of(rest) if kind in ("a", "f") else ""
        if not parent or not self.select(folder_key(parent)):
            raise SkipAction()

    def mark_section(self, section_id: str | None) -> None:
        """Mark the section being read; without focus the cursor follows it (with focus it stays where the
        user put it)."""
        if self.open_id is None or self._article is None or section_id == self.current_section:
            return
        previous, self.current_section = self.current_section, section_id
        for changed in (previous, section_id):
            if changed is not None and self._article.section(changed) is not None:
                self.replace_entry(section_key(self.open_id, changed), self._section_entry(changed))
        if not self.has_focus:
            self.follow_reading()

    def follow_reading(self) -> None:
        """Put the cursor on what is being read: the marked section, else the open question (when listed),
        else the innermost listed folder holding it (the user closed it).

        A blurred cursor left on a row chosen long ago would be a second highlight disagreeing with the ●.
        """
        if self.open_id is None:
            return
        if self.current_section is not None and self.select(section_key(self.open_id, self.current_section)):
            return
        if self.select(article_key(self.open_id)):
            return
        for folder in reversed(ancestors(folder_of(self.open_id))):
            if self.select(folder_key(folder)):
                return

    def on_blur(self) -> None:
        # Left, the cursor goes back to what is being read (and so is there when the sidebar is focused
        # again). The terminal losing focus is not the user leaving the sidebar.
        if self.app.app_focus:
            self.follow_reading()

    def mark_bookmarks(self, bookmarked: set[str]) -> None:
        """Refresh the ★ marks after a bookmark was added or removed."""
        if self._article is None or self.open_id is None:
            return
        changed = bookmarked ^ self.bookmarked
        self.bookmarked = set(bookmarked)
        for section_id in changed:
            if self._article.section(section_id) is not None:
                self.replace_entry(section_key(self.open_id, section_id), self._section_entry(section_id))

    @on(EntryList.Chosen)
    def _chosen(self, event: EntryList.Chosen) -> None:
        event.stop()
        kind, _, rest = event.key.partition(SEP)
        if kind == "f":
            self.toggle_folder(rest)
        elif kind == "a":
            self.post_message(OpenArticle(rest))
        elif kind == "s":
            article_id, _, section_id = rest.partition(SEP)
            self.post_message(OpenArticle(article_id, section_id))


class QuestionsPane(Vertical):
    """The sidebar, with a filter line (ctrl+f) above it, hidden until asked for.

    The filter line is built after the first paint (not before it), so it is there to take the keys
    typed right after ctrl+f. It is labelled ("Filter") and has no side margin: a child's side margin
    narrows every child of the pane, the sidebar too, and would re-wrap every question.
    """

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._filter_field: Input | None = None
        self._filter_mounted: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        yield Sidebar(id="sidebar")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_filter_early)

    def _build_filter_early(self) -> None:
        if self.is_attached:  # (not when the app quit before its first paint was over)
            self._build_filter()

    def _build_filter(self) -> tuple[Input, AwaitMount]:
        if self._filter_field is None or self._filter_mounted is None:
            # No placeholder: the label names the line, and a placeholder is too faint on $panel to read.
            self._filter_field = field = Input(id="filter")
            bar = Horizontal(Label("Filter", id="filter-label"), field, id="filter-bar")
            self._filter_mounted = self.mount(bar, before=0)
        return self._filter_field, self._filter_mounted

    @property
    def filter_input(self) -> Input | None:
        """The filter line, once it exists."""
        found = self.query("#filter")
        return found.first(Input) if found else None

    def start_filter(self) -> None:
        """Show the filter line and put the cursor in it."""
        self.add_class("filtering")
        field, mounted = self._build_filter()
        if field.is_mounted:
            field.focus()
            return

        async def focus_when_mounted() -> None:  # (ctrl+f pressed before the first paint was over)
            await mounted
            field.focus()

        self.call_later(focus_when_mounted)

    def action_clear_filter(self) -> None:
        """Empty and hide the filter; the list shows every question again."""
        field = self.filter_input
        if field is None or not self.has_class("filtering"):
            raise SkipAction()  # no filter to clear: escape means what it means elsewhere
        field.value = ""
        self.remove_class("filtering")
        sidebar = self.query_one(Sidebar)
        sidebar.set_filter("")
        sidebar.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one(Sidebar).set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the first (highlighted) question."""
        event.stop()
        sidebar = self.query_one(Sidebar)
        sidebar.focus()
        sidebar.action_choose()

    def on_key(self, event: events.Key) -> None:
        field = self.filter_input
        if event.key == "down" and field is not None and field.has_focus:
            event.stop()
            self.query_one(Sidebar).focus()
