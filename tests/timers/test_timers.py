"""Durable timers, driven with --now across a whole interview (issue 3).

The interview: Tuesday 10 March 2026, 14:00-14:20 in Berlin (13:00-13:20 UTC), planned on 1 March.
Shipped timers: confirm (start-1d, planned, late 12h), prepare (start-1h), arrive (start-10m),
times-up (end), write-notes (end+15m), thank-you (end+3h unless thanked), evaluate (end+1d),
follow-up (end+3w, every 10w).
"""
from __future__ import annotations

import signal
from datetime import datetime, timedelta, timezone

import pytest
from cli_support import TZ, Lines, write

UTC = timezone.utc


def z(text: str) -> str:
    """`03-09 13:30` -> an ISO --now in UTC, in March 2026 (or another month)."""
    return f"2026-{text.replace(' ', 'T')}:00+00:00"


def armed(iv, now: str = z("03-01 09:00"), days: int = 400) -> list[tuple[int, str, str]]:
    return [(a["interview"], a["timer"], a["due"]) for a in iv.agenda(days=days, now=now)]


def timer_events(iv, i: int) -> list[tuple[str, str, str]]:
    return [(e["data"]["timer"], e["data"]["due"], e["data"]["outcome"]) for e in iv.history(i) if e["event"] == "timer"]


def tick(iv, now: str) -> list[dict]:
    return iv("tick", "--json", now=now).ok().json


def test_agenda_lists_exactly_the_armed_timers_in_the_interviews_zone(iv):
    i = iv.plan("Jane Doe")
    r = iv.sub("agenda", "--days", "30", "--json").ok()
    assert r.json == [
        {"interview": i, "contact": "Jane Doe", "timer": "confirm", "due": "2026-03-09T14:00:00+01:00"},
        {"interview": i, "contact": "Jane Doe", "timer": "prepare", "due": "2026-03-10T13:00:00+01:00"},
        {"interview": i, "contact": "Jane Doe", "timer": "arrive", "due": "2026-03-10T13:50:00+01:00"},
    ]
    # --days bounds the window: by 10 March 09:00 UTC only the confirm reminder is due.
    assert [a["timer"] for a in iv.agenda(days=9)] == ["confirm"]
    assert iv("agenda", "--days", "7").ok().out.strip() == "nothing in the next 7 days"
    # The text shows your zone (config.toml), and the interview's when its clock differs
    write(iv.home / "config.toml", f'timezone = "{TZ}"\n')
    text = iv("agenda", "--days", "30").ok().out.splitlines()
    assert text[0].split() == ["Mon", "2026-03-09", "14:00", "CET", "confirm", "interview", str(i), "(Jane", "Doe)"]
    # Another zone shows its own local times (New York is on summer time from 8 March).
    j = iv.plan("Sam Lee", at="2026-03-10T09:00", tz="America/New_York")
    assert (j, "confirm", "2026-03-09T09:00:00-04:00") in armed(iv)
    text = iv("agenda", "--days", "30").ok().out.splitlines()
    assert text[1].startswith("Mon 2026-03-09 14:00 CET, 09:00 in New York for them confirm ")
    write(iv.home / "config.toml", 'timezone = "America/New_York"\n')
    assert iv("agenda", "--days", "30").ok().out.splitlines()[0].startswith(
        "Mon 2026-03-09 09:00 EDT, 14:00 in Berlin for them")


@pytest.mark.both_backends
def test_tick_fires_due_timers_once(iv):
    i = iv.plan()
    r = iv.sub("tick", now=z("03-09 13:30"), env={"INFOVIEW_TZ": TZ}).ok()
    assert r.out.strip() == f"Mon 2026-03-09 14:00 CET  interview {i}  confirm        fired"
    assert iv("tick", now=z("03-09 13:30")).ok().out.strip() == "nothing due"
    assert iv("tick", now=z("03-09 18:00")).ok().out.strip() == "nothing due"
    assert timer_events(iv, i) == [("confirm", "2026-03-09T13:00:00+00:00", "fired")]
    hist = iv.history(i)[-1]
    assert hist["event"] == "timer" and hist["source"] == "timer:confirm" and hist["at"] == z("03-09 13:30")
    assert iv.show(i)["state"] == "planned"
    jobs = iv("outbox", "--json").ok().json
    assert [(j["action"], j["cause"], j["state"]) for j in jobs] == [("notify", "timer:confirm", "no-channel")]  # no apprise config in this home: recorded, visible
    assert "confirm" not in [t for _, t, _ in armed(iv)]


