"""The outbox: notifications sent, failed and unsure, with retry through the Engine's outbox."""
from __future__ import annotations

from typing import Any

from flask import render_template

from .pages import back, change, engine, page

SHOWN = ("failed", "unsure", "pending", "sending", "done")
RETRYABLE = ("failed", "unsure", "pending")   # what `infoview outbox retry` takes: all but done (and one being sent)


@page("/outbox", "Outbox")
def outbox() -> str:
    jobs = engine().outbox.jobs()
    by_state = {state: [j for j in jobs if j.state == state] for state in SHOWN}
    return render_template("outbox.html", by_state=by_state, retryable=RETRYABLE)


@page("/outbox/<int:job_id>/retry", methods=["POST"])
def retry(job_id: int) -> Any:
    def said(job: Any) -> str:
        why = f": {job.last_error}" if job.state != "done" and job.last_error else ""
        return f"outbox job {job_id}: {job.state}{why}"

    change(lambda: engine().outbox.retry(job_id), said)
    return back("/outbox")
