"""`infoview serve`: the calendar feed alone, on infoview's one HTTP stack (infoview.webserver:
waitress with a connection cap, an idle timeout, a whole-request deadline and a bound on header
bytes). The routes are in wsgi.py, shared with `infoview web`.

The engine is only touched from one worker thread, because its SQLite store may not be shared
across threads; cached requests cost one `change_marker()` call there.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from .feed import Feed

FEED_TIMEOUT = 120.0      # seconds a (re)build of the feed may take before we answer 503


class FeedService:
    """The feed of one engine, built on its own worker thread, and the token of the moment."""

    def __init__(self, engine: Any):
        from .feed import engine_cache
        from .token import CurrentToken

        self.token = CurrentToken(engine.home)
        self._cache = engine_cache(engine)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infoview-feed")

    def get(self) -> Feed:
        return self._worker.submit(self._cache.get).result(timeout=FEED_TIMEOUT)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)


def serve(engine: Any, host: str = "127.0.0.1", port: int = 8765, *,
          ready: Callable[[str], None] | None = None, stop_event: threading.Event | None = None) -> None:
    """Serve the engine's feed until SIGINT/SIGTERM (main thread) or `stop_event` is set.

    `ready(url)` is called once listening, with the feed's http URL (the real port when 0 was
    asked for). Returns after the listener is closed."""
    from infoview.webserver import Limits, checked, open_server, run_until_stopped

    from .urls import feed_url
    from .wsgi import feed_app

    service = FeedService(engine)
    try:
        service.get()   # build once now: config mistakes show at start, first request is fast
        server = open_server(checked(feed_app(service.token, service.get)), host, port,
                             Limits(keep_alive=False))   # one poll, one connection
        run_until_stopped(server, stop_event=stop_event,
                          ready=None if ready is None else
                          lambda bound: ready(feed_url(service.token(), host=host, port=bound)))
    finally:
        service.close()
