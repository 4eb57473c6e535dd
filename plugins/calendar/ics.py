"""Render interviews as an iCalendar feed (RFC 5545) with icalendar.

Every byte depends only on the interviews and the options: UIDs come from interview ids,
DTSTAMP and LAST-MODIFIED from `interview.updated`, components are ordered by id. So an
unchanged calendar is byte-identical across processes, and ETag/304 work for subscribers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, Todo
from icalendar.prop import vDuration, vText

from infoview import Interview
from infoview.meanings import WorkflowMeanings, meaning_of

from .options import CalendarOptions
from .zones import Observance, zone_rules

UTC = timezone.utc
PRODID = "-//infoview//calendar plugin//EN"
ComponentsHook = Callable[[Interview, Calendar], None]

# What a state means (see infoview.meanings) decides what the feed shows, never its name.
STATUS_BY_MEANING = {"unconfirmed": "TENTATIVE", "cancelled": "CANCELLED"}  # any other: CONFIRMED
AFTER_THE_TALK = frozenset({"held", "noted", "done"})   # the opt-in thank-you VTODO


@dataclass
class FeedContext:
    """What the VEVENT hook needs beyond (interview, calendar): attached to the calendar by
    `build_calendar`, so the hook keeps the two-argument shape other plugins see."""

    options: CalendarOptions
    meanings: WorkflowMeanings                      # workflow -> state -> meaning
    zoned: set[str] = field(default_factory=set)   # zones with a VTIMEZONE in this calendar


def uid_for(interview_id: int) -> str:
    return f"interview-{interview_id}@infoview"


def status_for(meaning: str) -> str:
    return STATUS_BY_MEANING.get(meaning, "CONFIRMED")


def summary_for(interview: Interview) -> str:
    who = interview.contact.name
    if interview.contact.company:
        who += f" ({interview.contact.company})"
    return f"Informational interview: {who}"


def _is_link(where: str | None) -> bool:
    return bool(where) and where.strip().lower().startswith(("https://", "http://"))  # type: ignore[union-attr]


def description_for(interview: Interview) -> str:
    """Goals and a short preparation checklist, in the words of career-centre practice."""
    lines: list[str] = []
    if interview.goals:
        lines.append("Goals:")
        lines += [f"- {goal}" for goal in interview.goals]
        lines.append("")
    early = {"in-person": "Arrive 5-10 minutes early",
             "video": "Join 5-10 minutes early and test the call",
             "phone": "Be somewhere quiet 5-10 minutes early"}.get(interview.mode, "Be ready 5-10 minutes early")
    lines += [
        "Prepare:",
        f"- Research {interview.contact.name}"
        + (f" and {interview.contact.company}" if interview.contact.company else ""),
        "- Rehearse your two-minute overview and your questions",
        "- Confirm the time and place or link the day before",
        f"- {early}",
        f"- Keep to the {interview.minutes} minutes you asked for",
        "- Ask for information and advice, never for a job",
    ]
    return "\n".join(lines)


def _vtimezone(tzid: str, observances: tuple[Observance, ...]) -> Timezone:
    tz = Timezone()
    tz.add("tzid", tzid)
    for ob in observances:
        sub = TimezoneDaylight() if ob.daylight else TimezoneStandard()
        sub.add("dtstart", ob.start)
        sub.add("tzoffsetfrom", ob.offset_from)
        sub.add("tzoffsetto", ob.offset_to)
        sub.add("tzname", ob.name)
        if ob.byday is not None:
            rule: dict[str, Any] = {"freq": "yearly", "bymonth": ob.month, "byday": ob.byday}
            if ob.until is not None:
                rule["until"] = ob.until  # UTC, as RFC 5545 wants in a VTIMEZONE
            sub.add("rrule", rule)
        tz.add_component(sub)
    return tz


def zone_spans(interviews: Iterable[Interview]) -> dict[str, tuple[int, int]]:
    """Each zone of these interviews with the first and last year its events fall in."""
    spans: dict[str, tuple[int, int]] = {}
    for iv in interviews:
        lo, hi = iv.local_start.year, iv.local_end.year
        old = spans.get(iv.timezone)
        spans[iv.timezone] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
    return spans


def _add_timezones(calendar: Calendar, interviews: list[Interview], context: FeedContext,
                   spans: dict[str, tuple[int, int]] | None = None) -> None:
    """One VTIMEZONE per zone whose rules we can write faithfully for its events' years."""
    spans = zone_spans(interviews) if spans is None else spans
    for tzid in sorted(spans):
        if tzid in ("UTC", "Etc/UTC"):
            continue  # UTC times need no VTIMEZONE
        rules = zone_rules(tzid, *spans[tzid])
        if rules is not None:
            calendar.add_component(_vtimezone(tzid, rules))
            context.zoned.add(tzid)


def _context_of(calendar: Calendar, interview: Interview) -> FeedContext:
    """The build's context; for a calendar built elsewhere, make one and add the zone if needed."""
    context: FeedContext | None = getattr(calendar, "infoview_context", None)
    if context is None:
        from infoview.workflows import shipped_meanings

        context = FeedContext(CalendarOptions(), shipped_meanings())
        calendar.infoview_context = context  # type: ignore[attr-defined]
    if interview.timezone not in context.zoned:
        _add_timezones(calendar, [interview], context)
    return context


