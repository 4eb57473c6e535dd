"""A crafted import can store nothing the CLI would refuse: each poison value, and each history the
workflow could not have produced, is refused in one line naming the interview and event, and the
home is left without any of it (issue 16, point 2). Before the change the first five stored their
poison and broke `tick`, `list` or the feed afterwards."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from cli_support import infoview, infoview_json

NOW = "2026-11-01T09:00Z"
LATER = "2026-11-03T12:00Z"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One interview planned, confirmed, rescheduled and past a timer: plan, confirm, timer, reschedule."""
    home = tmp_path_factory.mktemp("source")
    infoview(home, "plan", "Jane Doe", "--at", "2026-11-02T10:00", "--tz", "Europe/Berlin", now=NOW, check=True)
    infoview(home, "confirm", "1", now=NOW, check=True)
    infoview(home, "tick", now="2026-11-02T08:30Z", check=True)
    infoview(home, "reschedule", "1", "--at", "2026-11-04T10:00", now=LATER, check=True)
    doc: dict[str, Any] = json.loads(infoview(home, "export", now=LATER, check=True).out)
    assert [e["event"] for e in doc["interviews"][0]["events"]][:3] == ["plan", "confirm", "timer"]
    return doc


def _event(doc: dict[str, Any], seq: int) -> dict[str, Any]:
    event: dict[str, Any] = doc["interviews"][0]["events"][seq - 1]
    return event


def _plan(doc: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = _event(doc, 1)["data"]
    return data


Poison = Callable[[dict[str, Any]], None]

CASES: dict[str, tuple[Poison, str]] = {
    "id past 2^63": (lambda d: d["interviews"][0].update(id=2**63),
                     "interview 9223372036854775808: id: should be less than or equal to 9223372036854775807"),
    "start far out": (lambda d: _plan(d).update(start="9999-01-01T00:00:00+00:00"),
                      "interview 1: event #1 (plan): start: is out of range; use a date between 1970 and 2200"),
    "negative minutes": (lambda d: _plan(d).update(minutes=-30),
                         "interview 1: event #1 (plan): minutes: should be greater than or equal to 1"),
    "list for a name": (lambda d: _plan(d)["contact"].update(name=["a", "b"]),
                        "interview 1: event #1 (plan): contact.name: should be a valid string"),
    "year 1 event time": (lambda d: _event(d, 2).update(at="0001-01-01T00:00:00+00:00"),
                          "interview 1: event #2: at: is out of range"),
    "text for minutes": (lambda d: _plan(d).update(minutes="30"),
                         "interview 1: event #1 (plan): minutes: should be a valid integer"),
    "null zone": (lambda d: _plan(d).update(timezone=None), "event #1 (plan): timezone: should have a value"),
    "huge name": (lambda d: _plan(d)["contact"].update(name="x" * 201),
                  "contact.name: should have at most 200 characters"),
    "referral past 2^63": (lambda d: _plan(d).update(referred_by=2**64), "referred_by: should be less than"),
    "unknown data key": (lambda d: _event(d, 2)["data"].update(colour="blue"),
                         "event #2 (confirm): colour: Extra inputs are not permitted"),
    "a gap in seq": (lambda d: _event(d, 2).update(seq=5), "event #5 (confirm): events must be numbered"),
    "time runs back": (lambda d: _event(d, 2).update(at="2026-10-01T00:00:00+00:00"),
                       "event #2 (confirm): its time 2026-10-01T00:00:00+00:00 is before the event before it"),
    "no such transition": (lambda d: _event(d, 2).update(event="evaluate", to="evaluated"),
                           "event #2 (evaluate): workflow 'informational-interview' has no 'evaluate' from 'planned' "
                           "to 'evaluated'"),
    "skips a state": (lambda d: _event(d, 2).update(to="evaluated"),
                      "has no 'confirm' from 'planned' to 'evaluated'"),
    "wrong from state": (lambda d: _event(d, 4).update(**{"from": "held"}),
                         "event #4 (reschedule): starts from 'held', but the interview was 'confirmed'"),
    "timer changes state": (lambda d: _event(d, 3).update(to="cancelled"),
                            "event #3 (timer): a timer record cannot change the state"),
    "plan into a later state": (lambda d: _event(d, 1).update(to="confirmed"),
                                "event #1 (plan): enters 'confirmed', but workflow 'informational-interview' starts "
                                "in 'planned'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_poisoned_import_is_refused_in_one_line_and_stores_nothing(tmp_path: Path, export: dict[str, Any],
                                                                     case: str):
    poison, expected = CASES[case]
    doc = copy.deepcopy(export)
    doc["interviews"].append({"id": 7, "events": copy.deepcopy(export["interviews"][0]["events"])})  # a good one too
    poison(doc)
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(doc))
    home = tmp_path / "home"
    r = infoview(home, "import", str(crafted), now=LATER)
    assert r.code == 1, (r.code, r.err)
    [line] = r.err.splitlines()
    assert line.startswith(f"{crafted}: interview ") and expected in line and line.endswith("nothing was imported"), line
    assert infoview_json(home, "list", now=LATER) == []  # all or nothing: not even the good one


def test_the_untouched_export_imports(tmp_path: Path, export: dict[str, Any]):
    crafted = tmp_path / "export.json"
    crafted.write_text(json.dumps(export))
    r = infoview(tmp_path / "home", "import", str(crafted), now=LATER, check=True)
    assert r.out.startswith("imported 1 interviews")
