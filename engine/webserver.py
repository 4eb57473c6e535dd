"""The one HTTP server infoview runs (the web app and the calendar feed): waitress, with limits.

waitress parses requests per RFC 9112 and gives most limits as settings: a connection cap (past
it, new connections wait in the listen backlog instead of taking memory), an idle timeout per
connection, and a bound on the request's header block counted as bytes arrive, before anything
is kept for them (431 past it). What it lacks is a deadline for the whole request: a client that
sends one byte every few seconds never goes idle. `_DeadlineServer` adds it, measured from the
first byte of a request to the last, checked once a second by waitress's own maintenance pass.
"""
from __future__ import annotations

import dataclasses
import errno
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .errors import InfoviewError
from .stopping import StopSignals

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger("infoview.webserver")
# waitress warns "Task queue depth is N" whenever a request waits for a free thread: routine for a
# burst of requests (the limits above make them wait on purpose), not something to print
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
LINGER_SECONDS = 2      # how long a closing connection drops what the client still sends
LINGER_READ = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one client may take. SECURITY.md states these numbers."""

    connections: int = 100          # open connections at once; more wait in the listen backlog
    idle_seconds: int = 15          # a connection that sends or reads nothing this long is closed
    request_seconds: int = 30       # from a request's first byte to its last, however it trickles
    header_bytes: int = 16 * 1024   # the request line and every header together (431 past it)
    body_bytes: int = 64 * 1024     # a form's body (413 past it); the feed takes none
    threads: int = 4                # requests answered at once; the rest queue
    keep_alive: bool = True         # False: one request per connection (the feed: a poll an hour)


# Tighter limits for drills and small machines (tests/stress): each may only lower its default.
TIGHTER = {"INFOVIEW_HTTP_CONNECTIONS": "connections", "INFOVIEW_HTTP_REQUEST_SECONDS": "request_seconds",
           "INFOVIEW_HTTP_IDLE_SECONDS": "idle_seconds"}


def tightened(limits: Limits, env: dict[str, str] | None = None) -> Limits:
    """`limits` with what INFOVIEW_HTTP_* ask, or an InfoviewError naming the bad setting."""
    env = dict(os.environ if env is None else env)
    changes: dict[str, int] = {}
    for name, field in TIGHTER.items():
        text = env.get(name, "").strip()
        if not text:
            continue
        ceiling = getattr(limits, field)
        if not text.isdigit() or not 1 <= int(text) <= ceiling:
            raise InfoviewError(f"{name}={text!r:.20}: give a whole number from 1 to {ceiling}, or unset it")
        changes[field] = int(text)
    return dataclasses.replace(limits, connections=changes.get("connections", limits.connections),
                               request_seconds=changes.get("request_seconds", limits.request_seconds),
                               idle_seconds=changes.get("idle_seconds", limits.idle_seconds))


def _channel_class(keep_alive: bool) -> Any:
    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    class Task(WSGITask):  # type: ignore[misc]
        """Tells the application the HTTP version the client asked for (waitress answers an
        unknown one as 1.0); without keep-alive, answers with `Connection: close` and closes."""

        def get_environment(self) -> dict[str, Any]:
            environ: dict[str, Any] = super().get_environment()
            environ["infoview.http_version"] = self.request.version
            return environ

        def build_response_header(self) -> bytes:
            if not keep_alive:
                self.set_close_on_finish()
            header: bytes = super().build_response_header()
            return header

    class DeadlineChannel(HTTPChannel):  # type: ignore[misc]
        """A channel that remembers when the request it is reading began."""

        request_began: float | None = None
        task_class = Task

        # A staged close (RFC 9112 9.6): when the server closes first (an answer sent with
        # `Connection: close`, a refused request), it stops sending, then reads and drops what the
        # client may still be sending for a moment. Closing at once with unread bytes would reset
        # the connection, and the client could lose the answer (a 431 to an oversized header).
        lingering_since: float | None = None
        linger_over = False   # set by the server's maintenance pass; the channel closes itself
        _by_choice = False

        def handle_write(self) -> None:
            if self.lingering_since is not None:
                if self.linger_over:
                    HTTPChannel.handle_close(self)
                return
            self._by_choice = True
            try:
                super().handle_write()
            finally:
                self._by_choice = False

        def handle_close(self) -> None:
            if self._by_choice and self.lingering_since is None and self.connected and not self.total_outbufs_len:
                try:
                    self.socket.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                else:
                    self.lingering_since = time.monotonic()
                    self.will_close = self.close_when_flushed = False
                    return
            super().handle_close()

        def readable(self) -> bool:
            return self.lingering_since is not None or bool(super().readable())

        def writable(self) -> bool:
            if self.lingering_since is not None:
                return self.linger_over
            return bool(super().writable())

        def handle_read(self) -> None:
            if self.lingering_since is None:
                super().handle_read()
                return
            try:
                data = self.socket.recv(LINGER_READ)
            except OSError:
                data = b""
            if not data:
                HTTPChannel.handle_close(self)

        def received(self, data: bytes) -> bool:
            if data and self.request_began is None:
                self.request_began = time.monotonic()
            result: bool = super().received(data)
            if self.request is None:   # nothing half-read is left: the next request starts afresh
                self.request_began = None
            return result

    return DeadlineChannel


def _server_class(keep_alive: bool) -> Any:
    from waitress.server import TcpWSGIServer

    class DeadlineServer(TcpWSGIServer):  # type: ignore[misc]
        channel_class = _channel_class(keep_alive)
        request_seconds = 30

        def maintenance(self, now: float) -> None:
            super().maintenance(now)
            cutoff = time.monotonic() - self.request_seconds
            for channel in list(self.active_channels.values()):
                lingering = getattr(channel, "lingering_since", None)
                if lingering is not None:
                    # closed by the channel itself (not here, while the loop is listing sockets)
                    channel.linger_over = lingering < time.monotonic() - LINGER_SECONDS
                    continue
                began = getattr(channel, "request_began", None)
                if began is not None and began < cutoff:
                    log.info("closing a connection from %s: its request took over %ss",
                             channel.addr[0] if channel.addr else "?", self.request_seconds)
                    channel.will_close = True
                    channel.request_began = None

    return DeadlineServer


def open_server(app: "WSGIApplication", host: str, port: int, limits: Limits = Limits()) -> Any:
    """Bind and listen, or raise an InfoviewError that says what to change."""
    from waitress.adjustments import Adjustments
    from waitress.task import ThreadedTaskDispatcher

    limits = tightened(limits)
    cls = _server_class(limits.keep_alive)
    cls.request_seconds = limits.request_seconds
    settings = dict(
        host=host, port=port, threads=limits.threads, connection_limit=limits.connections,
        channel_timeout=limits.idle_seconds, cleanup_interval=1, max_request_header_size=limits.header_bytes,
        max_request_body_size=limits.body_bytes, ident="infoview", expose_tracebacks=False,
        asyncore_loop_timeout=1, backlog=128,
    )
    try:
        adj = Adjustments(**settings)
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(adj.threads)
        server = cls(app, {}, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])
    except socket.gaierror:
        raise InfoviewError(f"cannot listen on '{host}': no such address; use e.g. --host 127.0.0.1") from None
    except (OverflowError, ValueError):
        raise InfoviewError(f"cannot listen on {host}:{port}; pick a port from 1 to 65535 with --port") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InfoviewError(f"port {port} on {host} is in use; pick another with --port") from None
        if exc.errno == errno.EACCES:
            raise InfoviewError(f"no permission to listen on port {port} on {host}; "
                                "pick a port above 1023 with --port") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise InfoviewError(f"{host} is not an address of this machine; use e.g. --host 127.0.0.1") from None
        raise InfoviewError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return server


MAX_HEADER_LINES = 100


def checked(app: "WSGIApplication") -> "WSGIApplication":
    """What waitress lets through and infoview refuses: a protocol version other than HTTP/1.0 or
    1.1 (505; waitress would answer HTTP/9.9 as 1.0), and more than MAX_HEADER_LINES headers (431:
    their bytes are bounded already by Limits.header_bytes, this bounds the work per header)."""

    def refuse(start_response: Any, status: str, text: str) -> list[bytes]:
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [text.encode()]

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("infoview.http_version", "1.1") not in ("1.0", "1.1"):
            return refuse(start_response, "505 HTTP Version Not Supported", "505 use HTTP/1.1\n")
        if sum(1 for key in environ if key.startswith("HTTP_")) > MAX_HEADER_LINES:
            return refuse(start_response, "431 Request Header Fields Too Large", "431 too many request headers\n")
        return app(environ, start_response)

    return wrapped


def bound_port(server: Any) -> int:
    return int(server.effective_port)


def run_until_stopped(server: Any, *, ready: Callable[[int], None] | None = None,
                      stop_event: threading.Event | None = None) -> None:
    """Serve until SIGINT/SIGTERM (main thread) or `stop_event` is set; `ready(port)` once listening.
    Returns after the listener and every connection are closed and the workers have stopped."""
    from waitress import wasyncore

    thread = threading.Thread(target=server.run, name="infoview-http", daemon=True)
    thread.start()
    stop = stop_event or threading.Event()
    try:
        with StopSignals() as signals:  # Ctrl-C / SIGTERM, when serving from the main thread
            if ready is not None:
                ready(bound_port(server))
            while not stop.is_set() and not signals.sleep(0.5, also=stop):
                pass
    finally:
        # close the listener and every connection from inside the loop's own thread, then end the workers
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
