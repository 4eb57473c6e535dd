"""Bad input: one clear line on stderr, exit 1 or 2, never a traceback (unless --debug)."""
from __future__ import annotations

import sqlite3

import pytest

from cli_support import AT, TZ


def _refused(r, code: int, line: str) -> None:
    assert r.code == code, (r.code, r.err)
    assert r.line == line
    assert "Traceback" not in r.err and r.out == ""


def test_unknown_id(iv):
    _refused(iv.sub("confirm", 42), 1, "no interview 42; `infoview list` shows the ids")
    for cmd in ("show", "history"):
        _refused(iv(cmd, 42), 1, "no interview 42; `infoview list` shows the ids")
    r = iv("confirm", "abc")
    assert r.code == 2 and "'abc' is not a valid integer" in r.err and "Traceback" not in r.err


def test_bad_datetime(iv):
    _refused(iv.sub("plan", "Jane", "--at", "next tuesday", "--tz", TZ), 2,
             "'next tuesday' is not a date and time; write e.g. 2026-12-01T10:00")
    _refused(iv("plan", "Jane", "--at", "2026-02-30T10:00", "--tz", TZ), 2,
             "'2026-02-30T10:00' is not a date and time; write e.g. 2026-12-01T10:00")
    _refused(iv("plan", "Jane", "--at", "1066-10-14T09:00", "--tz", TZ), 2,
             "'1066-10-14T09:00' is out of range; use a date between 1970 and 2200")


def test_bad_now(iv):
    _refused(iv("list", now="yesterday"), 2, "--now: 'yesterday' is not an ISO-8601 time; use e.g. 2026-12-01T09:00Z")


def test_unknown_time_zone_with_suggestion(iv):
    _refused(iv.sub("plan", "Jane", "--at", AT, "--tz", "Europe/Berlim"), 2,
             "unknown time zone 'Europe/Berlim'; did you mean 'Europe/Berlin'?")
    _refused(iv("plan", "Jane", "--at", AT, "--tz", "../../etc/passwd"), 2,
             "unknown time zone '../../etc/passwd'; use an IANA name such as Europe/Berlin")
    i = iv.plan()
    _refused(iv("reschedule", i, "--at", AT, "--tz", "Mars/Olympus"), 2,
             "unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Berlin")


def test_missing_at(iv):
    r = iv.sub("plan", "Jane", "--tz", TZ)
    assert r.code == 2 and "Missing option '--at'" in r.err and "Traceback" not in r.err
    assert iv("list", "--json").ok().json == []


def test_nonexistent_local_time_on_dst_day(iv):
    # Berlin moves its clocks from 02:00 to 03:00 on 29 March 2026: 02:30 never happens.
    _refused(iv.sub("plan", "Jane", "--at", "2026-03-29T02:30", "--tz", TZ), 2,
             "2026-03-29T02:30 does not exist in Europe/Berlin (the clocks change then); pick another time")
    # 02:30 on the day clocks go back happens twice: the first (summer time) is taken.
    i = iv.plan(at="2026-10-25T02:30")
    assert iv.show(i)["start"] == "2026-10-25T02:30:00+02:00"


@pytest.mark.parametrize("minutes", ["4", "481", "-5"])
def test_minutes_out_of_range(iv, minutes):
    r = iv("plan", "Jane", "--at", AT, "--tz", TZ, "--minutes", minutes)
    assert r.code == 2 and r.line.startswith("--minutes: should be ") and f"(got {int(minutes)})" in r.line


def test_bad_email(iv):
    _refused(iv.sub("plan", "Jane", "--at", AT, "--tz", TZ, "--email", "jane at acme"), 2,
             "--email: is not an email address (got 'jane at acme')")


def test_empty_name(iv):
    r = iv("plan", "  ", "--at", AT, "--tz", TZ)
    assert r.code == 2 and r.line.startswith("NAME: should have at least 1 character")


def test_unknown_workflow(iv):
    _refused(iv("plan", "Jane", "--at", AT, "--tz", TZ, "--workflow", "informational-interviw"), 1,
             "no workflow named 'informational-interviw'; did you mean 'informational-interview'?; "
             "`infoview workflow list` shows them")


def test_internal_error_one_line_and_traceback_with_debug(iv):
    iv.plan()
    # A corrupt projection row is an internal error, not the user's: exit 70, a pointer to --debug.
    conn = sqlite3.connect(iv.db)
    conn.execute("UPDATE interviews SET doc='{\"id\": 1}'")
    conn.commit()
    conn.close()
    r = iv.sub("show", 1)
    assert r.code == 70
    assert r.line == "internal error: KeyError: 'workflow' (run with --debug for the traceback)"
    r = iv.sub("show", 1, debug=True)
    assert r.code == 70 and "Traceback (most recent call last)" in r.err and "KeyError: 'workflow'" in r.err


def test_user_error_with_debug_has_traceback_too(iv):
    r = iv("confirm", 9, debug=True)
    assert r.code == 1 and "Traceback" in r.err and r.err.rstrip().endswith("no interview 9; `infoview list` shows the ids")


def test_not_a_database(iv):
    iv.db.write_bytes(b"this is not sqlite" * 100)
    r = iv.sub("list")
    assert r.code == 1 and "Traceback" not in r.err
    assert r.line.startswith(f"{iv.db}: cannot open the database:")


def test_bad_config_file(iv):
    (iv.home / "config.toml").write_text("timezone = \n")
    r = iv("plan", "Jane", "--at", AT)
    assert r.code == 1 and r.line.startswith(f"{iv.home / 'config.toml'}: ") and r.line.endswith("fix or remove the file")


def test_config_timezone_is_the_default(iv):
    (iv.home / "config.toml").write_text('timezone = "Asia/Tokyo"\n')
    i = int(iv("plan", "Jane", "--at", AT).ok().out)
    assert iv.show(i)["timezone"] == "Asia/Tokyo" and iv.show(i)["start"] == "2026-03-10T14:00:00+09:00"
