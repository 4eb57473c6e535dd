"""Fixtures of the web tests: a home with two interviews planned in the CLI, `infoview web` on it,
and one Chromium for the module."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from cli_support import infoview
from web_support import NOW, Web, launch_chromium, start_web


def plan_two(home: Path) -> None:
    """Jane Doe (1): an hour ago, so it can be held now. Sam Roe (2): in five days."""
    infoview(home, "plan", "Jane Doe", "--company", "Acme", "--title", "Data lead", "--at", "2026-06-10T10:00",
             "--tz", "Europe/Berlin", "--goal", "How the team hires", "--past", now=NOW, check=True)
    infoview(home, "plan", "Sam Roe", "--company", "Initech", "--at", "2026-06-15T16:00", "--tz", "Europe/Berlin",
             now=NOW, check=True)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    home = tmp_path / "home"
    plan_two(home)
    yield from start_web(home)


@pytest.fixture(scope="module")
def shared_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """One server for a module whose tests change nothing another of them reads."""
    home = tmp_path_factory.mktemp("web") / "home"
    plan_two(home)
    yield from start_web(home)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "web-screenshots"
    folder.mkdir(exist_ok=True)
    print(f"\nscreenshots of the web app: {folder}")
    return folder
