"""A custom workflow's states show in the feed as what they mean (`means:` in the workflow file),
not as whatever the shipped workflow's state of the same name would show: the example workflows
from examples/workflows/, copied into the home, through `infoview calendar export`."""
from __future__ import annotations

import shutil
from pathlib import Path

import icalendar
import pytest

from cli_support import CLI, ROOT, write

START = "2026-03-10T10:00:00+00:00"
AFTER = "2026-03-10T10:30:00+00:00"   # the 20-minute talk has just ended


@pytest.fixture
def home_with_examples(iv: CLI) -> CLI:
    (iv.home / "workflows").mkdir()
    for name in ("coffee-chat", "mentor-checkin"):
        shutil.copy(ROOT / "examples" / "workflows" / f"{name}.yaml", iv.home / "workflows")
    write(iv.home / "config.toml", "[calendar]\nalarms = true\ntodos = true\n")
    return iv


def plan(iv: CLI, name: str, workflow: str) -> int:
    return iv.plan(name, "--workflow", workflow, at=START[:16], tz="UTC")


def export(iv: CLI, tmp_path: Path) -> icalendar.Calendar:
    target = tmp_path / "feed.ics"
    iv("calendar", "export", "-o", target, now=AFTER).ok()
    return icalendar.Calendar.from_ical(target.read_bytes())


def by_uid(cal: icalendar.Calendar, kind: str) -> dict[str, icalendar.cal.Component]:
    return {str(c["UID"]): c for c in cal.walk(kind)}


def test_each_state_shows_as_what_it_means(home_with_examples: CLI, tmp_path: Path) -> None:
    iv = home_with_examples
    shipped = iv.plan("Ada Shipped", at=START[:16], tz="UTC")            # planned: unconfirmed
    chat = plan(iv, "Ben Coffee", "coffee-chat")                         # planned: confirmed, no confirming step
    off = plan(iv, "Cy Mentor", "mentor-checkin")
    iv("fire", off, "call-off").ok()                                      # called-off: cancelled
    met = plan(iv, "Di Mentor", "mentor-checkin")
    iv("fire", met, "meet", now=AFTER).ok()                               # met: held

    cal = export(iv, tmp_path)
    events = by_uid(cal, "VEVENT")
    status = {i: str(events[f"interview-{i}@infoview"]["STATUS"]) for i in (shipped, chat, off, met)}
    assert status == {shipped: "TENTATIVE", chat: "CONFIRMED", off: "CANCELLED", met: "CONFIRMED"}
    # No alarm for the called-off check-in; a thank-you to-do only for the one that took place.
    alarmed = {uid for uid, ev in events.items() if ev.walk("VALARM")}
    assert alarmed == {f"interview-{i}@infoview" for i in (shipped, chat, met)}
    todos = by_uid(cal, "VTODO")
    assert list(todos) == [f"interview-{met}-thank-you@infoview"]
    assert str(todos[f"interview-{met}-thank-you@infoview"]["SUMMARY"]) == "Send a thank-you note to Di Mentor"


def test_a_workflow_that_says_nothing_gets_the_defaults(iv: CLI, tmp_path: Path) -> None:
    """No `means:` anywhere: the initial state is tentative, a final state counts as done
    (confirmed in the calendar), unless it is named `cancelled`."""
    write(iv.home / "workflows" / "quiet.yaml", """\
name: quiet
initial: asked
states:
  asked: {}
  dropped: {final: true}
  cancelled: {final: true}
transitions:
  - {event: drop, from: asked, to: dropped}
  - {event: cancel, from: asked, to: cancelled}
""")
    asked, dropped, cancelled = (plan(iv, name, "quiet") for name in ("Ed Asked", "Flo Dropped", "Gil Off"))
    iv("fire", dropped, "drop").ok()
    iv("fire", cancelled, "cancel").ok()
    events = by_uid(export(iv, tmp_path), "VEVENT")
    assert [str(events[f"interview-{i}@infoview"]["STATUS"]) for i in (asked, dropped, cancelled)] == [
        "TENTATIVE", "CONFIRMED", "CANCELLED"]
