"""The preparation brief: everything to review in the hour before an informational interview.

`build_brief` gathers it as plain data (the JSON of `infoview prep --format json`);
`render_brief_md` and `short_brief` turn that into text. The advice is career-centre practice
(see docs/questions.md), phrased for this interview: its mode, its minutes, its local times.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from infoview import Interview, QuestionSet
from infoview.config import yours_and_theirs
from infoview.meanings import WorkflowMeanings, meaning_of
from infoview.model import iso

EARLY_MINUTES = "5-10"


def local_time(when: datetime) -> str:
    """'Tue 3 Mar 2026, 14:00 CET': readable, with the zone so nobody joins an hour off."""
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M} {when.tzname()}"


def until(now: datetime, start: datetime) -> str:
    """How far away the start is, roughly, in words."""
    delta = start - now
    past = delta < timedelta(0)
    delta = abs(delta)
    if delta < timedelta(hours=1):
        amount = f"{int(delta.total_seconds() // 60)} min"
    elif delta < timedelta(days=2):
        amount = f"{int(delta.total_seconds() // 3600)} h"
    else:
        amount = f"{delta.days} days"
    return f"{amount} ago" if past else f"in {amount}"


def build_brief(interview: Interview, sets: list[QuestionSet], now: datetime,
                meanings: WorkflowMeanings | None = None, zone: str | None = None) -> dict[str, Any]:
    """The brief as data. `sets` are the question sets to include, in order (answer sets first
    reads best); `now` only phrases how far away the interview is. `meanings` says what the
    states of each workflow mean; None: those of the shipped workflow. `zone`: the one you read
    times in (the engine's `zone`); None: the interview's own."""
    if meanings is None:
        from infoview.workflows import shipped_meanings

        meanings = shipped_meanings()
    c = interview.contact
    yours = zone or interview.timezone
    return {
        "interview": interview.id,
        "state": interview.state,
        "contact": c.to_dict(),
        "when": {
            "start": iso(interview.local_start),
            "end": iso(interview.local_end),
            "local": local_time(interview.local_start),
            # yours first, theirs beside it when the clocks differ: what the markdown shows
            "yours": yours_and_theirs(interview.start, interview.timezone, yours),
            "timezone": interview.timezone,
            "minutes": interview.minutes,
            "relative": until(now, interview.start),
        },
        "mode": interview.mode,
        # every entry recorded so far (a brief read again after the conversation shows them all)
        "recorded": {section: {key: [e.text for e in entries] for key, entries in getattr(interview, section).items()}
                     for section in ("notes", "evaluation") if getattr(interview, section)},
        "where": interview.where,
        "goals": list(interview.goals),
        "research": research_checklist(interview),
        "overview": overview_prompt(interview),
        "bring": what_to_bring(interview),
        "timing": timing_advice(interview, meaning_of(interview, meanings), yours),
        "sets": [
            {
                "id": s.id, "title": s.title, "purpose": s.purpose, "description": s.description,
                "questions": [{"key": q.key, "text": q.text, "hint": q.hint} for q in s.questions],
            }
            for s in sets
        ],
    }


def research_checklist(interview: Interview) -> list[str]:
    c = interview.contact
    company = c.company or "their organisation"
    person = f"{c.name}'s background" + (f" and what a {c.title} does there" if c.title else "")
    return [
        f"{person}: their profile, talks or articles, shared connections",
        f"{company}: what it offers, who its customers are, how it is organised",
        f"Recent news about {company} and its field from the last few months",
        "Two or three points from your research to mention, so they see you prepared",
    ]


def overview_prompt(interview: Interview) -> str:
    return ("Open with about two minutes on yourself: where you are now, what you have done, what draws "
            f"you to this field{' and to ' + interview.contact.company if interview.contact.company else ''}, "
            "and what you hope to learn today.")


def what_to_bring(interview: Interview) -> list[str]:
    items = ["A notebook and a pen, to take notes as you talk",
             "A copy of your resume, but offer it only if they ask for it"]
    if interview.mode == "in-person":
        items.append("Your business card, if you have one; ask for theirs at the end")
    elif interview.mode == "video":
        items.append("The call link, and a quiet room with working camera and sound")
    else:
        items.append("Their number, and a quiet place with good reception")
    return items


def timing_advice(interview: Interview, means: str, zone: str | None = None) -> list[str]:
    """Etiquette for the day; confirming only while the state means unconfirmed. Clock times in
    `zone` (yours; None: the interview's), the clock you will look at."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone or interview.timezone)
    start, end = interview.start.astimezone(tz), interview.end.astimezone(tz)
    confirm_day = start - timedelta(days=1)
    advice = []
    if means == "unconfirmed":
        advice.append(f"Confirm the day before ({confirm_day:%a} {confirm_day.day} {confirm_day:%b}): "
                      "time, place or link, and how to spell their name and title")
    arrive = {"in-person": f"Arrive {EARLY_MINUTES} minutes early and be courteous to everyone you meet",
              "video": f"Join {EARLY_MINUTES} minutes early and test the call"}.get(
        interview.mode, f"Be ready {EARLY_MINUTES} minutes early, somewhere quiet")
    advice.append(f"{arrive} (by {start - timedelta(minutes=10):%H:%M})")
    advice.append(f"Keep to the {interview.minutes} minutes you asked for: at {end:%H:%M} offer to end; "
                  "carry on only if they suggest it")
    advice.append("Never ask for a job: you are there to learn and to build a relationship")
    advice.append("Write your notes right after, and send a thank-you note within 24 hours")
    return advice


def render_brief_md(brief: dict[str, Any]) -> str:
    c, w = brief["contact"], brief["when"]
    who = c["name"] + (f", {c['title']}" if c.get("title") else "") + (f" at {c['company']}" if c.get("company") else "")
    lines = [f"# Preparation brief: {c['name']}", "", f"- **Who:** {who}"]
    if c.get("email"):
        lines.append(f"- **Email:** {c['email']}")
    lines += [
        f"- **When:** {w['yours']} ({w['relative']}), {w['minutes']} minutes",
        f"- **How:** {brief['mode']}" + (f", {brief['where']}" if brief.get("where") else ""),
        "", "## Your goals", "",
    ]
    lines += [f"- {g}" for g in brief["goals"]] or ["- (none set yet: decide what you want to learn)"]
    lines += ["", "## Research first", ""] + [f"- [ ] {r}" for r in brief["research"]]
    lines += ["", "## Your two-minute overview", "", brief["overview"]]
    lines += ["", "## What to bring", ""] + [f"- {b}" for b in brief["bring"]]
    lines += ["", "## Timing and manners", ""] + [f"- {t}" for t in brief["timing"]]
    for section, answers in brief.get("recorded", {}).items():
        lines += ["", f"## Your {section} so far", ""]
        lines += [f"- {key}: {text}" for key, texts in answers.items() for text in texts]
    for s in brief["sets"]:
        lines += ["", f"## {s['title']}", ""]
        if s.get("description"):
            lines += [s["description"].strip(), ""]
        for i, q in enumerate(s["questions"], 1):
            lines.append(f"{i}. {q['text']}" + (f"  \n   _{q['hint']}_" if q.get("hint") else ""))
    return "\n".join(lines) + "\n"


def short_brief(interview: Interview) -> str:
    """A few plain lines for a notification body (the `{brief}` template field)."""
    c = interview.contact
    who = c.name + (f" ({c.company})" if c.company else "")
    lines = [f"{who}, {local_time(interview.local_start)}, {interview.minutes} min, {interview.mode}"
             + (f": {interview.where}" if interview.where else "")]
    if interview.goals:
        lines.append("Goals: " + "; ".join(interview.goals))
    lines.append(f"Be there {EARLY_MINUTES} min early, offer to end after {interview.minutes} min, "
                 "never ask for a job.")
    lines.append(f"Full brief: infoview prep {interview.id}")
    return "\n".join(lines)
