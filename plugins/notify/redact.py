"""Channel URLs hold secrets (tokens, passwords, webhook paths, API-key headers). Nothing that
leaves this plugin (an outbox detail, `notify test` output, JSON) may carry one, so every channel
is named by a short id and every apprise message is scrubbed before we keep it.

apprise's own `url(privacy=True)` masks what each service knows to be secret, but not all: the
generic `json://` keeps its path and custom headers (`?+X-Api-Key=...`) in clear, and an ntfy.sh
topic (a shared secret in practice) is the host. So we keep only scheme, host and port from the
privacy URL, and drop user, path and query.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "****"
# Shorter fragments than this are left alone: masking "a" or "api" would mangle every message.
_MIN_SECRET = 4
_IP_OR_NAME = re.compile(r"^(localhost|[\d.]+|\[[0-9a-f:.]+\]|[^.]+\.[^.]+.*)$", re.IGNORECASE)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s'\"<>]+", re.IGNORECASE)


def _mask_word(word: str) -> str:
    return f"{word[0]}...{word[-1]}" if len(word) > 2 else MASK


def short_id(privacy_url: str) -> str:
    """`json://user:****@127.0.0.1:8080/hooks/T0KEN?+X-Key=v` -> `json://127.0.0.1:8080/...`."""
    try:
        parts = urlsplit(privacy_url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port apprise accepted but urllib does not: show the scheme only
        return f"{privacy_url.split('://', 1)[0]}://..."
    if host and not _IP_OR_NAME.match(host):
        host = _mask_word(host)  # a bare word as host is a token or topic, not a machine name
    where = host + (f":{port}" if port else "")
    more = "/..." if (parts.path.strip("/") or parts.username) else ""
    return f"{parts.scheme}://{where}{more}"


def secrets_of(raw_url: str) -> list[str]:
    """Every part of a channel's full URL that could be secret: user, password, path segments,
    query values, and a host that is not a machine name. Longest first, for scrubbing."""
    try:
        parts = urlsplit(raw_url)
        host = parts.hostname or ""
    except ValueError:
        return [raw_url]
    found = {raw_url, unquote(parts.username or ""), unquote(parts.password or "")}
    found.update(unquote(seg) for seg in parts.path.split("/"))
    found.update(value for name, value in parse_qsl(parts.query) if _secret_param(name, value))
    if host and not _IP_OR_NAME.match(host):
        found.add(host)
    return sorted((s for s in found if len(s) >= _MIN_SECRET), key=len, reverse=True)


_SECRET_NAMES = ("token", "key", "secret", "pass", "auth", "sig", "code", "webhook", "hook", "id")


def _secret_param(name: str, value: str) -> bool:
    """apprise writes its own defaults into every URL (`method=POST`, `format=text`); masking
    those would garble its messages. Headers and payload overrides (`+X-Key`, `:field`), names
    that sound secret, and token-like values are masked."""
    lowered = name.lower()
    if lowered[:1] in "+-:" or any(word in lowered for word in _SECRET_NAMES):
        return True
    return len(value) >= 8 and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with every known secret masked and every URL cut down to its short id."""
    text = _URL.sub(lambda m: short_id(m.group(0)), text)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def service_secrets(service: Any) -> list[str]:
    """The secrets of one loaded apprise service (a `NotifyBase`)."""
    try:
        return secrets_of(service.url(privacy=False))
    except Exception:  # a plugin whose url() fails: nothing to learn, the short id is still safe
        return []
