"""Shared fixtures. Notification receivers live in tests/receivers.py; the CLI runner in
tests/cli_support.py (`iv` in-process, `iv.sub` as a real subprocess, each with its own home)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from cli_support import _OUR_ENV, CLI

pytest_plugins = ["receivers", "pg_support"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def iv(home: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> CLI:
    """The CLI on a fresh home; on each backend in turn for a test marked `both_backends`."""
    for name in _OUR_ENV:
        monkeypatch.delenv(name, raising=False)
    database = request.getfixturevalue("database") if "database" in request.fixturenames else None
    return CLI(home, database)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `both_backends` runs on SQLite and on PostgreSQL (the `database` fixture).
    `both_backends(slow_on_postgres=True)`: a long drill whose PostgreSQL half is marked slow (CI
    runs it; `dev.py test --quick` does not), because a quicker PostgreSQL test covers the same."""
    marker = metafunc.definition.get_closest_marker("both_backends")
    if marker:
        if "database" not in metafunc.fixturenames:
            metafunc.fixturenames.append("database")
        marks = [pytest.mark.slow] if marker.kwargs.get("slow_on_postgres") else []
        metafunc.parametrize("database", ["sqlite", pytest.param("postgres", marks=marks)], indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the home's SQLite file) or a fresh PostgreSQL database's URL, as parametrized."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    server = request.getfixturevalue("pg_server")
    url = server.fresh()
    yield url
    server.drop(url)
