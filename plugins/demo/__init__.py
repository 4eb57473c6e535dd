"""`infoview demo`: the whole product in one run, in a throwaway home. A built-in plugin like
the others: it only adds a command, through the same hook a third-party plugin would use.

The command is declared here and its body imported only when it runs, so that `infoview --help`
does not pay for importing the engine, the calendar server and the demo script."""
from __future__ import annotations

import click

from infoview import hookimpl


@click.command()
@click.option("--keep", is_flag=True, help="Keep the throwaway home and print where it is.")
def demo(keep: bool) -> None:
    """Show every part of infoview in one run, in a throwaway home (nothing of yours is touched)."""
    from .command import run

    run(keep)


@hookimpl
def infoview_register_commands(cli: click.Group) -> None:
    cli.add_command(demo)
