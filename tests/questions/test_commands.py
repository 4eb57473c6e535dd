"""The plugin's CLI commands (`questions list|show`, `prep`, `thanks`, `report`) through the real
CLI, against a real home: interviews planned and moved by the Engine with a fixed clock."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

from cli_support import CLI, infoview
from infoview.clock import Clock
from infoview.engine import Engine
from infoview.inputs import PlanInput

UTC = timezone.utc
# A Tuesday, 13:00 UTC = 14:00 in Berlin (CET, winter time).
START = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
NOW = START - timedelta(days=1)

# A workflow of the user's own (in <home>/workflows/) that attaches more sets than the shipped
# one: an ask set to `planned` and another to `confirmed`.
WORKFLOW = """\
name: prep-check
initial: planned
states:
  planned:   {questions: [prepare-answers, questions-to-ask, ask-industry]}
  confirmed: {questions: [ask-advice]}
  held:      {not_before: start}
  noted:     {questions: [interview-notes], requires: [notes.learned]}
  evaluated: {questions: [evaluation], requires: [evaluation.next_actions]}
  cancelled: {final: true}
transitions:
  - {event: confirm,  from: planned,            to: confirmed}
  - {event: cancel,   from: [planned, confirmed], to: cancelled}
  - {event: hold,     from: [planned, confirmed], to: held}
  - {event: note,     from: [held, noted],      to: noted}
  - {event: evaluate, from: [noted, evaluated], to: evaluated}
"""


def plan(engine: Engine, start: datetime) -> int:
    data = PlanInput(name="Sam Lee", company="Acme Analytics", title="Data Lead", email="sam@acme.test",
                     start=start, timezone="Europe/Berlin", where="https://meet.example.test/abc",
                     goals=["learn how the data team hires juniors"]).event_data()
    return engine.plan(data, "prep-check").interview.id


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """Interview 1: confirmed, tomorrow. Interview 2: held three days ago and noted."""
    home = tmp_path / "home"
    (home / "workflows").mkdir(parents=True)
    (home / "workflows" / "prep-check.yaml").write_text(WORKFLOW)
    clock = Clock(fixed=START - timedelta(days=7))
    engine = Engine(home, clock)
    assert plan(engine, START) == 1
    assert plan(engine, START - timedelta(days=3)) == 2
    clock.set(START - timedelta(days=5))
    engine.fire(1, "confirm")
    clock.set(START - timedelta(days=3, minutes=-25))
    engine.fire(2, "hold")
    engine.fire(2, "note", {"notes": {"learned": ["Teams hire from meetups"]}})
    engine.store.close()
    return home


@pytest.fixture
def run(iv: CLI) -> Callable[..., Any]:
    """The CLI in-process on `home`, a day before interview 1."""
    return lambda *args: iv(*args, now=NOW.isoformat())


def test_questions_list(run: Callable[..., Any]) -> None:
    result = run("questions", "list")
    assert result.code == 0
    assert "ask-career-path" in result.out and "prepare-answers" in result.out
    data = json.loads(run("questions", "list", "--json").out)
    assert {"id": "evaluation", "title": "Evaluating how it went", "purpose": "evaluate", "questions": 7} in data


def test_questions_show_text_and_json(run: Callable[..., Any]) -> None:
    text = run("questions", "show", "interview-notes").out
    assert "learned" in text and "What did you learn?" in text and "[required, one per line]" in text
    data = json.loads(run("questions", "show", "ask-advice", "--json").out)
    assert data["purpose"] == "ask" and len(data["questions"]) >= 8


def test_unknown_set_is_one_line_with_a_suggestion(home: Path) -> None:
    result = infoview(home, "questions", "show", "ask-advise")   # a real process: exit code and stderr
    assert result.code == 1 and result.out == ""
    assert result.err == "unknown question set 'ask-advise'; did you mean 'ask-advice'?; " \
                            "see 'infoview questions list'\n"


def test_prep_shows_planned_sets_plus_the_current_states_ask_sets(run: Callable[..., Any]) -> None:
    md = run("prep", "1").out
    assert "# Preparation brief: Sam Lee" in md and "(in 1 days)" not in md and "(in 24 h)" in md
    for title in ("## Be ready to answer", "## Questions to ask (a short list)",
                  "## Ask: the industry and its business issues", "## Ask: their advice"):
        assert title in md
    assert md.index("## Be ready to answer") < md.index("## Questions to ask")
    data = json.loads(run("prep", "2", "--format", "json").out)
    # The notes set attached to `noted` is not preparation material.
    assert [s["id"] for s in data["sets"]] == ["prepare-answers", "questions-to-ask", "ask-industry"]


def test_prep_of_an_unknown_interview_is_one_line(run: Callable[..., Any]) -> None:
    result = run("prep", "9")
    assert result.code != 0 and result.out == ""
    assert result.err.startswith("no interview 9") and len(result.err.splitlines()) == 1


def test_thanks_uses_the_notes_and_the_home_template(run: Callable[..., Any], home: Path) -> None:
    assert "- Teams hire from meetups" in run("thanks", "2").out
    (home / "templates").mkdir()
    (home / "templates" / "thanks.txt").write_text("Cheers {contact.first_name}: {notes.learned}\n")
    assert run("thanks", "2").out == "Cheers Sam: Teams hire from meetups\n"


def test_report_text_and_json(run: Callable[..., Any], home: Path) -> None:
    text = run("report").out
    assert text.startswith("Interviews: 2\n") and "confirmed   1" in text and "planned     0" in text
    data = json.loads(infoview(home, "report", "--json", now=NOW.isoformat(), check=True).out)
    assert data["counts"]["noted"] == 1
