"""The `infoview` command line: thin commands over the Engine.

Every user error is one line on stderr and a non-zero exit; a traceback only with --debug.
Plugins add commands through `infoview_register_commands(cli)`.

Commands are added when they are looked up: naming a core command imports only the module that
defines it, and the plugins (with their commands) load when a command first needs them, when a
name is not a core command, and for --help. So `infoview list` loads no plugin at all.
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import click

from ..clock import Clock
from ..errors import InfoviewError
from ..host import PluginHost
from .output import neutralised_streams

# The module under engine/cli/ that adds each core command (tests/core/test_admin.py checks it).
CORE_COMMANDS: dict[str, str] = {
    **dict.fromkeys(("plan", "confirm", "hold", "cancel", "thanked", "followed-up", "reschedule", "note",
                     "evaluate", "fire"), "lifecycle"),
    **dict.fromkeys(("list", "show", "history"), "inspect"),
    "workflow": "workflows",
    **dict.fromkeys(("tick", "run", "agenda"), "timers"),
    **dict.fromkeys(("plugins", "outbox", "db"), "admin"),
    **dict.fromkeys(("export", "import"), "data"),
    **dict.fromkeys(("people", "person"), "people"),
    **dict.fromkeys(("edit", "delete"), "corrections"),
    "todo": "todos",
}


class App:
    """What every command gets through `@click.pass_obj`: options, and the plugins, the Engine and
    the store, each made on first use."""

    def __init__(self, host: PluginHost, home: Path, now: str | None, debug: bool, database: str | None = None):
        self._host, self.home, self.debug, self._database = host, home, debug, database
        self.clock = Clock.from_option(now)

    @property
    def host(self) -> PluginHost:
        _load_plugins(self._host)
        return self._host

    @cached_property
    def engine(self) -> Any:
        from ..engine import Engine

        engine = Engine(self.home, self.clock, self.host, store=self.store)
        engine.config  # noqa: B018  (read now: a mistake in config.toml is reported by any command)
        return engine

    @cached_property
    def store(self) -> Any:
        """The store alone, for commands that only read projections: it spares them importing
        the engine and its workflow machinery (a tenth of `infoview list`'s start-up)."""
        return self.open_store()

    def open_store(self) -> Any:
        """A new store of this home's database (a connection of its own, e.g. for a thread)."""
        from ..config import database_of
        from ..store import open_store

        return open_store(self.home, database_of(self.home, self._database))


class _Root(click.Group):
    """`infoview` itself, adding commands as they are looked up (see the module's docstring)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if cmd_name in CORE_COMMANDS:
                _add_core(CORE_COMMANDS[cmd_name])
            else:
                _load_plugins(_host(ctx))
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_plugins(_host(ctx))
        return super().list_commands(ctx)


def _host(ctx: click.Context) -> PluginHost:
    """The root context holds the PluginHost until the `infoview` callback wraps it in an App."""
    obj = ctx.find_root().obj
    return obj.host if isinstance(obj, App) else obj


@cache
def _add_core(module: str) -> None:
    importlib.import_module(f"{__name__}.{module}").register(cli)


def _load_plugins(host: PluginHost) -> None:
    """Load the plugins and add every command: the core ones first, so that plugins find them."""
    if host.loaded:
        return
    host.load()
    for module in dict.fromkeys(CORE_COMMANDS.values()):
        _add_core(module)
    host.register_commands(cli)


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("infoview", appauthor=False))


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="INFOVIEW_HOME",
              help="Folder for the database and your config (env INFOVIEW_HOME; default: your user data folder).")
@click.option("--now", envvar="INFOVIEW_NOW", metavar="ISO-8601",
              help="Pretend it is this time (env INFOVIEW_NOW): for trying timers and for tests.")
@click.option("--database", envvar="INFOVIEW_DATABASE", metavar="URL",
              help="A shared PostgreSQL database, postgresql://USER@HOST/NAME (env INFOVIEW_DATABASE; or "
                   "`database = \"...\"` in the home's config.toml; default: the SQLite file in the home).")
@click.option("--debug", is_flag=True, envvar="INFOVIEW_DEBUG", help="Show tracebacks for errors.")
@click.version_option(package_name="infoview")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, now: str | None, database: str | None, debug: bool) -> None:
    """infoview: carry your informational interviews from plan to follow-up.

    \b
    A typical conversation:
      infoview plan "Jane Doe" --company Acme --at 2026-12-01T10:00 --tz Europe/Berlin
      infoview confirm 1        infoview hold 1
      infoview note 1 --learned "..."      infoview evaluate 1 --next-action "..."
    """
    ctx.obj = App(ctx.obj, (home or default_home()).expanduser(), now, debug, database)


class _Warnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"warning: {record.getMessage()}", err=True)


def _show_warnings() -> None:
    """Plugin problems (at load, at registration, in signal hooks) are logged once under
    `infoview.*`; show each as one `warning:` line (logging's last-resort handler would
    print them a second time, without the prefix)."""
    log = logging.getLogger("infoview")
    if not any(isinstance(h, _Warnings) for h in log.handlers):
        log.addHandler(_Warnings(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("INFOVIEW_DEBUG", "") not in ("", "0")
    # Everything infoview writes in the home (database, token, channel state) is the user's only.
    os.umask(0o077)
    with neutralised_streams():  # stored text never reaches the terminal as escape sequences
        return _run(args, debug)


def _run(args: list[str], debug: bool) -> int:
    try:
        _show_warnings()
        host = PluginHost()
        if host.strict:  # where every plugin problem is fatal, find them before any command runs
            _load_plugins(host)
        # Without standalone mode click returns (not raises) the code of a command's Exit.
        code = cli.main(args, prog_name="infoview", obj=host, standalone_mode=False)
        return code if isinstance(code, int) and not isinstance(code, bool) else 0
    except InfoviewError as e:
        if debug:
            traceback.print_exc()
        click.echo(str(e), err=True)
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
        return 70
