"""The models that check the bounds (engine/limits.py) every value keeps on its way into a home: the CLI's options, `--answers`
and `--data` files, imports (engine/importcheck.py) and any later form all check against these
models, so nothing can be stored that a timer, the feed or a command would then fail on.

- times: ISO 8601 with an offset, between 1970-01-02 and 2200-01-01 (UTC);
- ids: 1 .. 2**63-1, what every store can hold (SQLite INTEGER, PostgreSQL bigint);
- minutes: 1 .. 1440 (within a day);
- text: names and titles at most 200 characters, places and reasons 2,000, answers 20,000;
  lists at most 100 items; exact types (strict: no list where text belongs, no "30" for 30).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .errors import InfoviewError
from .limits import EARLIEST, LATEST, MAX_ANSWER, MAX_ID, MAX_ITEMS, MAX_MINUTES, MAX_NAME, MAX_TEXT


def in_range(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("needs an offset, e.g. 2026-12-01T10:00:00+00:00")
    if not EARLIEST <= when <= LATEST:
        raise ValueError("is out of range; use a date between 1970 and 2200")
    return when


def _instant(text: str) -> str:
    """An ISO 8601 time with offset within range; kept as written (an import stays byte-exact)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("is not an ISO 8601 date and time") from None
    in_range(when)
    return text


def _zone(name: str) -> str:
    from .inputs import zone_of

    try:
        zone_of(name)
    except InfoviewError as e:
        raise ValueError(str(e)) from None
    return name


Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Minutes = Annotated[int, Field(strict=True, ge=1, le=MAX_MINUTES)]
Name = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_NAME)]
Short = Annotated[str, StringConstraints(strict=True, max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(strict=True, max_length=MAX_TEXT)]
AnswerText = Annotated[str, StringConstraints(strict=True, max_length=MAX_ANSWER)]
Answer = AnswerText | Annotated[list[AnswerText], Field(max_length=MAX_ITEMS)]
Answers = Annotated[dict[Short, Answer], Field(max_length=MAX_ITEMS)]
Instant = Annotated[str, StringConstraints(strict=True, max_length=64), AfterValidator(_instant)]
Zone = Annotated[str, StringConstraints(strict=True, max_length=MAX_NAME), AfterValidator(_zone)]
Email = Annotated[str, StringConstraints(strict=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]
Mode = Literal["video", "phone", "in-person"]
Outcome = Literal["fired", "missed", "refused", "skipped"]


# defer_build: each model's validator is built on its first use, not at import. Every command
# imports this module (through the engine), but only those that carry data (plan, note, edit,
# import...) validate it: `confirm` or `list` never pay for building them.


class ContactChange(BaseModel):
    """An edit's contact fields: only those it changes; an optional one may be cleared (null)."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)

    name: Name | None = None
    company: Short | None = None
    title: Short | None = None
    email: Email | None = None


class EntryChange(BaseModel):
    """One note or evaluation entry an edit replaces (`text`) or removes (`text` null)."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)

    section: Literal["notes", "evaluation"]
    key: Short
    index: Annotated[int, Field(strict=True, ge=0, le=MAX_ITEMS * MAX_ITEMS)]
    text: AnswerText | None


class EventData(BaseModel):
    """Every key an event's data may carry, as the projection (engine/projection.py) reads it."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)

    workflow: Short | None = None
    contact: ContactChange | None = None   # a plan's whole contact (its name checked below), or what an edit changes
    start: Instant | None = None
    timezone: Zone | None = None
    minutes: Minutes | None = None
    mode: Mode | None = None
    where: Text | None = None
    goals: Annotated[list[Text], Field(max_length=MAX_ITEMS)] | None = None
    referred_by: Id | None = None
    # the person the interview is with (plan, and the `person` entry a merge or an upgrade adds)
    person: Id | None = None
    reason: Text | None = None
    notes: Answers | None = None
    evaluation: Answers | None = None
    # what an edit changes in notes and evaluations (engine/edits.py)
    entries: Annotated[list[EntryChange], Field(max_length=MAX_ITEMS * MAX_ITEMS)] | None = None
    # what a timer's record says (engine/engine.py's _fire_timer)
    timer: Short | None = None
    due: Instant | None = None
    outcome: Outcome | None = None


# Keys that may be left out but, when given, must have a value: the projection keeps them as is.
NEVER_NULL = ("workflow", "contact", "start", "timezone", "minutes", "mode", "goals", "notes", "evaluation",
              "timer", "due", "outcome")
PLAN_KEYS = ("workflow", "contact", "start", "timezone", "minutes", "mode")


def first_problem(e: ValidationError) -> str:
    """`contact.name: should be a valid string (got ['a', 'b'])`: the first error in one line."""
    err = e.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "data"
    msg = err["msg"].replace("String should", "should").replace("Input should", "should")
    msg = msg.removeprefix("Value error, ")
    got = repr(err.get("input"))
    return f"{where}: {msg} (got {got[:60] + '...' if len(got) > 60 else got})"


def problem_in_data(data: Mapping[str, Any], *, plan: bool = False, unknown_ok: bool = False) -> str | None:
    """What is wrong with an event's data, in one line, or None when it keeps every bound.
    `unknown_ok`: keys no event knows are left to the machine, which refuses them with a
    suggestion (engine/machine.py); an import refuses them here."""
    if not isinstance(data, Mapping):
        return f"data: should be a mapping (got {type(data).__name__})"
    if unknown_ok:
        data = {k: v for k, v in data.items() if k in EventData.model_fields}
    try:
        EventData.model_validate(data)
    except ValidationError as e:
        return first_problem(e)
    for key in NEVER_NULL:
        if key in data and data[key] is None:
            return f"{key}: should have a value, not null"
    if plan:
        for key in PLAN_KEYS:
            if data.get(key) is None:
                return f"{key}: a plan needs it"
        if not data["contact"].get("name"):
            return "contact.name: a plan needs it"
    return None


def check_data(data: Mapping[str, Any], where: str, *, plan: bool = False) -> None:
    """Refuse, in one line naming `where`, data that breaks a bound; nothing is written."""
    problem = problem_in_data(data, plan=plan, unknown_ok=True)
    if problem:
        raise InfoviewError(f"{where}: {problem}; nothing was changed")
