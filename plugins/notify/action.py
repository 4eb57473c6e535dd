"""The `notify` action: a workflow's `do: [{notify: {tag: reminders, title: "..."}}]`.

Each channel gets the message once at most. What became of each channel is recorded around the
send (delivered.py), so a run after a failure or a crash sends only to the channels that
certainly do not have it, and a channel cut off mid-send makes the job `unsure` rather than
being sent to again, until the user asks with `infoview outbox retry ID`.
"""
from __future__ import annotations

import socket
from typing import Any

from infoview import ActionContext, ActionResult

from . import delivered
from .channels import Channel, ChannelConfigError, NoChannelConfig, load
from .params import NotifyParams
from .send import DEFAULT_TIMEOUT, Outcome, send


def run(ctx: ActionContext) -> ActionResult:
    params = ctx.params if isinstance(ctx.params, NotifyParams) else NotifyParams.model_validate(ctx.params)
    title, body = ctx.render(params.title), ctx.render(params.body)
    try:
        channels = load(ctx.home, ctx.config)
    except NoChannelConfig as e:
        return ActionResult(ok=False, retry=False, state="no-channel", detail=str(e))
    except ChannelConfigError as e:
        # Retried: once the user fixes the file, the message still goes out.
        return ActionResult(ok=False, retry=True, detail=str(e))
    targets = channels.tagged(params.tag)
    if not targets:
        return ActionResult(ok=False, retry=False, state="no-channel",
                            detail=f"no channel is tagged '{params.tag}' in {channels.path}")
    record = ctx.marks
    if record is None:  # only a hand-made context lacks them; the outbox always passes them
        raise ValueError("the notify action needs ActionContext.marks to send each message once")
    # A job's first run has nothing recorded yet: skipping the read keeps the usual case cheap.
    first = ctx.attempt == 1 and not (ctx.interrupted or ctx.resend)
    marks = {} if first else record.get()
    done = [c for c in targets if c.key in marks and marks[c.key].state == delivered.DELIVERED]
    # Started and never settled: cut off mid-send. Sent again only when the user asked (resend).
    unsure = [] if ctx.resend else [c for c in targets if c.key in marks and c not in done]
    pending = [c for c in targets if c not in done and c not in unsure]
    sent = ""
    if pending:
        outcomes = send(channels, params.tag, title, body, only=None if len(pending) == len(targets) else pending,
                        timeout=_timeout(ctx.config),
                        before=lambda about: delivered.starting(record, about))
        failed = [o for o in outcomes if not o.ok]
        if failed or unsure or not outcomes:
            # The job goes on: keep which channels have it, so no later run sends to them again.
            # When every channel took it, the outbox's `done`, committed right after, is the
            # record, and one commit per message is saved; a kill in between leaves the
            # channels `started`, so the job ends unsure, never sent twice.
            delivered.settle(record, *_accepted_and_refused(pending, outcomes))
        if failed or not outcomes:
            why = "; ".join(f"{o.channel}: {o.reason}" for o in failed) or "apprise sent to no channel"
            also = f"; {_unsure_line(ctx, unsure, marks)}" if unsure else ""
            return ActionResult(ok=False, retry=True,
                                detail=f"{len(failed)} of {len(pending)} channels failed: {why}{also}")
        sent = f"sent to {', '.join(o.channel for o in outcomes)}"
    if unsure:
        return ActionResult(ok=False, unsure=True, detail=_unsure_line(ctx, unsure, marks))
    return ActionResult(ok=True, detail=sent or f"already sent to every channel tagged '{params.tag}'")


def _accepted_and_refused(pending: list[Channel], outcomes: list[Outcome]) -> tuple[list[Channel], list[Channel]]:
    """Which channels now have the message, and which certainly do not (refused, or not tried:
    apprise skips a higher-numbered priority once a lower one succeeded). If an answer cannot be
    matched to its channel, only explicit refusals count as certain; the rest stay `started`."""
    accepted = [o.source for o in outcomes if o.ok and o.source is not None]
    if any(o.source is None for o in outcomes):
        return accepted, [o.source for o in outcomes if not o.ok and o.source is not None]
    return accepted, [c for c in pending if c not in accepted]


def _unsure_line(ctx: ActionContext, channels: list[Channel], marks: dict[str, delivered.Mark]) -> str:
    who = ", ".join(sorted({_process(marks[c.key].by) for c in channels}))
    return (f"infoview stopped while sending to {', '.join(c.id for c in channels)} ({who}); it may or may not "
            f"have arrived; `infoview outbox retry {ctx.job_id}` sends it again")


def _process(sent_by: str) -> str:
    """`host:pid` as the user needs it: the pid, and the host only when it is another machine."""
    host, _, pid = sent_by.rpartition(":")
    return f"pid {pid}" if host == socket.gethostname() else f"pid {pid} on {host}"


def _timeout(config: dict[str, Any]) -> float:
    value = (config.get("notify") or {}).get("timeout", DEFAULT_TIMEOUT)
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_TIMEOUT
