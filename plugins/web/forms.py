"""The web forms' edges: each form is read into a pydantic model with the CLI's bounds, and
answers go through the same clean_answers as `note --answers FILE`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from infoview.errors import UsageError

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

MAX_TEXT = 20_000


class ReasonForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    reason: str = Field(default="", max_length=2_000)


class RescheduleForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    at: str = Field(min_length=1, max_length=40)
    minutes: int | None = Field(default=None, ge=5, le=480)
    reason: str = Field(default="", max_length=2_000)


def _read(model: type[BaseModel], form: Mapping[str, str]) -> Any:
    values = {k: v for k, v in form.items() if v != ""}
    try:
        return model.model_validate(values)
    except ValidationError as e:
        err = e.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "form"
        raise UsageError(f"{field}: {err['msg'].replace('Input should', 'should')}") from None


def reason_of(form: Mapping[str, str]) -> dict[str, Any]:
    """A one-click event's data: the optional reason (cancel), nothing else."""
    reason = _read(ReasonForm, form).reason
    return {"reason": reason} if reason else {}


def reschedule_data(form: Mapping[str, str], zone: str) -> dict[str, Any]:
    from infoview.inputs import parse_when

    parsed = _read(RescheduleForm, form)
    data: dict[str, Any] = {"start": parse_when(parsed.at, zone).isoformat()}
    if parsed.minutes is not None:
        data["minutes"] = parsed.minutes
    if parsed.reason:
        data["reason"] = parsed.reason
    return data


class AnswerField(BaseModel):
    """One question's new text from the form: bounded, one answer or one per line."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=MAX_TEXT)


def added_answers(questions: list[Any], form: Mapping[str, str]) -> dict[str, Any]:
    """What a notes or evaluation form adds, in the shape `note --learned A --learned B` gives the
    Engine: a list question's lines, a text question's text. The Engine adds them as new entries
    after what is recorded; a question left empty adds nothing."""
    from infoview.inputs import clean_answers

    raw: dict[str, Any] = {}
    for q in questions:
        try:
            text = AnswerField(text=form.get(q.key, "")).text.strip()
        except ValidationError:
            raise UsageError(f"{q.key}: longer than {MAX_TEXT:,} characters") from None
        if text:
            raw[q.key] = [line for line in text.splitlines() if line.strip()] if q.many else text
    return clean_answers(raw, "form")


class TodoForm(BaseModel):
    """`todo add TEXT [--due DATE] [--interview ID]` as a form."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    text: str = Field(default="", max_length=MAX_TEXT)
    due: str | None = Field(default=None, max_length=40)
    interview: int | None = Field(default=None, ge=1)


def todo_data(form: Mapping[str, str], zone: str) -> tuple[str, Any, int | None]:
    """(text, due time or None, interview id or None), refused in `todo add`'s words."""
    from infoview.inputs import parse_due

    parsed = _read(TodoForm, form)
    if not parsed.text or len(parsed.text) > 2000:
        raise UsageError("TEXT: say what to do, in at most 2,000 characters")
    return parsed.text, parse_due(parsed.due, zone) if parsed.due else None, parsed.interview


MODES = ("video", "phone", "in-person")


def edit_request(form: "MultiDict[str, str]") -> Any:
    """The details form as `infoview edit` reads its options: EditInput's checks and its one-line
    refusals; every field is sent, and the edit records only what differs ("" clears one)."""
    from infoview.edits import EditRequest
    from infoview.inputs import EditInput, validate

    def given(key: str) -> str | None:
        value = form.get(key)
        return None if value is None else value[:MAX_TEXT + 1]

    minutes = (given("minutes") or "").strip() or None
    fields = validate(EditInput, dict(name=given("name"), company=given("company"), title=given("title"),
                                      email=given("email"), where=given("where"), minutes=minutes))
    mode = (given("mode") or "").strip() or None
    if mode is not None and mode not in MODES:
        raise UsageError(f"--mode: should be one of {', '.join(MODES)} (got {mode[:40]!r})")
    plain: dict[str, Any] = {k: v for k, v in (("mode", mode), ("where", fields.where),
                                               ("minutes", fields.minutes)) if v is not None}
    goal = (given("goal") or "").strip()
    return EditRequest(contact={k: getattr(fields, k) for k in ("name", "company", "title", "email")
                                if getattr(fields, k) is not None},
                       add_goals=[goal] if goal else [], drop_goals=form.getlist("drop_goal")[:100], plain=plain)
