"""The key table (tui/keys.py) is the one description of the keys: README, bindings and palette agree."""

from __future__ import annotations

from pathlib import Path

from tui import keys
from tui.app import ReaderApp
from tui.screens.reader import ReaderScreen

README = Path(__file__).parent.parent / "README.md"


def readme_key_rows() -> list[str]:
    """The rows of README's key table, as written."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| key | what it does |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_readme_lists_every_key_as_the_table_does_in_its_order() -> None:
    expected = [
        "| " + " ".join(f"`{part}`" for part in key.shown.split("  ")) + f" | {key.help} |"
        for key in keys.documented()
    ]
    assert readme_key_rows() == expected


def test_every_bound_key_is_documented_and_every_action_exists() -> None:
    documented = " ".join(key.shown for key in keys.documented())
    for key in keys.KEYS:
        if not key.bind:
            continue
        assert key.shown in documented.split() or key.shown in documented, key.shown
        name = key.action.removeprefix("app.").split("(")[0]
        owner = ReaderApp if key.action.startswith("app.") else ReaderScreen
        assert callable(getattr(owner, f"action_{name}", None)), f"no action for {key.shown}: {key.action}"


def test_bindings_come_from_the_table() -> None:
    screen = {(b.key, b.action) for b in ReaderScreen.BINDINGS}
    app = {(b.key, b.action) for b in ReaderApp.BINDINGS}
    for key in keys.KEYS:
        if key.bind:
            target = app if key.action.startswith("app.") else screen
            assert (key.bind, key.action.removeprefix("app.")) in target
    assert [b.description for b in ReaderScreen.BINDINGS if b.show] == [
        k.footer for k in keys.KEYS if k.footer and not k.action.startswith("app.")
    ]
