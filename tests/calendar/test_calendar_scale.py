"""The feed at scale (issue 19): a change renders again only the interviews it changed, a cached
poll costs a look-up, not a count; the feed can be bounded to a window of recent interviews."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cli_support import infoview
from infoview.clock import Clock
from infoview.engine import Engine
from infoview.inputs import PlanInput
from infoview.plugins.calendar.feed import engine_cache, engine_feed

UTC = timezone.utc
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def planned(home: Path, starts: list[datetime]) -> Engine:
    engine = Engine(home, Clock(fixed=T0))
    for n, start in enumerate(starts):
        engine.plan(PlanInput(name=f"Contact {n}", start=start, timezone="Europe/Berlin").event_data())
    return engine


def test_a_change_renders_only_the_interview_it_changed(tmp_path: Path) -> None:
    engine = planned(tmp_path / "home", [T0 + timedelta(days=d) for d in range(1, 31)])
    rendered: list[int] = []
    hook = engine.host.calendar_components

    def counting(interview: Any, calendar: Any) -> None:  # the real hook, counted
        rendered.append(interview.id)
        hook(interview, calendar)
    engine.host.calendar_components = counting  # type: ignore[method-assign]
    cache = engine_cache(engine)
    first = cache.get()
    assert sorted(rendered) == list(range(1, 31))
    assert cache.get() is first and len(rendered) == 30  # nothing changed: no render at all
    rendered.clear()
    engine.fire(7, "confirm")
    second = cache.get()
    assert rendered == [7] and second.body != first.body
    assert second.body == engine_feed(engine).body  # the same bytes as a render from scratch
    rendered.clear()
    engine.rebuild()  # projections rewritten without a new event: the marker still moves
    assert cache.get().body == second.body and rendered == []  # same versions: nothing to render again


def test_the_feed_can_be_bounded_to_recent_interviews(tmp_path: Path) -> None:
    home = tmp_path / "home"
    planned(home, [T0 - timedelta(days=400), T0 - timedelta(days=10), T0 + timedelta(days=3)]).store.close()
    now = T0.isoformat()
    every = infoview(home, "calendar", "export", now=now, check=True).out
    assert every.count("BEGIN:VEVENT") == 3
    recent = infoview(home, "calendar", "export", "--window", "P30D", now=now, check=True).out
    assert recent.count("BEGIN:VEVENT") == 2 and "interview-1@" not in recent
    (home / "config.toml").write_text('[calendar]\nwindow = "P365D"\n')
    assert infoview(home, "calendar", "export", now=now, check=True).out.count("BEGIN:VEVENT") == 2
    bad = infoview(home, "calendar", "export", "--window", "PT1H", now=now)
    assert bad.code == 2 and bad.err.startswith("--window: ") and "too short" in bad.err and bad.err.count("\n") == 1
