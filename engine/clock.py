"""The one injectable clock. `--now` / INFOVIEW_NOW freeze it for tests and demos."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from .errors import UsageError

UTC = timezone.utc


class Clock:
    """Returns aware UTC datetimes. A fixed clock may be moved forward (the demo does)."""

    def __init__(self, fixed: datetime | None = None, source: Callable[[], datetime] | None = None):
        self._fixed = fixed
        self._source = source or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else self._source()

    def set(self, when: datetime) -> None:
        self._fixed = when.astimezone(UTC)

    @property
    def frozen(self) -> bool:
        return self._fixed is not None

    @classmethod
    def from_option(cls, value: str | None) -> "Clock":
        """Build from an ISO-8601 `--now` value; a value without offset is read as UTC."""
        if not value:
            return cls()
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--now: '{value}' is not an ISO-8601 time; use e.g. 2026-12-01T09:00Z") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        out_of_range = UsageError(f"--now: '{value}' is out of range; use a time between 1970 and 2200")
        try:
            when = when.astimezone(UTC)
        except OverflowError:  # year 1 with a positive offset, year 9999 with a negative one
            raise out_of_range from None
        if not 1970 <= when.year < 2200:
            raise out_of_range
        return cls(fixed=when)
