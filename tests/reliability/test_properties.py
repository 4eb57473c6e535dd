"""Property-based tests of the one write path on a real SQLite file: any sequence of events
(allowed or not) keeps every interview in a state of its workflow, a refused event changes
nothing, and rebuilding from the log gives the projections that were built live."""
from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from infoview.errors import Refused
from support import T0, engine, plan_data, projections, snapshot

EVENTS = ["confirm", "reschedule", "cancel", "hold", "note", "evaluate", "thanked", "followed_up",
          "helds", "plan", "timer", ""]
DATA = {
    "none": {},
    "notes": {"notes": {"learned": "how teams are organised", "issues": ["hiring"]}},
    "empty-notes": {"notes": {}},
    "bad-notes": {"notes": {"lerned": "typo"}},
    "evaluation": {"evaluation": {"next_actions": ["write to Sam by Friday"], "went_well": "timing"}},
    "move": {"start": (T0 + timedelta(days=9, hours=3)).isoformat(), "reason": "they asked"},
    "move-zone": {"start": (T0 + timedelta(days=2)).isoformat(), "timezone": "America/New_York", "minutes": 45},
    "reason": {"reason": "no longer needed"},
    "stray": {"colour": "blue"},
}

op = st.one_of(
    st.tuples(st.just("plan"), st.integers(-48, 24 * 30)),
    st.tuples(st.just("fire"), st.integers(0, 5), st.sampled_from(EVENTS), st.sampled_from(sorted(DATA))),
    st.tuples(st.just("advance"), st.integers(1, 60 * 24 * 10)),
    st.tuples(st.just("tick")),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=30))
def test_any_sequence_keeps_states_valid_refusals_change_nothing_and_rebuild_matches(ops):
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        eng = engine(home)
        db = home / "infoview.db"
        wf = eng.registry.workflow("informational-interview")
        ids: list[int] = []
        refused = accepted = 0
        for step in ops:
            if step[0] == "plan":
                start = eng.clock.now() + timedelta(hours=step[1])
                ids.append(eng.plan(plan_data(f"Person {len(ids)}", start), dispatch=False).interview.id)
            elif step[0] == "advance":
                eng.clock.set(eng.clock.now() + timedelta(minutes=step[1]))
            elif step[0] == "tick":
                eng.tick(dispatch=False)
            elif ids:
                interview_id = ids[step[1] % len(ids)]
                before = snapshot(db)
                try:
                    result = eng.fire(interview_id, step[2], dict(DATA[step[3]]), dispatch=False)
                except Refused as e:
                    refused += 1
                    assert str(e).startswith(f"interview {interview_id} is ")
                    assert "\n" not in str(e)
                    assert snapshot(db) == before, "a refused event changed the database"
                else:
                    accepted += 1
                    assert result.event.event == step[2]
                    assert result.interview.version == result.event.seq
            for interview in eng.interviews():
                assert interview.state in wf.states
        live = projections(db)
        assert set(live) == set(ids)
        assert eng.rebuild() == len(ids)
        assert projections(db) == live
        eng.store.close()
