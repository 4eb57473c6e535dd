"""`--state` values checked against the states the home's workflows have: a misspelt state would
otherwise list nothing and look like an empty home."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import UsageError
from ..suggest import did_you_mean


def known_states(app: Any, states: Iterable[str]) -> list[str]:
    """`states` as given, or UsageError naming the first unknown one with a suggestion. Loads the
    workflows only when a state was given, so a plain `list` stays as quick as before."""
    wanted = list(states)
    if not wanted:
        return wanted
    every = {s for wf in app.engine.registry.workflows.values() for s in wf.states}
    for state in wanted:
        if state not in every:
            raise UsageError(f"--state: no workflow has a state '{state}'" + did_you_mean(state, every))
    return wanted
