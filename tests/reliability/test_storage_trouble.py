"""A read-only home and a full disk (issue 16, point 6): the reading commands work on a home that
cannot be written (a backup copy can be browsed), a change is refused in one line, and a write
that fails for want of space is one line with nothing changed and nothing left behind.

Tests run as root in CI, and root writes through any mode bits: the reader is then `nobody`
(setpriv), which is what a read-only home is to the process that meets it."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from cli_support import _PYTHON_CLI, clean_env, infoview, infoview_json, start_infoview

NOW = "2026-11-01T09:00Z"
READERS = ["list", "show 1", "history 1", "export", "export --format csv", "calendar export", "agenda", "report"]


@pytest.fixture
def read_only_home() -> Iterator[Path]:
    """A home with one interview, readable by everyone and writable by nobody but its owner, in a
    folder the unprivileged reader can reach (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="infoview-ro-"))
    try:
        home = folder / "home"
        infoview(home, "plan", "Jane Doe", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
        folder.chmod(0o755)
        home.chmod(0o555)
        for f in home.iterdir():
            f.chmod(0o444)
        yield home
    finally:
        home.chmod(0o755)
        shutil.rmtree(folder)


def as_reader(home: Path, command: str, now: str = NOW) -> subprocess.CompletedProcess[str]:
    argv = [*_PYTHON_CLI, "--home", str(home), "--now", now, *command.split()]
    if os.geteuid() == 0:
        argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]
    return subprocess.run(argv, capture_output=True, text=True, env=clean_env(HOME="/tmp"), cwd="/",
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.mark.parametrize("command", READERS)
def test_reading_commands_work_on_a_read_only_home(read_only_home: Path, command: str):
    before = sorted(p.name for p in read_only_home.iterdir())
    r = as_reader(read_only_home, command)
    assert r.returncode == 0, r.stderr
    assert "Jane" in r.stdout or command in ("agenda", "history 1", "report")
    assert sorted(p.name for p in read_only_home.iterdir()) == before


@pytest.mark.parametrize("command", ["confirm 1", "plan Sam --at 2026-11-12T10:00 --tz UTC", "tick"])
def test_a_change_to_a_read_only_home_is_one_line(read_only_home: Path, command: str):
    r = as_reader(read_only_home, command, now="2026-11-09T10:05Z")  # the confirm reminder is due then
    assert r.returncode == 1, r.stderr
    assert r.stderr == (f"{read_only_home}: the home is read-only, and this command changes it; nothing was changed "
                        "(list, show, history, report, agenda and export still work)\n")


def test_a_full_disk_is_one_line_and_changes_nothing(tmp_path: Path):
    home = tmp_path / "home"
    infoview(home, "plan", "Jane Doe", "--at", "2026-11-10T10:00", "--tz", "UTC", now=NOW, check=True)
    infoview(home, "show", "1", now=NOW, check=True)  # parsed files are cached (<home>/cache/) by any command
    db = home / "infoview.db"
    limit = db.stat().st_size + 4096  # the database may not grow by more than a page or so
    files_before = sorted(p.name for p in home.iterdir())

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    big = "x" * 1900
    proc = start_infoview(home, "plan", "Sam Roe", "--at", "2026-11-12T10:00", "--tz", "UTC",
                          *[a for _ in range(60) for a in ("--goal", big)], now=NOW, preexec_fn=full_disk)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and out == "", err
    assert "Traceback" not in err and "internal error" not in err
    [line] = err.splitlines()
    assert line.startswith(f"{db}: the disk ") and line.endswith("free some space and try again; nothing was changed")
    assert [i["contact"]["name"] for i in infoview_json(home, "list", now=NOW)] == ["Jane Doe"]
    assert sorted(p.name for p in home.iterdir()) == files_before


@pytest.mark.parametrize("command", [("export", "-o"), ("export", "--format", "csv", "-o"), ("calendar", "export", "-o")])
def test_an_export_the_disk_cannot_hold_leaves_no_file(tmp_path: Path, command: tuple[str, ...]):
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    goals = [a for n in range(50) for a in ("--goal", f"{n} " + "x" * 1900)]  # exports of over 100 KiB
    for name in ("Jane Doe", "Sam Roe"):
        infoview(home, "plan", name, "--at", "2026-11-10T10:00", "--tz", "UTC", *goals, now=NOW, check=True)

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        # above SQLite's 32 KiB shared-memory file, far below the export
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    proc = start_infoview(home, *command, str(out / "file"), now=NOW, preexec_fn=full_disk)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert len(err.splitlines()) == 1 and str(out / "file") in err, err
    assert list(out.iterdir()) == []
