"""Running the CLI in tests. `iv` runs the CLI in-process (fast; `infoview.cli.main([...])`), `sub` runs it as a real
subprocess (`python -m infoview.cli`). Both use their own home under tmp_path and a fixed clock
(`--now`), and return a `Run` with the exit code, stdout and stderr.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The clock every test starts from unless it says otherwise: Sunday 1 March 2026, 09:00 UTC.
NOW = "2026-03-01T09:00:00+00:00"
# The interview most tests plan: Tuesday 10 March 2026, 14:00 in Berlin (13:00 UTC), 20 minutes.
AT, TZ = "2026-03-10T14:00", "Europe/Berlin"
_OUR_ENV = ("INFOVIEW_HOME", "INFOVIEW_NOW", "INFOVIEW_DEBUG", "INFOVIEW_STRICT_PLUGINS",
            "INFOVIEW_LOAD_PLUGINS", "INFOVIEW_DISABLE_PLUGINS", "INFOVIEW_TRACE_PLUGINS")


@dataclass
class Run:
    code: int
    out: str
    err: str

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
    """The CLI bound to one home. `now=None` leaves the clock unset (the real time)."""

    def __init__(self, home: Path):
        self.home = home

    def _args(self, args: tuple[Any, ...], now: str | None, debug: bool) -> list[str]:
        pre = ["--home", str(self.home)]
        if now is not None:
            pre += ["--now", now]
        if debug:
            pre.append("--debug")
        return pre + [str(a) for a in args]

    def __call__(self, *args: Any, now: str | None = NOW, debug: bool = False) -> Run:
        """In-process: infoview.cli.main(argv), stdout and stderr captured."""
        from infoview.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(self._args(args, now, debug))
        return Run(code, out.getvalue(), err.getvalue())

    def sub(self, *args: Any, now: str | None = NOW, debug: bool = False, env: dict[str, str] | None = None,
            timeout: float = 60) -> Run:
        """A real subprocess: python -m infoview.cli."""
        p = subprocess.run([sys.executable, "-m", "infoview.cli", *self._args(args, now, debug)],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=self.home.parent,
                           env=env or clean_env(), timeout=timeout)
        return Run(p.returncode, p.stdout, p.stderr)

    def popen(self, *args: Any, now: str | None = NOW, **kw: Any) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "infoview.cli", *self._args(args, now, False)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                                cwd=self.home.parent, env=clean_env(), **kw)

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
        conn = sqlite3.connect(self.db)
        try:
            return list(conn.execute(sql, params))
        finally:
            conn.close()

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        return {t: self.rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("events", "interviews", "outbox")}  # interviews rows hold their armed timers



def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- plain functions, for tests that drive one home through many subprocess calls ----

def infoview(home: Path, *args: str, now: str | None = None, input: str | None = None,
             env: dict[str, str] | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m infoview.cli --home HOME [--now NOW] ARGS`; never a traceback on stderr."""
    cmd = [sys.executable, "-m", "infoview.cli", "--home", str(home), *(["--now", now] if now else []), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, input=input, env=clean_env(**(env or {})),
                          timeout=120)
    if check:
        assert proc.returncode == 0, f"{args} exited {proc.returncode}: {proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def infoview_json(home: Path, *args: str, now: str | None = None) -> Any:
    return json.loads(infoview(home, *args, "--json", now=now, check=True).stdout)
