"""The one write path: a timer decides once and the log says what the firings say; `plan` passes
the same plugin checks as every other event; rebuild and import go through the Engine."""
from __future__ import annotations

import textwrap
from pathlib import Path

from cli_support import CLI, write

TINY = """\
name: tiny
initial: planned
default_minutes: 240
states:
  planned:   {}
  held:      {not_before: end}
  cancelled: {final: true}
transitions:
  - {event: hold,   from: planned, to: held}
  - {event: cancel, from: planned, to: cancelled}
timers:
  - id: remind-me
    at: start - 1d
    when: [planned]
    late: 1h
    do: [{remind: {title: "Tomorrow: {contact.name}"}}]
  - id: early-hold
    at: start
    when: [planned]
    fire: hold
  - id: auto-cancel
    at: start + 1h
    when: [planned]
    fire: cancel
"""


def test_the_log_and_the_firings_agree_after_fired_missed_and_refused_timers(iv: CLI) -> None:
    write(iv.home / "workflows" / "tiny.yaml", TINY)
    i = iv.plan("Ann Alder", "--workflow", "tiny", at="2026-03-10T10:00", tz="UTC")
    # Two hours after the start: the reminder is more than its hour late (missed); `hold` is
    # refused before the end (start + 4h); the auto-cancel fires its event.
    ticked = iv("tick", "--json", now="2026-03-10T12:00:00+00:00").ok().json
    assert [(f["timer"], f["outcome"]) for f in ticked] == [
        ("remind-me", "missed"), ("early-hold", "refused"), ("auto-cancel", "fired")]
    assert "too early" in ticked[1]["detail"]
    history = iv.history(i)
    logged = {(e["data"]["timer"], e["data"]["due"], e["data"]["outcome"]) for e in history if e["event"] == "timer"}
    recorded = {(timer, due, outcome) for timer, due, outcome in
                iv.rows("SELECT timer_id, datetime(due, 'unixepoch'), outcome FROM firings")}
    assert {(t, d[:19].replace("T", " "), o) for t, d, o in logged} == recorded
    assert len(logged) == 3
    assert [e["event"] for e in history] == ["plan", "timer", "timer", "timer", "cancel"]
    assert iv.show(i)["state"] == "cancelled"
    assert iv("tick", "--json", now="2026-03-10T12:00:00+00:00").ok().json == []  # each decided once
    assert [j["action"] for j in iv("outbox", "--json").ok().json] == []  # the missed reminder sent nothing


def _refusing_plugin(site: Path) -> None:
    """A plugin distribution that refuses to plan anyone called Nobody."""
    info = site / "no_nobody-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: no-nobody\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[infoview]\nno_nobody = no_nobody\n")
    (site / "no_nobody.py").write_text(textwrap.dedent("""\
        from infoview import hookimpl

        @hookimpl
        def infoview_check_transition(interview, transition):
            if transition.event == "plan" and transition.source is None and interview.contact.name == "Nobody":
                return [f"no interviews with Nobody (into {transition.to})"]
            return []
        """))


def test_a_plugin_refusing_a_plan_leaves_no_trace(iv: CLI, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _refusing_plugin(site)
    env = {"PYTHONPATH": str(site)}
    refused = iv.sub("plan", "Nobody", "--at", "2026-03-10T14:00", "--tz", "UTC", env=env)
    assert refused.code == 1
    assert refused.line == "cannot plan this interview: no interviews with Nobody (into planned)"
    assert iv.rows("SELECT COUNT(*) FROM events") == [(0,)] and iv.rows("SELECT COUNT(*) FROM interviews") == [(0,)]
    planned = iv.sub("plan", "Somebody", "--at", "2026-03-10T14:00", "--tz", "UTC", "--json", env=env).ok()
    assert planned.json["id"] == 1  # the refused plan did not even take an id


def test_rebuild_gives_back_identical_projections_and_timers(iv: CLI) -> None:
    a = iv.plan("Ann Alder")
    b = iv.plan("Ben Birch")
    iv("confirm", a).ok()
    iv("cancel", b, "--reason", "moved away").ok()
    iv("tick", now="2026-03-09T13:30:00+00:00").ok()
    before = iv.snapshot()
    assert iv("db", "rebuild").ok().out == "rebuilt 2 interviews from the event log\n"
    assert iv.snapshot() == before
