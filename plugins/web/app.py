"""The Flask app: pages (pages.py's blueprint), the doors (security.py) and the calendar feed
(the calendar plugin's blueprint, so one server serves both)."""
from __future__ import annotations

import importlib
from typing import Any

from flask import Flask, get_flashed_messages, render_template

from .pages import NAV, bp
from .site import Site

# Each module adds its pages with @page when imported; a new page is one more name here.
PAGE_MODULES = ("board", "interview", "people", "todos", "agenda", "report", "subscribe", "outbox")


def create_app(site: Site, feed: Any | None = None) -> Flask:
    """`feed`: a calendar FeedService to serve the subscription from this server too."""
    for name in PAGE_MODULES:
        importlib.import_module(f"{__package__}.{name}")
    app = Flask(__name__)
    app.config["SITE"] = site
    from .security import install

    install(app, site)
    app.register_blueprint(bp)
    if feed is not None:
        from infoview.plugins.calendar.wsgi import feed_blueprint

        app.register_blueprint(feed_blueprint(feed.token, feed.get))
    app.jinja_env.globals.update(nav=NAV, messages=lambda: get_flashed_messages(with_categories=True))
    for code, text in ((404, "There is nothing here."), (405, "That cannot be done with this method."),
                       (403, "Open the login URL that `infoview web` printed."),
                       (413, "That form is too large.")):
        app.register_error_handler(code, lambda _e, code=code, text=text: (
            render_template("error.html", code=code, text=text), code))
    return app


def listening(app: Flask, site: Site, port: int) -> None:
    """Once the port is known: the Host check and the cookie's name (one per port) use it."""
    site.port = port
    app.config["SESSION_COOKIE_NAME"] = f"infoview-{port}"
