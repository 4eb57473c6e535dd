"""`infoview web` as a command: it opens the browser at the login URL it prints, refuses a port in
use in one line, and stops cleanly on Ctrl-C and SIGTERM."""
from __future__ import annotations

import os
import signal
import socket
import stat
from pathlib import Path

import pytest

from cli_support import CLI, Lines, start_infoview
from web_support import NOW, WAIT


def test_opens_the_browser_at_the_login_url_it_prints(tmp_path: Path):
    # webbrowser runs $BROWSER with the URL: a script that writes down what it was given
    seen = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {seen}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    proc = start_infoview(tmp_path / "home", "web", "--port", "0", now=NOW, env={"BROWSER": f"{browser} %s"})
    try:
        lines = Lines(proc.stdout)
        assert lines.next(WAIT).startswith("infoview web on http://127.0.0.1:")
        login = lines.next(WAIT).removeprefix("login: ")
        # the URL is printed once the browser was asked to open it
        assert seen.read_text() == login and "/login?token=" in login
        secret = (tmp_path / "home" / "web-secret")
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and secret.read_text().strip() == login.split("=", 1)[1]
    finally:
        proc.terminate()
        proc.communicate(timeout=WAIT)


def test_port_in_use_is_one_clear_line(iv: CLI):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = iv("web", "--no-open", "--port", port)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"port {port} on 127.0.0.1 is in use; pick another with --port\n"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signals(tmp_path: Path, sig: signal.Signals):
    proc = start_infoview(tmp_path / "home", "web", "--no-open", "--port", "0", now=NOW)
    try:
        lines = Lines(proc.stdout)
        base = lines.next(WAIT).split()[3]
        assert lines.next(WAIT).startswith("login: ")
        port = int(base.rsplit(":", 1)[1])
        socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT)
    assert proc.returncode == 0 and err.strip() == "stopped" and "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
