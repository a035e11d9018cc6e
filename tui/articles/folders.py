"""The folders of a content root, for the sidebar and the command palette. No Textual here.

An article's id is its path under the content root without `.md` (`notes/linux/top`), so its folder is
everything before the last slash (`notes/linux`; "" at the top). `tree` groups the index by folder once,
so that the sidebar can list an expanded folder without walking every article again; `told_apart` finds
the titles that occur more than once and the shortest piece of folder that tells each one apart.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.articles.model import ArticleInfo

_DIGITS = re.compile(r"(\d+)")


def folder_of(article_id: str) -> str:
    """The folder holding an article: `notes/linux` for `notes/linux/top`, "" at the top."""
    return article_id.rpartition("/")[0]


def ancestors(folder: str) -> list[str]:
    """A folder and the folders above it, outermost first: `a/b` -> `["a", "a/b"]`; "" -> `[]`."""
    if not folder:
        return []
    parts = folder.split("/")
    return ["/".join(parts[: depth + 1]) for depth in range(len(parts))]


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for names as a file browser sorts them: case-insensitive, `2 x` before `10 x`."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold()) for part in _DIGITS.split(name) if part
    ) + ((2, name),)


@dataclass
class Folder:
    """A folder of the tree: its subfolders (by name) and its articles (ids, in reading order)."""

    path: str
    """Path under the content root ("" for the root itself)."""
    folders: list[Folder] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    count: int = 0
    """Articles inside, subfolders included."""

    @property
    def name(self) -> str:
        """The folder's own name (its last path part)."""
        return self.path.rpartition("/")[2]

    @property
    def depth(self) -> int:
        """0 for the root, 1 for a folder at the top, and so on."""
        return self.path.count("/") + 1 if self.path else 0


def tree(infos: Iterable[ArticleInfo]) -> dict[str, Folder]:
    """Every folder holding an article (directly or below), by path; the root is `""`.

    Articles keep the order of `infos` (the library's reading order) inside their folder; subfolders are
    sorted by name (`natural_key`). One pass over the articles, then one sort per folder.
    """
    grouped: dict[str, list[str]] = {}
    for info in infos:
        article_id = info.id
        path = article_id.rpartition("/")[0]
        try:
            grouped[path].append(article_id)
        except KeyError:
            grouped[path] = [article_id]
    folders: dict[str, Folder] = {"": Folder("")}
    for path, articles in grouped.items():
        for above in ancestors(path):
            if above not in folders:
                folders[above] = Folder(above)
                folders[folder_of(above)].folders.append(folders[above])
        folders[path].articles = articles
    for folder in sorted(folders.values(), key=lambda folder: -folder.depth):  # deepest first
        folder.count = len(folder.articles) + sum(sub.count for sub in folder.folders)
        folder.folders.sort(key=lambda sub: natural_key(sub.name))
    return folders


def told_apart(infos: Iterable[ArticleInfo]) -> dict[str, str]:
    """For every article whose title another article also has (case-insensitive): a short label that
    tells it apart, by article id.

    The label is the shortest end of the article's folder path that no other article of the same title
    shares, with a trailing slash (`linux/`, `notes/linux/`; `/` for the top of the content folder).
    Articles of the same title in the same folder are told apart by their file (`notes/top-2.md`).
    Articles with a title of their own get no label. Linear in the number of articles (per title: one
    pass per folder level).
    """
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for info in infos:
        groups[info.title.casefold()].append(info.id)
    labels: dict[str, str] = {}
    for ids in groups.values():
        if len(ids) < 2:
            continue
        parts = {
            article_id: folder_of(article_id).split("/") if "/" in article_id else [] for article_id in ids
        }
        left = list(ids)
        depth = 1
        longest = max(len(folder) for folder in parts.values())
        while left and depth <= max(1, longest):
            ends = {article_id: "/".join(parts[article_id][-depth:]) for article_id in ids}
            seen = Counter(ends.values())
            still = []
            for article_id in left:
                if seen[ends[article_id]] == 1:
                    labels[article_id] = ends[article_id] + "/" if ends[article_id] else "/"
                else:
                    still.append(article_id)
            left = still
            depth += 1
        for article_id in left:  # the same folder as another of the same title: the file tells it apart
            labels[article_id] = article_id + ".md"
    return labels
