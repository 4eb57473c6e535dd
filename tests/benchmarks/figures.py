"""The one shape every benchmark reports in: our time against a baseline timed in the same run.

A benchmark module `tests/benchmarks/bench_*.py` defines `run() -> list[Figure]`; `run.py`
collects them all, prints a table and writes JSON. Times are medians over repeats; the spread
(max/min of the repeats) says how noisy the machine was.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Callable, Literal


@dataclass
class Figure:
    name: str
    ours: float          # median seconds per run of our code
    baseline: float      # median seconds per run of the baseline
    target: float | None  # see `kind`; None: a figure reported for information, with no target
    kind: Literal["at_least", "within"]  # at_least: speed ratio >= target; within: time ratio <= target
    spread: float = 1.0  # worst max/min over both series
    note: str = ""

    @property
    def ratio(self) -> float:
        """For `at_least`: how many times the baseline's speed we reach (baseline/ours).
        For `within`: how many times the baseline's time we take (ours/baseline)."""
        if self.kind == "at_least":
            return self.baseline / self.ours
        return self.ours / self.baseline

    @property
    def passed(self) -> bool:
        if self.target is None:
            return True
        return self.ratio >= self.target if self.kind == "at_least" else self.ratio <= self.target

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": round(self.ratio, 3), "passed": self.passed}


def timed(fn: Callable[[], object], repeats: int = 7) -> tuple[float, float]:
    """Median and spread (max/min) of `repeats` timings of fn()."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times) / max(min(times), 1e-12)


def compare(name: str, ours: Callable[[], object], baseline: Callable[[], object], *, target: float | None,
            kind: Literal["at_least", "within"], repeats: int = 7, note: str = "") -> Figure:
    """Time both, interleaved so that machine noise hits them alike."""
    o_times, b_times = [], []
    for _ in range(repeats):
        for fn, sink in ((baseline, b_times), (ours, o_times)):
            t0 = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - t0)
    spread = max(max(s) / max(min(s), 1e-12) for s in (o_times, b_times))
    return Figure(name, statistics.median(o_times), statistics.median(b_times), target, kind, spread, note)
