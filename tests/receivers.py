"""Real local receivers for notification tests: an HTTP server for apprise's `json://` and an
SMTP server (aiosmtpd) for `mailto://`. Both bind 127.0.0.1 on a free port, record what they get,
and stop themselves when the test ends. Use them as pytest fixtures (`http_receiver`,
`smtp_receiver`, `down_url`) through `pytest_plugins = ["receivers"]` in conftest.py.

    def test_x(http_receiver):
        url = http_receiver.url("reminders")          # json://127.0.0.1:PORT/reminders
        ... send ...
        [msg] = http_receiver.wait_for(1)             # bounded wait, no blind sleep
        assert msg.json["title"] == "..."
"""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

WAIT = 10.0  # seconds: generous for a loaded CI machine, still bounded


class Inbox:
    """A thread-safe list of received items that tests can wait on."""

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._changed = threading.Condition()

    def add(self, item: Any) -> None:
        with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    @property
    def items(self) -> list[Any]:
        with self._changed:
            return list(self._items)

    def wait_for(self, count: int, timeout: float = WAIT) -> list[Any]:
        """The first `count` items once that many have arrived; AssertionError after `timeout`."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._items) >= count, timeout=timeout):
                raise AssertionError(f"expected {count} messages within {timeout}s, got {len(self._items)}")
            return list(self._items[:count])


# ---- HTTP (apprise json://) -------------------------------------------------------------------

@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class HttpReceiver(Inbox):
    """Records every POST. `script([500, 200])` makes the next answers those statuses, in order;
    once the script runs out, it answers 200. `hold()` keeps every answer back until `release()`:
    the message has arrived, the sender does not know it yet (a test can kill it then)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__()
        self.host = host  # another address only inside a test network namespace (tests/multihost)
        self._script: list[int] = []
        self._answer = threading.Event()
        self._answer.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                receiver.add(Post(self.path, dict(self.headers), self.rfile.read(length)))
                receiver._answer.wait(timeout=WAIT * 6)
                status = receiver._next_status()
                payload = b"{}" if status < 400 else b'{"error": "scripted failure"}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender was killed while we held its answer: expected

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.port: int = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, name="http-receiver", daemon=True)

    def _next_status(self) -> int:
        with self._changed:
            return self._script.pop(0) if self._script else 200

    def script(self, statuses: list[int]) -> None:
        with self._changed:
            self._script = list(statuses)

    def hold(self) -> None:
        self._answer.clear()

    def release(self) -> None:
        self._answer.set()

    def url(self, path: str = "", *, userinfo: str = "", query: str = "") -> str:
        """An apprise json:// URL to this receiver (userinfo like `user:pw`, query like `+X-Key=v`)."""
        auth = f"{userinfo}@" if userinfo else ""
        return f"json://{auth}{self.host}:{self.port}/{path}" + (f"?{query}" if query else "")

    def start(self) -> "HttpReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=WAIT)


# ---- SMTP (apprise mailto://) -----------------------------------------------------------------

@dataclass(frozen=True)
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    login: tuple[str, str] | None = None

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content().strip() if part is not None else ""


class _FreePortController(Controller):
    """aiosmtpd's Controller needs its port up front; this one binds port 0 and learns the port
    the OS gave before aiosmtpd's own start-up check connects to it."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpReceiver(Inbox):
    """Plain SMTP on 127.0.0.1 without TLS. Accepts any AUTH LOGIN/PLAIN (recording it), so a
    `mailto://user:password@...` URL works and tests can check the password never leaks."""

    def __init__(self) -> None:
        super().__init__()
        self.logins: list[tuple[str, str]] = []
        self._controller = _FreePortController(
            self, hostname="127.0.0.1", port=0, auth_require_tls=False, authenticator=self._authenticate)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        return AuthResult(success=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        self.add(Mail(envelope.mail_from, list(envelope.rcpt_tos), message,  # type: ignore[arg-type]
                      self.logins[-1] if self.logins else None))
        return "250 OK"

    def url(self, to: str = "me@example.com", *, userinfo: str = "", sender: str = "infoview@example.com") -> str:
        """An apprise mailto:// URL to this server: plain SMTP, no TLS (`mailto://`, not `mailtos://`)."""
        auth = f"{userinfo}@" if userinfo else ""
        return f"mailto://{auth}127.0.0.1:{self.port}?from={sender}&to={to}"

    def start(self) -> "SmtpReceiver":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


# ---- fixtures ---------------------------------------------------------------------------------

def _running(receiver: HttpReceiver | SmtpReceiver) -> Iterator[HttpReceiver | SmtpReceiver]:
    """Start a receiver for one test and always stop it afterwards."""
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    yield from _running(HttpReceiver())  # type: ignore[misc]


@pytest.fixture
def http_receiver_b() -> Iterator[HttpReceiver]:
    """A second, independent HTTP receiver (to check routing between two)."""
    yield from _running(HttpReceiver())  # type: ignore[misc]


@pytest.fixture
def smtp_receiver() -> Iterator[SmtpReceiver]:
    yield from _running(SmtpReceiver())  # type: ignore[misc]


@pytest.fixture
def down_url() -> str:
    """A json:// URL where nothing listens: a port the OS just gave us, closed again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"json://127.0.0.1:{port}/down"