def test_late_timer_is_recorded_as_missed(iv):
    i = iv.plan()
    # 13 hours after the confirm reminder was due (late: 12h): too late to matter.
    firings = tick(iv, z("03-10 02:00"))
    assert [(f["timer"], f["outcome"]) for f in firings] == [("confirm", "missed")]
    assert firings[0]["detail"] == "more than 12h late"
    assert timer_events(iv, i) == [("confirm", "2026-03-09T13:00:00+00:00", "missed")]
    assert iv("outbox", "--json").ok().json == []  # a missed reminder sends nothing
    assert tick(iv, z("03-10 02:00")) == []


@pytest.mark.both_backends
def test_catch_up_after_a_pause_fires_once(iv):
    i = iv.plan()
    # Nothing ran from before the confirm reminder until 7 hours after it (within late: 12h).
    firings = tick(iv, z("03-09 20:00"))
    assert [(f["timer"], f["outcome"]) for f in firings] == [("confirm", "fired")]
    assert tick(iv, z("03-09 21:00")) == []
    # A long pause over several timers: each due one is dealt with once, by its own window.
    firings = tick(iv, z("03-10 12:55"))  # prepare 55m late (late 45m), arrive 5m late (late 8m)
    assert [(f["timer"], f["outcome"]) for f in firings] == [("prepare", "missed"), ("arrive", "fired")]
    assert len(timer_events(iv, i)) == 3


@pytest.mark.both_backends
def test_reschedule_moves_timers_and_a_fired_one_fires_again(iv):
    i = iv.plan()
    tick(iv, z("03-09 13:30"))
    r = iv("reschedule", i, "--at", "2026-03-12T16:00", now=z("03-09 14:00")).ok()
    assert r.code == 0
    assert armed(iv, now=z("03-09 14:00")) == [
        (i, "confirm", "2026-03-11T16:00:00+01:00"), (i, "prepare", "2026-03-12T15:00:00+01:00"),
        (i, "arrive", "2026-03-12T15:50:00+01:00")]
    assert tick(iv, z("03-10 13:00")) == []  # the old times fire nothing
    firings = tick(iv, z("03-11 15:01"))
    assert [(f["timer"], f["due"], f["outcome"]) for f in firings] == [
        ("confirm", "2026-03-11T15:00:00+00:00", "fired")]
    assert timer_events(iv, i) == [("confirm", "2026-03-09T13:00:00+00:00", "fired"),
                                   ("confirm", "2026-03-11T15:00:00+00:00", "fired")]


@pytest.mark.both_backends
def test_cancel_disarms_every_timer(iv):
    i = iv.plan()
    iv("confirm", i).ok()
    assert armed(iv) != []
    iv.sub("cancel", i).ok()
    assert armed(iv) == []
    assert iv("tick", now=z("06-30 00:00")).ok().out.strip() == "nothing due"
    assert timer_events(iv, i) == []


def test_leaving_a_when_state_disarms_and_entering_one_arms(iv):
    i = iv.plan()
    assert [t for _, t, _ in armed(iv)] == ["confirm", "prepare", "arrive"]
    iv("confirm", i).ok()   # confirm reminder: only while planned
    assert [t for _, t, _ in armed(iv)] == ["prepare", "arrive", "times-up", "write-notes", "thank-you"]
    iv("hold", i, now=z("03-10 13:05")).ok()
    assert [t for _, t, _ in armed(iv, now=z("03-10 13:05"))] == [
        "times-up", "write-notes", "thank-you", "evaluate"]
    iv("note", i, "--learned", "x", now=z("03-10 13:30")).ok()
    assert armed(iv, now=z("03-10 13:30")) == [
        (i, "thank-you", "2026-03-10T17:20:00+01:00"), (i, "evaluate", "2026-03-11T14:20:00+01:00"),
        (i, "follow-up", "2026-03-31T15:20:00+02:00")]  # Berlin is on summer time by then


def test_thanked_disarms_the_thank_you_timer(iv):
    i = iv.plan()
    iv("hold", i, now=z("03-10 13:05")).ok()
    assert "thank-you" in [t for _, t, _ in armed(iv, now=z("03-10 13:05"))]
    iv("thanked", i, now=z("03-10 14:00")).ok()
    assert "thank-you" not in [t for _, t, _ in armed(iv, now=z("03-10 14:00"))]
    iv("note", i, "--learned", "x", now=z("03-10 15:00")).ok()  # a new state does not re-arm it
    assert "thank-you" not in [t for _, t, _ in armed(iv, now=z("03-10 15:00"))]
    assert "thank-you" not in [f["timer"] for f in tick(iv, z("03-10 17:00"))]


