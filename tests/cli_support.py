"""Running the CLI in tests, one way each:

- `iv(...)` (the `iv` fixture, a `CLI`): in-process, `infoview.cli.main([...])`; fast.
- `infoview(home, ...)`: a real process, `python -m infoview.cli`, run to its end; `iv.sub(...)` is
  the same for the fixture's home.
- `start_infoview(home, ...)`: a real process left running (a server, `run`, one to kill);
  `iv.popen(...)` for the fixture's home.

Each passes `--home` and `--now` itself and runs with an environment cleared of the user's
INFOVIEW_* settings; finished runs come back as a `Run` (exit code, stdout, stderr).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import resource
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
# The clock every test starts from unless it says otherwise: Sunday 1 March 2026, 09:00 UTC.
NOW = "2026-03-01T09:00:00+00:00"
# The interview most tests plan: Tuesday 10 March 2026, 14:00 in Berlin (13:00 UTC), 20 minutes.
AT, TZ = "2026-03-10T14:00", "Europe/Berlin"
_OUR_ENV = ("INFOVIEW_HOME", "INFOVIEW_NOW", "INFOVIEW_DATABASE", "INFOVIEW_DEBUG", "INFOVIEW_STRICT_PLUGINS",
            "INFOVIEW_LOAD_PLUGINS", "INFOVIEW_DISABLE_PLUGINS", "INFOVIEW_TRACE_PLUGINS", "INFOVIEW_TZ",
            "INFOVIEW_HTTP_CONNECTIONS", "INFOVIEW_HTTP_REQUEST_SECONDS", "INFOVIEW_HTTP_IDLE_SECONDS")


# A small valid workflow that tests of workflow files change one line of.
MINI_WORKFLOW = """\
name: mini
initial: planned
states:
  planned: {}
  confirmed: {}
  cancelled: {final: true}
transitions:
  - {event: confirm, from: planned, to: confirmed}
  - {event: cancel, from: [planned, confirmed], to: cancelled}
"""

@dataclass
class Run:
    code: int
    out: str
    err: str
    cpu: float | None = None   # CPU seconds a real process used (user + system); None in-process

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def line(self) -> str:
        """The one line a refused or failed command prints on stderr."""
        lines = [ln for ln in self.err.splitlines() if ln.strip()]
        assert len(lines) == 1, f"expected one line on stderr, got: {self.err!r}"
        return lines[0]

    def ok(self) -> "Run":
        assert self.code == 0, f"exit {self.code}\nstdout: {self.out}\nstderr: {self.err}"
        return self


def clean_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OUR_ENV}
    if home is not None:
        env["INFOVIEW_HOME"] = str(home)
    env.update(extra)
    return env


class CLI:
    """The CLI bound to one home (and, given `database`, to that PostgreSQL database, passed as
    `--database`). `now=None` leaves the clock unset (the real time)."""

    def __init__(self, home: Path, database: str | None = None):
        self.home = home
        self.database = database

    def _with_database(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        return ("--database", self.database, *args) if self.database else args

    def __call__(self, *args: Any, now: str | None = NOW, debug: bool = False) -> Run:
        """In-process: infoview.cli.main(argv), stdout and stderr captured."""
        from infoview.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(_argv(self.home, self._with_database(args), now, debug))
        return Run(code, out.getvalue(), err.getvalue())

    def sub(self, *args: Any, now: str | None = NOW, debug: bool = False, env: dict[str, str] | None = None) -> Run:
        """A real process, run to its end: `infoview(self.home, ...)`."""
        return infoview(self.home, *self._with_database(args), now=now, debug=debug, env=env)

    def popen(self, *args: Any, now: str | None = NOW, **popen: Any) -> subprocess.Popen[str]:
        """A real process left running: `start_infoview(self.home, ...)`."""
        return start_infoview(self.home, *self._with_database(args), now=now, **popen)

    # ---- shortcuts ----

    def plan(self, name: str = "Jane Doe", *more: Any, at: str = AT, tz: str = TZ, now: str = NOW) -> int:
        r = self("plan", name, "--at", at, "--tz", tz, *more, now=now).ok()
        return int(r.out.strip())

    def show(self, interview_id: int) -> dict[str, Any]:
        return self("show", interview_id, "--json").ok().json

    def history(self, interview_id: int) -> list[dict[str, Any]]:
        return self("history", interview_id, "--json").ok().json

    def agenda(self, days: int = 60, now: str = NOW) -> list[dict[str, Any]]:
        return self("agenda", "--days", days, "--json", now=now).ok().json

    # ---- the store, read directly ----

    @property
    def db(self) -> Path:
        return self.home / "infoview.db"

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.database:
            import psycopg

            with psycopg.connect(self.database, autocommit=True) as pg:
                return [tuple(r) for r in pg.execute(sql.replace("?", "%s"), params).fetchall()]
        conn = sqlite3.connect(self.db)
        try:
            return list(conn.execute(sql, params))
        finally:
            conn.close()

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        return {t: self.rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("events", "interviews", "outbox")}  # interviews rows hold their armed timers


def texts(answers: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """`show --json`'s notes or evaluation without the times: key -> the texts, oldest first."""
    return {key: [entry["text"] for entry in entries] for key, entries in answers.items()}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- real processes ----------------------------------------------------------------------------

