"""The `[calendar]` section of `<home>/config.toml`, validated with one readable line per mistake."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from infoview import InfoviewError
from infoview.suggest import did_you_mean

# RFC 5545 dur-value without the sign: weeks, or days and/or a time part
_DURATION = re.compile(r"^P(?:(?P<w>\d+)W|(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?)$")


def parse_duration(text: str) -> timedelta:
    """'PT1H' -> 1 hour. Raises ValueError with a message naming the expected form."""
    match = _DURATION.match(text.strip().upper())
    if not match or text.strip().upper() in {"P", "PT"} or text.strip().upper().endswith("T"):
        raise ValueError(f"'{text}' is not an iCalendar duration; use e.g. PT1H, PT30M or P1D")
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    return timedelta(weeks=parts.get("w", 0), days=parts.get("d", 0), hours=parts.get("h", 0),
                     minutes=parts.get("m", 0), seconds=parts.get("s", 0))


class CalendarOptions(BaseModel):
    """What the feed contains and how subscribers should poll it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="Informational interviews", min_length=1, max_length=200)
    alarms: bool = False          # VALARM 1 hour before; subscribed calendars mostly ignore it
    todos: bool = False           # VTODO "send a thank-you note", due 24 h after the interview
    refresh: str = "PT1H"         # how often subscribers should poll (REFRESH-INTERVAL, X-PUBLISHED-TTL)
    host: str = "127.0.0.1"       # where `infoview serve` listens by default
    port: int = Field(default=8765, ge=0, le=65535)
    public_url: str | None = None  # base URL subscribers reach (behind a proxy/tunnel), e.g. https://cal.example.org
    window: str | None = None     # only interviews starting at most this long ago (e.g. P365D); None: all

    @field_validator("refresh")
    @classmethod
    def _refresh_is_duration(cls, value: str) -> str:
        if parse_duration(value) < timedelta(minutes=1):
            raise ValueError(f"'{value}' is too short; subscribers should poll at most once a minute")
        return value.strip().upper()

    @field_validator("window")
    @classmethod
    def _window_is_duration(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if parse_duration(value) < timedelta(days=1):
            raise ValueError(f"'{value}' is too short; a window of at least a day, e.g. P90D")
        return value.strip().upper()

    @field_validator("public_url")
    @classmethod
    def _public_url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"'{value}' is not an http(s) URL; use e.g. https://cal.example.org")
        return value.rstrip("/") if value else value

    @property
    def refresh_interval(self) -> timedelta:
        return parse_duration(self.refresh)

    def window_start(self, now: datetime) -> datetime | None:
        """The earliest start the feed shows, to the day (so the feed moves once a day), or None."""
        if self.window is None:
            return None
        return (now - parse_duration(self.window)).replace(hour=0, minute=0, second=0, microsecond=0)


def load_options(config: dict[str, Any] | None) -> CalendarOptions:
    """Options from a parsed config.toml; any mistake becomes one InfoviewError line."""
    section = (config or {}).get("calendar", {})
    if not isinstance(section, dict):
        raise InfoviewError("config.toml: [calendar] must be a table, e.g. [calendar] then name = \"...\"")
    try:
        return CalendarOptions(**section)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "calendar"
        if first["type"] == "extra_forbidden":
            hint = did_you_mean(key, CalendarOptions.model_fields)
            raise InfoviewError(f"config.toml: unknown key calendar.{key}{hint}") from None
        message = first["msg"].removeprefix("Value error, ")
        raise InfoviewError(f"config.toml: calendar.{key}: {message}") from None
