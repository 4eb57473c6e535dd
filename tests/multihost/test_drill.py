"""The multi-host drill (drill.py): workers on three hosts, kill -9 at random, a cut cable; each
due timer fired exactly once, each notification delivered once or left `unsure`, never twice,
nothing pending. `python3 scripts/dev.py stress` runs a longer one."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

import drill


@pytest.mark.slow
def test_workers_on_three_hosts_survive_kills_and_a_cut_cable(tmp_path: Path) -> None:
    seed = random.randrange(10_000)
    figures = drill.run(tmp_path / "drill", hosts_count=3, interviews=60, kills_per_phase=2, seed=seed)
    print(f"multi-host drill (seed {seed}): {figures.line()}")
    assert not figures.problems, f"seed {seed}: {figures.problems}; {figures.line()}"
    assert figures.kills and figures.partitions == 1
    assert figures.timers_fired == figures.timers_due == 60 * len(drill.TIMERS)
    assert figures.doubled == figures.lost == figures.pending == 0
    assert figures.delivered_once + figures.unsure == figures.notifications