def _unambiguous(local: datetime) -> bool:
    """False inside a repeated hour (autumn). RFC 5545 says a TZID wall time there means the
    first pass, but clients disagree (ical.js reads 02:30 on a change night as the second), so
    such an event is written in UTC, which every client reads alike."""
    return local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset()


def _times(interview: Interview, zoned: bool) -> tuple[datetime, datetime]:
    if zoned:
        start, end = interview.local_start, interview.local_end    # written with TZID=<zone>
        if _unambiguous(start) and _unambiguous(end):
            return start, end
    return interview.start.astimezone(UTC), interview.end.astimezone(UTC)  # written with Z


def add_interview_event(interview: Interview, calendar: Calendar) -> None:
    """The built-in `infoview_calendar_components`: the interview's VEVENT, plus the opt-in
    VALARM and thank-you VTODO."""
    context = _context_of(calendar, interview)
    meaning = meaning_of(interview, context.meanings)
    start, end = _times(interview, interview.timezone in context.zoned)
    stamp = interview.updated.astimezone(UTC)
    event = Event()
    event.add("uid", uid_for(interview.id))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", interview.sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary_for(interview))
    event.add("status", status_for(meaning))
    if interview.where:
        event.add("location", interview.where)
        if _is_link(interview.where):
            event.add("url", interview.where.strip())
    event.add("description", description_for(interview))
    event.add("transp", "OPAQUE")
    if context.options.alarms and meaning != "cancelled":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(hours=-1))
        alarm.add("description", f"In 1 hour: {summary_for(interview)}")
        event.add_component(alarm)
    calendar.add_component(event)
    if context.options.todos and meaning in AFTER_THE_TALK:
        todo = Todo()
        todo.add("uid", f"interview-{interview.id}-thank-you@infoview")
        todo.add("dtstamp", stamp)
        todo.add("last-modified", stamp)
        todo.add("sequence", interview.sequence)
        todo.add("summary", f"Send a thank-you note to {interview.contact.name}")
        todo.add("due", interview.end.astimezone(UTC) + timedelta(hours=24))
        todo.add("status", "NEEDS-ACTION")
        todo.add("related-to", uid_for(interview.id))
        calendar.add_component(todo)


def new_calendar(name: str, options: CalendarOptions) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    refresh = vDuration(options.refresh_interval)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", refresh)
    return cal


# Rendered components of one interview, kept by a long-lived feed between renders: keyed on what
# the bytes depend on (the interview's version, and whether its zone has a VTIMEZONE).
RenderCache = dict[int, tuple[tuple[int, bool], bytes]]
_END = b"END:VCALENDAR\r\n"


def write_calendar(interviews: Callable[[], Iterable[Interview]], write: Callable[[bytes], object], *, name: str,
                   options: CalendarOptions, components_hook: ComponentsHook | None = None,
                   meanings: WorkflowMeanings | None = None, cache: RenderCache | None = None) -> tuple[int, datetime | None]:
    """Write the feed as it is rendered, one interview's components at a time: memory holds one
    interview (and `cache`, when given). `interviews()` gives them in id order, and is called
    twice: once for the zones' years (the VTIMEZONEs come first), once to render. The bytes are
    those of one Calendar holding everything. Returns (VEVENTs written, newest change)."""
    if meanings is None:
        from infoview.workflows import shipped_meanings

        meanings = shipped_meanings()
    cal = new_calendar(name, options)
    context = FeedContext(options, meanings)
    cal.infoview_context = context  # type: ignore[attr-defined]
    _add_timezones(cal, [], context, zone_spans(interviews()))
    head: bytes = cal.to_ical()
    write(head[:-len(_END)])
    cal.subcomponents.clear()
    hook = components_hook or add_interview_event
    events, newest = 0, None
    for interview in interviews():
        key = (interview.version, interview.timezone in context.zoned)
        kept = cache.get(interview.id) if cache is not None else None
        if kept is not None and kept[0] == key:
            chunk = kept[1]
        else:
            hook(interview, cal)
            chunk = b"".join(c.to_ical() for c in cal.subcomponents)
            cal.subcomponents.clear()
            if cache is not None:
                cache[interview.id] = (key, chunk)
        write(chunk)
        events += chunk.count(b"BEGIN:VEVENT")
        newest = interview.updated if newest is None or interview.updated > newest else newest
    write(_END)
    return events, newest


def build_calendar(interviews: Iterable[Interview], *, name: str, options: CalendarOptions,
                   components_hook: ComponentsHook | None = None,
                   meanings: WorkflowMeanings | None = None) -> bytes:
    """The whole feed as bytes. `components_hook(interview, calendar)` is called once per
    interview (by id) and must add its components; None means only this plugin's VEVENT.
    `meanings` says what the states of each workflow mean; None: those of the shipped workflow."""
    ordered = sorted(interviews, key=lambda iv: iv.id)
    parts: list[bytes] = []
    write_calendar(lambda: ordered, parts.append, name=name, options=options, components_hook=components_hook,
                   meanings=meanings)
    return b"".join(parts)
