"""The built-in calendar plugin: an iCalendar feed of every interview, a subscription server and
the `calendar`/`serve` commands.

Registered exactly like a third-party plugin. Kept cheap to import: icalendar (~100 ms) and
click are only imported inside the hooks that need them, so CLI start-up never pays for them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infoview import hookimpl

if TYPE_CHECKING:
    import click

    from infoview import Interview


@hookimpl(tryfirst=True)  # first, so other plugins can adjust the VEVENT this adds
def infoview_calendar_components(interview: "Interview", calendar: Any) -> None:
    from .ics import add_interview_event

    add_interview_event(interview, calendar)


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .commands import calendar_group, serve_command

    cli.add_command(calendar_group)
    cli.add_command(serve_command)
