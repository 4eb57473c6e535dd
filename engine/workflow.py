"""A workflow as the engine runs it: compiled from a checked definition file by
engine/definition.py, read by the pure machine (engine/machine.py), the timers (engine/timers.py)
and the plugins that show interviews. Plain dataclasses: the hot paths and the CLI's start-up never
import the pydantic models of the file format, and this module imports nothing of them (the
definition depends on the compiled form, never the other way round)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from .durations import At

DEFAULT_LATE = timedelta(hours=6)   # how late a timer may still fire when its file does not say `late:`


@dataclass(frozen=True)
class State:
    description: str
    final: bool
    requires: tuple[str, ...]
    not_before: str | None
    questions: tuple[str, ...]
    means: str   # one of infoview.meanings.MEANINGS: declared in the file, or its default
    editable: bool = True  # `infoview edit` may correct an interview in it (default: unless final)


@dataclass(frozen=True)
class ActionCall:
    name: str
    params: Any           # the action's validated params model, or a dict
    raw: dict[str, Any]   # as written, stored in outbox jobs


@dataclass(frozen=True)
class Transition:
    event: str
    source: str
    to: str
    moves: bool
    guards: tuple[str, ...]
    actions: tuple[ActionCall, ...]
    requires: tuple[str, ...]
    not_before: str | None
    answer_keys: dict[str, frozenset[str]]  # section -> keys the event may carry (from the target's sets)


@dataclass(frozen=True)
class Timer:
    id: str
    at: At
    when: frozenset[str]
    every: timedelta | None
    late: timedelta
    unless: frozenset[str]
    actions: tuple[ActionCall, ...]
    fire: str | None
    description: str


@dataclass
class Workflow:
    name: str
    title: str
    description: str
    initial: str
    default_minutes: int
    states: dict[str, State]
    table: dict[tuple[str, str], Transition]
    events: dict[str, list[str]]         # event -> the states it is allowed from, in file order
    allowed: dict[str, list[str]]        # state -> events allowed from it, in file order
    timers: list[Timer]
    source: str
    # state -> its timers (those whose `when` names it), in file order: every change re-arms the
    # interview's timers, and most timers belong to other states.
    timers_in: dict[str, tuple[Timer, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.timers_in = {state: tuple(t for t in self.timers if state in t.when) for state in self.states}

