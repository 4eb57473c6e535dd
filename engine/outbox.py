"""Durable effects. A job is written in the same transaction as the event or timer firing that
caused it; `dispatch` runs due jobs right after commit and on every tick/run.

Each job is done once, or left visibly for the user; it is never dropped and never repeated
blindly. A job is claimed before its action runs (so two processes never run it at once), and
once recorded as done it is never run again. A failure is kept with its reason and retried with
exponential backoff; after MAX_ATTEMPTS it stays `failed`, retryable by hand.

A process can die while an action runs, after the action may have done its work and before the
outcome is recorded. Its claim is taken over after its lease, or at once when the claiming
process is known to be gone, and the action is run again with `ctx.interrupted` set. Only the
action can know what the cut-off run did (the notify plugin keeps per-channel "about to send"
and "delivered" marks for this): it finishes what certainly did not happen and answers
`unsure=True` for what may have. Such a job is recorded `unsure`: never run again on its own,
listed by `infoview outbox --unsure`, warned about by tick and run, and run again only when the
user asks with `infoview outbox retry ID` (then with `ctx.resend` set).

A job says what the moment that caused it knew: the action's declared templates are rendered
when the job is written, from the interview just projected, and kept in the job's params under
RENDERED (`ctx.render` returns them). A retry hours later, after the interview was rescheduled,
sends the text of the reminder that fired, not the newer facts. Jobs written by an earlier
release (no RENDERED), and a template whose rendering failed then, are rendered when run.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .errors import InfoviewError
from .store import Job, Store, epoch

if TYPE_CHECKING:  # an idle tick reads the outbox without importing pydantic (actions.py)
    from .actions import ActionSpec
    from .clock import Clock
    from .model import Interview
    from .templates import TemplateFieldSpec

log = logging.getLogger("infoview.outbox")
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
LEASE_SECONDS = 300.0
# How this process names itself in claims and heartbeats.
ME = f"{socket.gethostname()}:{os.getpid()}"
UNSURE = "unsure"
# The states a job stays in until the user acts on it.
STUCK = ("failed", "no-channel", UNSURE)
# Beside the action's own params (`{name: params}`) in a job: its templates as rendered when the
# job was written, by param name. The leading `_` keeps it apart from every action's name.
RENDERED = "_rendered"


def job_params(spec: "ActionSpec | None", params: Any, raw: dict[str, Any], interview: "Interview",
               fields: Mapping[str, "TemplateFieldSpec"], zone: str | None = None) -> dict[str, Any]:
    """What a job written now stores as its params: the action's params as written (`raw`), and
    its templates rendered from `interview` (the facts of the moment that caused the job) for a
    reader in `zone`."""
    rendered = spec.render_templates(params, interview, fields, zone) if spec is not None else {}
    return {**raw, RENDERED: rendered} if rendered else raw


def stand_in(now: datetime) -> "Interview":
    """What a job linked to no interview (a reminder of a to-do of your own, engine/todos.py)
    hands its action as the interview."""
    from .model import Contact, Interview

    return Interview(id=0, workflow="", state="", version=0, contact=Contact(name="your to-do list"), start=now,
                     timezone="UTC", minutes=20, mode="video", where=None, goals=[], created=now, updated=now,
                     entered=now)


def backoff(attempts: int) -> timedelta:
    delay: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, BACKOFF_CAP)


class Outbox:
    """Built from its parts: the store, the clock, a way to find an action by name (None when no
    plugin provides it now), the template fields plugins registered, and the home and config
    (read when an action first needs them) that every action's context carries."""

    def __init__(self, store: Store, clock: "Clock", action: Callable[[str], "ActionSpec | None"],
                 template_fields: Callable[[], Mapping[str, "TemplateFieldSpec"]], home: Path,
                 config: Callable[[], dict[str, Any]], whose: Callable[[str], str] = lambda name: "a plugin"):
        """`whose(action)` names the plugin (and distribution) that registered an action, for the
        failed job's detail."""
        self.store, self.clock, self._action, self.home, self._config = store, clock, action, home, config
        self._template_fields, self._whose = template_fields, whose

    def jobs(self, *, states: tuple[str, ...] = (), interview_id: int | None = None) -> list[Job]:
        """Every job, or those in `states`, oldest first."""
        return list(self.store.jobs(states, interview_id))

    def get(self, job_id: int) -> Job:
        return self.store.job(job_id)

    def count(self, state: str) -> int:
        return self.store.count_jobs(state)

    def retry(self, job_id: int) -> Job:
        """Run a job again now, by hand, whatever its state but done; return it as recorded
        afterwards. Attempts are kept, so the history stays true."""
        claimed = self._claim(job_id, by_hand=True)
        if claimed is None:
            if self.get(job_id).state == "done":
                raise InfoviewError(f"outbox job {job_id} was delivered already; it is never sent twice")
            raise InfoviewError(f"outbox job {job_id} is being run by another infoview process right now; "
                                "see `infoview outbox` once it has finished")
        # `resend`: the user saw the job's state (unsure, failed...) and asks for it again. Not for
        # a job still shown as `sending` by a dead process: that one is a plain takeover, so an
        # interrupted send shows up as `unsure` first instead of being repeated unseen.
        return self._run(*claimed, resend=claimed[0].state != "sending")

    def due_ids(self, limit: int = 500) -> list[int]:
        return self.store.due_jobs(epoch(self.clock.now()), limit)

    def dispatch(self, ids: list[int] | None = None) -> list[Job]:
        """Run the given jobs (or every due one); return them as recorded afterwards."""
        if ids is not None:
            return [self._run(*claimed) for claimed in map(self._claim, ids) if claimed is not None]
        done: list[Job] = []
        seen: set[int] = set()
        while True:  # in batches, until nothing due is left that this call has not tried
            batch = [i for i in self.due_ids() if i not in seen]
            if not batch:
                return done
            seen.update(batch)
            done.extend(self._run(*claimed) for claimed in map(self._claim, batch) if claimed is not None)

    def _claim(self, job_id: int, *, by_hand: bool = False) -> tuple[Job, str] | None:
        """Claim a due job (by hand: any job but a done one) unless a live process holds it.
        Returns the job as it was before the claim (state `sending` means a takeover) and the
        claim's fencing token."""
        with self.store.transaction() as tx:
            found = tx.claimable(job_id)
            if found is None:
                return None
            job = found.job
            if job.state == "sending" and not found.free:
                return None
            if job.state == "done" or (not by_hand and (job.state not in ("pending", "sending")
                                                        or job.next_attempt > self.clock.now())):
                return None
            return job, tx.claim(job_id, ME, LEASE_SECONDS)

    def _run(self, job: Job, token: str, *, resend: bool = False) -> Job:
        # Imported here: actions need pydantic, and an idle tick reads the outbox (count) without
        # running anything.
        from .actions import ActionContext, ActionResult
        from .marks import JobMarks

        attempt = job.attempts + 1
        # Claimed while still `sending`: the run before was cut off without recording an outcome.
        # An action that ignores this is simply run again, as before `unsure` existed. That is
        # the right default: the documented contract (docs/plugins.md) is that `run` is safe to
        # repeat, and only the action knows whether its effect reaches anyone outside (the
        # `remind` action's does not). Making every takeover `unsure` would hand work that
        # repeats harmlessly to the user; actions that cannot repeat safely answer `unsure`.
        interrupted = job.state == "sending"
        spec = self._action(job.action)
        try:
            if spec is None:
                result = ActionResult(False, f"no plugin provides the action '{job.action}' now", retry=True)
            else:
                # A to-do linked to no interview reminds with a stand-in (engine/todos.py).
                interview = self.store.load(job.interview_id) if job.interview_id else stand_in(self.clock.now())
                raw = job.params.get(job.action) or {}
                params = spec.params.model_validate(raw) if spec.params is not None else raw
                kept = job.params.get(RENDERED)
                kept = kept if isinstance(kept, dict) else {}  # none in jobs written before they were kept
                # By template text, as `ctx.render` is asked; the text comes from the job, so it
                # is the template that was rendered then, whatever the workflow file says now.
                rendered = {text: kept[name] for name, text in spec.template_texts(params).items()
                            if isinstance(kept.get(name), str)}
                ctx = ActionContext(job.id, job.action, interview, params, attempt, self.clock.now(),
                                    self.home, self._config(), job.cause, interrupted=interrupted, resend=resend,
                                    marks=JobMarks(self.store, job.action, job.id),
                                    template_fields=self._template_fields(), rendered=rendered)
                result = spec.run(ctx) or ActionResult(True)
        except Exception as e:  # an action's failure is recorded, never lost, never fatal here
            result = ActionResult(False, f"{self._whose(job.action)} failed in action '{job.action}': "
                                         f"{type(e).__name__}: {e}", retry=True)
        now = self.clock.now()
        if result.ok:
            state, next_at = result.state or "done", now
        elif result.unsure:  # never repeated on its own: only the user can tell whether it happened
            state, next_at = UNSURE, now
        elif result.retry and attempt < MAX_ATTEMPTS:
            state, next_at = "pending", now + backoff(attempt)
        else:
            state, next_at = result.state or "failed", now
        with self.store.transaction() as tx:
            recorded = tx.finish(job.id, token, state, attempt, next_at, result.detail[:2000] or None,
                                 now if state != "pending" else None)
        if not recorded:  # fenced off: our lease ran out and another worker took the job over
            log.warning("outbox job %s was taken over by another worker while this one ran it (its lease ran "
                        "out); this run's outcome (%s) was not recorded", job.id, state)
        return self.get(job.id)
