"""The shipped workflow's reminders reach a real local receiver, from the CLI, exactly once."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from cli_support import infoview, infoview_json

PLAN = ("plan", "Jane Doe", "--company", "Acme", "--at", "2026-12-01T10:00", "--tz", "Europe/Berlin",
        "--where", "https://meet.example/abc")
BEFORE = "2026-11-25T09:00Z"
CONFIRM_DUE = "2026-11-30T09:05Z"  # start (09:00Z) - 1 day, plus five minutes


def channels(home: Path, url: str) -> None:
    (home / "apprise.yml").write_text(f"urls:\n  - {url}:\n      tag: reminders\n")


def test_a_reminder_reaches_the_receiver_once_with_its_exact_text(tmp_path: Path, http_receiver) -> None:
    channels(tmp_path, http_receiver.url("/hook"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    first = infoview_json(tmp_path, "tick", now=CONFIRM_DUE)
    assert [(f["timer"], f["outcome"]) for f in first] == [("confirm", "fired")]
    post = http_receiver.wait_for(1)[0]
    assert post.json["title"] == "Confirm tomorrow's conversation with Jane Doe (Acme) at 10:00"
    assert infoview_json(tmp_path, "tick", now=CONFIRM_DUE) == []
    jobs = infoview_json(tmp_path, "outbox")
    assert [(j["action"], j["state"], j["attempts"]) for j in jobs] == [("notify", "done", 1)]
    assert len(http_receiver.items) == 1


def test_a_failing_channel_is_retried_with_backoff_and_delivered_once(tmp_path: Path, http_receiver) -> None:
    http_receiver.script([500])
    channels(tmp_path, http_receiver.url("/hook"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)
    [job] = infoview_json(tmp_path, "outbox")
    assert job["state"] == "pending" and job["attempts"] == 1
    assert "500" in job["last_error"] and "/hook" not in job["last_error"]
    assert job["next_attempt"] == "2026-11-30T09:06:00+00:00"  # one minute of backoff
    infoview(tmp_path, "tick", now="2026-11-30T09:05:30Z", check=True)  # not yet due again
    assert len(http_receiver.items) == 1
    infoview(tmp_path, "tick", now="2026-11-30T09:07Z", check=True)
    [job] = infoview_json(tmp_path, "outbox")
    assert (job["state"], job["attempts"]) == ("done", 2)
    assert len(http_receiver.items) == 2  # the refused one and the delivered one
    assert http_receiver.items[1].json["title"].startswith("Confirm tomorrow's conversation")


def test_a_receiver_that_is_down_loses_nothing(tmp_path: Path, down_url: str, http_receiver) -> None:
    channels(tmp_path, down_url)
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)
    [job] = infoview_json(tmp_path, "outbox", "--failed") or infoview_json(tmp_path, "outbox")
    assert job["state"] == "pending" and job["attempts"] == 1 and job["last_error"]
    channels(tmp_path, http_receiver.url("/back"))  # the channel is reachable again
    infoview(tmp_path, "tick", now="2026-11-30T10:00Z", check=True)
    assert http_receiver.wait_for(1)[0].json["title"].startswith("Confirm tomorrow's")
    [job] = infoview_json(tmp_path, "outbox")
    assert job["state"] == "done"


def test_no_channel_config_is_recorded_and_visible_not_raised(tmp_path: Path) -> None:
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    result = infoview(tmp_path, "tick", now=CONFIRM_DUE)
    assert result.returncode == 0
    [job] = infoview_json(tmp_path, "outbox", "--failed")
    assert job["state"] == "no-channel" and "apprise.yml" in job["last_error"]


def test_no_channel_with_the_tag_is_recorded_naming_the_tag(tmp_path: Path, http_receiver) -> None:
    (tmp_path / "apprise.yml").write_text(f"urls:\n  - {http_receiver.url('/x')}:\n      tag: followups\n")
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)
    [job] = infoview_json(tmp_path, "outbox", "--failed")
    assert job["state"] == "no-channel" and "'reminders'" in job["last_error"]
    assert http_receiver.items == []  # never sent to another tag, nor to "all"


def test_a_process_killed_while_delivering_is_finished_by_the_next_tick_once(tmp_path: Path, http_receiver) -> None:
    # A listener that accepts connections and never answers holds the tick inside delivery,
    # after its commit; we kill it there with SIGKILL.
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(8)
    accepted = threading.Event()
    threading.Thread(target=lambda: (hang.accept(), accepted.set()), daemon=True).start()
    # rto: apprise's read timeout, long enough that only our kill can end the attempt
    channels(tmp_path, f"json://127.0.0.1:{hang.getsockname()[1]}/slow?rto=300&cto=300")
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}
    proc = subprocess.Popen([sys.executable, "-m", "engine.cli", "--home", str(tmp_path), "--now", CONFIRM_DUE,
                             "tick"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert accepted.wait(30), "the tick never tried to deliver"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
        hang.close()
    history = infoview_json(tmp_path, "history", "1")
    assert [e["data"].get("timer") for e in history if e["event"] == "timer"] == ["confirm"]
    [job] = infoview_json(tmp_path, "outbox")
    assert job["state"] == "sending"  # claimed by a process that no longer exists
    channels(tmp_path, http_receiver.url("/hook"))
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)
    assert len(http_receiver.wait_for(1)) == 1
    [job] = infoview_json(tmp_path, "outbox")
    assert job["state"] == "done"
    assert len(http_receiver.items) == 1
    assert json.loads(http_receiver.items[0].body)["title"].startswith("Confirm tomorrow's")
