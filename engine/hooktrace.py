"""INFOVIEW_TRACE_PLUGINS=1: one JSON line on stderr per hook implementation called.

    {"hook": "infoview_check_transition", "plugin": "veto", "distribution": "veto-plugin",
     "wrapper": false, "args": {"interview": "Interview 3 (planned)", ...}, "ms": 0.041,
     "outcome": "ok"}

Arguments are described, never dumped: an interview or event by its id, name and state, anything
else by its type. Answers, notes and config (which may hold channel URLs with passwords) never
reach the trace.
"""
from __future__ import annotations

import sys
from typing import Any, Mapping

from .hookcall import Caller

ENV = "INFOVIEW_TRACE_PLUGINS"


def wanted(env: Mapping[str, str]) -> bool:
    return env.get(ENV, "") not in ("", "0", "false")


def describe(value: Any) -> str:
    """A short description that carries no user data beyond ids, event and state names."""
    kind = type(value).__name__
    if kind == "Interview":
        return f"Interview {value.id} ({value.state})"
    if kind == "Event":
        return f"Event {value.event} #{value.seq} of interview {value.interview_id}"
    if kind == "TransitionView":
        return f"TransitionView {value.event}: {value.source} -> {value.to}"
    return kind


def trace(hook: str, caller: Caller, distribution: str | None, args: Mapping[str, Any], seconds: float,
          error: Exception | None, wrapper: bool) -> None:
    import json  # only when tracing: start-up stays as light as without the switch

    line = {
        "hook": hook,
        "plugin": caller.plugin,
        "distribution": distribution,
        "wrapper": wrapper,
        "args": {name: describe(value) for name, value in args.items()},
        "ms": round(seconds * 1000, 3),
        "outcome": "ok" if error is None else f"raised {type(error).__name__}",
    }
    # sys.stderr looked up per call: click's test runner and pytest replace it
    print(json.dumps(line), file=sys.stderr, flush=True)
