"""Interviews built by hand for the calendar tests: the plugin renders projections, nothing else."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any



from infoview.model import Contact, Interview

UTC = timezone.utc
UPDATED = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)


def make_interview(id: int = 1, *, start: datetime | None = None, tz: str = "Europe/Berlin",
                   state: str = "planned", minutes: int = 20, sequence: int = 0,
                   where: str | None = "https://meet.example.org/jane", mode: str = "video",
                   name: str = "Jane Doe", company: str | None = "Acme",
                   updated: datetime = UPDATED, **extra: Any) -> Interview:
    start = start or datetime(2026, 6, 15, 14, 0, tzinfo=UTC)
    return Interview(
        id=id, workflow="informational-interview", state=state, version=1 + sequence,
        contact=Contact(name=name, company=company), start=start.astimezone(UTC), timezone=tz,
        minutes=minutes, mode=mode, where=where, goals=["Learn how the team measures success"],
        created=datetime(2026, 1, 10, tzinfo=UTC), updated=updated, entered=updated,
        sequence=sequence, **extra)


