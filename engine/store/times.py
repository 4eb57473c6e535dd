"""Due times are whole epoch seconds in the store: one number to index and compare."""
from __future__ import annotations

from datetime import datetime

from ..model import UTC


def epoch(when: datetime) -> int:
    return int(when.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
