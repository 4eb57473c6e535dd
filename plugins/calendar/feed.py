"""The feed's bytes, rebuilt only when the data changed.

A subscribed calendar polls every hour or so, and most polls find nothing new: `FeedCache`
asks a cheap change marker first and only renders when it moved. The cached entry carries what
HTTP needs to answer "not modified": a strong ETag (hash of the exact bytes) and Last-Modified
(the newest change of any interview in the feed).
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Hashable

if TYPE_CHECKING:
    from infoview import Interview
    from infoview.meanings import WorkflowMeanings

    from .ics import RenderCache
    from .options import CalendarOptions


@dataclass(frozen=True, slots=True)
class Feed:
    body: bytes
    etag: str                       # quoted, strong: '"<sha256 prefix>"'
    last_modified: datetime | None  # None for an empty calendar


def make_feed(body: bytes, last_modified: datetime | None) -> Feed:
    return Feed(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"', last_modified)


class FeedCache:
    """`get()` returns the current Feed; `build()` runs only when `marker()` returns something new.

    Thread-safe: concurrent requests after a change wait for one rebuild instead of each
    rendering the calendar."""

    def __init__(self, build: Callable[[], Feed], marker: Callable[[], Hashable],
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._build = build
        self._now = now
        self._marker = marker
        self._lock = threading.Lock()
        self._feed: Feed | None = None
        self._seen: Hashable = object()   # equal to no marker: the first get() builds
        self.builds = 0                    # how many times the bytes were rendered (tests, stats)

    def get(self) -> Feed:
        with self._lock:
            marker = self._marker()
            if self._feed is None or marker != self._seen:
                new = self._build()
                self._feed = replace(new, last_modified=changed_at(self._feed, new, self._now()))
                self._seen = marker
                self.builds += 1
            return self._feed


def changed_at(previous: Feed | None, new: Feed, now: datetime) -> datetime | None:
    """Last-Modified for a rebuilt feed, so that If-Modified-Since never gets 304 for bytes that
    changed: the newest change of an interview in it when that moved forward; but when the bytes
    changed without it (a deleted interview, a renamed calendar, a plugin's new component), the
    moment the server saw them change, after the Last-Modified it gave before."""
    if previous is None:
        return new.last_modified
    if previous.body == new.body:
        return previous.last_modified
    before = previous.last_modified
    if new.last_modified is not None and (before is None or new.last_modified > before):
        return new.last_modified
    now = now.replace(microsecond=0)   # whole seconds, as the header shows it: If-Modified-Since can match
    return now if before is None else max(now, before + timedelta(seconds=1))


def render(interviews: list["Interview"], options: "CalendarOptions",
           components_hook: Callable[["Interview", Any], None] | None = None,
           meanings: "WorkflowMeanings | None" = None) -> Feed:
    from .ics import build_calendar

    body = build_calendar(interviews, name=options.name, options=options, components_hook=components_hook,
                          meanings=meanings)
    newest = max((iv.updated for iv in interviews), default=None)
    return make_feed(body, newest)


def write_engine_feed(engine: Any, write: Callable[[bytes], object], states: list[str] | None = None,
                      window: str | None = None, cache: "RenderCache | None" = None) -> tuple[int, datetime | None]:
    """Write the engine's interviews as a feed while they are read from the store (see
    ics.write_calendar), with every plugin's components, each shown as what its workflow says its
    state means; only those starting within the window (`window`, else config's calendar.window).
    Returns (VEVENTs written, newest change)."""
    from infoview.meanings import meanings_of

    from .ics import write_calendar
    from .options import CalendarOptions, load_options

    options = load_options(engine.config)
    if window is not None:
        options = CalendarOptions(**{**options.model_dump(), "window": window})
    since = options.window_start(engine.clock.now())
    meanings = meanings_of(engine.registry.workflows.values())
    return write_calendar(lambda: engine.store.interviews(states, starting_from=since), write, name=options.name,
                          options=options, components_hook=engine.host.calendar_components, meanings=meanings,
                          cache=cache)


def engine_feed(engine: Any, states: list[str] | None = None, cache: "RenderCache | None" = None) -> Feed:
    """The feed's bytes in memory (a server answers with them and their ETag)."""
    parts: list[bytes] = []
    _, newest = write_engine_feed(engine, parts.append, states, cache=cache)
    return make_feed(b"".join(parts), newest)


def engine_cache(engine: Any) -> FeedCache:
    """A FeedCache over the engine, keyed on `engine.change_marker()` and the day (a windowed feed
    drops old interviews as days pass). Each interview's components are kept between renders, so
    a change renders again only the interviews that changed."""
    kept: "RenderCache" = {}

    def marker() -> Hashable:
        return (engine.change_marker(), engine.clock.now().date())
    return FeedCache(lambda: engine_feed(engine, cache=kept), marker, engine.clock.now)