def test_follow_up_repeats_every_ten_weeks(iv):
    i = iv.plan()
    iv("hold", i, now=z("03-10 13:05")).ok()
    iv("note", i, "--learned", "x", now=z("03-10 13:30")).ok()
    iv("thanked", i, now=z("03-10 13:40")).ok()
    iv("evaluate", i, "--next-action", "y", now=z("03-10 14:00")).ok()
    tick(iv, z("03-12 00:00"))
    assert [f["timer"] for f in tick(iv, z("03-31 13:30"))] == ["follow-up"]
    assert armed(iv, now=z("03-31 13:30")) == [(i, "follow-up", "2026-06-09T15:20:00+02:00")]
    assert tick(iv, z("04-30 00:00")) == []
    assert [(f["timer"], f["due"]) for f in tick(iv, z("06-09 14:00"))] == [
        ("follow-up", "2026-06-09T13:20:00+00:00")]
    assert armed(iv, now=z("06-09 14:00")) == [(i, "follow-up", "2026-08-18T15:20:00+02:00")]
    follow = [t for t in timer_events(iv, i) if t[0] == "follow-up"]
    assert [t[2] for t in follow] == ["fired", "fired"]
    # followed_up keeps the rhythm going (it is not an `unless`).
    iv("followed-up", i, now=z("06-10 09:00")).ok()
    assert armed(iv, now=z("06-10 09:00")) == [(i, "follow-up", "2026-08-18T15:20:00+02:00")]


def test_whole_interview_timeline(iv):
    """Every reminder of a conversation that goes to plan, each fired once, at its time."""
    i = iv.plan()
    fired = []
    steps = [("03-09 13:00", None), ("03-10 09:00", ("confirm",)), ("03-10 12:00", None), ("03-10 12:50", None),
             ("03-10 13:02", ("hold",)), ("03-10 13:20", None), ("03-10 13:35", None),
             ("03-10 13:50", ("note", "--learned", "x")), ("03-10 16:20", None), ("03-11 13:20", None),
             ("03-31 13:20", None)]
    for when, command in steps:
        fired += [f["timer"] for f in tick(iv, z(when))]
        if command:
            iv(command[0], i, *command[1:], now=z(when)).ok()
        fired += [f["timer"] for f in tick(iv, z(when))]
    assert fired == ["confirm", "prepare", "arrive", "times-up", "write-notes", "thank-you", "evaluate", "follow-up"]
    assert all(t[2] == "fired" for t in timer_events(iv, i))
    assert len(iv("outbox", "--json").ok().json) == 8


