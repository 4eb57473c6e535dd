"""Rules for a VTIMEZONE, derived from `zoneinfo` for the years a calendar's events span.

Why not icalendar's `add_missing_timezones()`: it writes each transition as an RDATE list, and
Mozilla's ical.js (Thunderbird, Nextcloud) and vobject read summer dates one hour off from that.
An RRULE per observance ("last Sunday of March at 02:00") is what every client reads alike.

We only write rules we have checked. When every year of the span (plus the year before, so the
first events are covered by an observance that started earlier) shows the same transitions, each
expressible as "the n-th (or last) weekday of a month at a local time", that is two observances
with a yearly RRULE. When the zone changed its rules within the span (Sao Paulo dropped DST in
2019, Istanbul in 2016, Apia in 2021), each run of years that shares a rule gets its RRULEs ended
by UNTIL, every other change is an observance of its own (a DTSTART and no rule), and one opening
observance holds the offset before the first change: the clients read each year as it was.
Only a zone with more changes than MAX_CHANGES in the span gets None, and its events are written
in UTC: a right time in a plain form beats a wrong hour in a nicer one.

Pure standard library, so it is cheap to import and easy to test.
"""
from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

UTC = timezone.utc
_STEP = timedelta(hours=12)     # transitions in real zones are months apart; 12 h cannot skip one
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Observance:
    """One STANDARD or DAYLIGHT block: from `start` (local wall time in `offset_from`) on, the
    zone is at `offset_to`. `byday` is e.g. "-1SU" (last Sunday) and `month` 1-12; both are None
    for a zone without transitions."""

    daylight: bool
    start: datetime              # naive local wall-clock time of the first transition
    offset_from: timedelta
    offset_to: timedelta
    name: str
    month: int | None
    byday: str | None
    until: datetime | None = None   # UTC: the last onset of a rule that stopped within the span


MAX_CHANGES = 400  # observances of their own a VTIMEZONE may get; beyond that the events go in UTC


@dataclass(frozen=True, slots=True)
class _Transition:
    when_utc: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str


def _offset(tz: ZoneInfo, when_utc: datetime) -> timedelta:
    off = when_utc.astimezone(tz).utcoffset()
    assert off is not None
    return off


def _transitions(tz: ZoneInfo, year: int) -> list[_Transition]:
    """Every offset change in `year` (UTC), found by stepping then bisecting to the second."""
    found: list[_Transition] = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = _offset(tz, t)
    while t < end:
        nxt = min(t + _STEP, end)
        after = _offset(tz, nxt)
        if after != before:
            lo, hi = t, nxt          # offset(lo) == before, offset(hi) == after
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid <= lo:
                    break
                if _offset(tz, mid) == before:
                    lo = mid
                else:
                    hi = mid
            name = hi.astimezone(tz).tzname() or ""
            found.append(_Transition(hi, before, after, name))
            before = after
        t = nxt
    return found


def _byday_options(local: datetime) -> set[str]:
    """Ways to name the day of `local` as an RRULE BYDAY within its month."""
    wd = _WEEKDAYS[local.weekday()]
    options = {f"{(local.day - 1) // 7 + 1}{wd}"}
    if local.day + 7 > _calendar.monthrange(local.year, local.month)[1]:
        options.add(f"-1{wd}")
    return options


# Kept on purpose (issue 13 removed the other memos): the feed asks again for every interview in a
# zone whose rules cannot be written (its VEVENT hook finds no VTIMEZONE for it and tries to add
# one), and deriving rules takes 2-11 ms. Without the cache a feed of 1,000 interviews in
# Africa/Casablanca took 2.6 s of CPU instead of 0.42 s (Europe/Berlin: 0.44 s either way).
@lru_cache(maxsize=512)
def zone_rules(name: str, first_year: int, last_year: int) -> tuple[Observance, ...] | None:
    """Observances that reproduce `name`'s offsets exactly from `first_year - 1` through
    `last_year`, or None when no yearly rule does."""
    tz = ZoneInfo(name)
    years = range(first_year - 1, last_year + 1)
    per_year = [_transitions(tz, y) for y in years]
    return _yearly(tz, name, first_year, years, per_year) or _changing(tz, per_year)


