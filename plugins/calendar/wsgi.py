"""The feed over HTTP: `GET|HEAD /calendar/<token>.ics`, as a Flask blueprint.

`infoview serve` runs it alone; `infoview web` mounts the same blueprint, so the subscription
page's link is served by the server that shows it. What protects it:
- the token is read from the raw request target (never a percent-decoded or normalised form) and
  compared in constant time (hmac.compare_digest), against the token of the moment (a rotation
  takes effect on the next request); it never reaches the log;
- the server (infoview.webserver) bounds headers, connections and each request's time.
"""
from __future__ import annotations

import hmac
import logging
from datetime import timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Callable

from flask import Blueprint, Flask, Response, request

from .feed import Feed
from .urls import PATH_PREFIX, PATH_SUFFIX

log = logging.getLogger("infoview.calendar.server")
UTC = timezone.utc
NOT_FOUND = "no calendar here; check the URL from `infoview calendar url`\n"


def _etags(header: str) -> list[str]:
    """Entity tags in an If-None-Match list; weak ones compare by their opaque part (RFC 9110)."""
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def not_modified(feed: Feed, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; otherwise If-Modified-Since, which
    answers 304 only when the feed's full-precision change time is not after the date given.
    The header shows whole seconds: a feed changed later in the second it names is sent again."""
    if if_none_match is not None:
        tags = _etags(if_none_match)
        return "*" in tags or feed.etag in tags
    if if_modified_since is None or feed.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False      # an unreadable date means "send it", never an error
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return feed.last_modified <= since


def plain(status: int, text: str, **headers: str) -> Response:
    return Response(text, status, {"Content-Type": "text/plain; charset=utf-8", **headers})


def _token_given() -> str | None:
    """The token in the request target as the client sent it, or None when the path is not a feed's."""
    raw = request.environ.get("REQUEST_URI") or request.path
    path = raw.split("?", 1)[0]
    if not (path.startswith(PATH_PREFIX) and path.endswith(PATH_SUFFIX)):
        return None
    return path[len(PATH_PREFIX):-len(PATH_SUFFIX)]


def feed_blueprint(token: Callable[[], str], get_feed: Callable[[], Feed]) -> Blueprint:
    bp = Blueprint("calendar_feed", __name__)

    @bp.route(PATH_PREFIX + "<path:_rest>", methods=["GET", "HEAD"], provide_automatic_options=False)
    def feed(_rest: str) -> Response:
        given = _token_given()
        # every guess goes through the constant-time comparison, whatever its length
        if not hmac.compare_digest((given or "").encode("utf-8", "replace"), token().encode()) or given is None:
            return plain(404, NOT_FOUND)
        try:
            current = get_feed()
        except Exception:  # noqa: BLE001 - answer, log, keep serving
            log.exception("building the calendar feed failed")
            return plain(503, "the calendar could not be built; see the server log\n")
        headers = {"ETag": current.etag, "Cache-Control": "private, no-cache"}
        if current.last_modified is not None:
            headers["Last-Modified"] = format_datetime(current.last_modified.astimezone(UTC), usegmt=True)
        if not_modified(current, request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")):
            return Response(b"", 304, headers)
        return Response(current.body, 200, {**headers, "Content-Type": "text/calendar; charset=utf-8"})

    return bp


def feed_app(token: Callable[[], str], get_feed: Callable[[], Feed]) -> Flask:
    """The feed alone (`infoview serve`): every other path is 404, every other method 405."""
    app = Flask(__name__)
    app.register_blueprint(feed_blueprint(token, get_feed))
    app.register_error_handler(404, lambda _e: plain(404, NOT_FOUND))
    app.register_error_handler(405, lambda _e: plain(405, "only GET and HEAD are allowed\n", Allow="GET, HEAD"))
    return app

