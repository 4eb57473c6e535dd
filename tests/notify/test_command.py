"""`infoview notify test` through the real CLI (in-process for most cases, one real process),
with the apprise config in the home and real local receivers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import CLI, infoview
from notify_support import write_yaml

SECRETS = ("PATHSECRET99", "PASSWORDSECRET", "HEADERSECRET", "MAILPASSWORD")


@pytest.fixture
def invoke(iv: CLI):
    """`infoview notify test ...` in-process on `home`."""
    return lambda *args: iv("notify", "test", *args)


@pytest.fixture
def config(home: Path, http_receiver, http_receiver_b, smtp_receiver) -> Path:
    return write_yaml(home / "apprise.yml", {
        http_receiver.url("hooks/PATHSECRET99", userinfo="bot:PASSWORDSECRET", query="+X-Api-Key=HEADERSECRET"): "reminders",
        http_receiver_b.url("b"): "followups",
        smtp_receiver.url(userinfo="me:MAILPASSWORD"): "followups",
    })


def test_one_message_per_tag_and_one_line_per_channel(home: Path, config: Path, http_receiver,
                                                       http_receiver_b, smtp_receiver) -> None:
    result = infoview(home, "notify", "test")   # a real process
    assert result.code == 0, result.err
    lines = result.out.splitlines()
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
    assert not any(s in result.out + result.err for s in SECRETS)


def test_a_failing_channel_exits_1_with_its_reason_and_no_secret(home: Path, config: Path, http_receiver,
                                                                  invoke) -> None:
    http_receiver.script([500])
    result = invoke("--tag", "reminders")
    assert result.code == 1
    assert result.out.startswith(f"FAILED  reminders  json://127.0.0.1:{http_receiver.port}/...  ")
    assert "error=500" in result.out and result.err == "1 of 1 channels failed\n"
    assert not any(s in result.out + result.err for s in SECRETS)


def test_json_lists_every_channel_without_secrets(home: Path, config: Path, http_receiver, invoke) -> None:
    http_receiver.script([500])
    result = invoke("--json")
    assert result.code == 1
    rows = json.loads(result.out)
    assert [(r["tag"], r["ok"]) for r in rows] == [("followups", True), ("followups", True), ("reminders", False)]
    assert "500" in rows[2]["reason"] and rows[2]["channel"] == f"json://127.0.0.1:{http_receiver.port}/..."
    assert not any(s in result.out + result.err for s in SECRETS)


def test_unknown_tag_is_one_line_naming_the_tags_there(home: Path, config: Path, http_receiver, invoke) -> None:
    result = invoke("--tag", "nope")
    assert result.code == 1 and result.out == ""
    assert result.err == f"no channel is tagged 'nope' in {config.resolve()} (tags there: followups, reminders)\n"
    assert http_receiver.items == []


def test_no_config_is_one_line_naming_where_it_looked(home: Path, invoke) -> None:
    result = invoke()
    assert result.code == 1 and result.out == "" and len(result.err.splitlines()) == 1
    assert str(home / "apprise.yml") in result.err
