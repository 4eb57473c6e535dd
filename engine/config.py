"""`<home>/config.toml`: read once, its core keys checked by one pydantic model.

The core owns the top-level keys (`timezone`, the zone you read times in, and `database`, a
PostgreSQL database the home's data lives in instead of its SQLite file), modelled by
CoreConfig (engine/config_model.py, imported only when a file has something to report). A table
(`[calendar]`, `[notify]`, a third-party plugin's own) belongs to the plugin that reads it, which
checks it itself (plugins/calendar/options.py, plugins/notify/channels.py). An unknown top-level
key is reported with the file, the line and the closest known key.
"""
from __future__ import annotations

import os
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import InfoviewError
from .suggest import did_you_mean

FILE = "config.toml"
CORE_KEYS = ("timezone", "database")  # the fields of CoreConfig (engine/config_model.py; a test keeps them equal)


def read(home: Path) -> dict[str, Any]:
    """The parsed file ({} when there is none), its core keys checked; one InfoviewError line
    naming the file and line for any mistake."""
    path = home / FILE
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InfoviewError(f"{path}: {e}; fix or remove the file") from None
    core = {k: v for k, v in data.items() if not isinstance(v, dict)}  # tables are the plugins'
    if _plainly_fine(core):
        return data  # the usual case, without importing pydantic (every command reads this file)
    from pydantic import ValidationError

    from .config_model import CoreConfig

    try:
        CoreConfig.model_validate(core)
    except ValidationError as e:
        err = e.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else ""
        where = f"{path}:{_line_of(text, key)}"
        if err["type"] == "extra_forbidden":
            raise InfoviewError(f"{where}: unknown key '{key}'" + did_you_mean(key, CORE_KEYS)) from None
        raise InfoviewError(f"{where}: {key}: {err['msg'].removeprefix('Value error, ')}") from None
    except InfoviewError as e:  # a validator's own one-line message
        raise InfoviewError(f"{path}:{_line_of(text, 'timezone')}: timezone: {e}") from None
    return data


def _plainly_fine(core: dict[str, Any]) -> bool:
    """Only known keys, and a zone that loads: what CoreConfig accepts, checked without it."""
    if not set(core) <= set(CORE_KEYS):
        return False
    if "database" in core and not isinstance(core["database"], str):
        return False
    zone = core.get("timezone")
    if zone is None:
        return True
    if not isinstance(zone, str) or not zone or zone.startswith(("/", ".")) or ".." in zone:
        return False
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(zone)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _line_of(text: str, key: str) -> int:
    """The line a top-level key is written on (before the first table), else 1."""
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("["):
            break
        if pattern.match(line):
            return number
    return 1


def your_zone(config: dict[str, Any]) -> str:
    """The zone you read times in: `timezone` in config.toml, else INFOVIEW_TZ, else the system's
    (TZ, or the zone /etc/localtime links to), else UTC."""
    if config.get("timezone"):
        return str(config["timezone"])
    for name in ("INFOVIEW_TZ", "TZ"):
        tz = os.environ.get(name, "").lstrip(":")
        if (tz and "/" in tz) or tz == "UTC":
            return tz
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def database_of(home: Path, given: str | None = None) -> str | None:
    """The database a home's data lives in: `given` (--database, INFOVIEW_DATABASE), else
    `database = "postgresql://..."` in its config.toml, else None (the SQLite file in the home)."""
    if given:
        return given
    value = read(home).get("database")
    return str(value) if value else None
def yours_and_theirs(when: datetime, theirs: str, yours: str) -> str:
    """A time in your zone, and in the interview's when its clock differs there:
    "Mon 2026-03-09 16:00 CET, 10:00 in New York for them"."""
    from zoneinfo import ZoneInfo

    mine, them = when.astimezone(ZoneInfo(yours)), when.astimezone(ZoneInfo(theirs))
    text = f"{mine:%a %Y-%m-%d %H:%M} {mine.tzname()}"
    if mine.utcoffset() != them.utcoffset():
        day = "" if them.date() == mine.date() else f"{them:%a} "
        text += f", {day}{them:%H:%M} in {theirs.rsplit('/', 1)[-1].replace('_', ' ')} for them"
    return text
