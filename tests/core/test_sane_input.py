"""Input that would be stored wrong, or fail later, is refused where it is typed: a date without a
time, a time in the past without --past, an unknown --state, an id past what the store holds, and
a `fire --data` file with values past the bounds every way in keeps (issue 15 "sane input";
issue 16, point 2). One line each, exit 1 or 2, nothing stored."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import infoview, infoview_json, modules_after

NOW = "2026-11-01T09:00Z"


def one_line(home: Path, *args: str, code: int) -> str:
    r = infoview(home, *args, now=NOW)
    assert r.code == code, (r.code, r.err)
    [line] = r.err.splitlines()
    return line


def test_a_date_without_a_time_is_refused_with_an_example(tmp_path: Path):
    line = one_line(tmp_path, "plan", "Jane", "--at", "2026-12-01", "--tz", "UTC", code=2)
    assert line == "'2026-12-01' has no time of day; write the date and the time, e.g. 2026-12-01T10:00"
    assert infoview_json(tmp_path, "list", now=NOW) == []


def test_planning_or_moving_into_the_past_needs_past(tmp_path: Path):
    line = one_line(tmp_path, "plan", "Jane", "--at", "2026-10-30T10:00", "--tz", "UTC", code=2)
    assert line == ("--at 2026-10-30T10:00 is in the past; add --past to record a conversation that already "
                    "happened")
    assert infoview_json(tmp_path, "list", now=NOW) == []
    infoview(tmp_path, "plan", "Jane", "--at", "2026-10-30T10:00", "--tz", "UTC", "--past", now=NOW, check=True)
    infoview(tmp_path, "plan", "Sam", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    assert "is in the past" in one_line(tmp_path, "reschedule", "2", "--at", "2026-10-01T10:00", code=2)
    assert [e["event"] for e in infoview_json(tmp_path, "history", "2", now=NOW)] == ["plan"]
    infoview(tmp_path, "reschedule", "2", "--at", "2026-10-01T10:00", "--past", now=NOW, check=True)


def test_an_unknown_state_is_refused_with_a_suggestion(tmp_path: Path):
    assert one_line(tmp_path, "list", "--state", "plannd", code=2) == (
        "--state: no workflow has a state 'plannd'; did you mean 'planned'?")
    assert one_line(tmp_path, "calendar", "export", "--state", "confimred", code=2) == (
        "--state: no workflow has a state 'confimred'; did you mean 'confirmed'?")
    infoview(tmp_path, "plan", "Sam", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    assert one_line(tmp_path, "list", "--state", "planned", "--state", "helt", code=2) == (
        "--state: no workflow has a state 'helt'; did you mean 'held'?")
    assert one_line(tmp_path, "list", "--state", "plannd", "--json", code=2).startswith("--state: no workflow")


def test_listing_a_state_that_has_interviews_does_not_load_the_workflows(tmp_path: Path):
    infoview(tmp_path, "plan", "Sam", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    assert [i["contact"]["name"] for i in infoview_json(tmp_path, "list", "--state", "planned", now=NOW)] == ["Sam"]
    assert "infoview.registry" not in modules_after(tmp_path, "list", "--state", "planned", now=NOW)
    assert "infoview.registry" in modules_after(tmp_path, "list", "--state", "held", now=NOW)


@pytest.mark.parametrize("command", [("show",), ("history",), ("confirm",), ("outbox", "retry")])
def test_an_id_past_what_the_store_holds_is_a_usage_error(tmp_path: Path, command: tuple[str, ...]):
    r = infoview(tmp_path, *command, str(2**63), now=NOW)
    assert r.code == 2 and "is not in the range 1<=x<=9223372036854775807" in r.err, r.err


@pytest.mark.parametrize(("data", "expected"), [
    ("minutes: -5\n", "minutes: should be greater than or equal to 1 (got -5)"),
    ("minutes: 100000\n", "minutes: should be less than or equal to 1440 (got 100000)"),
    ("reason: [a, b]\n", "reason: should be a valid string (got ['a', 'b'])"),
    ("where: {x: 1}\n", "where: should be a valid string"),
    ("timezone: null\n", "timezone: should have a value, not null"),
    ("mode: teleport\n", "mode: should be 'video', 'phone' or 'in-person'"),
])
def test_fire_data_past_the_bounds_is_refused_and_changes_nothing(tmp_path: Path, data: str, expected: str):
    home = tmp_path / "home"
    infoview(home, "plan", "Jane", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    file = tmp_path / "data.yaml"
    file.write_text("start: 2026-11-12T10:00\n" + data)
    line = one_line(home, "fire", "1", "reschedule", "--data", str(file), code=1)
    assert line.startswith(f"{file}: ") and expected in line and line.endswith("; nothing was changed"), line
    assert [e["event"] for e in infoview_json(home, "history", "1", now=NOW)] == ["plan"]


def test_fire_data_with_a_time_far_out_is_refused(tmp_path: Path):
    infoview(tmp_path, "plan", "Jane", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    file = tmp_path / "data.yaml"
    file.write_text("start: 9999-01-01T10:00\n")
    assert one_line(tmp_path, "fire", "1", "reschedule", "--data", str(file), code=2) == (
        "'9999-01-01T10:00' is out of range; use a date between 1970 and 2200")
    assert [e["event"] for e in infoview_json(tmp_path, "history", "1", now=NOW)] == ["plan"]