def _yearly(tz: ZoneInfo, name: str, first_year: int, years: range,
            per_year: list[list[_Transition]]) -> tuple[Observance, ...] | None:
    """The zone's observances when one yearly rule (or none) holds for every year, else None."""
    counts = {len(ts) for ts in per_year}
    if counts == {0}:
        off = _offset(tz, datetime(first_year - 1, 1, 1, tzinfo=UTC))
        if any(_offset(tz, datetime(y, 7, 1, tzinfo=UTC)) != off for y in years):
            return None  # cannot happen without a transition, but never guess
        label = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(tz).tzname() or name
        return (Observance(False, datetime(1970, 1, 1), off, off, label, None, None),)  # noqa: DTZ001 - a floating DTSTART, as VTIMEZONE observances want
    if counts != {2}:
        return None
    observances: list[Observance] = []
    for slot in range(2):
        ts = [year_ts[slot] for year_ts in per_year]
        first = ts[0]
        keys = set()
        bydays: set[str] | None = None
        for tr in ts:
            local = (tr.when_utc + tr.offset_from).replace(tzinfo=None)   # wall time before the change
            keys.add((local.month, local.time(), tr.offset_from, tr.offset_to, tr.name))
            opts = _byday_options(local)
            bydays = opts if bydays is None else bydays & opts
        if len(keys) != 1 or not bydays:
            return None
        # "last Sunday" is how most zones state their rule; when it fits every year, say so
        byday = sorted(bydays, key=lambda b: (not b.startswith("-"), b))[0]
        local_first = (first.when_utc + first.offset_from).replace(tzinfo=None)
        observances.append(Observance(
            daylight=first.offset_to > first.offset_from,
            start=local_first,
            offset_from=first.offset_from,
            offset_to=first.offset_to,
            name=first.name,
            month=local_first.month,
            byday=byday,
        ))
    if observances[0].daylight == observances[1].daylight:
        return None  # two changes the same way in one year: not a DST rule
    return tuple(observances)


def _rule_key(ts: list[_Transition]) -> tuple[Any, ...] | None:
    """What a year's two changes have in common with another year that follows the same rule."""
    if len(ts) != 2:
        return None
    key = []
    for tr in ts:
        local = (tr.when_utc + tr.offset_from).replace(tzinfo=None)
        key.append((local.month, local.time(), tr.offset_from, tr.offset_to, tr.name))
    return tuple(key)


def _one_off(tz: ZoneInfo, tr: _Transition) -> Observance:
    local = (tr.when_utc + tr.offset_from).replace(tzinfo=None)
    return Observance(bool(tr.when_utc.astimezone(tz).dst()), local, tr.offset_from, tr.offset_to, tr.name, None, None)


def _changing(tz: ZoneInfo, per_year: list[list[_Transition]]) -> tuple[Observance, ...] | None:
    """Observances for a zone whose rules changed within the span (see the module's docstring)."""
    flat = [tr for ts in per_year for tr in ts]
    if not flat or len(flat) > MAX_CHANGES:
        return None
    before = flat[0].when_utc - timedelta(seconds=1)
    opening = Observance(bool(before.astimezone(tz).dst()), datetime(1970, 1, 1),  # noqa: DTZ001 - floating, as observances want
                         flat[0].offset_from, flat[0].offset_from, before.astimezone(tz).tzname() or "", None, None)
    observances = [opening]
    i = 0
    while i < len(per_year):
        key = _rule_key(per_year[i])
        j = i
        while key is not None and j + 1 < len(per_year) and _rule_key(per_year[j + 1]) == key:
            j += 1
        run = per_year[i:j + 1]
        bydays = [set.intersection(*(_byday_options((year[slot].when_utc + year[slot].offset_from)
                                                    .replace(tzinfo=None)) for year in run)) for slot in range(2)] \
            if key is not None and j > i else []
        if bydays and all(bydays):
            for slot in range(2):
                first, last = run[0][slot], run[-1][slot]
                local = (first.when_utc + first.offset_from).replace(tzinfo=None)
                observances.append(Observance(
                    first.offset_to > first.offset_from, local, first.offset_from, first.offset_to, first.name,
                    local.month, sorted(bydays[slot], key=lambda b: (not b.startswith("-"), b))[0],
                    # A day after the last onset, not at it: vobject compares UNTIL with the local
                    # onsets as if it were local time, which drops the last onset in zones east of
                    # UTC. Any UNTIL before the next year's onset ends the rule the same way.
                    last.when_utc + timedelta(days=1)))
        else:
            observances.extend(_one_off(tz, tr) for year in run for tr in year)
        i = j + 1
    return tuple(observances)
