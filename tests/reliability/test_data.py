"""Data safety: export/import round trip through a fresh home, all-or-nothing imports, a backup
taken while another process writes, and private file modes in the home."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
from pathlib import Path

from cli_support import infoview, infoview_json
from support import integrity, start_worker

NOW = "2026-11-01T09:00Z"
LATER = "2026-11-05T12:00Z"


def populated(home: Path) -> list[int]:
    """Three interviews through plan, confirm, reschedule, cancel, hold, note and two ticks (in
    process, for speed: what is tested here is export and import through the CLI)."""
    from datetime import datetime

    from infoview.inputs import parse_when
    from support import engine, plan_data

    at = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    eng = engine(home, at(NOW))
    eng.plan(plan_data("Jane Doe", parse_when("2026-11-03T10:00", "Europe/Berlin"), "Europe/Berlin", company="Acme",
                       email="jane@acme.test", goals=["Learn the path into data"]), dispatch=False)
    eng.plan(plan_data("Sam Roe", parse_when("2026-11-04T15:30", "America/New_York"), "America/New_York",
                       referred_by=1), dispatch=False)
    eng.plan(plan_data("Ann Lee", parse_when("2026-11-20T09:00", "UTC"), "UTC"), dispatch=False)
    eng.fire(1, "confirm", dispatch=False)
    eng.fire(2, "reschedule", {"start": parse_when("2026-11-04T16:00", "America/New_York").isoformat(),
                               "reason": "their call"}, dispatch=False)
    eng.fire(3, "cancel", {"reason": "changed plans"}, dispatch=False)
    eng.clock.set(at("2026-11-03T10:30:00.123456Z"))   # a time with microseconds survives the round trip
    eng.tick(dispatch=False)
    eng.fire(1, "hold", dispatch=False)
    eng.clock.set(at(LATER))
    eng.fire(1, "note", {"notes": {"learned": ["Most came from analytics"], "issues": ["data quality"]}}, dispatch=False)
    eng.tick(dispatch=False)
    eng.store.close()
    return [1, 2, 3]


def views(home: Path, ids: list[int]) -> dict[str, object]:
    out: dict[str, object] = {"list": infoview_json(home, "list", now=LATER)}
    for i in ids:
        out[f"history {i}"] = infoview_json(home, "history", str(i), now=LATER)
    return out


def test_json_export_imports_into_a_fresh_home_with_identical_views(tmp_path):
    home, fresh = tmp_path / "home", tmp_path / "fresh"
    ids = populated(home)
    dump = tmp_path / "export.json"
    infoview(home, "export", "--format", "json", "-o", str(dump), now=LATER, check=True)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    done = infoview(fresh, "import", str(dump), now=LATER, check=True)
    assert done.out.startswith("imported 3 interviews")
    original = views(home, ids)
    assert views(fresh, ids) == original
    assert infoview_json(fresh, "agenda", "--days", "400", now=LATER) == infoview_json(home, "agenda", "--days", "400",
                                                                                       now=LATER)
    # the timers that fired before the export do not fire again in the new home
    assert infoview_json(fresh, "tick", now=LATER) == []

    again = infoview(fresh, "import", str(dump), now=LATER)
    assert again.code == 1
    assert again.err.strip().startswith("this home already has interview 1, 2, 3; nothing was imported")
    assert infoview_json(fresh, "list", now=LATER) == original["list"]


def test_a_broken_import_imports_nothing(tmp_path):
    home = tmp_path / "home"
    populated(home)
    doc = json.loads(infoview(home, "export", now=LATER, check=True).out)
    doc["interviews"][2]["events"][1]["data"] = {"start": "not a time"}    # the last interview is broken
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    fresh = tmp_path / "fresh"
    proc = infoview(fresh, "import", str(bad), now=LATER)
    assert proc.code == 1 and proc.err.count("\n") == 1, proc.err
    assert "interview 3" in proc.err and "nothing was imported" in proc.err
    assert infoview_json(fresh, "list", now=LATER) == []
    for junk in (b"\xff\xfe", b"[]", b'{"format": "infoview-export", "version": 1, "interviews": [{"id": 1}]}',
                 b'{"format": "infoview-export", "version": 1, "interviews": [{"id": 1, "events": [{"seq": 1,'
                 b' "event": "plan", "from": null, "to": "planned", "at": "2026-01-01T00:00:00+00:00", "source": "x",'
                 b' "data": {"workflow": "informational-interview", "contact": {"name": "x"}, "start":'
                 b' "2026-02-01T00:00:00+00:00", "timezone": "../../etc/passwd", "minutes": 20, "mode": "video"}}]}]}'):
        bad.write_bytes(junk)
        proc = infoview(fresh, "import", str(bad), now=LATER)
        assert proc.code != 0 and proc.err.count("\n") == 1, proc.err
    assert infoview_json(fresh, "list", now=LATER) == []


def test_csv_export_has_one_row_per_interview(tmp_path):
    home = tmp_path / "home"
    populated(home)
    rows = list(csv.DictReader(io.StringIO(infoview(home, "export", "--format", "csv", now=LATER, check=True).out)))
    assert [(r["id"], r["name"], r["state"]) for r in rows] == [("1", "Jane Doe", "noted"), ("2", "Sam Roe", "planned"),
                                                                 ("3", "Ann Lee", "cancelled")]
    # every entry, with when it was added, as `show --json` has them
    assert [e["text"] for e in json.loads(rows[0]["notes"])["learned"]] == ["Most came from analytics"]
    assert all(e["at"] for e in json.loads(rows[0]["notes"])["learned"])


def test_csv_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote(tmp_path):
    home = tmp_path / "home"
    formula, note = '=HYPERLINK("http://x.test")', "\x1b]0;owned\x07 kept exact"
    infoview(home, "plan", formula, "--company", "@SUM(A1)", "--title", "-2+3", "--goal", "+1",
             "--at", "2026-11-03T10:00", "--tz", "UTC", now=NOW, check=True)
    infoview(home, "cancel", "1", "--reason", note, now=NOW, check=True)
    out = tmp_path / "out.csv"
    infoview(home, "export", "--format", "csv", "-o", out, now=NOW, check=True)
    [row] = csv.DictReader(io.StringIO(out.read_text()))
    assert (row["name"], row["company"], row["title"], row["goals"]) == (f"'{formula}", "'@SUM(A1)", "'-2+3", "'+1")
    assert row["start"] == "2026-11-03T10:00:00+00:00" and row["minutes"] == "20"   # nothing else changes
    # standard output carries the same data, exactly: an export is data, not a message
    assert infoview(home, "export", "--format", "csv", now=NOW, check=True).out == out.read_text()
    assert row["reason"] == note
    # the JSON export, for `infoview import`, keeps every value as stored
    exported = json.loads(infoview(home, "export", now=NOW, check=True).out)
    [plan_event, _cancel] = exported["interviews"][0]["events"]
    assert plan_event["data"]["contact"]["name"] == formula


def test_backup_while_another_process_writes(tmp_path):
    home = tmp_path / "home"
    infoview(home, "plan", "Busy Bee", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    writer = start_worker(home, seed=1, ops=60, interviews=1, nows=[NOW, "2026-11-10T10:30Z"])
    try:
        backups = []
        for n in range(2):
            target = tmp_path / f"backup-{n}.db"
            infoview(home, "db", "backup", str(target), now=NOW, check=True)
            backups.append(target)
    finally:
        _out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    for target in backups:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert integrity(target) == "ok"
        conn = sqlite3.connect(target)
        assert conn.execute("SELECT COUNT(*) FROM events WHERE interview_id=1").fetchone()[0] >= 1
        conn.close()


def test_the_home_is_private(tmp_path):
    for first, then in ((["calendar", "url"], ["plan", "Y", "--at", "2026-11-10T10:00", "--tz", "UTC"]),
                        (["plan", "X", "--at", "2026-11-10T10:00", "--tz", "UTC"], ["calendar", "url"])):
        home = tmp_path / first[0] / "nested" / "home"
        infoview(home, *first, now=NOW, check=True)
        infoview(home, *then, now=NOW, check=True)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, first
        files = [p for p in home.rglob("*") if p.is_file()]
        assert {p.name for p in files} >= {"infoview.db", "calendar-token"}
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p, oct(p.stat().st_mode))
