"""The demo script: three interviews walked through their lives with a moving clock."""
from __future__ import annotations

import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from infoview.cli.output import echo_exact
from infoview.clock import Clock
from infoview.engine import Engine, Firing
from infoview.inputs import PlanInput, parse_when

from .receiver import Receiver

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)  # a Monday morning


def _say(text: str = "") -> None:
    click.echo(text)


def _heading(text: str) -> None:
    echo_exact(click.style(text, bold=True))  # its own styling: not neutralised like stored text


def _step(engine: Engine, when: datetime, label: str) -> None:
    engine.clock.set(when)
    _heading(f"\n== {when:%a %d %b %H:%M} UTC: {label}")


def _tick(engine: Engine) -> None:
    for f in engine.tick():
        who = engine.get(f.interview_id).contact.name if isinstance(f, Firing) else engine.person(f.person_id).name
        _say(f"   timer {f.timer:<12} for {who}: {f.outcome}")


def _plan(engine: Engine, name: str, company: str, title: str, at: str, tz: str, **extra: Any) -> int:
    data = PlanInput(name=name, company=company, title=title, start=parse_when(at, tz), timezone=tz, **extra)
    interview = engine.plan(data.event_data()).interview
    _say(f"   planned {interview.id}: {name} ({company}), {interview.local_start:%a %d %b %H:%M} {tz}")
    return interview.id


def _fire(engine: Engine, interview_id: int, event: str, data: dict[str, Any] | None = None) -> None:
    result = engine.fire(interview_id, event, data)
    e = result.event
    change = f"{e.from_state} -> {e.to_state}" if e.from_state != e.to_state else f"{event} recorded"
    _say(f"   {result.interview.contact.name}: {event:<10} {change}")


def run_demo(home: Path, receiver: Receiver) -> None:
    (home / "apprise.yml").write_text(
        "urls:\n"
        f"  - json://127.0.0.1:{receiver.port}/reminders:\n"
        "      tag: reminders, followups\n"   # the shipped workflow's two tags, both to the demo's receiver
    )
    engine = Engine(home, Clock(fixed=T0))

    _step(engine, T0, "plan three conversations")
    jane = _plan(engine, "Jane Doe", "Acme", "Data Lead", "2026-12-09T10:00", "Europe/Berlin", mode="video",
                 where="https://meet.example/abc", email="jane@acme.test",
                 goals=["Learn how people move from analytics into data engineering"])
    sam = _plan(engine, "Sam Roe", "Beta Corp", "Staff Engineer", "2026-12-10T14:00", "America/New_York",
                mode="phone", where="+1 555 0100", referred_by=jane)
    priya = _plan(engine, "Priya Natarajan", "Gamma Health", "Product Manager", "2026-12-11T12:30", "Europe/London",
                  mode="in-person", where="Gamma Health, 1 King St, London")

    _step(engine, T0 + timedelta(days=1, hours=1), "the day before Jane's interview: reminders fire")
    _tick(engine)
    _fire(engine, jane, "confirm")
    _fire(engine, priya, "cancel", {"reason": "Priya is travelling; ask again in January"})

    jane_start = engine.get(jane).start
    _step(engine, jane_start - timedelta(hours=1), "an hour before Jane's call")
    _tick(engine)
    _step(engine, jane_start - timedelta(minutes=10), "ten minutes before Jane's call")
    _tick(engine)
    _step(engine, jane_start + timedelta(minutes=21), "the call is over")
    _tick(engine)
    _fire(engine, jane, "hold")
    _fire(engine, jane, "note", {"notes": {
        "learned": ["Most of her team came from analytics", "dbt and orchestration skills matter most"],
        "issues": ["Data quality incidents slow down every release"],
        "referrals": ["Sam Roe <sam@beta.test>"]}})
    _step(engine, jane_start + timedelta(hours=4), "later that day")
    _tick(engine)
    _fire(engine, jane, "thanked")
    sam_start = engine.get(sam).start
    _step(engine, sam_start - timedelta(days=1, minutes=-5), "the day before Sam's call")
    _tick(engine)
    _fire(engine, sam, "confirm")
    _step(engine, jane_start + timedelta(days=1, hours=2), "the next day: evaluate")
    _tick(engine)
    _fire(engine, jane, "evaluate", {"evaluation": {
        "went_well": "Kept to 20 minutes; she offered an introduction",
        "next_actions": ["Build a small dbt project by 20 Dec", "Call Sam Roe this week"]}})

    _step(engine, jane_start + timedelta(days=1, hours=3), "Sam asks to move the call (confirm it again)")
    _fire(engine, sam, "reschedule", {"start": parse_when("2026-12-14T09:30", "America/New_York").isoformat(),
                                      "reason": "conflict with a release"})

    _heading("\n== notifications that reached the local receiver")
    for message in receiver.messages:
        _say(f"   [{message.get('type', 'info')}] {message.get('title')}")
    if not receiver.messages:
        _say("   none arrived (see `infoview outbox`)")

    _show_calendar(engine)

    from infoview.plugins.questions.brief import build_brief, render_brief_md
    from infoview.plugins.questions.commands import prep_sets
    from infoview.plugins.questions.report import build_report, render_report_text

    sam_iv = engine.get(sam)
    sets = prep_sets(sam_iv, engine.registry.workflow(sam_iv.workflow), engine.registry.question_sets)
    brief = render_brief_md(build_brief(sam_iv, sets, engine.clock.now(), zone=engine.zone))
    _heading("\n== the preparation brief for Sam (first lines; `infoview prep ID`)")
    for line in brief.splitlines()[:16]:
        _say("   " + line)
    _heading("\n== the report (`infoview report`)")
    report = render_report_text(build_report(engine.interviews(), engine.clock.now(),
                                             engine.registry.workflow("informational-interview").states))
    for line in report.splitlines():
        _say("   " + line)
    engine.store.close()


