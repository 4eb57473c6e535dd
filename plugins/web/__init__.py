"""The built-in web plugin: `infoview web`, a local web app over the Engine (board, interview,
agenda, report, calendar subscription, outbox). Registered like any third-party plugin; Flask and
waitress are imported only when the command runs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from infoview import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .command import web_command

    cli.add_command(web_command)
