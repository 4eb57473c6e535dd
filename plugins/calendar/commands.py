"""`infoview calendar export|url|token` and `infoview serve`. Imported only when the CLI loads
plugin commands; the heavy parts (icalendar, the server) only when a command runs."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from infoview import InfoviewError
from infoview.errors import UsageError


def _options(engine: Any) -> Any:
    from .options import load_options

    return load_options(engine.config)


@click.group("calendar")
def calendar_group() -> None:
    """Export the interviews as an iCalendar file, or get the feed's subscription URL."""


@calendar_group.command("export")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--state", "states", multiple=True, metavar="STATE",
              help="Only interviews in this state (repeat for several).")
@click.option("--window", metavar="DURATION",
              help="Only interviews starting at most this long ago, e.g. P90D [config calendar.window, else all].")
@click.pass_obj
def export_command(app: Any, output: Path | None, states: tuple[str, ...], window: str | None) -> None:
    """Write the calendar (.ics) with every interview, or those in the given states; written as it
    is rendered, one interview at a time."""
    from infoview.cli.states import known_states

    from .feed import write_engine_feed

    states = tuple(known_states(app, states))

    engine = app.engine
    if window is not None:
        from .options import load_options

        try:
            load_options({"calendar": {"window": window}})
        except InfoviewError as exc:
            raise UsageError(f"--window: {str(exc).rsplit(': ', 1)[-1]}") from None
    if output is None:
        stream = sys.stdout.buffer   # the bytes as rendered: CRLF line ends stay intact
        write_engine_feed(engine, stream.write, list(states) or None, window)
        stream.flush()
        return
    partial = output.with_name(f".{output.name}.partial")
    try:  # written whole beside it, then moved into place: a failed write leaves no half feed behind
        with partial.open("wb") as fh:
            events, _ = write_engine_feed(engine, fh.write, list(states) or None, window)
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InfoviewError(f"cannot write {output}: {exc.strerror}; choose another file with -o") from None
    click.echo(f"wrote {events} interview(s) to {output}", err=True)


def _host_port(engine: Any, host: str | None, port: int | None) -> tuple[str, int, Any]:
    options = _options(engine)
    return host or options.host, options.port if port is None else port, options


@calendar_group.command("url")
@click.option("--host", default=None, help="Host the server listens on [config calendar.host, else 127.0.0.1].")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port the server listens on [config calendar.port, else 8765].")
@click.pass_obj
def url_command(app: Any, host: str | None, port: int | None) -> None:
    """Print the subscription URL (http and webcal) for `infoview serve`."""
    from .token import read_token
    from .urls import feed_url, webcal_url

    host, port, options = _host_port(app.engine, host, port)
    url = feed_url(read_token(app.engine.home), host=host, port=port, public_url=options.public_url)
    click.echo(url)
    click.echo(webcal_url(url))


@calendar_group.command("token")
@click.option("--rotate", is_flag=True, help="Make a new token; every existing subscription stops working.")
@click.pass_obj
def token_command(app: Any, rotate: bool) -> None:
    """Print the secret token in the feed URL, or replace it."""
    from .token import read_token, rotate_token

    if rotate:
        click.echo(rotate_token(app.engine.home))
        click.echo("old subscription URLs no longer work; subscribe again with `infoview calendar url`", err=True)
    else:
        click.echo(read_token(app.engine.home))


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on [config calendar.host, else 127.0.0.1].")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on [config calendar.port, else 8765].")
@click.pass_obj
def serve_command(app: Any, host: str | None, port: int | None) -> None:
    """Serve the calendar feed for subscriptions until Ctrl-C."""
    from .server import serve
    from .urls import feed_url, webcal_url

    engine = app.engine
    host, port, options = _host_port(engine, host, port)

    def ready(url: str) -> None:
        click.echo(f"serving the calendar on {url}")
        if options.public_url:
            token = url.rsplit("/", 1)[1].removesuffix(".ics")
            url = feed_url(token, public_url=options.public_url)
            click.echo(f"subscribers use {url}")
        click.echo(f"subscribe with {webcal_url(url)}  (Ctrl-C to stop)")
        sys.stdout.flush()

    serve(engine, host, port, ready=ready)
    click.echo("stopped", err=True)
