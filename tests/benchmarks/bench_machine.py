"""The pure transition decision vs the `transitions` library on the same five-state machine.

ours:     infoview.machine.decide(wf, interview, event, data, now) with the shipped workflow, on
          interviews pre-built in each state (the projection a real fire would load), with the
          data each event carries (a new time for reschedule, answers for note and evaluate), so
          the table lookup, the not-before-start check, the answer-key check and `requires` all run.
baseline: transitions.Machine (auto_transitions off, no callbacks or conditions) moving one model
          through the same events; after `evaluate` the model's state is set back to planned
          (a plain attribute write), as ours starts the next cycle from the planned interview.

Both walk the same cycle: confirm, reschedule, confirm, hold, note, evaluate, then a cancel from
planned and from confirmed every other cycle. Counted per decision.
"""
from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import T0, plan_data  # noqa: E402
from figures import Figure, compare  # noqa: E402

CYCLES = 5000
STATES = ["planned", "confirmed", "held", "noted", "evaluated", "cancelled"]
TRANSITIONS = [
    {"trigger": "confirm", "source": "planned", "dest": "confirmed"},
    {"trigger": "reschedule", "source": ["planned", "confirmed"], "dest": "planned"},
    {"trigger": "cancel", "source": ["planned", "confirmed"], "dest": "cancelled"},
    {"trigger": "hold", "source": ["planned", "confirmed"], "dest": "held"},
    {"trigger": "note", "source": ["held", "noted"], "dest": "noted"},
    {"trigger": "evaluate", "source": ["noted", "evaluated"], "dest": "evaluated"},
]
CYCLE = ["confirm", "reschedule", "confirm", "hold", "note", "evaluate"]


def _interviews():
    from infoview.machine import decide
    from infoview.host import PluginHost
    from infoview.projection import create
    from infoview.model import Event
    from infoview.registry import Registry

    with tempfile.TemporaryDirectory() as home:
        wf = Registry(PluginHost().load(), Path(home)).workflow("informational-interview")
    start = T0 + timedelta(days=1)
    base = create(Event(1, 1, "plan", None, "planned", T0, {**plan_data(1, start), "workflow": wf.name, "minutes": 20}))
    by_state = {s: replace(base, state=s) for s in STATES}
    data = {"reschedule": {"start": (start + timedelta(hours=2)).isoformat()},
            "note": {"notes": {"learned": "how the team plans its work"}},
            "evaluate": {"evaluation": {"next_actions": "write to the referral"}}}
    now = start + timedelta(hours=3)
    return wf, by_state, data, now, decide


def _steps(by_state, data):
    """(interview in the current state, event, data) for every decision, and the state path."""
    steps, state = [], "planned"
    targets = {t["trigger"]: t["dest"] for t in TRANSITIONS}
    for c in range(CYCLES):
        events = CYCLE + (["cancel"] if c % 2 else [])
        for ev in events:
            if ev == "cancel":
                state = "planned" if c % 4 == 1 else "confirmed"
            steps.append((by_state[state], ev, data.get(ev, {})))
            state = targets[ev]
        state = "planned"
    return steps


def run() -> list[Figure]:
    from transitions import Machine

    wf, by_state, data, now, decide = _interviews()
    steps = _steps(by_state, data)
    for iv, ev, d in steps[:20]:
        assert decide(wf, iv, ev, d, now).ok, (iv.state, ev, decide(wf, iv, ev, d, now).reasons)

    def ours() -> None:
        for iv, ev, d in steps:
            if decide(wf, iv, ev, d, now).reasons:
                raise AssertionError(ev)

    class Model:
        pass

    model = Model()
    Machine(model=model, states=STATES, transitions=TRANSITIONS, initial="planned", auto_transitions=False)
    plan: list[list] = []
    for c in range(CYCLES):
        cycle = [getattr(model, ev) for ev in CYCLE]
        if c % 2:
            # the cancel of this cycle, from planned or confirmed, as in _steps
            cycle.append(("confirmed" if c % 4 == 3 else "planned", model.cancel))
        plan.append(cycle)

    def baseline() -> None:
        for cycle in plan:
            for trig in cycle:
                if type(trig) is tuple:
                    model.state = trig[0]
                    trig[1]()
                else:
                    trig()
            model.state = "planned"

    assert len(steps) == sum(len(c) for c in plan)
    ours(), baseline()
    fig = compare(f"machine: {len(steps):,} decisions, decide() vs transitions.Machine", ours, baseline,
                  target=1.0, kind="at_least", repeats=7)
    fig.note = (f"ours {len(steps) / fig.ours / 1e6:.2f} M decisions/s, transitions "
                f"{len(steps) / fig.baseline / 1e6:.2f} M/s; aim 2x")
    return [fig]


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