@pytest.mark.both_backends
def test_two_concurrent_ticks_fire_each_timer_once(iv):
    ids = [iv.plan(f"Person {n}") for n in range(6)]
    for i in ids[:3]:
        iv("confirm", i).ok()
    now = z("03-10 12:55")  # confirm (missed), prepare (missed), arrive (fired) are due
    procs = [iv.popen("tick", "--json", now=now) for _ in range(2)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
        outs.append(out)
    import json

    total = [f for out in outs for f in json.loads(out)]
    per_interview = {i: [t[0] for t in timer_events(iv, i)] for i in ids}
    for i in ids:
        expected = ["prepare", "arrive"] if i in ids[:3] else ["confirm", "prepare", "arrive"]
        assert sorted(per_interview[i]) == sorted(expected), (i, per_interview[i])
    assert len(total) == sum(len(v) for v in per_interview.values()) == 15
    jobs = iv("outbox", "--json").ok().json
    assert len(jobs) == 6 and all(j["state"] == "no-channel" for j in jobs)  # one arrive reminder each
    assert len({(j["interview"], j["cause"]) for j in jobs}) == 6


@pytest.mark.both_backends
def test_run_fires_past_timers_and_stops_on_sigterm(iv):
    real_now = datetime.now(UTC).replace(microsecond=0)
    start = real_now + timedelta(minutes=30)
    iv("plan", "Jane", "--at", start.strftime("%Y-%m-%dT%H:%M:%S"), "--tz", "UTC",
       now=(real_now - timedelta(days=2)).isoformat()).ok()
    # Due in the past: confirm (23.5 h ago: missed) and prepare (30 min ago: fired).
    proc = iv.popen("run", "--interval", "1", now=None)
    try:
        printed = Lines(proc.stdout)
        firings = [printed.next(), printed.next()]  # its first round prints both, then sleeps
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert proc.returncode == 0, err
    assert "Traceback" not in err and err.strip().endswith("infoview run: stopped")
    assert [t[0] for t in timer_events(iv, 1)] == ["confirm", "prepare"]
    assert [t[2] for t in timer_events(iv, 1)] == ["missed", "fired"]
    # "Mon 2026-03-09 13:00 UTC  interview 1  confirm  missed ...": your zone is UTC on this machine or not
    assert [line.split("  interview 1  ")[1].split()[:2] for line in firings] == [["confirm", "missed"],
                                                                                  ["prepare", "fired"]]
    assert [(j["cause"], j["state"]) for j in iv("outbox", "--json").ok().json] == [("timer:prepare", "no-channel")]


AUTO_CANCEL = """\
name: must-confirm
initial: planned
states:
  planned: {}
  confirmed: {}
  held: {}
  lapsed: {final: true}
transitions:
  - {event: confirm, from: planned, to: confirmed}
  - {event: hold, from: confirmed, to: held}
  - {event: lapse, from: planned, to: lapsed}
timers:
  - id: lapse-unconfirmed
    at: start
    when: [planned, confirmed]
    fire: lapse
"""


def test_fire_timer_fires_the_event(iv):
    write(iv.home / "workflows" / "must-confirm.yaml", AUTO_CANCEL)
    i = int(iv("plan", "Jane", "--at", "2026-03-10T14:00", "--tz", TZ, "--workflow", "must-confirm").ok().out)
    firings = tick(iv, z("03-10 13:00"))
    assert [(f["timer"], f["outcome"]) for f in firings] == [("lapse-unconfirmed", "fired")]
    h = iv.history(i)
    assert [(e["event"], e["from"], e["to"], e["source"]) for e in h[1:]] == [
        ("timer", "planned", "planned", "timer:lapse-unconfirmed"),
        ("lapse", "planned", "lapsed", "timer:lapse-unconfirmed")]
    assert iv.show(i)["state"] == "lapsed"
    assert armed(iv, now=z("03-10 13:00")) == []


def test_fire_timer_whose_event_is_no_longer_allowed_is_recorded_as_refused(iv):
    write(iv.home / "workflows" / "must-confirm.yaml", AUTO_CANCEL)
    i = int(iv("plan", "Jane", "--at", "2026-03-10T14:00", "--tz", TZ, "--workflow", "must-confirm").ok().out)
    iv("confirm", i).ok()
    r = iv.sub("tick", "--json", now=z("03-10 13:00"))
    assert r.code == 0 and "Traceback" not in r.err
    assert [(f["timer"], f["outcome"]) for f in r.json] == [("lapse-unconfirmed", "refused")]
    assert "'lapse' needs state planned" in r.json[0]["detail"]
    assert iv.show(i)["state"] == "confirmed"
    assert timer_events(iv, i) == [("lapse-unconfirmed", "2026-03-10T13:00:00+00:00", "refused")]
    assert tick(iv, z("03-10 13:00")) == []


def _bad_timer(iv, tmp_path, timer: str) -> list[str]:
    path = write(tmp_path / "t.yaml", AUTO_CANCEL.split("timers:")[0] + "timers:\n" + timer)
    r = iv("workflow", "check", path)
    assert r.code == 1 and "Traceback" not in r.err
    return [line.replace(str(path), "F", 1) for line in r.err.splitlines()]


def test_bad_timer_definitions(iv, tmp_path):
    head = "  - id: t\n"
    lines = _bad_timer(iv, tmp_path, head + "    at: start - 1 day\n    when: [planned]\n    fire: lapse\n")
    assert lines == ["F:14:9: 'start - 1 day' is not a timer time; write e.g. 'start - 1d' or 'end + 24h' (at timers[0].at)"]
    lines = _bad_timer(iv, tmp_path, head + "    at: start - 1fortnight\n    when: [planned]\n    fire: lapse\n")
    assert lines == ["F:14:9: '1fortnight' is not a duration; write e.g. 10m, 1h, 1d, 3w or 1d12h (at timers[0].at)"]
    lines = _bad_timer(iv, tmp_path, head + "    at: begin + 1h\n    when: [planned]\n    fire: lapse\n")
    assert lines == ["F:14:9: unknown anchor 'begin'; known: end, entered, start (at timers[0].at)"]
    lines = _bad_timer(iv, tmp_path, head + "    at: start\n    when: [planned, confirmd]\n    fire: lapse\n")
    assert lines == ["F:15:21: unknown state 'confirmd'; did you mean 'confirmed'? (at timers[0].when[1])"]
    lines = _bad_timer(iv, tmp_path, head + "    at: start\n    when: [planned]\n    fire: laps\n")
    assert lines == ["F:16:11: unknown event 'laps'; did you mean 'lapse'? (at timers[0].fire)"]
    lines = _bad_timer(iv, tmp_path, head + "    at: start\n    when: [planned]\n    every: 10m\n    late: soon\n"
                                            "    unless: [thankd]\n    fire: lapse\n")
    assert lines == ["F:16:12: '10m' repeats too often; use 1h or more (at timers[0].every)",
                     "F:17:11: 'soon' is not a duration; write e.g. 10m, 1h, 1d, 3w or 1d12h (at timers[0].late)",
                     "F:18:14: unknown event 'thankd'; known: confirm, hold, lapse (at timers[0].unless[0])"]
    lines = _bad_timer(iv, tmp_path, head + "    at: start\n    when: [planned]\n")
    assert lines == ["F:13:5: a timer needs `do:` (actions) or `fire:` (an event) (at timers[0])"]
