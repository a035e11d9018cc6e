"""Shared fixtures: small content folders in tmp_path; never the user's real data file."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

MAIN_ID = "why-does-elon-musk-not-like-openai"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the real user data folder or pick up the developer's settings."""
    monkeypatch.setenv("QA_READER_DB", str(tmp_path / "isolated-reader.json"))
    monkeypatch.delenv("QA_READER_CONTENT", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write("a/b.md", text) creates a file under tmp_path/content and returns its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The content folder used by `write`."""
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)
    return folder
