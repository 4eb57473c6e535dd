"""Calendar feed: rendering cost against bare icalendar, and what the cache saves a subscriber.

1. 10,000 interviews (planned and moved through the real Engine into a SQLite home), our full feed (pluggy hook per interview, VTIMEZONE rules derived from
   zoneinfo, description, hashing for the ETag) against building the same events with the same
   properties, TZID times and the same VTIMEZONE rules with icalendar directly. The baseline gets
   its zone rules precomputed (free), so the figure charges us for deriving ours.
2. A cached feed request over HTTP (the server on 127.0.0.1, data unchanged) against a full
   regeneration of the same feed.
3. Peak memory of `infoview calendar export` of the 10,000 in a fresh process, and again after
   every interview's log has grown by 10 events (a feed reads projections, never the log).
"""
from __future__ import annotations

import http.client
import sys
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from dataset import count, lengthen_history, peak_rss
from figures import Figure, compare

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard  # noqa: E402
from icalendar.prop import vDuration, vText  # noqa: E402

from infoview.clock import Clock  # noqa: E402
from infoview.engine import Engine  # noqa: E402
from infoview.inputs import PlanInput  # noqa: E402
from infoview.plugins.calendar.feed import render  # noqa: E402
from infoview.plugins.calendar.ics import description_for, status_for, summary_for, uid_for  # noqa: E402
from infoview.plugins.calendar.options import CalendarOptions  # noqa: E402
from infoview.plugins.calendar.server import serve  # noqa: E402
from infoview.plugins.calendar.zones import zone_rules  # noqa: E402
from infoview.workflows import SHIPPED, shipped_meanings  # noqa: E402

UTC = timezone.utc
N = 10_000
MEANS = shipped_meanings()[SHIPPED]   # state -> what it means, as the plugin reads it
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
# The events that bring an interview from `planned` to each state, one state per interview in turn.
PATHS: tuple[tuple[tuple[str, dict], ...], ...] = (
    (), (("confirm", {}),), (("hold", {}),), (("hold", {}), ("note", {"notes": {"learned": ["x"]}})),
    (("hold", {}), ("note", {"notes": {"learned": ["x"]}}), ("evaluate", {"evaluation": {"next_actions": ["y"]}})),
    (("cancel", {}),),
)


def populate(engine: Engine, n: int = N) -> None:
    """Plan n interviews through the Engine, then move each along its path (holds after every start)."""
    base = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    engine.clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    for i in range(n):
        engine.plan(PlanInput(name=f"Person {i}", company=f"Company {i % 97}", timezone=ZONES[i % 4],
                              start=base + timedelta(hours=7 * i + (i % 5) * 13),
                              where="https://meet.example.org/x" if i % 2 else "Cafe Central",
                              mode="video" if i % 2 else "in-person").event_data(), dispatch=False)
    engine.clock.set(datetime(2040, 1, 1, tzinfo=UTC))
    for i in range(n):
        for event, data in PATHS[i % len(PATHS)]:
            engine.fire(i + 1, event, data, dispatch=False)


def bare_icalendar(ivs, rules) -> bytes:
    """What a careful author writes with icalendar alone: same properties, TZID, VTIMEZONEs."""
    cal = Calendar()
    cal.add("prodid", "-//bench//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", vText("Informational interviews"))
    cal.add("x-wr-calname", vText("Informational interviews"))
    cal.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(timedelta(hours=1)))
    for tzid, observances in rules.items():
        tz = Timezone()
        tz.add("tzid", tzid)
        for ob in observances:
            sub = TimezoneDaylight() if ob.daylight else TimezoneStandard()
            sub.add("dtstart", ob.start)
            sub.add("tzoffsetfrom", ob.offset_from)
            sub.add("tzoffsetto", ob.offset_to)
            sub.add("tzname", ob.name)
            if ob.byday:
                sub.add("rrule", {"freq": "yearly", "bymonth": ob.month, "byday": ob.byday})
            tz.add_component(sub)
        cal.add_component(tz)
    for iv in sorted(ivs, key=lambda iv: iv.id):
        ev = Event()
        stamp = iv.updated.astimezone(UTC)
        ev.add("uid", uid_for(iv.id))
        ev.add("dtstamp", stamp)
        ev.add("last-modified", stamp)
        ev.add("sequence", iv.sequence)
        ev.add("dtstart", iv.local_start)
        ev.add("dtend", iv.local_end)
        ev.add("summary", summary_for(iv))
        ev.add("status", status_for(MEANS[iv.state]))
        ev.add("location", iv.where)
        if iv.where.startswith("https://"):
            ev.add("url", iv.where)
        ev.add("description", description_for(iv))
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    return cal.to_ical()


