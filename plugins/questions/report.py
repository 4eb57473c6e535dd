"""The weekly overview: where every interview stands, what is overdue, which referrals are open,
which contacts are due a follow-up. Pure: interviews (a list or a store's stream) and `now`
in, plain data out.

The deadlines follow the usual etiquette (docs/questions.md): confirm the day before, notes right
after, thanks within a day, evaluation within a couple of days, a first follow-up about three
weeks after the talk and then every couple of months.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Iterator

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


def _is_referral(line: str, name: str, email: str | None) -> bool:
    """Is the contact `name` <`email`>, planned on a referral from the interview that noted `line`,
    the one `line` names? By the email when the line has one, else by the whole name (any case):
    never by a part of a name, so "Sam" is not "Sam Roebuck"."""
    found = _EMAIL.search(line)
    if found and email:
        return found.group(0).casefold() == email.casefold()
    return referral_name(line).casefold() == " ".join(name.split()).casefold()


class _Referrals:
    """Referrals written in notes for which no interview has been planned yet, gathered in one
    pass: an interview counts when it was planned `--referred-by` the one whose notes name it (its
    identity, not a name found anywhere). Holds the referral lines and who was planned on one, not
    the interviews."""

    def __init__(self) -> None:
        self.planned: dict[int, list[tuple[str, str | None]]] = {}
        self.lines: list[tuple[int, str, str]] = []

    def add(self, i: Interview) -> None:
        if i.referred_by is not None:
            self.planned.setdefault(i.referred_by, []).append((i.contact.name, i.contact.email))
        self.lines += [(i.id, i.contact.name, line) for line in i.answers("notes", "referrals")]

    def open(self) -> list[dict[str, Any]]:
        return [{"from_id": from_id, "from_contact": contact, "referral": line}
                for from_id, contact, line in self.lines
                if not any(_is_referral(line, *o) for o in self.planned.get(from_id, ()))]


def open_referrals(interviews: Iterable[Interview]) -> list[dict[str, Any]]:
    referrals = _Referrals()
    for i in interviews:
        referrals.add(i)
    return referrals.open()


def store_names(store: Any) -> Callable[[int], str | None]:
    """The contact name of an interview by its id, read from `store` (None if there is none)."""
    from infoview.errors import NotFound

    def name(interview_id: int) -> str | None:
        try:
            return str(store.load(interview_id).contact.name)
        except NotFound:
            return None
    return name


def build_report(interviews: Iterable[Interview], now: datetime, states: Iterable[str] = (),
                 meanings: WorkflowMeanings | None = None, todos: Iterable[Any] = (),
                 names: Callable[[int], str | None] | None = None) -> dict[str, Any]:
    """The report as data, in one pass over `interviews` (a store's stream): memory holds what
    the report shows, not the interviews. `states` lists the workflow's states in order, so that
    states with no interviews still show as 0; any other state found is added after them.
    `meanings` says what the states of each workflow mean; None: those of the shipped workflow.
    `names` gives the contact of a referring interview by id (`store_names`); None: the names
    of the interviews passed, kept as they pass (for a list at hand)."""
    if meanings is None:
        from infoview.workflows import shipped_meanings

        meanings = shipped_meanings()
    seen: dict[int, str] | None = {} if names is None else None
    counts: dict[str, int] = {s: 0 for s in states}
    total = 0
    overdue: list[dict[str, Any]] = []
    referred: list[dict[str, Any]] = []
    follow_ups: list[dict[str, Any]] = []
    referrals = _Referrals()
    for i in interviews:
        total += 1
        counts[i.state] = counts.get(i.state, 0) + 1
        if seen is not None:
            seen[i.id] = i.contact.name
        means = meaning_of(i, meanings)
        overdue += overdue_items(i, now, means)
        if i.referred_by is not None:
            referred.append({"id": i.id, "contact": i.contact.name, "state": i.state, "referred_by": i.referred_by})
        referrals.add(i)
        if means == "done":
            due = follow_up_due(i)
            if due <= now + WEEK:
                follow_ups.append({"id": i.id, "contact": i.contact.name, "last_contact": iso(last_contact(i)),
                                   "due": iso(due), "overdue": due <= now})
    overdue.sort(key=lambda x: x["due"])
    name_of = seen.get if seen is not None else names
    assert name_of is not None
    for x in referred:
        x["referred_by_contact"] = name_of(x["referred_by"])
    follow_ups.sort(key=lambda x: x["due"])
    # Open to-dos (infoview.store.Todo), overdue ones first.
    listed = [{**t.to_dict(), "overdue": t.due is not None and t.due < now} for t in todos if t.done_at is None]
    listed.sort(key=lambda x: not x["overdue"])
    return {"now": iso(now), "total": total, "counts": counts, "overdue": overdue,
            "referred": referred, "open_referrals": referrals.open(), "follow_ups": follow_ups,
            "todos": listed}


def _in_zone(text: str, zone: str) -> str:
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(text).astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def render_report_text(report: dict[str, Any], zone: str = "UTC") -> str:
    """The report for people; to-dos' due times in `zone` (yours)."""
    return "".join(report_lines(report, zone))


def report_lines(report: dict[str, Any], zone: str = "UTC") -> Iterator[str]:
    """`render_report_text`'s lines, each with its newline, one at a time."""
    def each(lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            yield line + "\n"

    def listed(items: list[dict[str, Any]], line: Callable[[dict[str, Any]], str], empty: str) -> Iterator[str]:
        yield from each(map(line, items)) if items else each([empty])

    yield from each([f"Interviews: {report['total']}"])
    yield from each(f"  {state:<12}{n}" for state, n in report["counts"].items())
    yield from each(["", f"Overdue ({len(report['overdue'])}):"])
    yield from listed(report["overdue"], lambda x: f"  #{x['id']} {x['contact']}: {x['message']}", "  nothing overdue")
    yield from each(["", f"Follow-ups due this week ({len(report['follow_ups'])}):"])
    yield from listed(report["follow_ups"], lambda x: f"  #{x['id']} {x['contact']}: "
                      + ("overdue since " if x["overdue"] else "due ") + x["due"][:10]
                      + f" (last contact {x['last_contact'][:10]})", "  none")
    todos = report.get("todos", [])
    late = sum(1 for x in todos if x["overdue"])
    yield from each(["", f"To-dos ({len(todos)} open, {late} overdue):"])
    yield from listed(todos, lambda x: f"  {x['id']}. " + ("OVERDUE since " if x["overdue"] else "due " if x["due"] else "")
                      + (_in_zone(x["due"], zone) + " " if x["due"] else "") + x["text"]
                      + (f" (#{x['interview']})" if x["interview"] is not None else ""), "  none")
    yield from each(["", f"Interviews that came from a referral ({len(report['referred'])}):"])
    yield from listed(report["referred"], lambda x: f"  #{x['id']} {x['contact']} ({x['state']}), referred by "
                      + (f"#{x['referred_by']} {x['referred_by_contact']}" if x["referred_by_contact"]
                         else f"#{x['referred_by']}"), "  none")
    yield from each(["", f"Referrals not yet planned ({len(report['open_referrals'])}):"])
    yield from listed(report["open_referrals"], lambda x: f"  {x['referral']} (from #{x['from_id']} {x['from_contact']})",
                      "  none")
