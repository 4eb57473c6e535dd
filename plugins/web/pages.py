"""How a page is added: one function decorated with `@page(rule, title)` in a module listed in
PAGE_MODULES (app.py), and one template. Pages with a title appear in the navigation, in order.
Helpers every page uses: the engine of this thread, and firing an event with the CLI's words."""
from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request
from werkzeug.wrappers import Response

from infoview import InfoviewError

bp = Blueprint("pages", __name__)
NAV: list[tuple[str, str]] = []   # (endpoint, title)


def page(rule: str, title: str | None = None, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(view: Callable[..., Any]) -> Callable[..., Any]:
        bp.add_url_rule(rule, view.__name__, view, **options)
        if title and (view.__name__, title) not in NAV:
            NAV.append((view.__name__, title))
        return view

    return add


def site() -> Any:
    return current_app.config["SITE"]


def engine() -> Any:
    return site().engine()


def back(default: str = "/") -> Response:
    """Post/redirect/get: back to the page the form was on (a path of this app, nothing else)."""
    target = request.form.get("back") or default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = default
    return redirect(target, 303)


def change(action: Callable[[], Any], done: Callable[[Any], str]) -> None:
    """Run one change through the Engine; say what happened, or the refusal in the CLI's one line."""
    try:
        result = action()
    except InfoviewError as e:
        flash(str(e), "error")
    else:
        flash(done(result), "ok")


def moved(result: Any) -> str:
    """What `infoview confirm 1` and the others print, in the same words."""
    from infoview.cli.output import change_line

    return change_line(result.interview, result.event)