EXPORT_SCRIPT = r"""
from infoview.cli import main
main(["--home", sys.argv[1], "calendar", "export", "--output", sys.argv[2]])
_out = {}
"""


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-calendar-") as home:   # the store and the feed token
        engine = Engine(Path(home), Clock(fixed=datetime(2026, 1, 1, tzinfo=UTC)))
        populate(engine, N)
        try:
            figures = _figures(engine.interviews(), engine)
        finally:
            engine.store.close()
        figures[0].note = _export_memory(Path(home))
        return figures


def _export_memory(home: Path) -> str:
    """Peak RSS of a fresh `calendar export`; the same after the log grew tenfold-ish."""
    peaks, sizes = [], []
    for extra in (0, 10):
        if extra:
            lengthen_history(home / "infoview.db", extra)
        out = home / f"export-{extra}.ics"
        peaks.append(peak_rss(EXPORT_SCRIPT, str(home), str(out))["peak_mib"])
        sizes.append(out.stat().st_size)
    assert sizes[0] == sizes[1], sizes  # the same feed: only the versions moved
    return (f"peak RSS of `calendar export` ({sizes[0] / 2**20:.1f} MiB of .ics) in a fresh process: {peaks[0]:.0f} MiB; "
            f"with the log grown to {count(home / 'infoview.db', 'events'):,} events: {peaks[1]:.0f} MiB")


def _figures(ivs, engine: Engine) -> list[Figure]:
    years: dict[str, tuple[int, int]] = {}
    for iv in ivs:
        lo, hi = years.get(iv.timezone, (9999, 0))
        years[iv.timezone] = (min(lo, iv.local_start.year), max(hi, iv.local_end.year))
    rules = {tz: zone_rules(tz, *span) for tz, span in sorted(years.items())}
    zone_rules.cache_clear()   # ours derives its rules inside the timed runs (first run uncached)
    hook = engine.host.calendar_components
    options = CalendarOptions()

    def ours() -> None:
        render(ivs, options, hook)

    figures = [compare(f"calendar: full feed of {N:,} interviews vs bare icalendar", ours,
                       lambda: bare_icalendar(ivs, rules), target=1.2, kind="within", repeats=5)]

    ready, urls, stop = threading.Event(), [], threading.Event()
    thread = threading.Thread(target=serve, args=(engine, "127.0.0.1", 0),
                              kwargs={"ready": lambda u: (urls.append(u), ready.set()), "stop_event": stop},
                              daemon=True)
    thread.start()
    try:
        if not ready.wait(120):
            raise RuntimeError("the feed server did not start")
        parts = urlsplit(urls[0])

        def cached_request() -> None:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            conn.request("GET", parts.path)
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            assert resp.status == 200 and body

        figures.append(compare(f"calendar: cached feed request (HTTP, {N:,}) vs full regeneration",
                               cached_request, ours, target=100, kind="at_least", repeats=5,
                               note="ours = one GET of the unchanged feed over HTTP on 127.0.0.1"))
    finally:
        stop.set()
        thread.join(30)
    return figures
