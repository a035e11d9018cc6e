"""One-off upgrades of the reader's data that need the articles as well as the data file.

Section ids: an earlier release numbered duplicate headings `-2`, `-3`; now they are GitHub's `-1`,
`-2`, so links copied from GitHub land. Bookmarks and saved places under the old ids are moved to the
section they always meant, once per article; articles not in this content folder are tried again on a
later run (they may live in another folder).
"""

from __future__ import annotations

from tui.articles import Library
from tui.articles.text import legacy_section_ids, section_ids
from tui.store import Store


def upgrade_section_ids(store: Store, library: Library) -> int:
    """Move stored section ids of the old numbering to the new one; returns how many articles changed.

    Does nothing in a read-only store. Raises StoreError if the change could not be saved.
    """
    if store.read_only:
        return 0
    pending = store.articles_with_legacy_ids()
    if not pending:
        return 0
    moves: dict[str, dict[str, str]] = {}
    unresolved: list[str] = []
    for article_id in pending:
        article = library.article(article_id) if library.info(article_id) is not None else None
        if article is None:
            unresolved.append(article_id)
            continue
        titles = [section.title for section in article.sections]
        old_ids, new_ids = legacy_section_ids(titles), section_ids(titles)
        renames = {old: new for old, new in zip(old_ids, new_ids, strict=True) if old != new}
        if renames:
            moves[article_id] = renames
    store.move_section_ids(moves, unresolved)
    return len(moves)
