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


def components_hook_for(plugin_manager: Any) -> Callable[["Interview", Any], None]:
    """Call every plugin's `infoview_calendar_components` in pluggy's order, each isolated: a
    broken plugin is logged and skipped so the feed keeps working for subscribers."""
    import logging

    log = logging.getLogger("infoview.calendar")
    caller = plugin_manager.hook.infoview_calendar_components

    def hook(interview: "Interview", calendar: Any) -> None:
        for impl in reversed(caller.get_hookimpls()):   # pluggy calls the last entry first
            if impl.hookwrapper or impl.wrapper:
                continue  # wrappers expect pluggy's generator protocol; none exist for this hook
            kwargs = {"interview": interview, "calendar": calendar}
            try:
                impl.function(**{k: kwargs[k] for k in impl.argnames})
            except Exception:  # noqa: BLE001 - one plugin must not take the feed down
                log.exception("calendar plugin %s failed on interview %s; skipped", impl.plugin_name, interview.id)

    return hook


def render(interviews: list["Interview"], options: "CalendarOptions",
           components_hook: Callable[["Interview", Any], None] | None = None) -> Feed:
    from .ics import build_calendar

    body = build_calendar(interviews, name=options.name, options=options, components_hook=components_hook)
    newest = max((iv.updated for iv in interviews), default=None)
    return make_feed(body, newest)


def engine_feed(engine: Any, states: list[str] | None = None) -> Feed:
    """Render the engine's interviews now, with every plugin's components."""
    from .options import load_options

    options = load_options(engine.config)
    return render(engine.interviews(states), options, components_hook_for(engine.plugin_manager))


def engine_cache(engine: Any) -> FeedCache:
    """A FeedCache over the engine, keyed on `engine.change_marker()`."""
    return FeedCache(lambda: engine_feed(engine), engine.change_marker)
