"""The feed's bytes, rebuilt only when the data changed.

A subscribed calendar polls every hour or so, and most polls find nothing new: `FeedCache`
asks a cheap change marker first and only renders when it moved. The cached entry carries what
HTTP needs to answer "not modified": a strong ETag (hash of the exact bytes) and Last-Modified
(the newest change of any interview in the feed).
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime
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

    def __init__(self, build: Callable[[], Feed], marker: Callable[[], Hashable]):
        self._build = build
        self._marker = marker
        self._lock = threading.Lock()
        self._feed: Feed | None = None
        self._seen: Hashable = object()   # equal to no marker: the first get() builds
        self.builds = 0                    # how many times the bytes were rendered (tests, stats)

    def get(self) -> Feed:
        with self._lock:
            marker = self._marker()
            if self._feed is None or marker != self._seen:
                self._feed = self._build()
                self._seen = marker
                self.builds += 1
            return self._feed


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
    return FeedCache(lambda: engine_feed(engine, cache=kept), marker)