def _show_calendar(engine: Engine) -> None:
    from infoview.plugins.calendar.server import serve

    _heading("\n== the calendar feed, served once on 127.0.0.1")
    ready: list[str] = []
    got_url = threading.Event()
    stop = threading.Event()

    def on_ready(url: str) -> None:
        ready.append(url)
        got_url.set()

    thread = threading.Thread(target=serve, args=(engine, "127.0.0.1", 0), daemon=True,
                              kwargs={"ready": on_ready, "stop_event": stop})
    thread.start()
    try:
        if not got_url.wait(10):
            _say("   the feed server did not start")
            return
        url = ready[0]
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()
            etag = response.headers["ETag"]
            _say(f"   GET {url.split('/calendar/')[0]}/calendar/<token>.ics -> {response.status}, "
                 f"{response.headers['Content-Type']}, {body.count('BEGIN:VEVENT')} events")
        for line in body.splitlines():
            if line.startswith(("SUMMARY", "STATUS", "SEQUENCE")):
                _say(f"     {line}")
        request = urllib.request.Request(url, headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as e:
            _say(f"   GET again with If-None-Match -> {e.code} (unchanged, nothing re-sent)")
    finally:
        stop.set()
        thread.join(timeout=10)


def run(keep: bool) -> None:
    """The demo command's body (declared in plugins/demo/__init__.py)."""
    started = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="infoview-demo-")
    home = Path(tmp)
    _say(f"infoview demo: a throwaway home in {home}; a notification receiver on 127.0.0.1")
    try:
        with Receiver() as receiver:
            run_demo(home, receiver)
    finally:
        if keep:
            _say(f"\nkept the demo home: infoview --home {home} list")
        else:
            import shutil

            shutil.rmtree(home, ignore_errors=True)
    _say(f"\ndone in {time.perf_counter() - started:.1f} s. Try it for real: infoview plan --help")
