"""What a subscriber sees in each event, and that the bytes only change when the data does."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from infoview.errors import InfoviewError
from infoview.plugins.calendar import infoview_calendar_components
from infoview.plugins.calendar.ics import build_calendar
from infoview.plugins.calendar.options import CalendarOptions, load_options

import ics_parsers as parsers
from ics_factory import make_interview

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[2]


def render(ivs, **opts) -> bytes:
    return build_calendar(ivs, name="My interviews", options=CalendarOptions(**opts))


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(ev["UID"]): ev for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_event_names_the_contact_and_holds_link_goals_and_checklist():
    data = render([make_interview(7, where="https://meet.example.org/jane", minutes=25)])
    ev = events(data)["interview-7@infoview"]
    assert str(ev["SUMMARY"]) == "Informational interview: Jane Doe (Acme)"
    assert str(ev["URL"]) == "https://meet.example.org/jane"
    assert str(ev["LOCATION"]) == "https://meet.example.org/jane"
    text = str(ev["DESCRIPTION"])
    assert "Learn how the team measures success" in text
    for item in ("Research Jane Doe and Acme", "two-minute overview", "day before",
                 "5-10 minutes early", "25 minutes", "never for a job"):
        assert item in text


def test_a_place_is_a_location_without_url():
    ev = events(render([make_interview(3, where="Cafe Central, Vienna", mode="in-person", company=None)]))
    ev = ev["interview-3@infoview"]
    assert str(ev["LOCATION"]) == "Cafe Central, Vienna" and "URL" not in ev
    assert str(ev["SUMMARY"]) == "Informational interview: Jane Doe"
    assert "Arrive 5-10 minutes early" in str(ev["DESCRIPTION"])


@pytest.mark.parametrize(("state", "status"), [
    ("planned", "TENTATIVE"), ("confirmed", "CONFIRMED"), ("held", "CONFIRMED"),
    ("noted", "CONFIRMED"), ("evaluated", "CONFIRMED"), ("cancelled", "CANCELLED")])
def test_status_follows_the_state(state, status):
    got = parsers.ical_js(render([make_interview(1, state=state)]))
    assert got["interview-1@infoview"]["status"] == status


def test_cancelling_keeps_the_uid_and_raises_the_sequence():
    before = render([make_interview(4, state="confirmed", sequence=1)])
    after = render([make_interview(4, state="cancelled", sequence=2,
                                   updated=datetime(2026, 3, 1, tzinfo=UTC))])
    for read in parsers.ALL.values():
        old, new = read(before)["interview-4@infoview"], read(after)["interview-4@infoview"]
        assert (old["status"], new["status"]) == ("CONFIRMED", "CANCELLED")
        assert new["sequence"] > old["sequence"]
    assert b"LAST-MODIFIED:20260301T000000Z" in after and b"DTSTAMP:20260301T000000Z" in after


def test_calendar_properties_for_subscribers():
    data = render([make_interview(1)], refresh="PT30M")
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "My interviews" and str(cal["NAME"]) == "My interviews"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT30M\r\n" in data
    assert b"X-PUBLISHED-TTL;VALUE=DURATION:PT30M\r\n" in data
    assert str(cal["PRODID"]) == "-//infoview//calendar plugin//EN" and str(cal["VERSION"]) == "2.0"
    assert parsers.ical_js(data)  # and ical.js accepts the whole document


def test_output_is_ordered_by_id_and_byte_identical_across_processes():
    ivs = [make_interview(i, start=datetime(2026, 5, i, 12, tzinfo=UTC), tz=tz)
           for i, tz in ((3, "Asia/Kolkata"), (1, "Europe/Berlin"), (2, "America/New_York"))]
    data = render(ivs)
    assert render(list(reversed(ivs))) == data
    uids = [str(ev["UID"]) for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert uids == ["interview-1@infoview", "interview-2@infoview", "interview-3@infoview"]
    script = (
        "import sys; sys.path.insert(0, 'tests/calendar')\n"
        "from datetime import datetime, timezone\n"
        "from ics_factory import make_interview\n"
        "from infoview.plugins.calendar.ics import build_calendar\n"
        "from infoview.plugins.calendar.options import CalendarOptions\n"
        "ivs = [make_interview(i, start=datetime(2026, 5, i, 12, tzinfo=timezone.utc), tz=tz)\n"
        "       for i, tz in ((3, 'Asia/Kolkata'), (1, 'Europe/Berlin'), (2, 'America/New_York'))]\n"
        "sys.stdout.buffer.write(build_calendar(ivs, name='My interviews', options=CalendarOptions()))\n")
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60, check=True)
    assert other.stdout == data


def test_alarms_and_todos_are_opt_in():
    held = make_interview(5, state="held", start=datetime(2026, 6, 1, 10, tzinfo=UTC), minutes=30)
    planned = make_interview(6, state="planned")
    plain = render([held, planned])
    assert b"BEGIN:VALARM" not in plain and b"BEGIN:VTODO" not in plain
    rich = icalendar.Calendar.from_ical(render([held, planned], alarms=True, todos=True))
    alarms = rich.walk("VALARM")
    assert len(alarms) == 2 and all(a.decoded("TRIGGER") == timedelta(hours=-1) for a in alarms)
    todos = rich.walk("VTODO")
    assert len(todos) == 1   # only for the held interview
    assert todos[0].decoded("DUE") == datetime(2026, 6, 2, 10, 30, tzinfo=UTC)
    assert "Jane Doe" in str(todos[0]["SUMMARY"])


def test_other_plugins_can_adjust_through_the_hook():
    def hook(interview, calendar):
        infoview_calendar_components(interview=interview, calendar=calendar)
        calendar.walk("VEVENT")[-1].add("categories", ["networking"])

    data = build_calendar([make_interview(1)], name="x", options=CalendarOptions(), components_hook=hook)
    assert b"CATEGORIES:networking" in data and b"UID:interview-1@infoview" in data


@pytest.mark.parametrize(("section", "message"), [
    ({"alarm": True}, "unknown key calendar.alarm; did you mean 'alarms'?"),
    ({"refresh": "1 hour"}, "calendar.refresh: '1 hour' is not an iCalendar duration; use e.g. PT1H"),
    ({"refresh": "PT10S"}, "too short"),
    ({"port": 70000}, "calendar.port:"),
    ({"public_url": "cal.example.org"}, "is not an http(s) URL"),
])
def test_bad_config_is_one_clear_line(section, message):
    with pytest.raises(InfoviewError) as err:
        load_options({"calendar": section})
    assert message in str(err.value) and "\n" not in str(err.value)


def test_config_values_are_used():
    opts = load_options({"calendar": {"name": "Coffee chats", "refresh": "pt2h", "alarms": True}})
    assert (opts.name, opts.refresh, opts.alarms, opts.refresh_interval) == ("Coffee chats", "PT2H", True, timedelta(hours=2))
    assert load_options({}) == CalendarOptions()