_PYTHON_CLI = (sys.executable, "-m", "infoview.cli")
TIMEOUT = 120  # a safety bound for a process that hangs, far beyond what any command needs


def _argv(home: Path | None, args: tuple[Any, ...], now: str | None, debug: bool) -> list[str]:
    """`[--home HOME] [--now NOW] [--debug] ARGS`. No home: the command finds its own
    (INFOVIEW_HOME, or the user's data folder)."""
    pre: list[str] = []
    if home is not None:
        pre += ["--home", str(home)]
    if now is not None:
        pre += ["--now", now]
    if debug:
        pre.append("--debug")
    return pre + [str(a) for a in args]


def _cwd(home: Path | None) -> Path | None:
    """Run next to the home (which the command may be about to create, parents and all), so that
    nothing a command writes lands in the repository."""
    if home is None:
        return None
    return next(folder for folder in home.parents if folder.is_dir())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def infoview(home: Path | None, *args: Any, now: str | None = None, env: dict[str, str] | None = None,
             input: str | None = None, debug: bool = False, check: bool = False) -> Run:
    """Run the CLI as a process of its own to its end. `env` adds to the cleared environment.
    Never a traceback on stderr unless `debug` asked for one; `check`: exit 0 too."""
    before = _children_cpu()
    proc = subprocess.run([*_PYTHON_CLI, *_argv(home, args, now, debug)], capture_output=True, text=True, input=input,
                          stdin=subprocess.DEVNULL if input is None else None, cwd=_cwd(home),
                          env=clean_env(**(env or {})), timeout=TIMEOUT)
    # RUSAGE_CHILDREN grows by each child this process waits for: around run(), by this one
    result = Run(proc.returncode, proc.stdout, proc.stderr, cpu=_children_cpu() - before)
    if not debug:
        assert "Traceback" not in result.err, result.err
    return result.ok() if check else result


def infoview_json(home: Path | None, *args: Any, now: str | None = None, env: dict[str, str] | None = None) -> Any:
    return infoview(home, *args, "--json", now=now, env=env, check=True).json


def start_infoview(home: Path | None, *args: Any, now: str | None = None, env: dict[str, str] | None = None,
                   **popen: Any) -> subprocess.Popen[str]:
    """Start the CLI as a process of its own and leave it running. stdout and stderr are pipes
    and text unless `popen` says otherwise (e.g. `stdout=subprocess.DEVNULL`, `text=False`)."""
    options: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE,
                               "text": True, "cwd": _cwd(home), "env": clean_env(**(env or {})), **popen}
    return subprocess.Popen([*_PYTHON_CLI, *_argv(home, args, now, False)], **options)


class Lines:
    """The lines a running process writes to one of its pipes, read as they come by a thread of
    their own, so that waiting for the next one has a safety bound (a bare readline() on a
    process that never writes would wait for ever)."""

    def __init__(self, stream: IO[str] | None):
        assert stream is not None, "start the process with that stream as a pipe"
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))

    def next(self, timeout: float = 30) -> str:
        """The next line, without its newline; queue.Empty if none came within `timeout` seconds."""
        return self._queue.get(timeout=timeout)


def modules_after(home: Path, *args: str, now: str = "2026-03-01T09:00:00+00:00") -> set[str]:
    """The modules a whole CLI process has imported when the command is done."""
    code = (f"import sys; from infoview.cli import main; main(['--home', {str(home)!r}, '--now', "
            f"{now!r}, *{list(args)!r}]); print(*sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=60)
    return set(r.stderr.split())
