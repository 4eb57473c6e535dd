"""Whatever a plugin raises, in whichever hook or guard, a tick fires every other interview's timers
and records the broken one as refused, naming the plugin (issue 16, point 1)."""
from __future__ import annotations

import sys
import tempfile
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from infoview.clock import Clock
from infoview.engine import Engine
from infoview.host import PluginHost
from infoview.inputs import PlanInput

START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)

WORKFLOW = """\
name: lapse
initial: planned
states:
  planned:   {}
  cancelled: {final: true}
transitions:
  - {event: cancel, from: planned, to: cancelled, guards: [flaky]}
timers:
  - id: auto-cancel
    at: start + 1h
    when: [planned]
    fire: cancel
"""

# Breaks for the interviews listed in FAILS, in the way listed there (set by the test).
PLUGIN = '''
from infoview import GuardSpec, hookimpl

FAILS = {}  # interview id -> "check" | "guard" | "committed"


def _breaks(interview_id, how):
    if FAILS.get(interview_id) == how:
        raise RuntimeError(f"broken {how} for interview {interview_id}")


def flaky(interview, transition, now):
    _breaks(interview.id, "guard")
    return None


@hookimpl
def infoview_register_guards(register):
    register(GuardSpec(name="flaky", check=flaky))


@hookimpl
def infoview_check_transition(interview, transition):
    if transition.event == "cancel":
        _breaks(interview.id, "check")


@hookimpl
def infoview_event_committed(event, interview):
    _breaks(interview.id, "committed")
'''

WAYS = st.sampled_from(["fine", "check", "guard", "committed"])


@pytest.fixture(scope="module")
def plugin() -> Iterator[tuple[PluginHost, ModuleType]]:
    site = Path(tempfile.mkdtemp(prefix="broken-plugin-"))
    (site / "broken_at_random.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    sys.path.insert(0, str(site))
    try:
        host = PluginHost(env={}, extra=("broken_at_random",)).load()
        yield host, sys.modules["broken_at_random"]
    finally:
        sys.path.remove(str(site))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ways=st.lists(WAYS, min_size=1, max_size=6))
def test_a_plugin_raising_anywhere_never_keeps_a_tick_from_the_other_interviews(
        plugin: tuple[PluginHost, ModuleType], ways: list[str]) -> None:
    host, module = plugin
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "workflows").mkdir()
        (home / "workflows" / "lapse.yaml").write_text(WORKFLOW, encoding="utf-8")
        clock = Clock(fixed=START - timedelta(days=1))
        engine = Engine(home, clock, host)
        module.FAILS.clear()
        ids = []
        for n, _ in enumerate(ways):
            data = PlanInput(name=f"Person {n}", start=START, timezone="UTC").event_data()
            ids.append(engine.plan(data, "lapse").interview.id)
        module.FAILS.update({i: way for i, way in zip(ids, ways, strict=True) if way != "fine"})

        clock.set(START + timedelta(hours=2))
        firings = {f.interview_id: f for f in engine.tick()}

        assert sorted(firings) == ids  # every interview's timer came due and was decided
        for interview_id, way in zip(ids, ways, strict=True):
            firing, state = firings[interview_id], engine.get(interview_id).state
            if way in ("check", "guard"):
                assert (firing.outcome, state) == ("refused", "planned")
                assert "plugin 'broken_at_random' failed" in firing.detail
                assert f"broken {way} for interview {interview_id}" in firing.detail
            else:  # a failing signal is logged; the change stands
                assert (firing.outcome, state) == ("fired", "cancelled")
        assert engine.tick() == []  # each decided once: a refused firing is not tried again
        engine.store.close()


def test_a_guard_that_raises_refuses_the_event_in_one_line(tmp_path: Path) -> None:
    """Through the CLI: a plugin's guard raising is one line naming the plugin, exit 1, no change."""
    from plugin_support import add_distribution, plan, run, run_json

    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "shaky-guards", {"shaky_guards": '''
        from infoview import GuardSpec, hookimpl

        def broken(interview, transition, now):
            raise KeyError("no such rule")

        @hookimpl
        def infoview_register_guards(register):
            register(GuardSpec(name="flaky", check=broken))
    '''})
    workflow = WORKFLOW.replace("name: lapse", "name: shaky")
    (home / "workflows").mkdir(parents=True)
    (home / "workflows" / "shaky.yaml").write_text(workflow, encoding="utf-8")
    interview = plan(home, site, "--workflow", "shaky")
    refused = run(home, site, "fire", str(interview), "cancel")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr == (f"plugin 'shaky_guards' (distribution shaky-guards) failed in guard 'flaky' while "
                              f"checking 'cancel' on interview {interview}: KeyError: 'no such rule'; "
                              "nothing was changed\n")
    assert run_json(home, site, "show", str(interview))["state"] == "planned"
