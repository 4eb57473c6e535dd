"""Connecting to PostgreSQL: the URL shown without its password, the connection settings that
let a host cut off from the network give up its locks within seconds, and one-line errors for an
unreachable server, a refused login or a missing driver."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import InfoviewError

SCHEMES = ("postgresql://", "postgres://")
# Settings every connection gets unless the URL sets them itself. Keepalives: a peer that stops
# answering is found dead after about idle + interval * count = 5 + 2 * 3 seconds, so the
# server ends its session and releases its row locks; lock_timeout turns a wait on a lock held
# too long into a Conflict (try again); a session left idle inside a transaction is ended.
DEFAULTS = {
    "connect_timeout": "10",
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "3",
    "tcp_user_timeout": "15000",
    "application_name": "infoview",
}
SESSION = {"lock_timeout": "15s", "idle_in_transaction_session_timeout": "30s"}


def is_url(database: str | None) -> bool:
    return bool(database) and str(database).startswith(SCHEMES)


def redact(url: str) -> str:
    """The URL with any password replaced by `***` (in the authority and in the query)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{hostport}"
    query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query)], safe="/*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise InfoviewError("a postgresql:// database needs the PostgreSQL driver: install infoview[postgres] "
                            "(pip install 'infoview[postgres]')") from None
    return psycopg


def connect(url: str, *, autocommit: bool = True) -> Any:
    """A psycopg connection with DEFAULTS and SESSION applied (the URL's own settings win)."""
    psycopg = driver()
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(url)
    except psycopg.ProgrammingError as e:
        raise InfoviewError(f"{redact(url)}: not a valid database URL ({_one_line(e)})") from None
    options = str(given.get("options") or "")
    for name, value in SESSION.items():
        if name not in options:
            options += f" -c {name}={value}"
    settings = {**DEFAULTS, **{k: v for k, v in given.items() if v is not None}, "options": options.strip()}
    try:
        return psycopg.connect(autocommit=autocommit, **settings)
    except psycopg.OperationalError as e:
        from ..errors import Unavailable

        raise Unavailable(f"cannot connect to the database {redact(url)}: {_one_line(e)}") from None


def _one_line(error: BaseException) -> str:
    """libpq's message on one line, without its repeated `connection to server ... failed:`."""
    text = " ".join(str(error).split())
    text = re.sub(r'connection to server (on socket "[^"]*"|at "[^"]*" \([^)]*\), port \d+) failed: ', "", text)
    return text or type(error).__name__
