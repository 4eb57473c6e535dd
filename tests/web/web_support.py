"""`infoview web` as a user runs it (a process of its own on 127.0.0.1, port 0, `--no-open`), a
logged-in plain HTTP client, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import http.client
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode, urlsplit

from cli_support import Lines, start_infoview

NOW = "2026-06-10T09:00:00+00:00"
WAIT = 30  # seconds: a safety bound for one answer, never a sleep
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class Web:
    proc: subprocess.Popen[str]
    login: str          # the login URL the command printed
    base: str           # http://127.0.0.1:PORT
    home: Path
    cookie: str = ""
    csrf: str = ""
    out: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(urlsplit(self.base).port or 0)

    @property
    def token(self) -> str:
        return self.login.split("token=", 1)[1]

    def request(self, method: str, path: str, *, body: dict[str, str] | None = None,
                headers: dict[str, str] | None = None, cookie: bool = True) -> tuple[int, dict[str, str], str]:
        """One request with http.client: what a script or another site's page could send."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if cookie and self.cookie:
            sent["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=sent)
            resp = conn.getresponse()
            headers = {k.lower(): v for k, v in resp.getheaders()}
            if cookie and self.cookie and "set-cookie" in headers:   # as a browser keeps the session it is given
                self.cookie = headers["set-cookie"].split(";", 1)[0]
            return resp.status, headers, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def sign_in(self) -> None:
        """Open the login URL as a browser would; keep the session cookie and a page's CSRF token."""
        status, headers, _ = self.request("GET", self.login[len(self.base):], cookie=False)
        assert status == 303 and headers["location"] in ("/", self.base + "/"), (status, headers)
        self.cookie = headers["set-cookie"].split(";", 1)[0]
        _, _, page = self.request("GET", "/interviews/1")
        self.csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def start_web(home: Path, *args: str, now: str = NOW) -> Iterator[Web]:
    proc = start_infoview(home, "web", "--no-open", "--port", "0", *args, now=now)
    try:
        lines = Lines(proc.stdout)
        first = lines.next(WAIT)
        assert first.startswith("infoview web on http://127.0.0.1:"), first
        login = lines.next(WAIT)
        assert login.startswith("login: "), login
        url = login.removeprefix("login: ")
        yield Web(proc, url, url.split("/login", 1)[0], home)
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=WAIT)


def launch_chromium(playwright: Any) -> Any:
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: `python3 scripts/dev.py test` installs Debian's chromium package as root")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
