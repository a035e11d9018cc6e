"""A disk cache of parsed articles, so the reader starts without importing or running markdown-it.

Parsing the main article costs about 10 ms, and importing markdown-it and YAML about 40 ms more; reading
the same article back from JSON costs about 1 ms. Entries are keyed by the file's path, modification time
and size, and by the cache format (which includes the model's field names), so an edited file or a new
release never reads a stale entry. JSON rather than pickle: a cache file is data, never code. Any problem
with the cache (unwritable folder, corrupt entry) just means a normal parse.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from tui import __version__
from tui.articles import model

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Span,
        model.Heading,
        model.Paragraph,
        model.ListItem,
        model.ListBlock,
        model.Quote,
        model.Callout,
        model.Embed,
        model.Code,
        model.Table,
        model.Rule,
        model.Section,
        model.Footnote,
        model.ComparisonRow,
        model.Comparison,
        model.Problem,
        model.Article,
    )
}
PARSE_REVISION = 4
"""Raised whenever the parser gives different results for the same file: 2 = GitHub's `-1`, `-2` ids for
duplicate headings, and deep nesting kept as text; 3 = titles always one line; 4 = Obsidian's Markdown
(callouts, wikilinks, embeds, tags, tasks, highlights, comments, bare URLs)."""
FORMAT = hashlib.sha1(
    (
        f"{__version__}/{PARSE_REVISION}"
        + repr([(name, [f.name for f in dataclasses.fields(cls)]) for name, cls in _TYPES.items()])
    ).encode()
).hexdigest()[:12]


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {"_": type(value).__name__}
        for f in dataclasses.fields(value):
            field_value = getattr(value, f.name)
            data[f.name] = field_value if f.name == "front" else _encode(field_value)
        return data
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if isinstance(value, dict) and "_" in value:
        cls = _TYPES[value["_"]]
        kwargs = {}
        for name, item in value.items():
            if name == "_":
                continue
            if name == "path":
                kwargs[name] = Path(item)
            elif name == "front":
                kwargs[name] = item
            else:
                kwargs[name] = _decode(item)
        return cls(**kwargs)
    return value


class ArticleCache:
    """Parsed articles as JSON files under one folder."""

    def __init__(self, folder: Path, background: bool = False) -> None:
        self.folder = folder
        self.background = background  # write entries from a daemon thread (the reader's choice)

    def _file(self, path: Path, stamp: tuple[int, int]) -> Path:
        key = f"{FORMAT}\0{path.resolve()}\0{stamp[0]}\0{stamp[1]}"
        return self.folder / f"{hashlib.sha1(key.encode()).hexdigest()}.json"

    def load(self, path: Path, stamp: tuple[int, int], article_id: str) -> model.Article | None:
        """The cached parse of `path` as it is now, or None."""
        try:
            data = json.loads(self._file(path, stamp).read_text(encoding="utf-8"))
            article = _decode(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(article, model.Article) or article.id != article_id:
            return None
        return article

    def save(self, article: model.Article, stamp: tuple[int, int]) -> None:
        """Remember a parse; silently does nothing if the cache cannot be written."""
        if stamp == (0, 0) or not article.complete:
            return
        if self.background:
            # An entry is written to a temporary file and renamed, so a write cut short at exit
            # leaves no entry rather than a broken one.
            # A second later, so the write never competes with drawing the article it belongs to.
            timer = threading.Timer(1.0, self._write, args=(article, stamp))
            timer.daemon = True
            timer.start()
        else:
            self._write(article, stamp)

    def _write(self, article: model.Article, stamp: tuple[int, int]) -> None:
        target = self._file(article.path, stamp)
        temp = ""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing, which happens after the article is on screen

            handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(_encode(article), out, ensure_ascii=False, separators=(",", ":"), default=str)
            os.replace(temp, target)
        except (OSError, TypeError, ValueError):
            if temp:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
