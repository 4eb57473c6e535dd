"""A small read-only HTTP server for the feed: `GET|HEAD /calendar/<token>.ics`, nothing else.

Standard library only (ThreadingHTTPServer). What protects it:
- the token is compared in constant time (hmac.compare_digest) and never written to the log;
- the stdlib parser bounds the request line (64 KiB, else 414) and headers (100 lines, else 431);
- every connection has a socket timeout, so a slow or silent client only holds its own thread;
- one connection, one request ("Connection: close"): a GET carrying a body cannot confuse us.
The engine is only touched from one worker thread, because its SQLite store may not be shared
across threads; cached requests cost one `change_marker()` call there.
"""
from __future__ import annotations

import errno
import hmac
import logging
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timezone
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from infoview import InfoviewError
from infoview.stopping import StopSignals

from .feed import Feed
from .urls import PATH_PREFIX, PATH_SUFFIX

log = logging.getLogger("infoview.calendar.server")
UTC = timezone.utc
CLIENT_TIMEOUT = 15.0     # seconds a client may take to send its request
FEED_TIMEOUT = 120.0      # seconds a (re)build of the feed may take before we answer 503


def _etags(header: str) -> list[str]:
    """Entity tags in an If-None-Match list; weak ones compare by their opaque part (RFC 9110)."""
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


class FeedHandler(BaseHTTPRequestHandler):
    server: "FeedServer"
    protocol_version = "HTTP/1.1"
    server_version = "infoview"
    sys_version = ""
    timeout = CLIENT_TIMEOUT
    # a request line without a version would get an HTTP/0.9 answer (no status line at all);
    # answer everyone in HTTP/1.1, and keep the stdlib's error pages short and plain
    default_request_version = "HTTP/1.1"
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def __getattr__(self, name: str) -> Any:
        # the stdlib answers 501 to any method without a do_<METHOD>; a method is known, just not
        # allowed here, so answer 405 with Allow for every other well-formed method
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD are allowed\n", allow="GET, HEAD")

    def _token_ok(self) -> bool:
        path = self.path.split("?", 1)[0]
        if not (path.startswith(PATH_PREFIX) and path.endswith(PATH_SUFFIX)):
            return False
        given = path[len(PATH_PREFIX):-len(PATH_SUFFIX)]
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.server.token().encode())

    def _serve(self, *, send_body: bool) -> None:
        if not self._token_ok():
            self._plain(HTTPStatus.NOT_FOUND, "no calendar here; check the URL from `infoview calendar url`\n",
                        send_body=send_body)
            return
        try:
            feed = self.server.get_feed()
        except Exception:  # noqa: BLE001 - answer, log, keep serving
            log.exception("building the calendar feed failed")
            self._plain(HTTPStatus.SERVICE_UNAVAILABLE, "the calendar could not be built; see the server log\n",
                        send_body=send_body)
            return
        headers = {"ETag": feed.etag, "Cache-Control": "private, no-cache"}
        if feed.last_modified is not None:
            headers["Last-Modified"] = format_datetime(feed.last_modified.astimezone(UTC), usegmt=True)
        if self._not_modified(feed):
            self._respond(HTTPStatus.NOT_MODIFIED, headers, b"", send_body=False)
            return
        headers["Content-Type"] = "text/calendar; charset=utf-8"
        self._respond(HTTPStatus.OK, headers, feed.body, send_body=send_body)

    def _not_modified(self, feed: Feed) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:   # when present, If-Modified-Since is ignored (RFC 9110 13.2.2)
            tags = _etags(inm)
            return "*" in tags or feed.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is None or feed.last_modified is None:
            return False
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError, IndexError):
            return False      # an unreadable date means "send it", never an error
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return feed.last_modified.replace(microsecond=0) <= since

    def _respond(self, status: HTTPStatus, headers: dict[str, str], body: bytes, *, send_body: bool) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if send_body and body:
            self.wfile.write(body)

    def _plain(self, status: HTTPStatus, text: str, *, send_body: bool = True, allow: str | None = None) -> None:
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        if allow:
            headers["Allow"] = allow
        self._respond(status, headers, text.encode(), send_body=send_body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's signature
        # the request line holds the secret token: never log it
        text = (format % args).replace(self.server.token(), "<token>")
        log.info("%s %s", self.address_string(), text)


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True          # a stuck client never blocks shutdown
    allow_reuse_address = True     # restart right after a stop (TIME_WAIT), still refuses a live listener
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], token: Callable[[], str], get_feed: Callable[[], Feed]):
        self.token = token  # the current token on every call: a rotation takes effect at once
        self.get_feed = get_feed
        super().__init__(address, FeedHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr for any error; a client that hung up before
        # its answer was written (a calendar app giving up) is routine, so only log it
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            log.debug("client %s went away: %s", client_address[0], sys.exc_info()[1])
        else:
            log.exception("error while answering %s", client_address[0])


class _FeedServer6(FeedServer):
    address_family = socket.AF_INET6


def open_server(host: str, port: int, token: Callable[[], str], get_feed: Callable[[], Feed]) -> FeedServer:
    """Bind and listen, or raise an InfoviewError that says what to change."""
    cls = _FeedServer6 if ":" in host else FeedServer
    try:
        return cls((host, port), token, get_feed)
    except socket.gaierror:
        raise InfoviewError(f"cannot listen on '{host}': no such address; use e.g. --host 127.0.0.1") from None
    except OverflowError:
        raise InfoviewError(f"port {port} is out of range; pick one from 1 to 65535 with --port") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InfoviewError(f"port {port} on {host} is in use; pick another with --port") from None
        if exc.errno == errno.EACCES:
            raise InfoviewError(f"no permission to listen on port {port} on {host}; "
                                "pick a port above 1023 with --port") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise InfoviewError(f"{host} is not an address of this machine; use e.g. --host 127.0.0.1") from None
        raise InfoviewError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve(engine: Any, host: str = "127.0.0.1", port: int = 8765, *,
          ready: Callable[[str], None] | None = None, stop_event: threading.Event | None = None) -> None:
    """Serve the engine's feed until SIGINT/SIGTERM (main thread) or `stop_event` is set.

    `ready(url)` is called once listening, with the feed's http URL (the real port when 0 was
    asked for). Returns after the listener is closed."""
    from .feed import engine_cache
    from .token import CurrentToken
    from .urls import feed_url

    token = CurrentToken(engine.home)
    cache = engine_cache(engine)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infoview-feed")

    def get_feed() -> Feed:
        return worker.submit(cache.get).result(timeout=FEED_TIMEOUT)

    stop = stop_event or threading.Event()
    try:
        server = open_server(host, port, token, get_feed)
    except BaseException:
        worker.shutdown(wait=False, cancel_futures=True)
        raise
    try:
        get_feed()            # build once now: config mistakes show at start, first request is fast
    except BaseException:
        server.server_close()
        worker.shutdown(wait=False, cancel_futures=True)
        raise
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="infoview-serve", daemon=True)
    thread.start()
    try:
        with StopSignals() as signals:  # Ctrl-C / SIGTERM, when serving from the main thread
            if ready is not None:
                ready(feed_url(token(), host=host, port=server.server_address[1]))
            while not stop.is_set() and not signals.sleep(0.5, also=stop):
                pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        worker.shutdown(wait=False, cancel_futures=True)

