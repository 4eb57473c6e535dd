"""The secret in the feed's URL: made on first use, kept in `<home>/calendar-token` (mode 0600).

Anyone with the URL can read the calendar, so the token is the only access control a
subscription supports; `rotate_token` replaces it and every old subscription stops working.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import threading
from pathlib import Path

from infoview import InfoviewError

FILENAME = "calendar-token"
log = logging.getLogger("infoview.calendar")
_VALID = re.compile(r"^[A-Za-z0-9_-]{16,128}$")   # what token_urlsafe makes; safe in a URL path


def token_path(home: Path, name: str = FILENAME) -> Path:
    return Path(home) / name


def _new() -> str:
    return secrets.token_urlsafe(32)


def _write_private(path: Path, token: str, *, exclusive: bool) -> None:
    """Write with mode 0600 from the start (never readable by others, even briefly)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")


def read_token(home: Path, name: str = FILENAME) -> str:
    """The current token, creating it on first use. `name`: another secret file of the home kept
    the same way (the web app's login secret)."""
    path = token_path(home, name)
    try:
        Path(home).mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create(path)
        token = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError as exc:
        raise InfoviewError(f"cannot use {path}: {exc.strerror}; check the permissions of the infoview home") from None
    if not _VALID.match(token):
        fix = "run `infoview calendar token --rotate`" if name == FILENAME else "delete it"
        raise InfoviewError(f"{path} does not hold a valid token; {fix} to make a new one")
    return token


def _create(path: Path) -> None:
    """Make the first token: written whole to a private temporary file, then linked into place,
    so a failed write (a full disk) never leaves an empty token file behind, and a token another
    process made a moment ago is kept (the link refuses to replace it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        tmp.unlink(missing_ok=True)
        _write_private(tmp, _new(), exclusive=True)
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it meanwhile: read theirs
    finally:
        tmp.unlink(missing_ok=True)


def rotate_token(home: Path) -> str:
    """Replace the token atomically; returns the new one."""
    path = token_path(home)
    tmp = path.with_name(f".{FILENAME}.{os.getpid()}.tmp")
    token = _new()
    try:
        Path(home).mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        _write_private(tmp, token, exclusive=True)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InfoviewError(f"cannot write {path}: {exc.strerror}; check the permissions of the infoview home") from None
    return token


class CurrentToken:
    """The home's token as it is now, for a server that runs while `calendar token --rotate`
    replaces it: the file is looked at on every call (one stat) and read again only when it is a
    new file (rotation writes a new one and renames it into place), so an old token stops
    working at once. A file that cannot be read keeps the token last read, and says so in the log once."""

    def __init__(self, home: Path):
        self._home = Path(home)
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._token = read_token(self._home)
        self._seen = self._identity()

    def _identity(self) -> tuple[int, int, int] | None:
        try:
            st = token_path(self._home).stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def __call__(self) -> str:
        with self._lock:
            seen = self._identity()
            if seen is not None and seen != self._seen:
                self._seen = seen  # a file that cannot be read is warned about once, not per request
                try:
                    self._token = read_token(self._home)
                except InfoviewError as e:
                    log.warning("%s; the server keeps the token it had", e)
            return self._token
