"""`infoview calendar export|url|token` through the real CLI, against a real home whose
interviews were planned and moved by the Engine with a fixed clock."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

import ics_parsers as parsers
from cli_support import infoview, run_cli
from engine.clock import Clock
from engine.engine import Engine
from engine.inputs import PlanInput
from plugins.calendar.token import token_path

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
def run(capsys):
    return lambda home, *args: run_cli(capsys, home, *args, now=NOW)


def test_export_to_stdout_and_file_with_state_filter(home: Path, tmp_path: Path, capsysbinary) -> None:
    out = run_cli(capsysbinary, home, "calendar", "export", now=NOW)
    assert out.returncode == 0
    events = parsers.ical_js(out.stdout)
    assert set(events) == {"interview-1@infoview", "interview-2@infoview"}
    assert events["interview-2@infoview"]["status"] == "CANCELLED" and events["interview-2@infoview"]["sequence"] == 2
    target = tmp_path / "mine.ics"
    out = run_cli(capsysbinary, home, "calendar", "export", "-o", str(target), "--state", "planned", now=NOW)
    assert out.returncode == 0 and "wrote 1 interview(s)" in out.stderr
    assert set(parsers.ical_js(target.read_bytes())) == {"interview-1@infoview"}


def test_export_to_an_unwritable_path_is_one_clear_error(home: Path, tmp_path: Path, run) -> None:
    out = run(home, "calendar", "export", "-o", str(tmp_path / "missing" / "x.ics"))
    assert out.returncode == 1 and out.stdout == "" and len(out.stderr.splitlines()) == 1
    assert out.stderr.startswith(f"cannot write {tmp_path / 'missing' / 'x.ics'}: No such file")
    assert out.stderr.endswith("choose another file with -o\n")


def test_url_token_and_rotate(home: Path, run) -> None:
    token = infoview(home, "calendar", "token", check=True).stdout.strip()   # a real process
    assert stat.S_IMODE(os.stat(token_path(home)).st_mode) == 0o600
    out = run(home, "calendar", "url")
    assert out.stdout.splitlines() == [f"http://127.0.0.1:8765/calendar/{token}.ics",
                                       f"webcal://127.0.0.1:8765/calendar/{token}.ics"]
    out = run(home, "calendar", "url", "--port", "9000", "--host", "::1")
    assert out.stdout.splitlines()[0] == f"http://[::1]:9000/calendar/{token}.ics"
    rotated = run(home, "calendar", "token", "--rotate")
    new = rotated.stdout.strip()
    assert new != token and "old subscription URLs no longer work" in rotated.stderr
    assert new in run(home, "calendar", "url").stdout


def test_url_uses_config(tmp_path: Path, run) -> None:
    tmp_path.joinpath("config.toml").write_text('[calendar]\nport = 9999\npublic_url = "https://cal.example.org/"\n')
    token = run(tmp_path, "calendar", "token").stdout.strip()
    assert run(tmp_path, "calendar", "url").stdout.splitlines() == [
        f"https://cal.example.org/calendar/{token}.ics", f"webcal://cal.example.org/calendar/{token}.ics"]
