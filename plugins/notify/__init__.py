"""Built-in plugin: notifications through apprise, routed by tag.

Registered like any third-party plugin. This module must stay cheap to import: it is loaded on
every CLI start, so apprise (and everything else heavy) is imported only when something is sent.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from infoview import hookimpl

if TYPE_CHECKING:
    import click

    from infoview import ActionContext, ActionResult


def run_notify(ctx: "ActionContext") -> "ActionResult":
    """The `notify` action's entry point; the work lives in infoview.plugins.notify.action."""
    from .action import run

    return run(ctx)


@hookimpl(tryfirst=True)  # registers before other plugins, so the name `notify` stays this one's
def infoview_register_actions(register: Callable[..., None]) -> None:
    from infoview import ActionSpec

    from .params import NotifyParams

    register(ActionSpec(
        name="notify", run=run_notify, params=NotifyParams, templates=("title", "body"),
        description="Send title and body to the apprise channels with the given tag.",
    ))


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .commands import notify

    cli.add_command(notify)
