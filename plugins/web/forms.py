"""The web forms' edges: each form is read into a pydantic model with the CLI's bounds, and
answers go through the same clean_answers as `note --answers FILE`."""
from __future__ import annotations

from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from infoview.errors import UsageError

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
