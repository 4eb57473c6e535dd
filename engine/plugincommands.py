"""The boundary around commands plugins add: whatever one raises when run becomes one line naming
the plugin and its distribution, exit 1 (the traceback with --debug), never an "internal error".

Commands are attributed to a plugin by what appeared in the group while its
`infoview_register_commands` ran (the host tells us whose turn it is before each call).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import click

from .errors import InfoviewError, PluginFailed

# What a command may raise on purpose: click's own exits and usage errors, and our one-line errors.
_PASSED_THROUGH = (InfoviewError, click.exceptions.ClickException, click.exceptions.Exit, click.Abort,
                   BrokenPipeError)


class Attribution:
    def __init__(self, cli: click.Group):
        self.cli = cli
        self._seen = set(cli.commands)
        self._who: str | None = None

    def now_adding(self, who: str) -> None:
        """`who`: the plugin about to add commands, as messages name it (host.named)."""
        self._settle()
        self._who = who

    def done(self) -> None:
        self._settle()
        self._who = None

    def _settle(self) -> None:
        """Wrap the commands added since the last turn: they are the previous plugin's."""
        new = [name for name in self.cli.commands if name not in self._seen]
        self._seen.update(new)
        if self._who is None:
            return
        for name in new:
            guard(self.cli.commands[name], self._who)


def guard(command: click.Command, who: str) -> None:
    """Wrap `command`'s callback (and its subcommands', for a group) in the boundary."""
    if command.callback is not None:
        command.callback = _bounded(command.callback, command.name or "?", who)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            guard(sub, who)


def _bounded(callback: Callable[..., Any], name: str, who: str) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except _PASSED_THROUGH:
            raise
        except Exception as e:
            raise PluginFailed(f"{who} failed in its command '{name}': "
                               f"{type(e).__name__}: {e}") from e
    return run
