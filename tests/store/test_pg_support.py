"""The tests' PostgreSQL server (tests/pg_support.py): one for the whole run, shared by the xdist
workers, and never outliving the run, even one killed with SIGKILL."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

from pg_support import PgServer

TESTS = Path(__file__).resolve().parents[1]


def test_every_worker_uses_the_runs_one_server(pg_server: PgServer) -> None:
    owner, _, folder = os.environ["INFOVIEW_TESTS_PG"].partition(":")
    assert pg_server.folder == Path(folder) and int(owner) in (os.getpid(), os.getppid())
    assert pg_server.fresh(template="template0")


def _ended(pid: int, timeout: float) -> bool:
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


def test_a_server_whose_owner_is_killed_stops_and_goes(tmp_path: Path) -> None:
    code = ("import sys; from pg_support import start_server\n"
            "s = start_server()\n"
            "pid = (s.folder / 'data' / 'postmaster.pid').read_text().split()[0]\n"
            "print(s.folder, pid, s.watchdog, flush=True); sys.stdin.read()\n")
    owner = subprocess.Popen([sys.executable, "-c", code], cwd=TESTS, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert owner.stdout
        folder, postmaster, watchdog = owner.stdout.readline().split()
        assert (Path(folder) / "data").is_dir() and not _ended(int(postmaster), 0)
    finally:
        owner.send_signal(signal.SIGKILL)  # no clean-up of its own can run
        owner.wait(timeout=30)
    assert _ended(int(watchdog), 60), "the watchdog did not notice its owner had gone"
    assert _ended(int(postmaster), 0) and not Path(folder).exists()
