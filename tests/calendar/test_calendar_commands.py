"""`infoview calendar export|url|token` through the real CLI, against a real home whose
interviews were planned and moved by the Engine with a fixed clock."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

import ics_parsers as parsers
from cli_support import CLI, infoview, start_infoview
from infoview.clock import Clock
from infoview.engine import Engine
from infoview.inputs import PlanInput
from infoview.plugins.calendar.token import token_path

UTC = timezone.utc
NOW = "2026-02-01T09:30Z"


def plan(engine: Engine, name: str, start: datetime, tz: str = "Europe/Berlin") -> int:
    data = PlanInput(name=name, company="Acme", start=start, timezone=tz,
                     where="https://meet.example.org/jane", goals=["Learn how the team measures success"])
    return engine.plan(data.event_data()).interview.id


def make_home(home: Path) -> Path:
    """Interview 1 planned (Berlin); interview 2 in New York, confirmed then cancelled."""
    engine = Engine(home, Clock(fixed=datetime(2026, 1, 10, tzinfo=UTC)))
    plan(engine, "Jane Doe", datetime(2026, 6, 15, 14, 0, tzinfo=UTC))
    plan(engine, "Sam Roe", datetime(2026, 6, 16, 14, 0, tzinfo=UTC), "America/New_York")
    engine.fire(2, "confirm")
    engine.fire(2, "cancel", {"reason": "travel"})
    engine.store.close()
    return home


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return make_home(tmp_path / "home")


@pytest.fixture
def run(iv: CLI):
    """The CLI in-process on `home`."""
    return lambda *args: iv(*args, now=NOW)


def test_export_to_stdout_and_file_with_state_filter(home: Path, tmp_path: Path, run) -> None:
    # A real process: the .ics goes to stdout as bytes, CRLF line ends intact.
    # (started rather than run: a finished run's output is text, with \r\n turned into \n)
    proc = start_infoview(home, "calendar", "export", now=NOW, text=False)
    ics, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    events = parsers.ical_js(ics)
    assert set(events) == {"interview-1@infoview", "interview-2@infoview"}
    assert events["interview-2@infoview"]["status"] == "CANCELLED" and events["interview-2@infoview"]["sequence"] == 2
    target = tmp_path / "mine.ics"
    out = run("calendar", "export", "-o", str(target), "--state", "planned")
    assert out.code == 0 and "wrote 1 interview(s)" in out.err
    assert set(parsers.ical_js(target.read_bytes())) == {"interview-1@infoview"}


def test_export_to_an_unwritable_path_is_one_clear_error(home: Path, tmp_path: Path, run) -> None:
    out = run("calendar", "export", "-o", str(tmp_path / "missing" / "x.ics"))
    assert out.code == 1 and out.out == "" and len(out.err.splitlines()) == 1
    assert out.err.startswith(f"cannot write {tmp_path / 'missing' / 'x.ics'}: No such file")
    assert out.err.endswith("choose another file with -o\n")


def test_url_token_and_rotate(home: Path, run) -> None:
    token = infoview(home, "calendar", "token", check=True).out.strip()   # a real process
    assert stat.S_IMODE(os.stat(token_path(home)).st_mode) == 0o600
    out = run("calendar", "url")
    assert out.out.splitlines() == [f"http://127.0.0.1:8765/calendar/{token}.ics",
                                       f"webcal://127.0.0.1:8765/calendar/{token}.ics"]
    out = run("calendar", "url", "--port", "9000", "--host", "::1")
    assert out.out.splitlines()[0] == f"http://[::1]:9000/calendar/{token}.ics"
    rotated = run("calendar", "token", "--rotate")
    new = rotated.out.strip()
    assert new != token and "old subscription URLs no longer work" in rotated.err
    assert new in run("calendar", "url").out


def test_url_uses_config(home: Path, run) -> None:
    home.joinpath("config.toml").write_text('[calendar]\nport = 9999\npublic_url = "https://cal.example.org/"\n')
    token = run("calendar", "token").out.strip()
    assert run("calendar", "url").out.splitlines() == [
        f"https://cal.example.org/calendar/{token}.ics", f"webcal://cal.example.org/calendar/{token}.ics"]
