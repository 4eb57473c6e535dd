"""The real feed server in a thread (port 0, 127.0.0.1, stopped by an event), and raw-socket
and load helpers. Shared by tests/reliability/test_feed_server.py and the stress command."""
from __future__ import annotations

import socket
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Iterator

from support import T0, engine, plan_data

TIMEOUT = 10.0


@contextmanager
def running_feed(home: Path, interviews: int = 5) -> Iterator[str]:
    """Yield the feed's URL (with its token) while the server runs."""
    from infoview.plugins.calendar.server import serve

    eng = engine(home)
    for i in range(interviews):
        eng.plan(plan_data(f"Feed {i}", T0 + timedelta(days=i + 1)), dispatch=False)
    ready: list[str] = []
    got = threading.Event()
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            serve(eng, "127.0.0.1", 0, ready=lambda url: (ready.append(url), got.set()), stop_event=stop)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            errors.append(e)
            got.set()

    thread = threading.Thread(target=run, name="feed-under-test", daemon=True)
    thread.start()
    assert got.wait(TIMEOUT) and ready, errors
    try:
        yield ready[0]
    finally:
        stop.set()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the server did not stop"
        assert not errors, errors


def address(url: str) -> tuple[str, int, str]:
    u = urllib.parse.urlsplit(url)
    return u.hostname or "127.0.0.1", u.port or 80, u.path


def raw(url: str, payload: bytes, *, timeout: float = TIMEOUT) -> bytes:
    """Send bytes, half-close, read the whole answer (the server closes every connection)."""
    host, port, _ = address(url)
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(payload)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        chunks = []
        while True:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def get(url: str, path: str | None = None) -> tuple[int, float]:
    host, _port, own = address(url)
    started = time.perf_counter()
    answer = raw(url, f"GET {path or own} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    took = time.perf_counter() - started
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, took


def load(url: str, clients: int, requests: int) -> dict[str, float]:
    """`clients` concurrent clients, `requests` GETs each: count errors, time every request."""
    def one_client(_: int) -> list[tuple[int, float]]:
        out = []
        for _ in range(requests):
            try:
                out.append(get(url))
            except OSError:
                out.append((0, TIMEOUT))
        return out

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [r for batch in pool.map(one_client, range(clients)) for r in batch]
    times = sorted(t for _, t in results)
    return {"requests": len(results), "errors": sum(s != 200 for s, _ in results),
            "p50": statistics.median(times), "p99": times[max(0, int(len(times) * 0.99) - 1)], "max": times[-1]}
