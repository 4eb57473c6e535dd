"""`infoview web`: serve the web app on 127.0.0.1 (unless told), print the login URL and open it."""
from __future__ import annotations

import sys
from typing import Any

import click


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address lets others on your network try.")
@click.option("--port", type=click.IntRange(0, 65535), default=8766, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--no-open", is_flag=True, help="Only print the login URL; do not open a browser.")
@click.pass_obj
def web_command(app: Any, host: str, port: int, no_open: bool) -> None:
    """Open the web app: the board, interviews, agenda, report, calendar and outbox. Ctrl-C stops it."""
    from infoview.plugins.calendar.server import FeedService
    from infoview.plugins.calendar.token import read_token
    from infoview.webserver import checked, open_server, run_until_stopped

    from .app import create_app, listening
    from .site import SECRET_FILE, Site

    engine = app.engine
    site = Site(engine.home, engine.clock, engine.host, bound=host, secret=read_token(engine.home, SECRET_FILE))
    feed = FeedService(engine)
    try:
        wsgi = create_app(site, feed)
        server = open_server(checked(wsgi), host, port)
        listening(wsgi, site, int(server.effective_port))

        def ready(_port: int) -> None:
            url = site.login_url()
            click.echo(f"infoview web on {site.base_url}  (Ctrl-C to stop)")
            if not no_open:
                import webbrowser

                webbrowser.open(url)
            click.echo(f"login: {url}")
            sys.stdout.flush()

        run_until_stopped(server, ready=ready)
    finally:
        feed.close()
    click.echo("stopped", err=True)

