"""What users type, validated at the edge: plan details, times and zones, answers files."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import DefinitionError, InfoviewError, UsageError
from .suggest import did_you_mean

UTC = timezone.utc
EARLIEST, LATEST = datetime(1970, 1, 2, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def zone_of(name: str) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, available_timezones()) or "; use an IANA name such as Europe/Berlin"
        raise UsageError(f"unknown time zone '{name}'{hint}") from None


def parse_when(text: str, tz_name: str) -> datetime:
    """`2026-12-01T10:00` in the given zone (or with its own offset) -> aware UTC.

    A wall time that does not exist in the zone (clocks jump forward) is refused; an ambiguous one
    (clocks fall back) takes the first occurrence, as calendars do."""
    tz = zone_of(tz_name)
    try:
        local = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise UsageError(f"'{text}' is not a date and time; write e.g. 2026-12-01T10:00") from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=tz)
        back = local.astimezone(UTC).astimezone(tz)
        if back.replace(tzinfo=None) != local.replace(tzinfo=None):
            raise UsageError(f"{text} does not exist in {tz_name} (the clocks change then); pick another time")
    when = local.astimezone(UTC)
    if not EARLIEST <= when <= LATEST:
        raise UsageError(f"'{text}' is out of range; use a date between 1970 and 2200")
    return when


def parse_due(text: str, tz_name: str) -> datetime:
    """A to-do's due date: a date alone (due at 09:00 that day in the zone) or a date and time."""
    text = text.strip()
    if len(text) == 10:  # 2026-04-01
        text += "T09:00"
    try:
        return parse_when(text, tz_name)
    except UsageError:
        raise UsageError(f"--due: '{text[:40]}' is not a date; write e.g. 2026-04-01 or 2026-04-01T17:00") from None


class PlanInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    company: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    start: datetime
    timezone: str
    minutes: int | None = Field(None, ge=5, le=480)
    mode: Literal["video", "phone", "in-person"] = "video"
    where: str | None = Field(None, max_length=2000)
    goals: list[str] = Field(default_factory=list)
    referred_by: int | None = Field(None, ge=1)

    def event_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "contact": {"name": self.name, "company": self.company, "title": self.title, "email": self.email},
            "start": self.start.astimezone(UTC).isoformat(), "timezone": self.timezone, "mode": self.mode,
            "where": self.where, "goals": [g for g in self.goals if g],
        }
        if self.minutes is not None:
            data["minutes"] = self.minutes
        if self.referred_by is not None:
            data["referred_by"] = self.referred_by
        return data


class EditInput(BaseModel):
    """The fields `infoview edit` may set, as PlanInput checks them; "" clears an optional one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=200)
    company: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+$")
    where: str | None = Field(None, max_length=2000)
    minutes: int | None = Field(None, ge=5, le=480)


def validate(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """Validate CLI input; the first error becomes one line naming the option."""
    try:
        return model.model_validate(values)
    except ValidationError as e:
        err = e.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "input"
        option = "--" + field.replace("_", "-") if field != "name" else "NAME"
        msg = err["msg"].replace("String should", "should").replace("Input should", "should")
        if err["type"] == "string_pattern_mismatch" and field == "email":
            msg = "is not an email address"
        raise UsageError(f"{option}: {msg} (got {err.get('input')!r})") from None


Answers = dict[str, str | list[str]]


def clean_answers(raw: Any, source: str) -> Answers:
    """Answers map keys to text or lists of text; empty answers are dropped."""
    if not isinstance(raw, dict):
        raise InfoviewError(f"{source}: answers must be a mapping of answer keys to text or lists of text")
    out: Answers = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise InfoviewError(f"{source}: answer keys must be text, not {key!r}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            if value.strip():
                out[key] = value.strip()
        elif isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            items = [str(v).strip() for v in value if str(v).strip()]
            if items:
                out[key] = items
        elif value is not None:
            raise InfoviewError(f"{source}: answer '{key}' must be text or a list of text")
        if len(str(out.get(key, ""))) > 20_000:
            raise InfoviewError(f"{source}: answer '{key}' is longer than 20,000 characters")
    return out


def read_mapping_file(path: Path) -> Any:
    """A YAML or JSON file (JSON by extension, else YAML through the safe reader)."""
    from .yamlsource import load_file, read_text

    try:
        if path.suffix.lower() == ".json":
            return json.loads(read_text(path))
        return load_file(path).data
    except json.JSONDecodeError as e:
        raise InfoviewError(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise InfoviewError(f"{path}:1:1: JSON nested too deeply") from None
    except DefinitionError as e:
        raise InfoviewError(str(e)) from None


def read_answers(path: Path) -> Answers:
    return clean_answers(read_mapping_file(path), str(path))



