"""A refused event says why in the user's terms: never offers the refused event as an alternative,
and a missing requirement names what to type (an option, an answers-file key, a data-file key)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli_support import CLI, texts, write
from infoview.requirements import ANSWER_OPTIONS, PLAN_OPTIONS

START, LATER = "2026-03-10T13:00:00+00:00", "2026-03-10T14:00:00+00:00"  # the planned start; an hour on

# A workflow of the user's own: a state that allows one event only, a question key with no CLI
# option, an event `note` cannot stand in for, and a requirement on the contact.
DEBRIEF = """\
name: debrief
initial: booked
states:
  booked:   {}
  met:      {not_before: start}
  noted:    {questions: [mentor-notes], requires: [notes.advice]}
  debriefed: {questions: [interview-notes], requires: [notes.learned]}
  shared:   {requires: [contact.email], final: true}
transitions:
  - {event: meet,    from: booked, to: met}
  - {event: note,    from: met,    to: noted}
  - {event: debrief, from: noted,  to: debriefed}
  - {event: share,   from: debriefed, to: shared}
"""
MENTOR_NOTES = """\
id: mentor-notes
title: What my mentor said
purpose: notes
questions:
  - key: advice
    text: What did they advise?
  - key: mood
    text: How did it feel?
"""


def allowed_now(line: str) -> list[str]:
    return re.sub(r".*; allowed now: ", "", line).split(", ")


@pytest.fixture
def debrief(iv: CLI) -> CLI:
    write(iv.home / "workflows" / "debrief.yaml", DEBRIEF)
    write(iv.home / "questions" / "mentor-notes.yaml", MENTOR_NOTES)
    return iv


def test_a_refused_event_is_never_among_those_allowed_now(iv: CLI) -> None:
    i = iv.plan()
    refused = iv.sub("hold", i)   # allowed from planned, but before the start
    assert refused.code == 1 and "'hold' is too early" in refused.line
    assert allowed_now(refused.line) == ["confirm", "reschedule", "cancel"]
    iv("hold", i, now=START).ok()
    refused = iv("note", i, "--issue", "churn", now=LATER)
    assert refused.code == 1 and allowed_now(refused.line) == ["thanked"]


def test_when_the_refused_event_was_the_only_one_nothing_else_is_allowed(debrief: CLI) -> None:
    i = debrief.plan("Kim Park", "--workflow", "debrief")
    r = debrief("fire", i, "meet")
    assert r.code == 1 and r.line.endswith("'meet' is too early: the interview starts at 2026-03-10 14:00 CET; "
                                           "allowed now: nothing else")


def test_missing_answers_name_the_option_to_give(iv: CLI) -> None:
    i = iv.plan()
    iv("hold", i, now=START).ok()
    r = iv("note", i, "--issue", "churn", now=LATER)
    assert "'note' needs an answer for 'learned': give --learned or the key 'learned' in --answers FILE" in r.line
    assert "notes.learned" not in r.line
    iv("note", i, "--learned", "a lot", now=LATER).ok()
    r = iv.sub("evaluate", i, "--went-well", "fine", now=LATER)
    assert r.code == 1 and "evaluation.next_actions" not in r.line
    assert "'evaluate' needs an answer for 'next_actions': give --next-action or the key 'next_actions'" in r.line
    iv("evaluate", i, "--next-action", "apply by Friday", now=LATER).ok()   # doing what it said works


def test_a_question_key_without_an_option_names_the_answers_file_key(debrief: CLI, tmp_path: Path) -> None:
    i = debrief.plan("Kim Park", "--workflow", "debrief")
    debrief("fire", i, "meet", now=START).ok()
    r = debrief.sub("note", i, "--answers", write(tmp_path / "mood.yaml", "mood: calm\n"), now=LATER)
    assert r.code == 1 and r.line == (f"interview {i} is met: 'note' needs an answer for 'advice': give the key "
                                      "'advice' in --answers FILE; allowed now: nothing else")
    answers = write(tmp_path / "answers.yaml", "advice: Ask for the budget first\n")
    debrief("note", i, "--answers", answers, now=LATER).ok()   # written as the message says
    assert texts(debrief.show(i)["notes"]) == {"advice": ["Ask for the budget first"]}


def test_a_requirement_with_no_cli_option_for_its_event_names_the_data_file_key(debrief: CLI,
                                                                                  tmp_path: Path) -> None:
    i = debrief.plan("Kim Park", "--workflow", "debrief")
    debrief("fire", i, "meet", now=START).ok()
    debrief("note", i, "--answers", write(tmp_path / "a.yaml", "advice: budget first\n"), now=LATER).ok()
    r = debrief.sub("fire", i, "debrief", now=LATER)
    assert r.code == 1 and r.line == (f"interview {i} is noted: 'debrief' needs an answer for 'learned': give it "
                                      "in --data FILE as notes: {learned: ...}; allowed now: nothing else")
    data = write(tmp_path / "data.yaml", "notes: {learned: how budgets are set}\n")
    debrief("fire", i, "debrief", "--data", data, now=LATER).ok()   # written as the message says


def test_a_contact_requirement_names_the_plan_option(debrief: CLI, tmp_path: Path) -> None:
    def to_debriefed(*plan_options: str) -> int:
        i = debrief.plan("Kim Park", "--workflow", "debrief", *plan_options)
        debrief("fire", i, "meet", now=START).ok()
        debrief("note", i, "--answers", write(tmp_path / "a.yaml", "advice: x\n"), now=LATER).ok()
        debrief("fire", i, "debrief", "--data", write(tmp_path / "d.yaml", "notes: {learned: y}\n"), now=LATER).ok()
        return i

    i = to_debriefed()
    r = debrief("fire", i, "share", now=LATER)
    assert r.code == 1 and f"'share' needs their email: add it with `infoview edit {i} --email ...`" in r.line
    debrief("fire", to_debriefed("--email", "kim@park.test"), "share", now=LATER).ok()
    debrief("edit", i, "--email", "kim@park.test", now=LATER).ok()   # met by editing, as the message says
    debrief("fire", i, "share", now=LATER).ok()


@pytest.mark.parametrize("command", ["note", "evaluate", "plan"])
def test_every_option_a_refusal_names_exists(iv: CLI, command: str) -> None:
    helptext = iv(command, "--help").ok().out
    if command == "plan":
        named = [option for _, option in PLAN_OPTIONS.values()]
    else:
        named = [option for (event, _), options in ANSWER_OPTIONS.items() if event == command
                 for option in options.values()]
    assert named and all(re.search(rf"{option}\b", helptext) for option in named), helptext


@pytest.mark.parametrize(("event", "section", "key", "option"), [
    (event, section, key, option) for (event, section), options in ANSWER_OPTIONS.items()
    for key, option in options.items()])
def test_each_option_a_refusal_names_fills_that_key(iv: CLI, event: str, section: str, key: str, option: str) -> None:
    i = iv.plan()
    iv("hold", i, now=START).ok()
    if event == "evaluate":
        iv("note", i, "--learned", "a lot", now=LATER).ok()
    required = {"note": ["--learned", "x"], "evaluate": ["--next-action", "x"]}[event]
    extra = [] if option == required[0] else required
    iv(event, i, option, "given", *extra, now=LATER).ok()
    assert "given" in str(iv.show(i)[section][key])
