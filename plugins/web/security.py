"""The web app's doors, modelled on Jupyter's token login:
- every page but the feed checks the Host header against the bound address (DNS rebinding);
- a page opens only with the session cookie, which the login URL sets (HttpOnly, SameSite=Strict)
  before redirecting to a clean URL, so the secret leaves the address bar and the history;
- every POST carries the session's CSRF token; nothing changes on a GET;
- every answer forbids framing and inline script (Content-Security-Policy, X-Frame-Options).
"""
from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Flask, Response, abort, redirect, request, session

from infoview.plugins.calendar.urls import PATH_PREFIX

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
OPEN_PATHS = ("/login", "/static/")   # besides the feed, which its own token protects


def _same(given: str | None, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode("utf-8", "replace"), expected.encode())


def csrf_token() -> str:
    token: str = session.setdefault("csrf", secrets.token_urlsafe(32))
    return token


def install(app: Flask, site: Any) -> None:
    app.config.update(
        SECRET_KEY=hmac.new(site.secret.encode(), b"infoview web session", "sha256").hexdigest(),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        # cookies do not keep ports apart: one name per port, so two homes served at once stay apart
        SESSION_COOKIE_NAME=f"infoview-{site.port}", MAX_CONTENT_LENGTH=64 * 1024,
    )

    @app.before_request
    def guard() -> Any:
        if request.path.startswith(PATH_PREFIX):
            return None  # the feed: token in the URL, read-only, reached through any name (public_url)
        if request.host.lower() not in site.host_names():
            return Response("403 unknown Host header: open the URL that `infoview web` printed\n", 403,
                            {"Content-Type": "text/plain; charset=utf-8"})
        if request.path == "/login":
            return None
        if request.path.startswith("/static/"):
            return None
        if not session.get("in"):
            return Response("403 not signed in: open the login URL that `infoview web` printed\n", 403,
                            {"Content-Type": "text/plain; charset=utf-8"})
        if request.method == "POST" and not _same(request.form.get("csrf"), session.get("csrf", "")):
            return Response("403 this form is stale or did not come from this app (no valid CSRF token); "
                            "reload the page and try again\n", 403, {"Content-Type": "text/plain; charset=utf-8"})
        return None

    @app.get("/login")
    def login() -> Any:
        if not _same(request.args.get("token"), site.secret):
            abort(403)
        session.clear()
        session["in"] = True
        session["csrf"] = secrets.token_urlsafe(32)
        return redirect("/", 303)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.path.startswith((PATH_PREFIX, "/static/")):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
