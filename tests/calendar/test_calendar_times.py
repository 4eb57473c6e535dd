"""Every client must place every interview at the same UTC instant, whatever its zone, season,
or closeness to a clock change. Read back by three independent parsers."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from infoview.plugins.calendar.ics import build_calendar
from infoview.plugins.calendar.options import CalendarOptions

import ics_parsers as parsers
from ics_factory import make_interview

UTC = timezone.utc


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (zone, UTC start, minutes, why)
CASES = [
    ("Europe/Berlin", "2026-01-15T09:00", 20, "winter, CET"),
    ("Europe/Berlin", "2026-07-15T08:00", 30, "summer, CEST"),
    ("Europe/Berlin", "2026-03-29T00:30", 20, "01:30 CET, just before spring forward"),
    ("Europe/Berlin", "2026-03-29T00:50", 20, "spans the skipped hour"),
    ("Europe/Berlin", "2026-03-29T01:00", 20, "03:00 CEST, the first minute of summer time"),
    ("Europe/Berlin", "2026-10-25T00:30", 20, "02:30 CEST, first pass (ical.js reads the wall time as the second)"),
    ("Europe/Berlin", "2026-10-25T01:30", 20, "02:30 CET, second pass: ambiguous as wall time"),
    ("Europe/Berlin", "2026-10-25T00:50", 20, "spans the autumn change"),
    ("Europe/Berlin", "2027-08-02T07:00", 45, "the next summer"),
    ("America/New_York", "2026-01-20T15:00", 20, "winter, EST"),
    ("America/New_York", "2026-07-20T14:00", 20, "summer, EDT"),
    ("America/New_York", "2026-03-08T06:30", 20, "01:30 EST, before spring forward"),
    ("America/New_York", "2026-03-08T07:00", 20, "03:00 EDT, right after"),
    ("America/New_York", "2026-11-01T05:30", 20, "01:30 EDT, first pass"),
    ("America/New_York", "2026-11-01T06:30", 20, "01:30 EST, second pass"),
    ("Australia/Sydney", "2026-01-12T23:00", 20, "southern summer, AEDT"),
    ("Australia/Sydney", "2026-07-12T00:00", 20, "southern winter, AEST"),
    ("Australia/Sydney", "2026-04-04T15:30", 20, "02:30 AEDT, first pass before the April change"),
    ("Australia/Sydney", "2026-04-04T16:30", 20, "02:30 AEST, second pass"),
    ("Australia/Sydney", "2026-10-03T15:30", 20, "01:30 AEST, before the October change"),
    ("Australia/Sydney", "2026-10-03T16:00", 20, "03:00 AEDT, right after"),
    ("Asia/Kolkata", "2026-01-05T04:30", 20, "no DST, winter"),
    ("Asia/Kolkata", "2026-07-05T04:30", 20, "no DST, summer"),
]
AMBIGUOUS = {5, 6, 7, 13, 14, 17, 18}   # in a repeated hour: written in UTC (clients disagree)


@pytest.fixture(scope="module")
def interviews():
    return [make_interview(i, start=at(start), tz=tz, minutes=minutes, sequence=i % 3)
            for i, (tz, start, minutes, _why) in enumerate(CASES)]


@pytest.fixture(scope="module")
def feed(interviews) -> bytes:
    return build_calendar(interviews, name="Test", options=CalendarOptions())


@pytest.fixture(scope="module", params=sorted(parsers.ALL))
def parsed(request, feed):
    return parsers.ALL[request.param](feed)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_parser_reads_the_right_utc_instant(parsed, interviews, index):
    iv = interviews[index]
    got = parsed[f"interview-{iv.id}@infoview"]
    assert (got["start"], got["end"]) == (iv.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                          iv.end.strftime("%Y-%m-%dT%H:%M:%SZ")), CASES[index][3]
    assert got["sequence"] == iv.sequence


def test_events_use_their_zone_except_in_a_repeated_hour(feed, interviews):
    text = feed.decode()
    for i, iv in enumerate(interviews):
        block = text.split(f"UID:interview-{iv.id}@infoview")[0].rsplit("BEGIN:VEVENT", 1)[1]
        if i in AMBIGUOUS:
            assert "DTSTART:" in block and block.split("DTSTART:")[1][:16].endswith("Z"), CASES[i]
        else:
            assert f"DTSTART;TZID={iv.timezone}:" in block, CASES[i]


def test_one_vtimezone_per_zone_with_yearly_rules(feed):
    text = feed.decode()
    for zone in ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"):
        assert text.count(f"TZID:{zone}\r\n") == 1
    berlin = text.split("TZID:Europe/Berlin\r\n")[1].split("END:VTIMEZONE")[0]
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in berlin
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in berlin
    assert "RDATE" not in text
    kolkata = text.split("TZID:Asia/Kolkata\r\n")[1].split("END:VTIMEZONE")[0]
    assert kolkata.count("BEGIN:STANDARD") == 1 and "DAYLIGHT" not in kolkata


def test_parsers_follow_the_feeds_own_rules(feed, interviews):
    """Guard for the checks above: a VTIMEZONE with a wrong summer offset moves the summer
    event in ical.js and vobject, so they really read our rules, not a built-in database."""
    tampered = feed.replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0300")
    summer = interviews[1]
    uid = f"interview-{summer.id}@infoview"
    for read in (parsers.ical_js, parsers.vobject_):
        assert read(tampered)[uid]["start"] == "2026-07-15T07:00:00Z"


# Zones whose rules changed within a feed's span, with interviews on both sides of the change
# (issue 16, point 7): each written in its zone, each read at the right instant by every parser.
CHANGED = [
    # Sao Paulo dropped DST in 2019: -02 in the southern summer of 2018, -03 all year from 2019
    ("America/Sao_Paulo", ["2018-12-10T12:00", "2019-01-15T13:00", "2019-07-10T13:00", "2020-12-10T12:00",
                           "2017-02-10T12:00", "2016-11-10T12:00"]),
    # Istanbul stayed on +03 from September 2016: summer and winter times before, one offset after
    ("Europe/Istanbul", ["2015-01-10T08:00", "2015-07-10T07:00", "2016-07-10T07:00", "2016-12-10T07:00",
                         "2017-01-10T07:00"]),
    # Apia dropped DST in 2021: +14 in its summer until April 2021, +13 from then on
    ("Pacific/Apia", ["2020-01-10T00:00", "2020-07-10T01:00", "2021-01-10T00:00", "2021-12-10T01:00",
                      "2022-01-10T01:00"]),
]


@pytest.mark.parametrize(("zone", "starts"), CHANGED, ids=[z for z, _ in CHANGED])
def test_zones_that_changed_their_rules_in_the_span_are_read_right_on_both_sides(zone, starts):
    ivs = [make_interview(i, start=at(start), tz=zone) for i, start in enumerate(starts, start=1)]
    feed = build_calendar(ivs, name="Test", options=CalendarOptions())
    assert f"TZID:{zone}".encode() in feed
    assert feed.count(f"DTSTART;TZID={zone}:".encode()) == len(starts)  # every event in its own zone
    for name, read in parsers.ALL.items():
        got = read(feed)
        for i, start in enumerate(starts, start=1):
            assert got[f"interview-{i}@infoview"]["start"] == f"{start}:00Z", (name, zone, start)
