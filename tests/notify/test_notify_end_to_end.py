"""The shipped workflow's reminders reach a real local receiver, from the CLI, exactly once."""
from __future__ import annotations

import signal
import sqlite3
import stat
import subprocess
from pathlib import Path

from cli_support import Lines, infoview, infoview_json, start_infoview

PLAN = ("plan", "Jane Doe", "--company", "Acme", "--at", "2026-12-01T10:00", "--tz", "Europe/Berlin",
        "--where", "https://meet.example/abc")
BEFORE = "2026-11-25T09:00Z"
CONFIRM_DUE = "2026-11-30T09:05Z"  # start (09:00Z) - 1 day, plus five minutes


def channels(home: Path, url: str) -> None:
    (home / "apprise.yml").write_text(f"urls:\n  - {url}:\n      tag: reminders\n")
    (home / "config.toml").write_text('timezone = "Europe/Berlin"\n')  # you read times where they are


def test_a_reminder_reaches_the_receiver_once_with_its_exact_text(tmp_path: Path, http_receiver) -> None:
    channels(tmp_path, http_receiver.url("/hook"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    first = infoview_json(tmp_path, "tick", now=CONFIRM_DUE)
    assert [(f["timer"], f["outcome"]) for f in first] == [("confirm", "fired")]
    post = http_receiver.wait_for(1)[0]
    assert post.json["title"] == "Confirm tomorrow's conversation with Jane Doe (Acme) at Tue 2026-12-01 10:00 CET"
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
    assert result.code == 0
    [job] = infoview_json(tmp_path, "outbox", "--failed")
    assert job["state"] == "no-channel" and "apprise.yml" in job["last_error"]


def test_no_channel_with_the_tag_is_recorded_naming_the_tag(tmp_path: Path, http_receiver) -> None:
    (tmp_path / "apprise.yml").write_text(f"urls:\n  - {http_receiver.url('/x')}:\n      tag: followups\n")
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)
    [job] = infoview_json(tmp_path, "outbox", "--failed")
    assert job["state"] == "no-channel" and "'reminders'" in job["last_error"]
    assert http_receiver.items == []  # never sent to another tag, nor to "all"


# ---- kill -9 in the middle of a send: never sent twice, never lost ------------------------------

LATER = "2026-11-30T12:00Z"  # any tick after the kill: past every backoff
WARNING = ("warning: 1 outbox job was cut off mid-send and may or may not have gone out; "
           "`infoview outbox --unsure` lists them")


def start(home: Path, command: str, now: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`infoview COMMAND` as a process of its own, to be killed."""
    return start_infoview(home, command, now=now, env=env, stdout=subprocess.DEVNULL)


def _stop_at_started(site: Path) -> None:
    """A plugin distribution in `site` (put it on PYTHONPATH) that makes the process say
    'stopped at started' on stderr and wait for ever when an action is about to mark anything
    `started`."""
    info = site / "stop_at_started-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: stop-at-started\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[infoview]\nstop_at_started = stop_at_started\n")
    (site / "stop_at_started.py").write_text(
        "import signal, sys\n"
        "from infoview.marks import JobMarks\n"
        "_set = JobMarks.set\n"
        "def _stopping(self, keys, state):\n"
        "    if state == 'started':\n"
        "        print('stopped at started', file=sys.stderr, flush=True)\n"
        "        while True:\n"
        "            signal.pause()  # until killed\n"
        "    _set(self, keys, state)\n"
        "JobMarks.set = _stopping\n")


def kill(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def kill_once_received(proc: subprocess.Popen[str], receiver, count: int) -> None:
    """Kill -9 the sender once `receiver` has its `count`th message and holds the answer back:
    the message has arrived, the sender never learns it."""
    try:
        receiver.wait_for(count, timeout=30)
    finally:
        kill(proc)
        receiver.release()


def stderr_of_run(home: Path) -> list[str]:
    """What `infoview run` prints on stderr in its first round, until SIGTERM stops it."""
    proc = start(home, "run", LATER)
    lines = Lines(proc.stderr)
    try:
        seen = [lines.next(), lines.next()]  # "watching", then the first round's warning
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    return [*seen, lines.next()]  # "stopped"


def outbox_state(home: Path) -> str:
    conn = sqlite3.connect(home / "infoview.db", timeout=10)
    try:
        row = conn.execute("SELECT state FROM outbox").fetchone()
        return row[0] if row else ""
    finally:
        conn.close()


def test_killed_while_the_receiver_has_the_message_it_is_unsure_and_sent_again_only_on_retry(
        tmp_path: Path, http_receiver, http_receiver_b) -> None:
    # rto: apprise's read timeout, long enough that only our kill ends the send
    channels(tmp_path, http_receiver.url("hook", query="rto=60"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    http_receiver.hold()
    sender = start(tmp_path, "run", CONFIRM_DUE)
    kill_once_received(sender, http_receiver, 1)
    assert outbox_state(tmp_path) == "sending"  # claimed by a process that no longer exists
    # the marks are kept in the home's store, private like all of it; no file of their own
    assert stat.S_IMODE((tmp_path / "infoview.db").stat().st_mode) == 0o600
    assert not (tmp_path / "notify-delivered.sqlite").exists()
    # A channel added meanwhile was never started: the next tick sends to it, and only to it.
    (tmp_path / "apprise.yml").write_text(f"urls:\n  - {http_receiver.url('hook', query='rto=60')}:\n"
                                          f"      tag: reminders\n  - {http_receiver_b.url('new')}:\n"
                                          "      tag: reminders\n")

    tick = infoview(tmp_path, "tick", now=LATER, check=True)
    assert tick.err == WARNING + "\n"
    infoview(tmp_path, "tick", now=LATER, check=True)
    watching, *rest = stderr_of_run(tmp_path)
    assert watching.startswith("infoview run: watching") and rest == [WARNING, "infoview run: stopped"]
    assert len(http_receiver.items) == 1  # not sent again on its own
    assert len(http_receiver_b.wait_for(1)) == 1
    [job] = infoview_json(tmp_path, "outbox", "--unsure")
    assert job["state"] == "unsure" and job["next_attempt"] is None
    assert job["last_error"] == (
        f"infoview stopped while sending to json://127.0.0.1:{http_receiver.port}/... (pid {sender.pid}); "
        f"it may or may not have arrived; `infoview outbox retry {job['id']}` sends it again")
    assert infoview_json(tmp_path, "outbox", "--failed") == [job]  # everything that waits for you
    listed = infoview(tmp_path, "outbox", check=True).out
    assert " unsure " in listed and "may or may not have arrived" in listed

    retry = infoview(tmp_path, "outbox", "retry", str(job["id"]), now=LATER, check=True)
    assert retry.out == f"outbox job {job['id']}: done\n"
    first, second = http_receiver.wait_for(2)
    assert first.json["title"] == second.json["title"] and first.json["title"].startswith("Confirm tomorrow's")
    assert infoview(tmp_path, "tick", now=LATER, check=True).err == ""  # nothing unsure any more
    assert [j["state"] for j in infoview_json(tmp_path, "outbox")] == ["done"]
    refused = infoview(tmp_path, "outbox", "retry", str(job["id"]), now=LATER)
    assert refused.code == 1 and "delivered already" in refused.err
    assert (len(http_receiver.items), len(http_receiver_b.items)) == (2, 1)


def test_killed_before_any_channel_started_the_next_tick_sends_it_once(tmp_path: Path, http_receiver) -> None:
    channels(tmp_path, http_receiver.url("hook"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    # A plugin of this test stops the tick at the commit marking a channel as started: the tick
    # has claimed the job and prepared the send, but cannot have sent anything yet.
    site = tmp_path / "site"
    _stop_at_started(site)
    sender = start(tmp_path, "tick", CONFIRM_DUE, env={"PYTHONPATH": str(site)})
    assert Lines(sender.stderr).next() == "stopped at started"
    kill(sender)
    assert outbox_state(tmp_path) == "sending" and http_receiver.items == []

    tick = infoview(tmp_path, "tick", now=LATER, check=True)
    assert "unsure" not in tick.err
    infoview(tmp_path, "tick", now=LATER, check=True)
    [post] = http_receiver.wait_for(1)
    assert post.json["title"].startswith("Confirm tomorrow's")
    assert [(j["state"], j["attempts"]) for j in infoview_json(tmp_path, "outbox")] == [("done", 1)]
    assert len(http_receiver.items) == 1


def test_partly_delivered_then_killed_retry_sends_only_to_the_unsure_channel(
        tmp_path: Path, http_receiver, http_receiver_b) -> None:
    a, b = http_receiver, http_receiver_b
    (tmp_path / "apprise.yml").write_text(f"urls:\n  - {a.url('a')}:\n      tag: reminders\n"
                                          f"  - {b.url('b', query='rto=60')}:\n      tag: reminders\n")
    b.script([500])
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    infoview(tmp_path, "tick", now=CONFIRM_DUE, check=True)  # a takes it, b refuses
    [job] = infoview_json(tmp_path, "outbox")
    assert job["state"] == "pending" and "1 of 2 channels failed" in job["last_error"]

    b.hold()
    sender = start(tmp_path, "tick", LATER)  # the retry after backoff: to b only, killed there
    kill_once_received(sender, b, 2)
    # `outbox retry` on the job the dead process left `sending` takes it over like a tick would:
    # it learns the send was cut off, and does not repeat it unasked.
    first = infoview(tmp_path, "outbox", "retry", "1", now=LATER)
    assert first.code == 1 and first.out.startswith("outbox job 1: unsure  infoview stopped while")
    [job] = infoview_json(tmp_path, "outbox")
    assert job["state"] == "unsure"
    assert f"sending to json://127.0.0.1:{b.port}/... (pid {sender.pid})" in job["last_error"]
    assert str(a.port) not in job["last_error"]
    assert (len(a.items), len(b.items)) == (1, 2)

    infoview(tmp_path, "outbox", "retry", str(job["id"]), now=LATER, check=True)
    assert len(b.wait_for(3)) == 3
    assert (len(a.items), len(b.items)) == (1, 3)  # a already had it: not sent to again
    assert [j["state"] for j in infoview_json(tmp_path, "outbox")] == ["done"]


def test_retry_refuses_a_job_another_process_is_sending(tmp_path: Path, http_receiver) -> None:
    channels(tmp_path, http_receiver.url("hook", query="rto=60"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    http_receiver.hold()
    sender = start(tmp_path, "tick", CONFIRM_DUE)
    try:
        http_receiver.wait_for(1, timeout=30)
        refused = infoview(tmp_path, "outbox", "retry", "1", now=CONFIRM_DUE)
    finally:
        http_receiver.release()
        sender.communicate(timeout=30)
    assert refused.code == 1
    assert refused.err.strip() == ("outbox job 1 is being run by another infoview process right now; "
                                      "see `infoview outbox` once it has finished")
    assert sender.returncode == 0
    assert [j["state"] for j in infoview_json(tmp_path, "outbox")] == ["done"]
    assert len(http_receiver.items) == 1
