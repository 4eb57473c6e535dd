"""A reminder says what was true when its timer fired: retried after a reschedule, by `tick` or by
`outbox retry`, it still carries the time it fired for, while the reminder armed for the new time
carries the new one. Jobs written before renderings were kept are rendered when sent."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from cli_support import infoview, infoview_json

from infoview.store import open_store

PLAN = ("plan", "Jane Doe", "--company", "Acme", "--at", "2026-12-01T10:00", "--tz", "Europe/Berlin")
BEFORE = "2026-11-25T09:00Z"
CONFIRM_DUE = "2026-11-30T09:05Z"  # the first start (09:00Z) - 1 day, plus five minutes
RESCHEDULED = "2026-11-30T09:05:30Z"  # before the failed job's backoff (one minute) has run out
NEW_CONFIRM_DUE = "2026-12-01T13:05Z"  # the new start (14:00 Berlin, 13:00Z) - 1 day, plus five minutes
OLD_TITLE = "Confirm tomorrow's conversation with Jane Doe (Acme) at Tue 2026-12-01 10:00 CET"
NEW_TITLE = "Confirm tomorrow's conversation with Jane Doe (Acme) at Wed 2026-12-02 14:00 CET"


def channels(home: Path, url: str) -> None:
    (home / "apprise.yml").write_text(f"urls:\n  - {url}:\n      tag: reminders\n")
    (home / "config.toml").write_text('timezone = "Europe/Berlin"\n')  # you read times where they are


def fired_then_failed_then_rescheduled(home: Path, receiver) -> int:
    """The confirm reminder fires, its channel answers 500, then the interview moves to 14:00 the
    day after; returns the failed job's id."""
    receiver.script([500])
    channels(home, receiver.url("/hook"))
    infoview(home, *PLAN, now=BEFORE, check=True)
    infoview(home, "tick", now=CONFIRM_DUE, check=True)
    [job] = infoview_json(home, "outbox")
    assert (job["state"], job["attempts"]) == ("pending", 1) and "500" in job["last_error"]
    assert receiver.wait_for(1)[0].json["title"] == OLD_TITLE  # refused, but this is what it said
    infoview(home, "reschedule", "1", "--at", "2026-12-02T14:00", now=RESCHEDULED, check=True)
    return int(job["id"])


def test_a_retried_reminder_carries_the_time_it_fired_for_and_the_new_one_the_new_time(
        tmp_path: Path, http_receiver) -> None:
    job_id = fired_then_failed_then_rescheduled(tmp_path, http_receiver)
    infoview(tmp_path, "tick", now="2026-11-30T09:07Z", check=True)  # the backoff has run out
    retried = http_receiver.wait_for(2)[1]  # the first is the refused one
    assert retried.json["title"] == OLD_TITLE  # not "at 14:00": that is the next reminder's to say
    assert [(j["id"], j["state"], j["attempts"]) for j in infoview_json(tmp_path, "outbox")] == [(job_id, "done", 2)]

    fired = infoview_json(tmp_path, "tick", now=NEW_CONFIRM_DUE)
    assert [(f["timer"], f["outcome"]) for f in fired] == [("confirm", "fired")]
    assert http_receiver.wait_for(3)[2].json["title"] == NEW_TITLE
    assert [j["state"] for j in infoview_json(tmp_path, "outbox")] == ["done", "done"]
    assert len(http_receiver.items) == 3


def test_outbox_retry_sends_the_text_of_the_moment_the_reminder_fired(tmp_path: Path, http_receiver) -> None:
    job_id = fired_then_failed_then_rescheduled(tmp_path, http_receiver)
    retry = infoview(tmp_path, "outbox", "retry", str(job_id), now=RESCHEDULED, check=True)
    assert retry.out == f"outbox job {job_id}: done\n"
    assert http_receiver.wait_for(2)[1].json["title"] == OLD_TITLE


def test_a_job_written_before_renderings_were_kept_is_rendered_when_sent(tmp_path: Path, http_receiver) -> None:
    """Such a job's params hold the action's params only, as the previous release wrote them; it
    can say nothing but what the interview says when it runs."""
    channels(tmp_path, http_receiver.url("/hook"))
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    infoview(tmp_path, "reschedule", "1", "--at", "2026-12-02T14:00", now=BEFORE, check=True)
    store = open_store(tmp_path)
    written = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    with store.transaction() as tx:
        interview = tx.load(1)
        title = "Confirm tomorrow's conversation with {contact.name}{contact.company:? (%s)} at {when}"
        job_id = tx.enqueue(interview.id, interview.version, "notify",
                            {"notify": {"tag": "reminders", "title": title}}, "timer:confirm", written)
    assert store.job(job_id).params == {"notify": {"tag": "reminders", "title": title}}
    infoview(tmp_path, "tick", now="2026-11-25T09:01Z", check=True)  # due, and no timer is
    assert http_receiver.wait_for(1)[0].json["title"] == NEW_TITLE
    assert [(j["id"], j["state"]) for j in infoview_json(tmp_path, "outbox")] == [(job_id, "done")]
