"""Multi-host tests: hosts are network namespaces made by netns.py (root only, as CI runs)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netns import available


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = available()
    if reason is None:
        return
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().parent == here:
            item.add_marker(pytest.mark.skip(reason=reason))
