"""The weekly overview: where every interview stands, what is overdue, which referrals are open,
which contacts are due a follow-up. Pure: interviews and `now` in, plain data out.

The deadlines follow the usual etiquette (docs/questions.md): confirm the day before, notes right
after, thanks within a day, evaluation within a couple of days, a first follow-up about three
weeks after the talk and then every couple of months.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Iterable

from infoview import Interview
from infoview.meanings import WorkflowMeanings, meaning_of
from infoview.model import iso

from .brief import until
from .thanks import referral_name

CONFIRM_WINDOW = timedelta(hours=24)
NOTES_AFTER = timedelta(hours=24)
THANKS_AFTER = timedelta(hours=24)
EVALUATE_AFTER = timedelta(days=2)
FIRST_FOLLOW_UP = timedelta(weeks=3)
LATER_FOLLOW_UP = timedelta(days=60)
WEEK = timedelta(days=7)
FOLLOW_UP_EVENT = "followed_up"
THANKED_EVENT = "thanked"
AFTER_TALK = ("held", "noted", "done")   # meanings (infoview.meanings) in which a thank-you is due


def _item(i: Interview, kind: str, due: datetime, message: str) -> dict[str, Any]:
    return {"id": i.id, "contact": i.contact.name, "state": i.state, "kind": kind, "due": iso(due),
            "message": message}


def overdue_items(i: Interview, now: datetime, means: str) -> list[dict[str, Any]]:
    """What is late for one interview whose state means `means`."""
    out = []
    if means == "unconfirmed" and i.start - now < CONFIRM_WINDOW:
        if i.start > now:
            out.append(_item(i, "confirm", i.start - CONFIRM_WINDOW,
                             f"starts {until(now, i.start)} and is not confirmed"))
        else:
            out.append(_item(i, "held-or-reschedule", i.start,
                             f"was due to start {until(now, i.start)}: mark it held, or reschedule"))
    if means == "held" and now - i.end > NOTES_AFTER:
        out.append(_item(i, "notes", i.end + NOTES_AFTER, f"held {until(now, i.end)} and no notes yet"))
    if means in AFTER_TALK and THANKED_EVENT not in i.happened and now - i.end > THANKS_AFTER:
        out.append(_item(i, "thanks", i.end + THANKS_AFTER,
                         f"no thank-you note recorded; the talk was {until(now, i.end)}"))
    if means == "noted" and now - i.entered > EVALUATE_AFTER:
        out.append(_item(i, "evaluate", i.entered + EVALUATE_AFTER,
                         f"notes written {until(now, i.entered)} but not evaluated"))
    return out


def last_contact(i: Interview) -> datetime:
    followed = i.happened.get(FOLLOW_UP_EVENT)
    return max(i.end, followed) if followed else i.end


def follow_up_due(i: Interview) -> datetime:
    """Three weeks after the talk for the first follow-up, then every couple of months."""
    followed = i.happened.get(FOLLOW_UP_EVENT)
    return last_contact(i) + (LATER_FOLLOW_UP if followed else FIRST_FOLLOW_UP)


_EMAIL = re.compile(r"[^\s<>(),;]+@[^\s<>(),;]+")


def _is_referral(line: str, other: Interview) -> bool:
    """Is `other`, planned on a referral from the interview that noted `line`, the one `line`
    names? By the email when the line has one, else by the whole name (any case): never by a
    part of a name, so "Sam" is not "Sam Roebuck"."""
    email = _EMAIL.search(line)
    if email and other.contact.email:
        return email.group(0).casefold() == other.contact.email.casefold()
    return referral_name(line).casefold() == " ".join(other.contact.name.split()).casefold()


def open_referrals(interviews: list[Interview]) -> list[dict[str, Any]]:
    """Referrals written in notes for which no interview has been planned yet: an interview
    counts when it was planned `--referred-by` the one whose notes name it (its identity, not
    a name found anywhere)."""
    referred: dict[int, list[Interview]] = {}
    for o in interviews:
        if o.referred_by is not None:
            referred.setdefault(o.referred_by, []).append(o)
    out = []
    for i in interviews:
        for line in i.answers("notes", "referrals"):
            if not any(_is_referral(line, o) for o in referred.get(i.id, ())):
                out.append({"from_id": i.id, "from_contact": i.contact.name, "referral": line})
    return out


def build_report(interviews: list[Interview], now: datetime, states: Iterable[str] = (),
                 meanings: WorkflowMeanings | None = None, todos: Iterable[Any] = ()) -> dict[str, Any]:
    """The report as data. `states` lists the workflow's states in order, so that states with no
    interviews still show as 0; any other state found is added after them. `meanings` says what
    the states of each workflow mean; None: those of the shipped workflow."""
    if meanings is None:
        from infoview.workflows import shipped_meanings

        meanings = shipped_meanings()
    means = {i.id: meaning_of(i, meanings) for i in interviews}
    counts: dict[str, int] = {s: 0 for s in states}
    for i in interviews:
        counts[i.state] = counts.get(i.state, 0) + 1
    by_id = {i.id: i for i in interviews}
    overdue = sorted((x for i in interviews for x in overdue_items(i, now, means[i.id])), key=lambda x: x["due"])
    referred = [{"id": i.id, "contact": i.contact.name, "state": i.state, "referred_by": i.referred_by,
                 "referred_by_contact": by_id[i.referred_by].contact.name if i.referred_by in by_id else None}
                for i in interviews if i.referred_by is not None]
    follow_ups: list[dict[str, Any]] = []
    for i in interviews:
        if means[i.id] != "done":
            continue
        due = follow_up_due(i)
        if due <= now + WEEK:
            follow_ups.append({"id": i.id, "contact": i.contact.name, "last_contact": iso(last_contact(i)),
                               "due": iso(due), "overdue": due <= now})
    follow_ups.sort(key=lambda x: x["due"])
    # Open to-dos (infoview.store.Todo), overdue ones first.
    listed = [{**t.to_dict(), "overdue": t.due is not None and t.due < now} for t in todos if t.done_at is None]
    listed.sort(key=lambda x: not x["overdue"])
    return {"now": iso(now), "total": len(interviews), "counts": counts, "overdue": overdue,
            "referred": referred, "open_referrals": open_referrals(interviews), "follow_ups": follow_ups,
            "todos": listed}


def _in_zone(text: str, zone: str) -> str:
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(text).astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def render_report_text(report: dict[str, Any], zone: str = "UTC") -> str:
    """The report for people; to-dos' due times in `zone` (yours)."""
    lines = [f"Interviews: {report['total']}"]
    lines += [f"  {state:<12}{n}" for state, n in report["counts"].items()]
    lines += ["", f"Overdue ({len(report['overdue'])}):"]
    lines += [f"  #{x['id']} {x['contact']}: {x['message']}" for x in report["overdue"]] or ["  nothing overdue"]
    lines += ["", f"Follow-ups due this week ({len(report['follow_ups'])}):"]
    lines += [f"  #{x['id']} {x['contact']}: " + ("overdue since " if x["overdue"] else "due ") + x["due"][:10]
              + f" (last contact {x['last_contact'][:10]})" for x in report["follow_ups"]] or ["  none"]
    todos = report.get("todos", [])
    late = sum(1 for x in todos if x["overdue"])
    lines += ["", f"To-dos ({len(todos)} open, {late} overdue):"]
    lines += [f"  {x['id']}. " + ("OVERDUE since " if x["overdue"] else "due " if x["due"] else "")
              + (_in_zone(x["due"], zone) + " " if x["due"] else "") + x["text"]
              + (f" (#{x['interview']})" if x["interview"] is not None else "") for x in todos] or ["  none"]
    lines += ["", f"Interviews that came from a referral ({len(report['referred'])}):"]
    lines += [f"  #{x['id']} {x['contact']} ({x['state']}), referred by "
              + (f"#{x['referred_by']} {x['referred_by_contact']}" if x["referred_by_contact"]
                 else f"#{x['referred_by']}") for x in report["referred"]] or ["  none"]
    lines += ["", f"Referrals not yet planned ({len(report['open_referrals'])}):"]
    lines += [f"  {x['referral']} (from #{x['from_id']} {x['from_contact']})"
              for x in report["open_referrals"]] or ["  none"]
    return "\n".join(lines) + "\n"
