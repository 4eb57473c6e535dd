"""The limits of infoview's HTTP server (infoview.webserver), each tried by a real client on
127.0.0.1 against a small WSGI app: a whole-request deadline for a client that trickles, a cap on
connections, a bound on header bytes counted as they arrive, a staged close."""
from __future__ import annotations

import socket
import threading
import time
from typing import Any, Iterator

import pytest

from infoview.webserver import Limits, checked, open_server, run_until_stopped

WAIT = 10


def hello(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


@pytest.fixture
def serve(request: pytest.FixtureRequest) -> Iterator[int]:
    limits: Limits = request.param
    server = open_server(checked(hello), "127.0.0.1", 0, limits)
    stop = threading.Event()
    thread = threading.Thread(target=run_until_stopped, args=(server,), kwargs={"stop_event": stop}, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive()


def ask(port: int, timeout: float = WAIT) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return s.makefile("rb").read()


@pytest.mark.parametrize("serve", [Limits(request_seconds=1, idle_seconds=60)], indirect=True)
def test_a_client_that_trickles_is_cut_off_at_the_deadline(serve: int):
    """One byte every 0.1 s never leaves the connection idle; the deadline still ends it."""
    sent = 0
    with socket.create_connection(("127.0.0.1", serve), timeout=WAIT) as s:
        s.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
        try:
            while sent < 300:   # 30 s of trickling, far past the 1 s deadline
                s.sendall(b"a")
                sent += 1
                time.sleep(0.1)   # the client's pace: what is under test
        except OSError:
            pass
        else:
            pytest.fail("a request trickling for 30 s was never cut off")
    assert sent < 60   # cut off within a few seconds of the deadline (checked once a second)
    assert ask(serve).startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize("serve", [Limits(connections=5)], indirect=True)
def test_connections_past_the_cap_wait_and_are_served_once_one_closes(serve: int):
    idle = [socket.create_connection(("127.0.0.1", serve), timeout=WAIT) for _ in range(5)]
    try:
        with pytest.raises(socket.timeout):   # accepted by the kernel, not read by the server
            ask(serve, timeout=2)
        for s in idle:
            s.close()
        idle = []
        assert ask(serve).startswith(b"HTTP/1.1 200")
    finally:
        for s in idle:
            s.close()


@pytest.mark.parametrize("serve", [Limits(header_bytes=4096)], indirect=True)
def test_headers_past_the_bound_get_431_before_the_rest_is_read(serve: int):
    with socket.create_connection(("127.0.0.1", serve), timeout=WAIT) as s:
        s.sendall(b"GET / HTTP/1.1\r\nX-Big: " + b"b" * 5000)   # no end of headers: never complete
        answer = s.makefile("rb").read()
    assert answer.startswith(b"HTTP/1.0 431") or answer.startswith(b"HTTP/1.1 431"), answer[:100]
    assert ask(serve).startswith(b"HTTP/1.1 200")
