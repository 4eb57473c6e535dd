"""The example apprise config in examples/ stays loadable and carries the documented tags."""
from __future__ import annotations

import shutil
from pathlib import Path

from infoview.plugins.notify.channels import load

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "apprise.yml"


def test_example_config_loads_with_both_tags(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "apprise.yml")
    channels = load(tmp_path, {})
    assert channels.tags == ["followups", "reminders"]
    assert channels.problems == []
    assert [c.id for c in channels.tagged("reminders")] == ["ntfys://ntfy.sh/...", "json://localhost:8080/..."]
    assert not any("app-password" in c.id or "your-private" in c.id for c in channels.channels)
