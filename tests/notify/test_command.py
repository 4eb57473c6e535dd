"""`infoview notify test`, run through click with a root group like the real CLI's.

Until the engine's CLI is merged, the root group here is a bare `click.Group` and the App object
offers only what the command reads (`engine.home`, `engine.config`)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from engine.errors import InfoviewError
from notify_support import write_yaml
from plugins.notify import infoview_register_commands

SECRETS = ("PATHSECRET99", "PASSWORDSECRET", "HEADERSECRET", "MAILPASSWORD")


@dataclass
class _Engine:
    home: Path
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class _App:
    engine: _Engine


def invoke(home: Path, *args: str) -> Any:
    cli = click.Group("infoview")
    infoview_register_commands(cli=cli)
    return CliRunner().invoke(cli, ["notify", "test", *args], obj=_App(_Engine(home)))


@pytest.fixture
def config(tmp_path: Path, http_receiver, http_receiver_b, smtp_receiver) -> Path:
    return write_yaml(tmp_path / "apprise.yml", {
        http_receiver.url("hooks/PATHSECRET99", userinfo="bot:PASSWORDSECRET", query="+X-Api-Key=HEADERSECRET"): "reminders",
        http_receiver_b.url("b"): "followups",
        smtp_receiver.url(userinfo="me:MAILPASSWORD"): "followups",
    })


def test_one_message_per_tag_and_one_line_per_channel(tmp_path: Path, config: Path, http_receiver,
                                                       http_receiver_b, smtp_receiver) -> None:
    result = invoke(tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        f"ok      followups  json://127.0.0.1:{http_receiver_b.port}/...",
        f"ok      followups  mailto://127.0.0.1:{smtp_receiver.port}/...",
        f"ok      reminders  json://127.0.0.1:{http_receiver.port}/...",
    ]
    [reminder] = http_receiver.wait_for(1)
    assert reminder.json["title"] == "infoview test message"
    assert "'reminders'" in reminder.json["message"]
    [mail] = smtp_receiver.wait_for(1)
    assert mail.subject == "infoview test message" and "'followups'" in mail.text
    assert mail.login == ("me", "MAILPASSWORD")  # the password was used, and (below) never shown
    assert not any(s in result.output for s in SECRETS)


def test_a_failing_channel_exits_1_with_its_reason_and_no_secret(tmp_path: Path, config: Path, http_receiver) -> None:
    http_receiver.script([500])
    result = invoke(tmp_path, "--tag", "reminders")
    assert result.exit_code == 1
    assert result.output.startswith(f"FAILED  reminders  json://127.0.0.1:{http_receiver.port}/...  ")
    assert "error=500" in result.output and "1 of 1 channels failed" in result.output
    assert not any(s in result.output for s in SECRETS)


def test_json_lists_every_channel_without_secrets(tmp_path: Path, config: Path, http_receiver) -> None:
    http_receiver.script([500])
    result = invoke(tmp_path, "--json")
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert [(r["tag"], r["ok"]) for r in rows] == [("followups", True), ("followups", True), ("reminders", False)]
    assert "500" in rows[2]["reason"] and rows[2]["channel"] == f"json://127.0.0.1:{http_receiver.port}/..."
    assert not any(s in result.output for s in SECRETS)


def test_unknown_tag_is_one_line_naming_the_tags_there(tmp_path: Path, config: Path, http_receiver) -> None:
    result = invoke(tmp_path, "--tag", "nope")
    assert isinstance(result.exception, InfoviewError)
    assert str(result.exception) == f"no channel is tagged 'nope' in {config.resolve()} (tags there: followups, reminders)"
    assert http_receiver.items == []


def test_no_config_is_one_line_naming_where_it_looked(tmp_path: Path) -> None:
    result = invoke(tmp_path)
    assert isinstance(result.exception, InfoviewError)
    assert str(tmp_path / "apprise.yml") in str(result.exception)
