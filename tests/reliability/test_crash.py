"""Crash safety: kill -9 the CLI during fire, tick and delivery; nothing is half-applied, and no
notification is lost or delivered twice."""
from __future__ import annotations

import crash_harness
import pytest


def _drill(home, database, faults: int, interviews: int) -> crash_harness.Figures:
    receiver = crash_harness.KillingReceiver().start()
    try:
        figures = crash_harness.run(home, receiver, faults=faults, interviews=interviews, seed=9, database=database)
    finally:
        receiver.stop()
    print(figures.line())
    assert figures.faults == faults
    assert figures.notifications > 0 and figures.delivered_once > 0
    assert figures.doubled == figures.lost == 0  # also checked inside, job by job
    return figures


@pytest.mark.both_backends(slow_on_postgres=True)  # the quick PostgreSQL drill is below
def test_kill_9_during_fire_tick_and_delivery_leaves_a_consistent_home(tmp_path, database):
    figures = _drill(tmp_path / "home", database, faults=9, interviews=12)
    assert sum(figures.killed.values()) >= 4          # the faults really hit running processes


def test_kill_9_once_each_during_fire_tick_and_delivery_on_postgresql(tmp_path, pg_url):
    """The drill above, smaller (in the normal suite; the nine-fault one on PostgreSQL is slow)."""
    figures = _drill(tmp_path / "home", pg_url, faults=3, interviews=6)
    assert sum(figures.killed.values()) >= 1  # the faults hit running processes
