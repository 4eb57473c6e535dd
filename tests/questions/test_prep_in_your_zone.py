"""`infoview prep` shows the start in your zone (config.toml's `timezone`) first, and the
interview's own time for them beside it when the clocks differ; its clock advice is in yours."""
from __future__ import annotations

from pathlib import Path

from cli_support import infoview

BEFORE = "2026-03-01T09:00Z"


def prep(home: Path, zone: str, tz: str) -> str:
    (home / "config.toml").write_text(f'timezone = "{zone}"\n')
    infoview(home, "plan", "Jane Doe", "--at", "2026-03-09T10:00", "--tz", tz, now=BEFORE, check=True)
    return infoview(home, "prep", "1", now=BEFORE, check=True).out


def test_the_brief_reads_in_your_zone_with_their_time_beside_it(tmp_path: Path) -> None:
    md = prep(tmp_path, "Europe/Berlin", "America/New_York")
    assert "- **When:** Mon 2026-03-09 15:00 CET, 10:00 in New York for them (in 8 days), 20 minutes" in md
    assert "(by 14:50)" in md and "at 15:20 offer to end" in md  # the clock you will look at


def test_in_the_same_zone_the_brief_shows_one_time(tmp_path: Path) -> None:
    md = prep(tmp_path, "America/New_York", "America/New_York")
    assert "- **When:** Mon 2026-03-09 10:00 EDT (in 8 days), 20 minutes" in md
    assert "for them" not in md
