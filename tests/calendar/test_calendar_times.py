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


def test_zone_that_changed_its_rules_in_the_span_falls_back_to_utc():
    # Sao Paulo dropped DST in 2019: no single yearly rule holds for 2018-2020
    ivs = [make_interview(1, start=at("2018-12-10T12:00"), tz="America/Sao_Paulo"),
           make_interview(2, start=at("2020-12-10T12:00"), tz="America/Sao_Paulo")]
    feed = build_calendar(ivs, name="Test", options=CalendarOptions())
    assert b"TZID:America/Sao_Paulo" not in feed
    assert b"DTSTART:20181210T120000Z" in feed and b"DTSTART:20201210T120000Z" in feed
    for read in parsers.ALL.values():
        got = read(feed)
        assert got["interview-1@infoview"]["start"] == "2018-12-10T12:00:00Z"
        assert got["interview-2@infoview"]["end"] == "2020-12-10T12:20:00Z"
