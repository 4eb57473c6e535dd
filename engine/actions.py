"""What plugins register for workflow files to use: actions (`do:`) and guards (`guards:`).

An action runs after the event or timer firing that declared it has been committed, from the
outbox (engine/outbox.py): it may be retried, so `run` must be safe to call again after a
failure, and must raise or return `ActionResult(ok=False, ...)` when it did not do its job.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

from .model import Interview

NAME_PATTERN = r"^[a-z][a-z0-9_-]*$"


@dataclass(frozen=True)
class ActionResult:
    """What an action did. `ok=False` with `retry=True` is tried again later (with backoff);
    `retry=False` marks the job failed at once (a permanent error, e.g. no channel configured).
    `detail` is stored and shown by `infoview outbox`: never put secrets in it."""

    ok: bool
    detail: str = ""
    retry: bool = True
    state: str | None = None  # optional override of the job's recorded state (e.g. "no-channel")


@dataclass
class ActionContext:
    """Everything an action's `run` gets. `params` is the validated `params` model (or a dict)."""

    job_id: int
    action: str
    interview: Interview
    params: Any
    attempt: int
    now: datetime
    home: Path
    config: dict[str, Any]
    cause: str  # "event:<name>" or "timer:<id>"
    extra: dict[str, Any] = field(default_factory=dict)

    def render(self, template: str) -> str:
        from .templates import render

        return render(template, self.interview)


class ActionSpec(BaseModel):
    """A registration through `infoview_register_actions`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    run: Callable[[ActionContext], ActionResult | None]
    params: type[BaseModel] | None = None
    templates: tuple[str, ...] = ()  # names of params that are templates over interview fields
    description: str = ""


class GuardSpec(BaseModel):
    """A registration through `infoview_register_guards`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    check: Callable[..., str | None]
    description: str = ""
