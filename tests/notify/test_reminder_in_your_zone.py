"""A reminder reads in your zone first (config.toml's `timezone`), with the interview's own time
beside it when the clocks differ: `{when}` in the shipped workflow's confirm reminder."""
from __future__ import annotations

from pathlib import Path

from cli_support import infoview, infoview_json

# 10:00 in New York on Monday 9 March 2026 (DST there since the 8th) is 14:00 UTC, 15:00 in Berlin.
BEFORE = "2026-03-01T09:00Z"
CONFIRM_DUE = "2026-03-08T14:05Z"  # start - 1 day, plus five minutes


def plan(home: Path, zone: str, tz: str) -> None:
    (home / "config.toml").write_text(f'timezone = "{zone}"\n')
    infoview(home, "plan", "Jane Doe", "--company", "Acme", "--at", "2026-03-09T10:00", "--tz", tz,
             now=BEFORE, check=True)


def fired_title(home: Path, receiver) -> str:
    (home / "apprise.yml").write_text(f"urls:\n  - {receiver.url('/hook')}:\n      tag: reminders\n")
    fired = infoview_json(home, "tick", now=CONFIRM_DUE)
    assert [(f["timer"], f["outcome"]) for f in fired] == [("confirm", "fired")]
    return str(receiver.wait_for(1)[0].json["title"])


def test_a_reminder_shows_your_time_first_and_theirs_for_them(tmp_path: Path, http_receiver) -> None:
    plan(tmp_path, "Europe/Berlin", "America/New_York")
    title = fired_title(tmp_path, http_receiver)
    assert title == ("Confirm tomorrow's conversation with Jane Doe (Acme) at "
                     "Mon 2026-03-09 15:00 CET, 10:00 in New York for them")


def test_in_the_same_zone_a_reminder_shows_one_time(tmp_path: Path, http_receiver) -> None:
    plan(tmp_path, "America/New_York", "America/New_York")
    title = fired_title(tmp_path, http_receiver)
    assert title == "Confirm tomorrow's conversation with Jane Doe (Acme) at Mon 2026-03-09 10:00 EDT"


def test_the_zone_is_the_one_when_the_reminder_fires(tmp_path: Path, http_receiver) -> None:
    """Planned while you lived in New York, fired after you moved to Berlin: Berlin time first."""
    plan(tmp_path, "America/New_York", "America/New_York")
    (tmp_path / "config.toml").write_text('timezone = "Europe/Berlin"\n')
    title = fired_title(tmp_path, http_receiver)
    assert "at Mon 2026-03-09 15:00 CET, 10:00 in New York for them" in title
