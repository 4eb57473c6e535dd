"""What users type, validated at the edge: plan details, times and zones, answers files."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import DefinitionError, InfoviewError, UsageError
from .limits import EARLIEST, LATEST, MAX_ANSWER, MAX_ID, MAX_ITEMS, MAX_NAME, MAX_TEXT
from .suggest import did_you_mean

UTC = timezone.utc


def zone_of(name: str) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, available_timezones()) or "; use an IANA name such as Europe/Berlin"
        raise UsageError(f"unknown time zone '{name}'{hint}") from None


def not_past(when: datetime, now: datetime, past: bool, written: str) -> None:
    """Planning or moving into the past is refused unless asked for (`--past`): logging a
    conversation that already happened is a real use, a typo in the year is a likelier one."""
    if when < now and not past:
        raise UsageError(f"--at {written} is in the past; add --past to record a conversation that already "
                         "happened")


def parse_when(text: str, tz_name: str) -> datetime:
    """`2026-12-01T10:00` in the given zone (or with its own offset) -> aware UTC.

    A wall time that does not exist in the zone (clocks jump forward) is refused; an ambiguous one
    (clocks fall back) takes the first occurrence, as calendars do."""
    tz = zone_of(tz_name)
    written = text.strip().replace(" ", "T", 1)
    try:
        local = datetime.fromisoformat(written)
    except ValueError:
        raise UsageError(f"'{text}' is not a date and time; write e.g. 2026-12-01T10:00") from None
    if "T" not in written.upper():  # a date alone would silently mean midnight
        raise UsageError(f"'{text}' has no time of day; write the date and the time, e.g. {written}T10:00")
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

    name: str = Field(min_length=1, max_length=MAX_NAME)
    company: str | None = Field(None, max_length=MAX_NAME)
    title: str | None = Field(None, max_length=MAX_NAME)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    start: datetime
    timezone: str
    minutes: int | None = Field(None, ge=5, le=480)
    mode: Literal["video", "phone", "in-person"] = "video"
    where: str | None = Field(None, max_length=MAX_TEXT)
    goals: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(default_factory=list, max_length=MAX_ITEMS)
    referred_by: int | None = Field(None, ge=1, le=MAX_ID)

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


class PersonEdit(BaseModel):
    """`person edit` options: text sets a field, an empty text clears it (a name cannot be cleared);
    `link` and `note` add one; `every` is a cadence (engine/keepintouch.py)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    email: str | None = Field(None, max_length=254, pattern=r"^([^@\s]+@[^@\s]+)?$")
    company: str | None = Field(None, max_length=MAX_NAME)
    title: str | None = Field(None, max_length=MAX_NAME)
    how: str | None = Field(None, max_length=MAX_TEXT)
    link: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    note: str | None = Field(None, min_length=1, max_length=20_000)
    every: str | None = Field(None, max_length=40)

    def event_data(self) -> dict[str, Any]:
        from .keepintouch import parse_cadence

        data: dict[str, Any] = {}
        for key, value in self.model_dump(exclude_unset=True).items():
            if value is None:
                continue
            if key == "every":
                try:
                    data["every"] = parse_cadence(value)
                except ValueError as e:
                    raise UsageError(f"--every: {e}") from None
            elif key in ("link", "note"):
                data[key] = value
            else:
                data[key] = value or None  # "" clears the field
        return data


class EditInput(BaseModel):
    """The fields `infoview edit` may set, as PlanInput checks them; "" clears an optional one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    company: str | None = Field(None, max_length=MAX_NAME)
    title: str | None = Field(None, max_length=MAX_NAME)
    email: str | None = Field(None, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+$")
    where: str | None = Field(None, max_length=MAX_TEXT)
    minutes: int | None = Field(None, ge=5, le=480)


def validate(model: type[BaseModel], values: dict[str, Any], name_argument: bool = True) -> Any:
    """Validate CLI input; the first error becomes one line naming the option (`name` is the NAME
    argument unless `name_argument` is False)."""
    try:
        return model.model_validate(values)
    except ValidationError as e:
        err = e.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "input"
        option = "--" + field.replace("_", "-") if field != "name" or not name_argument else "NAME"
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
        if len(str(out.get(key, ""))) > MAX_ANSWER:
            raise InfoviewError(f"{source}: answer '{key}' is longer than {MAX_ANSWER:,} characters")
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



