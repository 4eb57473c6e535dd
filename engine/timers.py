"""Which timers an interview has armed, and when they are due. Pure: the store keeps the result.

Re-computed inside the same transaction as every change of the interview, so a reschedule moves
its timers, a cancel or leaving a `when` state disarms them, and a new state arms its own. A
firing is remembered by (interview, timer, due): a timer whose due time did not change is never
armed again once fired, while a moved one fires again for its new time.
"""
from __future__ import annotations

from datetime import datetime

from .workflow import Timer, Workflow
from .model import Interview


def anchor_time(interview: Interview, anchor: str) -> datetime:
    if anchor == "start":
        return interview.start
    if anchor == "end":
        return interview.end
    return interview.entered


def armed(wf: Workflow, interview: Interview, fired: dict[str, set[int]], now: datetime) -> dict[str, int]:
    """The timers armed for the interview as it now is: timer id -> due time, in whole epoch
    seconds (the form the store keeps due times in). Offsets are fixed spans added to instants,
    so the arithmetic is the same as with datetimes."""
    out: dict[str, int] = {}
    for timer in wf.timers_in.get(interview.state, ()):
        if timer.unless and not timer.unless.isdisjoint(interview.happened):
            continue
        due = int(anchor_time(interview, timer.at.anchor).timestamp()) + int(timer.at.offset.total_seconds())
        done = fired.get(timer.id)
        if timer.every is None:
            if not done or due not in done:
                out[timer.id] = due
            continue
        later = [d for d in done if d >= due] if done else []
        if later:
            every = int(timer.every.total_seconds())
            due = max(later) + every
            behind = now.timestamp() - due
            if behind > timer.late.total_seconds():
                # After a long pause, resume the rhythm at the next future occurrence rather
                # than replaying every one that was missed.
                due += (int(behind // every) + 1) * every
        out[timer.id] = due
    return out


def is_late(timer: Timer, due: datetime, now: datetime) -> bool:
    return now - due > timer.late


def describe(timer: Timer) -> str:
    from .durations import format_duration

    every = f", then every {format_duration(timer.every)}" if timer.every else ""
    return f"{timer.at}{every}"


def format_late(timer: Timer) -> str:
    from .durations import format_duration

    return format_duration(timer.late)
