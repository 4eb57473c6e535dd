"""`<home>/config.toml`: the core's keys checked with the file, the line and a suggestion; your zone."""
from __future__ import annotations

from cli_support import CLI, write


def test_an_unknown_key_names_the_file_the_line_and_the_closest_key(iv: CLI) -> None:
    iv.plan()
    path = write(iv.home / "config.toml", '# mine\n\ntimezon = "Europe/Berlin"\n[calendar]\nname = "Talks"\n')
    r = iv.sub("agenda")
    assert r.code == 1 and r.line == f"{path}:3: unknown key 'timezon'; did you mean 'timezone'?"


def test_a_bad_zone_is_one_line_with_a_suggestion(iv: CLI) -> None:
    path = write(iv.home / "config.toml", 'timezone = "Europe/Berln"\n')
    r = iv.sub("todo")
    assert r.code == 1 and r.line == f"{path}:1: timezone: unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'?"


def test_plugin_tables_stay_the_plugins_own(iv: CLI) -> None:
    # The calendar plugin checks its own table; the core neither refuses nor repeats it
    write(iv.home / "config.toml", 'timezone = "Europe/Berlin"\n[calendar]\nalarm = true\n[my-plugin]\nanything = 1\n')
    assert iv.sub("agenda").ok()
    r = iv.sub("calendar", "export")
    assert r.code == 1 and r.line == "config.toml: unknown key calendar.alarm; did you mean 'alarms'?"


def test_your_zone_plans_and_shows_times(iv: CLI) -> None:
    write(iv.home / "config.toml", 'timezone = "Europe/Berlin"\n')
    i = iv("plan", "Sam Lee", "--at", "2026-03-10T16:00").ok().out.strip()   # no --tz: your zone
    assert iv.show(int(i))["timezone"] == "Europe/Berlin"
    j = iv.plan("Ana Ruiz", at="2026-03-10T10:00", tz="America/New_York")
    line = next(x for x in iv("agenda", "--days", "10").ok().out.splitlines() if f"interview {j} " in x)
    assert line.startswith("Mon 2026-03-09 15:00 CET, 10:00 in New York for them")
    r = iv.sub("agenda", "--days", "10", env={"INFOVIEW_TZ": "America/New_York"})   # the file wins
    assert "CET" in r.out


def test_the_quick_check_knows_every_key_of_the_model() -> None:
    from infoview.config import CORE_KEYS
    from infoview.config_model import CoreConfig

    assert set(CORE_KEYS) == set(CoreConfig.model_fields)
