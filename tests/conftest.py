"""Shared fixtures. Notification receivers live in tests/receivers.py; the CLI runner in
tests/cli_support.py (`iv` in-process, `iv.sub` as a real subprocess, each with its own home)."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import _OUR_ENV, CLI

pytest_plugins = ["receivers", "pg_support"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def iv(home: Path, monkeypatch: pytest.MonkeyPatch) -> CLI:
    for name in _OUR_ENV:
        monkeypatch.delenv(name, raising=False)
    return CLI(home)
