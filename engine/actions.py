"""What plugins register for workflow files to use: actions (`do:`) and guards (`guards:`).

An action runs after the event or timer firing that declared it has been committed, from the
outbox (engine/outbox.py): it may be retried, so `run` must be safe to call again after a
failure, and must raise or return `ActionResult(ok=False, ...)` when it did not do its job. An
action that cannot tell whether a run cut off by a crash did its job returns `unsure=True`
(see `ActionContext.interrupted`), and the job waits for the user instead of being repeated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from .marks import JobMarks
from .model import Interview

if TYPE_CHECKING:
    from .templates import TemplateFieldSpec

NAME_PATTERN = r"^[a-z][a-z0-9_-]*$"


@dataclass(frozen=True)
class ActionResult:
    """What an action did. `ok=False` with `retry=True` is tried again later (with backoff);
    `retry=False` marks the job failed at once (a permanent error, e.g. no channel configured).
    `unsure=True` (with `ok=False`) says the action cannot know whether its work was done, e.g. a
    send cut off by a crash: the job is recorded `unsure` and never run again on its own, only by
    `infoview outbox retry ID`. `detail` is stored and shown by `infoview outbox`: say what
    happened and what to do, in one line, and never put secrets in it."""

    ok: bool
    detail: str = ""
    retry: bool = True
    state: str | None = None  # optional override of the job's recorded state (e.g. "no-channel")
    unsure: bool = False


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
    # An earlier run of this job was cut off before its outcome was recorded (its process died,
    # or its lease ran out), so that run may have done none, some or all of its work.
    interrupted: bool = False
    # The user asked for this run with `infoview outbox retry ID` after seeing the job's state:
    # do again even what an interrupted run may already have done.
    resend: bool = False
    # Marks this action keeps for this job in the home's store (see engine/marks.py): what a run
    # records before and after its side effect, for the run after a crash to read.
    marks: JobMarks | None = None
    # The template fields plugins registered, for `render` (the registry's `template_fields`;
    # the outbox passes them, tests/plugins/test_template_fields.py checks it does).
    template_fields: Mapping[str, "TemplateFieldSpec"] = field(default_factory=dict, kw_only=True)
    # The action's declared templates (`ActionSpec.templates`) as rendered when the job was
    # written, by template text: what `render` returns for them.
    rendered: Mapping[str, str] = field(default_factory=dict, kw_only=True)

    def render(self, template: str) -> str:
        """The template as rendered when the job was written, from the interview as it was then
        (the event or timer firing that caused the job), when it is one of the action's declared
        templates; otherwise (a job written before infoview kept renderings, a template whose
        rendering failed then, or text the action did not declare) rendered now, from
        `interview`. So a reminder retried hours later still says what it said when it fired."""
        if template in self.rendered:
            return self.rendered[template]
        from .config import your_zone
        from .templates import render

        return render(template, self.interview, self.template_fields, your_zone(self.config))


class ActionSpec(BaseModel):
    """A registration through `infoview_register_actions`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    run: Callable[[ActionContext], ActionResult | None]
    params: type[BaseModel] | None = None
    templates: tuple[str, ...] = ()  # names of params that are templates over interview fields
    description: str = ""

    def template_texts(self, params: Any) -> dict[str, str]:
        """The declared templates' text in these params (the validated model or a dict), by
        param name; a param that is missing or not text is left out."""
        found: dict[str, str] = {}
        for name in self.templates:
            value = params.get(name) if isinstance(params, Mapping) else getattr(params, name, None)
            if isinstance(value, str):
                found[name] = value
        return found

    def render_templates(self, params: Any, interview: Interview,
                         fields: Mapping[str, "TemplateFieldSpec"], zone: str | None = None) -> dict[str, str]:
        """The declared templates rendered from `interview`, by param name, for the engine to
        keep in the job it writes. One that fails to render is left out, to be rendered when the
        job runs: a plugin's template field failing must not refuse the user's change."""
        from .templates import render

        out: dict[str, str] = {}
        for name, text in self.template_texts(params).items():
            try:
                out[name] = render(text, interview, fields, zone)
            except Exception:  # noqa: BLE001 (any plugin getter may raise; see the docstring)
                continue
        return out


class GuardSpec(BaseModel):
    """A registration through `infoview_register_guards`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    check: Callable[..., str | None]
    description: str = ""
