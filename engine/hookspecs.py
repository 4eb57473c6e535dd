"""Every hook a plugin can implement. Each is called with keyword arguments only.

Call modes:
- *register*: the host passes a `register` callback; call it once per thing you add. The host
  validates each registration (pydantic, extra fields forbidden), records which plugin gave it
  and refuses duplicates (a `trylast` implementation's registrations are defaults: they give way
  quietly to one of the same name registered before them).
- *collected*: every implementation's return value is gathered.
- *signal*: return values are ignored; each implementation is called in isolation, so one that
  raises is logged with its plugin's name and never stops the others or undoes a commit.

A plugin may accept fewer arguments than a spec lists (the host passes only what it asks for).
Calls go through the plugin host's typed methods (engine/host.py), never `pm.hook` directly:
they honour `tryfirst`, `trylast` and `wrapper=True`, and isolate each implementation.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import pluggy

if TYPE_CHECKING:  # typing only: keep start-up light
    from pathlib import Path

    import click

    from .model import Event, Interview
    from .machine import TransitionView

hookspec = pluggy.HookspecMarker("infoview")
hookimpl = pluggy.HookimplMarker("infoview")


@hookspec
def infoview_register_workflows(register: Callable[..., None], home: "Path") -> None:
    """Register workflow definition files: call `register(path)` with a YAML file's path (a
    `pathlib.Path` or an `importlib.resources` file). `home` is the user's infoview home.
    Mode: register."""


@hookspec
def infoview_register_question_sets(register: Callable[..., None], home: "Path") -> None:
    """Register question sets: call `register(question_set)` with an `infoview.questions.QuestionSet`
    or a mapping of the same shape, or `register(path)` with a YAML file of one or more sets.
    `home` is the user's infoview home. Mode: register."""


@hookspec
def infoview_register_actions(register: Callable[..., None]) -> None:
    """Register actions that workflow files can declare under `do:` on transitions and timers:
    call `register(infoview.actions.ActionSpec(name=..., run=..., params=..., templates=...))`.
    Mode: register."""


@hookspec
def infoview_register_guards(register: Callable[..., None]) -> None:
    """Register named guards that transitions can list under `guards:`: call
    `register(infoview.actions.GuardSpec(name=..., check=...))`; `check(interview, transition, now)`
    returns a reason to refuse, or None to allow. Mode: register."""


@hookspec
def infoview_register_template_fields(register: Callable[..., None]) -> None:
    """Register fields that message templates (a `notify` title, the thank-you note) can use:
    call `register(infoview.TemplateFieldSpec(name=..., render=..., description=...))`;
    `render(interview)` returns the text. Mode: register."""


@hookspec
def infoview_check_transition(interview: "Interview", transition: "TransitionView") -> list[str] | str | None:
    """Called before every transition is committed, for every workflow. Return a reason (or a
    list of reasons) to refuse it, or None to allow. Mode: collected; any reason refuses."""


@hookspec
def infoview_event_committed(event: "Event", interview: "Interview") -> None:
    """Called after an event is committed, with the interview as it now is. Use it to react
    (sync, log, notify outside the workflow's own actions). Mode: signal."""


@hookspec
def infoview_calendar_components(interview: "Interview", calendar: Any) -> None:
    """Called once per interview while a calendar is built; `calendar` is an
    `icalendar.Calendar`. Add components to it or adjust those already added (the built-in
    calendar plugin adds the interview's VEVENT first). Mode: signal."""


@hookspec
def infoview_register_commands(cli: "click.Group") -> None:
    """Add commands to the `infoview` CLI: `@cli.command()` or `cli.add_command(...)`.
    Mode: register."""
