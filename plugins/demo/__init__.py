"""`infoview demo`: the whole product in one run, in a throwaway home. A built-in plugin like
the others: it only adds a command, through the same hook a third-party plugin would use."""
from __future__ import annotations

from typing import TYPE_CHECKING

from engine.hookspecs import hookimpl

if TYPE_CHECKING:
    import click


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .command import demo

    cli.add_command(demo)
