"""The subscription URLs: `http(s)://.../calendar/<token>.ics` and the same as `webcal://`."""
from __future__ import annotations

import socket

PATH_PREFIX = "/calendar/"
PATH_SUFFIX = ".ics"


def feed_path(token: str) -> str:
    return f"{PATH_PREFIX}{token}{PATH_SUFFIX}"


def base_url(host: str, port: int) -> str:
    """http://host:port as a subscriber would type it; a wildcard address becomes this machine's
    name, since nobody can subscribe to 0.0.0.0."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    if ":" in host:            # an IPv6 literal needs brackets in a URL
        host = f"[{host}]"
    return f"http://{host}:{port}"


def feed_url(token: str, *, host: str = "127.0.0.1", port: int = 8765, public_url: str | None = None) -> str:
    return (public_url.rstrip("/") if public_url else base_url(host, port)) + feed_path(token)


def webcal_url(url: str) -> str:
    """webcal:// is the same address; calendar apps open it as "subscribe" rather than "download"."""
    return "webcal://" + url.split("://", 1)[1]
