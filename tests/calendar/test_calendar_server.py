"""The subscription server, run for real on 127.0.0.1 with an OS-chosen port, over a real home
(a SQLite store the Engine wrote with a fixed clock)."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from cli_support import CLI, start_infoview
from infoview.clock import Clock
from infoview.engine import Engine
from infoview.inputs import PlanInput
from infoview.plugins.calendar.feed import FeedCache, make_feed
from infoview.plugins.calendar.server import serve

import ics_parsers as parsers

UTC = timezone.utc
WAIT = 20  # seconds: an upper bound for anything here, never a sleep
UPDATED = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)


def make_home(home: Path) -> Path:
    """Interview 1 planned in Berlin; interview 2 in New York, confirmed at UPDATED."""
    clock = Clock(fixed=datetime(2026, 1, 10, tzinfo=UTC))
    engine = Engine(home, clock)
    for name, tz in (("Jane Doe", "Europe/Berlin"), ("Sam Roe", "America/New_York")):
        engine.plan(PlanInput(name=name, company="Acme", start=datetime(2026, 6, 15, 14, 0, tzinfo=UTC), timezone=tz,
                              where="https://meet.example.org/jane").event_data())
    clock.set(UPDATED)
    engine.fire(2, "confirm")
    engine.store.close()
    return home


class Running:
    def __init__(self, home: Path, url: str):
        self.home, self.url = home, url
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path

    def request(self, method: str = "GET", path: str | None = None, headers: dict[str, str] | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=WAIT)
        try:
            conn.request(method, path or self.path, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def raw(self, data: bytes) -> bytes:
        with socket.create_connection((self.host, self.port), timeout=WAIT) as sock:
            sock.sendall(data)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)


@pytest.fixture
def server(tmp_path):
    home = make_home(tmp_path / "home")
    engine = Engine(home)   # what `infoview serve` makes: its own engine on the home
    ready, urls, stop = threading.Event(), [], threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            serve(engine, "127.0.0.1", 0, ready=lambda url: (urls.append(url), ready.set()), stop_event=stop)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
            ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(WAIT) and not errors, errors
    try:
        yield Running(home, urls[0])
    finally:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive(), "serve() did not stop"


def test_get_serves_the_calendar_with_caching_headers(server):
    status, headers, body = server.request()
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["etag"].startswith('"') and int(headers["content-length"]) == len(body)
    assert headers["last-modified"] == "Sun, 01 Feb 2026 09:30:00 GMT"
    events = parsers.ical_js(body)
    assert set(events) == {"interview-1@infoview", "interview-2@infoview"}


def test_head_sends_headers_only(server):
    _, get_headers, _ = server.request()
    raw = server.raw(f"HEAD {server.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    head, _, rest = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and rest == b""
    assert f"etag: {get_headers['etag']}".encode() in head.lower()   # header names are case-insensitive


def test_conditional_requests_get_304(server):
    _, headers, _ = server.request()
    etag, modified = headers["etag"], headers["last-modified"]
    for cond in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'},
                 {"If-Modified-Since": modified}):
        status, h, body = server.request(headers=cond)
        assert (status, body) == (304, b""), cond
        assert h["etag"] == etag
    assert server.request(headers={"If-None-Match": '"stale"'})[0] == 200
    assert server.request(headers={"If-Modified-Since": "Sat, 31 Jan 2026 09:30:00 GMT"})[0] == 200
    assert server.request(headers={"If-Modified-Since": "yesterday-ish"})[0] == 200


def test_wrong_or_missing_token_is_404(server):
    token = server.path.removeprefix("/calendar/").removesuffix(".ics")
    for path in ("/calendar/" + token[:-1] + "x.ics", "/calendar/.ics", "/calendar/", "/",
                 "/calendar/" + token, "/calendar/" + token + ".ics.bak"):
        status, _, body = server.request(path=path)
        assert status == 404, path
        assert token.encode() not in body and b"BEGIN:VCALENDAR" not in body
    assert server.request(path=server.path + "?client=thunderbird")[0] == 200


def test_other_methods_are_405(server):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        status, headers, _ = server.request(method)
        assert (status, headers.get("allow")) == (405, "GET, HEAD"), method


def status_of(answer: bytes) -> int:
    """The status of an answer in HTTP/1.x: a request the server cannot read as 1.1 is answered in
    1.0 (waitress), which every client reads."""
    line = answer.split(b"\r\n", 1)[0]
    assert re.fullmatch(rb"HTTP/1\.[01] \d{3} .*", line), answer[:200]
    return int(line.split()[1])


def test_malformed_requests_do_not_stop_it(server):
    assert status_of(server.raw(b"GARBAGE\r\n\r\n")) == 400
    # the request line counts toward the bound on the whole header block (16 KiB): 431, not 414
    assert status_of(server.raw(b"GET " + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")) == 431
    many = b"".join(b"X-%d: y\r\n" % i for i in range(200))
    assert status_of(server.raw(b"GET / HTTP/1.1\r\n" + many + b"\r\n")) == 431
    server.raw(b"\x00\xff\xfe junk \r\n\r\n")
    assert server.request()[0] == 200


def test_serves_many_clients_while_one_is_silent(server):
    silent = socket.create_connection((server.host, server.port), timeout=WAIT)  # says nothing
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda _: server.request(), range(48)))
    finally:
        silent.close()
    assert {status for status, _, _ in results} == {200}
    assert len({body for _, _, body in results}) == 1


def test_a_change_changes_body_and_etag(server):
    _, before, _ = server.request()
    other = Engine(server.home, Clock(fixed=datetime(2026, 2, 3, 8, 0, tzinfo=UTC)))  # as another process would
    other.fire(1, "cancel")
    other.store.close()
    status, after, body = server.request(headers={"If-None-Match": before["etag"]})
    assert status == 200 and after["etag"] != before["etag"]
    assert after["last-modified"] == "Tue, 03 Feb 2026 08:00:00 GMT"
    assert parsers.ical_js(body)["interview-1@infoview"]["status"] == "CANCELLED"


def test_port_in_use_is_one_clear_line(iv: CLI):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = iv("serve", "--port", port)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"port {port} on 127.0.0.1 is in use; pick another with --port\n"


def test_cache_rebuilds_only_when_the_marker_moves():
    marker = [0]
    cache = FeedCache(lambda: make_feed(b"v%d" % marker[0], None), lambda: marker[0])
    first = cache.get()
    assert cache.get() is first and cache.builds == 1
    marker[0] = 1
    assert cache.get().body == b"v1" and cache.builds == 2


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signals(tmp_path, sig):
    home = make_home(tmp_path / "home")
    proc = start_infoview(home, "serve", "--port", "0")
    try:
        first = proc.stdout.readline()   # the process says where it listens, once listening
        assert first.startswith("serving the calendar on "), first
        url = first.split()[-1]
        assert proc.stdout.readline().startswith("subscribe with webcal://")
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
        conn.request("GET", parts.path)
        assert conn.getresponse().status == 200
        conn.close()
        os.kill(proc.pid, sig)
        out, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT)
    assert proc.returncode == 0, err
    assert out == "" and err.strip() == "stopped" and "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection((parts.hostname, parts.port), timeout=WAIT).close()


def test_a_rotated_token_takes_effect_on_a_running_server(tmp_path):
    """`calendar token --rotate` says old URLs stop working: on a running `serve` too, at once."""
    from cli_support import infoview

    home = make_home(tmp_path / "home")
    proc = start_infoview(home, "serve", "--port", "0")
    try:
        url = proc.stdout.readline().split()[-1]   # printed once listening
        parts = urlsplit(url)

        def status(path: str) -> int:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
            try:
                conn.request("GET", path)
                return conn.getresponse().status
            finally:
                conn.close()

        assert status(parts.path) == 200
        infoview(home, "calendar", "token", "--rotate", check=True)
        new_path = urlsplit(infoview(home, "calendar", "url", check=True).out.split()[0]).path
        assert new_path != parts.path
        assert status(parts.path) == 404 and status(new_path) == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=WAIT)


def test_if_modified_since_never_gets_304_for_a_feed_that_changed(server):
    """A change later in the same second as the Last-Modified a client holds (the store keeps
    whole seconds, so no interview's time moves): the feed was modified all the same."""
    from datetime import timedelta

    _, before, _ = server.request()
    other = Engine(server.home, Clock(fixed=UPDATED + timedelta(milliseconds=500)))
    other.fire(1, "cancel")
    other.store.close()
    status, after, body = server.request(headers={"If-Modified-Since": before["last-modified"]})
    assert status == 200 and after["etag"] != before["etag"] and b"STATUS:CANCELLED" in body
    moved = parsedate_to_datetime(after["last-modified"])
    assert moved > parsedate_to_datetime(before["last-modified"])   # moved past what the client holds
    assert server.request(headers={"If-Modified-Since": after["last-modified"]})[0] == 304
    assert server.request(headers={"If-None-Match": after["etag"]})[0] == 304


def test_last_modified_moves_when_the_bytes_change_without_a_newer_interview():
    """A renamed calendar, a deleted interview or a plugin's new component changes the feed but no
    interview's time: Last-Modified moves past the one given before, so If-Modified-Since sends it."""
    from datetime import timedelta

    body = [b"v1"]
    seen = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    cache = FeedCache(lambda: make_feed(body[0], UPDATED), lambda: body[0], now=lambda: seen)
    first = cache.get()
    assert first.last_modified == UPDATED
    body[0] = b"v2"
    assert cache.get().last_modified == seen
    body[0] = b"v3"   # changed again, and the clock says the same moment: still later than before
    assert cache.get().last_modified == seen + timedelta(seconds=1)
