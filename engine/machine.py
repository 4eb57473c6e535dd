"""Pure transition logic: may this event happen to this interview now? No I/O, no clock reads.

A flat table lookup on (state, event) and a few checks: this is the hot path of every change and
of the benchmark against the `transitions` library.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .workflow import Transition, Workflow
from .model import Interview
from .requirements import missing
from .suggest import did_you_mean

SECTIONS = ("notes", "evaluation")
SCHEDULE_KEYS = frozenset({"start", "timezone", "minutes", "where", "mode", "reason"})


@dataclass(frozen=True, slots=True)
class TransitionView:
    """What guards and `infoview_check_transition` plugins see of a transition about to happen."""

    workflow: str
    event: str
    source: str | None  # None for `plan`: an interview comes into being
    to: str
    data: dict[str, Any]
    now: datetime


@dataclass(slots=True)
class Decision:
    transition: Transition | None
    reasons: list[str]

    @property
    def ok(self) -> bool:
        return not self.reasons


def decide(wf: Workflow, interview: Interview, event: str, data: dict[str, Any], now: datetime) -> Decision:
    """Check the event against the workflow table, time limits, answer keys and requirements."""
    t = wf.table.get((interview.state, event))
    if t is None:
        return Decision(None, [_not_allowed(wf, interview.state, event)])
    reasons: list[str] = []
    if t.not_before is not None:
        limit = interview.start if t.not_before == "start" else interview.end
        if now < limit:
            reasons.append(f"'{event}' is too early: the interview {'starts' if t.not_before == 'start' else 'ends'} "
                           f"at {limit.astimezone(interview.tz):%Y-%m-%d %H:%M %Z}")
    if data:
        reasons.extend(_check_data(t, data))
    if t.requires:
        reasons.extend(_check_requires(t, interview, data))
    return Decision(t, reasons)


def allowed(wf: Workflow, state: str) -> list[str]:
    return wf.allowed.get(state, [])


def _not_allowed(wf: Workflow, state: str, event: str) -> str:
    sources = wf.events.get(event)
    if sources is None:
        return f"'{event}' is not an event of workflow {wf.name}" + did_you_mean(event, wf.events)
    return f"'{event}' needs state {' or '.join(sources)}"


def _check_data(t: Transition, data: dict[str, Any]) -> list[str]:
    reasons = []
    for key in data:
        if key in SECTIONS:
            accepted = t.answer_keys.get(key)
            if not accepted:
                reasons.append(f"'{t.event}' takes no {key}")
                continue
            for answer_key in data[key]:
                if answer_key not in accepted:
                    reasons.append(f"unknown {key} key '{answer_key}'" + did_you_mean(answer_key, accepted))
        elif key in SCHEDULE_KEYS - {"reason"} and not t.moves:
            reasons.append(f"'{t.event}' does not change the time or place; use an event that moves the interview")
        elif key not in SCHEDULE_KEYS:
            reasons.append(f"'{t.event}' does not take '{key}'" + did_you_mean(key, [*SECTIONS, *SCHEDULE_KEYS]))
    if t.moves and "start" not in data:
        reasons.append(f"'{t.event}' needs a new time (--at)")
    return reasons


def _check_requires(t: Transition, interview: Interview, data: dict[str, Any]) -> list[str]:
    return unmet(t.event, t.requires, interview, data)


def unmet(event: str, requires: tuple[str, ...], interview: Interview, data: dict[str, Any]) -> list[str]:
    """Why `event` may not leave `interview` as it would be: each requirement not filled."""
    reasons = []
    for path in requires:
        section, _, key = path.partition(".")
        if section in SECTIONS:
            value = data.get(section, {}).get(key) or getattr(interview, section).get(key)
        elif section == "contact":
            value = getattr(interview.contact, key)
        else:
            value = getattr(interview, section)
        if not value:
            reasons.append(missing(event, path, interview.id))
    return reasons
