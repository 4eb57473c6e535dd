"""The plugin's commands, mounted on a click group the way the CLI mounts them."""
from __future__ import annotations

import os
import stat

import click
import pytest
from click.testing import CliRunner

from engine.errors import InfoviewError
from plugins.calendar import infoview_register_commands
from plugins.calendar.token import token_path

import ics_parsers as parsers
from ics_engine import MemoryEngine
from ics_factory import make_interview


class App:
    def __init__(self, engine: MemoryEngine):
        self.engine = engine


@pytest.fixture
def cli():
    group = click.Group("infoview")
    infoview_register_commands(cli=group)
    return group


@pytest.fixture
def engine(tmp_path):
    return MemoryEngine(tmp_path / "home", [make_interview(1, state="planned"),
                                            make_interview(2, state="cancelled", sequence=2)])


def run(cli, engine, *args: str):
    return CliRunner().invoke(cli, list(args), obj=App(engine), catch_exceptions=True)


def test_export_to_stdout_and_file_with_state_filter(cli, engine, tmp_path):
    out = run(cli, engine, "calendar", "export")
    assert out.exit_code == 0
    assert set(parsers.ical_js(out.stdout_bytes)) == {"interview-1@infoview", "interview-2@infoview"}
    target = tmp_path / "mine.ics"
    out = run(cli, engine, "calendar", "export", "-o", str(target), "--state", "planned")
    assert out.exit_code == 0 and "wrote 1 interview(s)" in out.stderr
    assert set(parsers.ical_js(target.read_bytes())) == {"interview-1@infoview"}


def test_export_to_an_unwritable_path_is_one_clear_error(cli, engine, tmp_path):
    out = run(cli, engine, "calendar", "export", "-o", str(tmp_path / "missing" / "x.ics"))
    assert isinstance(out.exception, InfoviewError)   # the CLI prints it as one line, exit 1
    assert str(out.exception).startswith(f"cannot write {tmp_path / 'missing' / 'x.ics'}: No such file")
    assert str(out.exception).endswith("choose another file with -o") and out.exception.exit_code == 1


def test_url_token_and_rotate(cli, engine):
    token = run(cli, engine, "calendar", "token").stdout.strip()
    assert stat.S_IMODE(os.stat(token_path(engine.home)).st_mode) == 0o600
    out = run(cli, engine, "calendar", "url")
    assert out.stdout.splitlines() == [f"http://127.0.0.1:8765/calendar/{token}.ics",
                                       f"webcal://127.0.0.1:8765/calendar/{token}.ics"]
    out = run(cli, engine, "calendar", "url", "--port", "9000", "--host", "::1")
    assert out.stdout.splitlines()[0] == f"http://[::1]:9000/calendar/{token}.ics"
    new = run(cli, engine, "calendar", "token", "--rotate").stdout.strip()
    assert new != token and new in run(cli, engine, "calendar", "url").stdout


def test_url_uses_config(cli, tmp_path):
    eng = MemoryEngine(tmp_path, [], config={"calendar": {"port": 9999, "public_url": "https://cal.example.org/"}})
    token = run(cli, eng, "calendar", "token").stdout.strip()
    assert run(cli, eng, "calendar", "url").stdout.splitlines() == [
        f"https://cal.example.org/calendar/{token}.ics", f"webcal://cal.example.org/calendar/{token}.ics"]
