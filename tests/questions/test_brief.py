"""The preparation brief shows who, when (in their zone), the goals, the checklist, the timing
advice and the questions, and the `{brief}` template field gives a short version."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Callable

from infoview import templates
from infoview.model import Interview
from infoview.plugins.questions.brief import build_brief, render_brief_md
from infoview.plugins.questions.setfiles import builtin_sets

MakeInterview = Callable[..., Interview]


def sets(*ids: str) -> list:
    found = {s.id: s for s in builtin_sets()}
    return [found[i] for i in ids]


def test_markdown_brief_has_contact_time_goals_advice_and_questions(make_interview: MakeInterview, start: datetime) -> None:
    interview = make_interview()
    md = render_brief_md(build_brief(interview, sets("prepare-answers", "ask-career-path"),
                                     start - timedelta(days=2)))
    assert "Sam Lee, Data Lead at Acme Analytics" in md
    assert "sam@acme.test" in md
    assert "Tue 2026-03-03 14:00 CET (in 2 days), 20 minutes" in md   # its time with its zone
    assert "video, https://meet.example.test/abc" in md
    assert "- learn how the data team hires juniors" in md
    assert "Recent news about Acme Analytics" in md
    assert "notebook and a pen" in md and "only if they ask" in md
    assert "Confirm the day before (Mon 2 Mar)" in md
    assert "Join 5-10 minutes early and test the call (by 13:50)" in md
    assert "Keep to the 20 minutes you asked for: at 14:20 offer to end" in md
    assert "Never ask for a job" in md
    assert "## Be ready to answer" in md and "Your two-minute overview of yourself" in md
    assert "## Ask: their career path" in md and "What do you wish you had known when you started?" in md
    # Questions are grouped under their set, in the order given.
    assert md.index("## Be ready to answer") < md.index("## Ask: their career path")


def test_in_person_brief_says_arrive_and_bring_a_card(make_interview: MakeInterview, start: datetime) -> None:
    interview = make_interview(mode="in-person", where="Acme, 4 Quay St", minutes=30, state="confirmed")
    brief = build_brief(interview, [], start - timedelta(hours=3))
    md = render_brief_md(brief)
    assert "Arrive 5-10 minutes early" in md and "business card" in md
    assert "at 14:30 offer to end" in md
    assert "Confirm the day before" not in md        # already confirmed
    assert "(in 3 h)" in md


def test_json_brief_is_plain_data(make_interview: MakeInterview, start: datetime) -> None:
    brief = build_brief(make_interview(), sets("questions-to-ask"), start - timedelta(days=1))
    again = json.loads(json.dumps(brief))
    assert again["contact"]["name"] == "Sam Lee"
    assert again["when"]["start"] == "2026-03-03T14:00:00+01:00"
    assert again["goals"] == ["learn how the data team hires juniors"]
    assert again["sets"][0]["id"] == "questions-to-ask"
    assert again["sets"][0]["questions"][0]["key"] == "path"


def test_brief_without_goals_nudges_to_set_them(make_interview: MakeInterview, start: datetime) -> None:
    md = render_brief_md(build_brief(make_interview(goals=[]), [], start))
    assert "none set yet" in md


def test_brief_template_field_is_short_plain_text(make_interview: MakeInterview, start: datetime) -> None:
    from infoview.plugins.questions.fields import template_fields

    fields = {spec.name: spec for spec in template_fields()}
    assert templates.check("Tomorrow: {brief}", fields) == []
    text = templates.render("{brief}", make_interview(id=7), fields)
    assert text.splitlines()[0] == ("Sam Lee (Acme Analytics), Tue 3 Mar 2026, 14:00 CET, 20 min, video: "
                                    "https://meet.example.test/abc")
    assert "Goals: learn how the data team hires juniors" in text
    assert "never ask for a job" in text and "infoview prep 7" in text
    assert "#" not in text and len(text) < 400


def test_the_brief_shows_every_note_recorded_so_far(make_interview: MakeInterview, start: datetime) -> None:
    interview = make_interview(state="noted", notes={"learned": ["budgets are set in spring", "SQL first"],
                                                     "issues": ["churn"]})
    brief = build_brief(interview, [], start)
    assert brief["recorded"] == {"notes": {"learned": ["budgets are set in spring", "SQL first"],
                                           "issues": ["churn"]}}
    text = render_brief_md(brief)
    assert "## Your notes so far" in text
    assert "- learned: budgets are set in spring\n- learned: SQL first\n- issues: churn" in text
    assert "so far" not in render_brief_md(build_brief(make_interview(), [], start))
