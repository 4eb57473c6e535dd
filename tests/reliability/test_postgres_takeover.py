"""Workers sharing the outbox of one PostgreSQL database: a worker whose claim was taken over
after its lease cannot record an outcome (the fencing token), and says so in one warning."""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from support import T0, engine, plan_data


def test_a_worker_taken_over_cannot_finish_the_job(tmp_path: Path, pg_url: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    eng = engine(tmp_path / "home", database=pg_url)
    eng.plan(plan_data("Ann Alder", T0 + timedelta(days=3)), dispatch=False)
    with eng.store.transaction() as tx:
        job_id = tx.enqueue(1, 1, "remind", {"remind": {"title": "hi"}}, "event:plan", T0)
    claimed = eng.outbox._claim(job_id)
    assert claimed is not None
    job, token = claimed
    # While this worker runs the job, its lease runs out and another worker takes the job over.
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE outbox SET claimed_until = 0 WHERE id = %s", (job_id,))
    other = engine(tmp_path / "other", database=pg_url)
    taken = other.outbox._claim(job_id)
    assert taken is not None and taken[0].state == "sending"  # a takeover
    with caplog.at_level(logging.WARNING, logger="infoview.outbox"):
        after = eng.outbox._run(job, token)  # `remind` records its text: done, as far as this worker knows
    assert after.state == "sending" and after.attempts == 0  # nothing recorded by the fenced-off worker
    assert f"outbox job {job_id} was taken over by another worker" in caplog.text
    assert other.outbox._run(*taken).state == "done"  # the taker's outcome counts
    eng.store.close()
    other.store.close()
