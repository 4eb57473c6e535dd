"""The `infoview` command line: thin commands over the Engine.

Every user error is one line on stderr and a non-zero exit; a traceback only with --debug.
Plugins add commands through `infoview_register_commands(cli)`.
"""
from __future__ import annotations

import logging
import os
import sys
import traceback
from functools import cached_property
from pathlib import Path
from typing import Any

import click

from ..clock import Clock
from ..errors import InfoviewError
from ..plugins import PluginHost


class App:
    """What every command gets through `@click.pass_obj`: options, and the Engine made on first use."""

    def __init__(self, host: PluginHost, home: Path, now: str | None, debug: bool):
        self.host, self.home, self.debug = host, home, debug
        self.clock = Clock.from_option(now)

    @cached_property
    def engine(self) -> Any:
        from ..engine import Engine

        return Engine(self.home, self.clock, self.host)

    @cached_property
    def store(self) -> Any:
        """The store alone, for commands that only read projections: it spares them importing
        the engine and its workflow machinery (a tenth of `infoview list`'s start-up)."""
        from ..store import Store

        return Store(self.home / "infoview.db")


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("infoview", appauthor=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="INFOVIEW_HOME",
              help="Folder for the database and your config (env INFOVIEW_HOME; default: your user data folder).")
@click.option("--now", envvar="INFOVIEW_NOW", metavar="ISO-8601",
              help="Pretend it is this time (env INFOVIEW_NOW): for trying timers and for tests.")
@click.option("--debug", is_flag=True, envvar="INFOVIEW_DEBUG", help="Show tracebacks for errors.")
@click.version_option(package_name="infoview")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, now: str | None, debug: bool) -> None:
    """infoview: carry your informational interviews from plan to follow-up.

    \b
    A typical conversation:
      infoview plan "Jane Doe" --company Acme --at 2026-12-01T10:00 --tz Europe/Berlin
      infoview confirm 1        infoview hold 1
      infoview note 1 --learned "..."      infoview evaluate 1 --next-action "..."
    """
    ctx.obj = App(ctx.obj, (home or default_home()).expanduser(), now, debug)


def _add_core_commands() -> None:
    from . import admin, data, inspect, lifecycle, timers, workflows

    for module in (lifecycle, inspect, workflows, timers, admin, data):
        module.register(cli)


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
    try:
        _show_warnings()
        host = PluginHost().load()
        _add_core_commands()
        for plugin, call in host.each("infoview_register_commands", cli=cli):
            try:
                call()
            except Exception as e:
                host.problem(plugin, None, f"failed to add its commands: {type(e).__name__}: {e}")
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
