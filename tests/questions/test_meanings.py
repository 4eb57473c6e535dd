"""`infoview report` and `infoview prep` ask of each interview what its state means (`means:` in
the workflow file): the example workflows from examples/workflows/, copied into the home, next to
the shipped one."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cli_support import CLI, ROOT, write

REPORT_AT = "2026-04-01T09:00:00+00:00"


@pytest.fixture
def iv(iv: CLI) -> CLI:
    """The CLI on a home with the example workflows in <home>/workflows/."""
    (iv.home / "workflows").mkdir()
    for name in ("coffee-chat", "mentor-checkin"):
        shutil.copy(ROOT / "examples" / "workflows" / f"{name}.yaml", iv.home / "workflows")
    return iv


def fire(iv: CLI, interview: int, event: str, at: str, data: Path | None = None) -> None:
    iv("fire", interview, event, *(["--data", data] if data else []), now=at).ok()


def test_custom_states_land_in_the_right_part_of_the_report(iv: CLI, tmp_path: Path) -> None:
    notes = write(tmp_path / "notes.yaml", "notes: {learned: [start with the data team]}\n")

    # Coffee chats have no confirming step: one starting in 5 hours asks nothing of you.
    soon = iv.plan("Ada Soon", "--workflow", "coffee-chat", at="2026-04-01T14:00", tz="UTC")
    # A coffee chat with notes is done: no evaluation is asked for, its follow-up is listed.
    done = iv.plan("Ben Done", "--workflow", "coffee-chat", at="2026-03-10T10:00", tz="UTC")
    fire(iv, done, "hold", "2026-03-10T10:15:00+00:00")
    fire(iv, done, "note", "2026-03-10T11:00:00+00:00", notes)
    fire(iv, done, "thanked", "2026-03-10T12:00:00+00:00")
    # A mentor check-in that took place 30 hours ago: notes are overdue, and thanks.
    met = iv.plan("Cy Met", "--workflow", "mentor-checkin", at="2026-03-31T02:30", tz="UTC")
    fire(iv, met, "meet", "2026-03-31T03:00:00+00:00")
    # A called-off check-in asks nothing.
    off = iv.plan("Di Off", "--workflow", "mentor-checkin", at="2026-03-31T02:30", tz="UTC")
    fire(iv, off, "call-off", "2026-03-20T09:00:00+00:00")

    report: dict[str, Any] = iv("report", "--json", now=REPORT_AT).ok().json
    assert {(x["id"], x["kind"]) for x in report["overdue"]} == {(met, "notes"), (met, "thanks")}  # not `soon`
    assert [(x["id"], x["overdue"]) for x in report["follow_ups"]] == [(done, True)]
    assert {k: n for k, n in report["counts"].items() if n} == {"planned": 1, "noted": 1, "met": 1, "called-off": 1}
    assert {i["id"]: i["state"] for i in iv("list", "--json", now=REPORT_AT).ok().json}[soon] == "planned"


def test_the_brief_asks_to_confirm_only_what_awaits_confirming(iv: CLI) -> None:
    shipped = iv.plan("Ada Shipped")
    chat = iv.plan("Ben Coffee", "--workflow", "coffee-chat")
    assert "Confirm the day before" in iv("prep", shipped).ok().out
    assert "Confirm the day before" not in iv("prep", chat).ok().out
