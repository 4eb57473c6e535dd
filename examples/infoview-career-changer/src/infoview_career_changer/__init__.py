"""infoview plugin for career changers.

Five hooks: a question set (`ask-career-change`), a guard (`has-email`), a workflow that uses both
(`career-change`), a CLI command (`infoview career-changer pitch ID`) and a calendar category on
that workflow's interviews. Kept cheap to import: infoview imports every plugin on each start.
"""
from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING, Any, Callable

from infoview import hookimpl

if TYPE_CHECKING:
    import click

    from infoview import Interview, TransitionView

WORKFLOW = "career-change"
CATEGORY = "Career change"


def has_email(interview: "Interview", transition: "TransitionView", now: Any) -> str | None:
    """Confirming means writing to them: refuse until we know where to write."""
    if interview.contact.email:
        return None
    return (f"'{transition.event}' needs {interview.contact.name}'s email to send the confirmation; "
            "add it with `infoview reschedule` or plan again with --email")


@hookimpl
def infoview_register_question_sets(register: Callable[..., None]) -> None:
    register(files(__name__) / "career-changer.yaml")


@hookimpl
def infoview_register_guards(register: Callable[..., None]) -> None:
    from infoview import GuardSpec

    register(GuardSpec(name="has-email", check=has_email,
                       description="The contact has an email address (to confirm in writing)."))


@hookimpl
def infoview_register_workflows(register: Callable[..., None]) -> None:
    register(files(__name__) / "workflows" / "career-change.yaml")


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .commands import career_changer

    cli.add_command(career_changer)


@hookimpl
def infoview_calendar_components(interview: "Interview", calendar: Any) -> None:
    """Tag this workflow's interviews so calendar apps can colour or filter them. The built-in
    calendar plugin has added the VEVENT already (it runs first)."""
    if interview.workflow != WORKFLOW:
        return
    uid = f"interview-{interview.id}@infoview"
    for event in calendar.walk("VEVENT"):
        if str(event.get("UID")) == uid:
            event.add("categories", [CATEGORY])
