"""Interviews built by hand at fixed times: the engine's store is not needed for these pure parts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest

from infoview.model import Contact, Interview, entries_from

UTC = timezone.utc
# A Tuesday, 13:00 UTC = 14:00 in Berlin (CET, winter time).
START = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)

MakeInterview = Callable[..., Interview]


@pytest.fixture
def make_interview() -> MakeInterview:
    def make(id: int = 1, state: str = "planned", start: datetime = START, **kw: Any) -> Interview:
        contact = kw.pop("contact", Contact("Sam Lee", "Acme Analytics", "Data Lead", "sam@acme.test"))
        entered = kw.pop("entered", start - timedelta(days=5))
        for section in ("notes", "evaluation"):  # answers as typed: entries added when it was entered
            if section in kw:
                kw[section] = entries_from(kw[section], entered)
        return Interview(
            id=id, workflow="informational-interview", state=state, version=1, contact=contact,
            start=start, timezone=kw.pop("timezone", "Europe/Berlin"), minutes=kw.pop("minutes", 20),
            mode=kw.pop("mode", "video"), where=kw.pop("where", "https://meet.example.test/abc"),
            goals=kw.pop("goals", ["learn how the data team hires juniors"]),
            created=start - timedelta(days=7), updated=entered, entered=entered, **kw,
        )
    return make


@pytest.fixture
def start() -> datetime:
    """The default interview's start: Tuesday 3 March 2026, 13:00 UTC (14:00 in Berlin)."""
    return START
