"""Stay in touch: a per-person cadence ("every 3 months") that reminds you to reconnect.

The reminder comes due one cadence after the latest contact of any kind: a conversation held
(its end), a thank-you or a follow-up recorded on any of their interviews, a contact logged with
`person log`, or the last reminder itself. It is armed on the person's row and fired by `tick`
like any timer (Engine._fire_person_timer), its notification going through the outbox.

It works with the workflow's own follow-up timer instead of doubling it: while any of the
person's interviews has that timer armed to come due within one cadence, the keep-in-touch
reminder stays quiet (its firing is recorded as `skipped`) and waits another cadence.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from .durations import parse_duration
from .model import Interview
from .people import Person

TIMER_ID = "keep-in-touch"
# The shipped workflow's follow-up timer: while it is armed, it does the reminding.
FOLLOW_UP_TIMER = "follow-up"
# Events after which you have been in touch with them.
CONTACT_EVENTS = ("thanked", "followed_up")
HELD_EVENT = "hold"
LATE = timedelta(days=7)   # a reminder missed for longer is recorded missed, and the rhythm resumes

_WORDS = re.compile(r"^\s*(?:every\s+)?(\d{1,4})\s*(day|week|month|year)s?\s*$", re.IGNORECASE)
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def parse_cadence(text: str) -> int | None:
    """`3 months`, `every 2 weeks`, `10w`, `90d` -> seconds; `never`/`off` -> None. A month is
    30 days and a year 365: a reminder to reconnect needs no calendar arithmetic. ValueError
    with what is accepted otherwise."""
    if text.strip().lower() in ("never", "off", "none", ""):
        return None
    m = _WORDS.match(text)
    if m:
        seconds = int(m.group(1)) * _DAYS[m.group(2).lower()] * 86400
    else:
        try:
            seconds = int(parse_duration(text.removeprefix("every").strip()).total_seconds())
        except ValueError:
            raise ValueError(f"'{text[:40]}' is not a cadence; write e.g. \"3 months\", \"6 weeks\", 90d "
                             "or never") from None
    if not 86400 <= seconds <= 3650 * 86400:
        raise ValueError(f"'{text[:40]}' is not a cadence between a day and ten years")
    return seconds


def format_cadence(seconds: int) -> str:
    days = seconds // 86400
    for unit, n in (("year", 365), ("month", 30), ("week", 7)):
        if days % n == 0 and days >= n:
            count = days // n
            return f"every {count} {unit}{'s' if count > 1 else ''}"
    return f"every {days} day{'s' if days != 1 else ''}" if seconds % 86400 == 0 else f"every {seconds}s"


def contacts(person: Person, interviews: list[Interview]) -> list[tuple[datetime, str]]:
    """Every contact with them, oldest first: (when, what)."""
    out = [(datetime.fromisoformat(c["at"]), "logged") for c in person.contacts]
    for i in interviews:
        if HELD_EVENT in i.happened:
            out.append((i.end, f"conversation #{i.id}"))
        for event in CONTACT_EVENTS:
            if event in i.happened:
                out.append((i.happened[event], f"{event} #{i.id}"))
    return sorted(out)


def last_contact(person: Person, interviews: list[Interview]) -> datetime:
    """The latest contact; when there was none yet, the day they became a person here."""
    seen = contacts(person, interviews)
    return seen[-1][0] if seen else person.created


def due(person: Person, interviews: list[Interview]) -> int | None:
    """When the keep-in-touch reminder comes due (epoch seconds), or None without a cadence."""
    if person.every is None or person.forgotten or person.gone:
        return None
    since = last_contact(person, interviews)
    if person.reminded is not None and person.reminded > since:
        since = person.reminded
    return int(since.timestamp()) + person.every


def follow_up_pending(person: Person, armed: dict[int, dict[str, int]], now: datetime) -> bool:
    """Does a workflow follow-up timer of theirs come due within one cadence (or is overdue)?"""
    assert person.every is not None
    horizon = now.timestamp() + person.every
    return any(timers.get(FOLLOW_UP_TIMER, horizon + 1) <= horizon for timers in armed.values())
