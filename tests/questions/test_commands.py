"""The plugin's CLI commands, mounted on a bare click group. Until the engine core lands, a
small stand-in supplies what the commands read (registry, get, interviews, clock, home); the
question sets, interviews, clock and files are the real ones."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import click
import pytest
from click.testing import CliRunner

from engine.clock import Clock
from engine.errors import InfoviewError, NotFound
from engine.model import Interview
from plugins.questions import infoview_register_commands
from plugins.questions.setfiles import builtin_sets

MakeInterview = Callable[..., Interview]


@dataclass
class State:
    questions: list[str] = field(default_factory=list)


@dataclass
class Workflow:
    states: dict[str, State]


@dataclass
class Registry:
    question_sets: dict[str, Any]
    workflows: dict[str, Workflow]


@dataclass
class StandInEngine:
    home: Path
    clock: Clock
    registry: Registry
    rows: list[Interview]

    def get(self, interview_id: int) -> Interview:
        for i in self.rows:
            if i.id == interview_id:
                return i
        raise NotFound(f"no interview {interview_id}")

    def interviews(self, states: list[str] | None = None) -> list[Interview]:
        return [i for i in self.rows if states is None or i.state in states]


@dataclass
class App:
    engine: StandInEngine


@pytest.fixture
def run(make_interview: MakeInterview, start: Any, tmp_path: Path) -> Callable[..., Any]:
    wf = Workflow({
        "planned": State(["prepare-answers", "questions-to-ask", "ask-industry"]),
        "confirmed": State(["ask-advice"]),
        "held": State(), "noted": State(["interview-notes"]), "evaluated": State(["evaluation"]),
    })
    rows = [make_interview(1, "confirmed"),
            make_interview(2, "noted", notes={"learned": ["Teams hire from meetups"]})]
    engine = StandInEngine(tmp_path, Clock(fixed=start - timedelta(days=1)),
                           Registry({s.id: s for s in builtin_sets()}, {"informational-interview": wf}), rows)
    root = click.Group("infoview")
    infoview_register_commands(cli=root)

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(root, list(args), obj=App(engine), catch_exceptions=True)
    return invoke


def test_questions_list(run: Callable[..., Any]) -> None:
    result = run("questions", "list")
    assert result.exit_code == 0
    assert "ask-career-path" in result.output and "prepare-answers" in result.output
    data = json.loads(run("questions", "list", "--json").output)
    assert {"id": "evaluation", "title": "Evaluating how it went", "purpose": "evaluate", "questions": 7} in data


def test_questions_show_text_and_json(run: Callable[..., Any]) -> None:
    text = run("questions", "show", "interview-notes").output
    assert "learned" in text and "What did you learn?" in text and "[required, one per line]" in text
    data = json.loads(run("questions", "show", "ask-advice", "--json").output)
    assert data["purpose"] == "ask" and len(data["questions"]) >= 8


def test_unknown_set_is_one_line_with_a_suggestion(run: Callable[..., Any]) -> None:
    result = run("questions", "show", "ask-advise")
    assert isinstance(result.exception, InfoviewError)
    assert str(result.exception) == "unknown question set 'ask-advise'; did you mean 'ask-advice'?; " \
                                    "see 'infoview questions list'"


def test_prep_shows_planned_sets_plus_the_current_states_ask_sets(run: Callable[..., Any]) -> None:
    md = run("prep", "1").output
    assert "# Preparation brief: Sam Lee" in md and "(in 1 days)" not in md and "(in 24 h)" in md
    for title in ("## Be ready to answer", "## Questions to ask (a short list)",
                  "## Ask: the industry and its business issues", "## Ask: their advice"):
        assert title in md
    assert md.index("## Be ready to answer") < md.index("## Questions to ask")
    data = json.loads(run("prep", "2", "--format", "json").output)
    # The notes set attached to `noted` is not preparation material.
    assert [s["id"] for s in data["sets"]] == ["prepare-answers", "questions-to-ask", "ask-industry"]


def test_thanks_uses_the_notes_and_the_home_template(run: Callable[..., Any], tmp_path: Path) -> None:
    assert "- Teams hire from meetups" in run("thanks", "2").output
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "thanks.txt").write_text("Cheers {contact.first_name}: {notes.learned}\n")
    assert run("thanks", "2").output == "Cheers Sam: Teams hire from meetups\n"


def test_report_text_and_json(run: Callable[..., Any]) -> None:
    text = run("report").output
    assert text.startswith("Interviews: 2\n") and "confirmed   1" in text and "planned     0" in text
    data = json.loads(run("report", "--json").output)
    assert data["counts"]["noted"] == 1
