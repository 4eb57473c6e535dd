"""The `notify` action, end to end against real local receivers."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from notify_support import context, write_yaml
from infoview.plugins.notify.action import run
from infoview.plugins.notify.channels import load


def test_each_tag_reaches_only_its_own_channels(tmp_path: Path, http_receiver, http_receiver_b) -> None:
    write_yaml(tmp_path / "apprise.yml", {http_receiver.url("r"): "reminders",
                                          http_receiver_b.url("f"): "followups"})
    first = run(context(tmp_path, {"tag": "reminders", "title": "Confirm tomorrow: {contact.name}",
                                   "body": "{contact.company}, {start:%H:%M} {timezone}"}))
    second = run(context(tmp_path, {"tag": "followups", "title": "Follow up with {contact.name}"}))
    assert first.ok and second.ok, (first, second)
    [reminder] = http_receiver.wait_for(1)
    [followup] = http_receiver_b.wait_for(1)
    assert reminder.json["title"] == "Confirm tomorrow: Ada Lovelace"
    assert reminder.json["message"] == "Analytical Engines Ltd, 15:00 Europe/Paris"
    # An empty body is not allowed by apprise: the title goes as the body too.
    assert (followup.json["title"], followup.json["message"]) == ("Follow up with Ada Lovelace",) * 2
    assert len(http_receiver.items) == 1 and len(http_receiver_b.items) == 1


def test_mail_arrives_with_subject_and_body(tmp_path: Path, smtp_receiver) -> None:
    write_yaml(tmp_path / "apprise.yml", {smtp_receiver.url(to="seeker@example.com"): "reminders"})
    result = run(context(tmp_path, {"tag": "reminders", "title": "Confirm tomorrow: {contact.name}",
                                    "body": "Check the time and the link."}))
    assert result.ok, result
    [mail] = smtp_receiver.wait_for(1)
    assert mail.subject == "Confirm tomorrow: Ada Lovelace"
    assert mail.text == "Check the time and the link."
    assert mail.rcpt_tos == ["seeker@example.com"]


def test_server_error_is_retryable_with_apprise_reason_and_no_secret(tmp_path: Path, http_receiver) -> None:
    url = http_receiver.url("hooks/PATHSECRET123", userinfo="bot:PASSWORDSECRET", query="+X-Api-Key=HEADERSECRET")
    write_yaml(tmp_path / "apprise.yml", {url: "reminders"})
    http_receiver.script([500])
    result = run(context(tmp_path, {"tag": "reminders", "title": "Hi"}))
    assert not result.ok and result.retry
    assert "500" in result.detail
    assert f"json://127.0.0.1:{http_receiver.port}/..." in result.detail
    for secret in ("PATHSECRET123", "PASSWORDSECRET", "HEADERSECRET", "bot:"):
        assert secret not in result.detail
    # The retry then goes through.
    assert run(context(tmp_path, {"tag": "reminders", "title": "Hi"}, attempt=2)).ok
    assert len(http_receiver.wait_for(2)) == 2


def test_receiver_down_is_retryable(tmp_path: Path, down_url: str) -> None:
    write_yaml(tmp_path / "apprise.yml", {down_url: "reminders"})
    result = run(context(tmp_path, {"tag": "reminders", "title": "Hi"}))
    assert not result.ok and result.retry
    assert "connection error" in result.detail.lower()


def test_no_channel_with_that_tag_fails_for_good(tmp_path: Path, http_receiver) -> None:
    config = write_yaml(tmp_path / "apprise.yml", {http_receiver.url(): "followups"})
    result = run(context(tmp_path, {"tag": "reminders", "title": "Hi"}))
    assert (result.ok, result.retry, result.state) == (False, False, "no-channel")
    assert result.detail == f"no channel is tagged 'reminders' in {config.resolve()}"
    assert http_receiver.items == []


def test_no_config_file_fails_for_good_naming_where_it_looked(tmp_path: Path) -> None:
    result = run(context(tmp_path, {"tag": "reminders", "title": "Hi"}))
    assert (result.ok, result.retry, result.state) == (False, False, "no-channel")
    assert str(tmp_path / "apprise.yml") in result.detail and "apprise.txt" in result.detail


def test_retry_after_partial_failure_skips_channels_that_accepted(tmp_path: Path, http_receiver, http_receiver_b) -> None:
    write_yaml(tmp_path / "apprise.yml", {http_receiver.url("a"): "reminders", http_receiver_b.url("b"): "reminders"})
    http_receiver_b.script([503])
    params = {"tag": "reminders", "title": "Once only"}
    first = run(context(tmp_path, params, job_id=42))
    assert not first.ok and first.retry and "1 of 2 channels failed" in first.detail
    second = run(context(tmp_path, params, job_id=42, attempt=2))
    assert second.ok, second
    assert len(http_receiver.items) == 1          # not sent twice to the channel that took it
    assert len(http_receiver_b.wait_for(2)) == 2  # the failed one got it on the retry


def test_text_config_with_tags_works(tmp_path: Path, http_receiver) -> None:
    (tmp_path / "apprise.txt").write_text(f"# my channels\nreminders={http_receiver.url('t')}\n")
    assert run(context(tmp_path, {"tag": "reminders", "title": "From text"})).ok
    assert http_receiver.wait_for(1)[0].json["title"] == "From text"


def test_a_record_from_before_unsure_existed_still_counts_as_delivered(tmp_path: Path, http_receiver,
                                                                       http_receiver_b) -> None:
    write_yaml(tmp_path / "apprise.yml", {http_receiver.url("a"): "reminders", http_receiver_b.url("b"): "reminders"})
    [took_it] = [c for c in load(tmp_path, {}).channels if c.service.url().startswith(http_receiver.url("a"))]
    old = sqlite3.connect(tmp_path / "notify-delivered.sqlite")  # the first layout: a row per channel that took it
    with old:
        old.execute("CREATE TABLE delivered (job_id INTEGER, channel TEXT, PRIMARY KEY (job_id, channel))")
        old.execute("INSERT INTO delivered VALUES (42, ?)", (took_it.key,))
    old.close()
    assert run(context(tmp_path, {"tag": "reminders", "title": "Once only"}, job_id=42, attempt=2)).ok
    assert len(http_receiver_b.wait_for(1)) == 1
    assert http_receiver.items == []
