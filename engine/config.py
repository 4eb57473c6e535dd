"""A home's `config.toml`, read without importing the engine (the CLI's store-only commands
need the database setting before anything else)."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import InfoviewError


def load_config(home: Path) -> dict[str, Any]:
    path = home / "config.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InfoviewError(f"{path}: {e}; fix or remove the file") from None


def database_of(home: Path, given: str | None = None) -> str | None:
    """The database a home's data lives in: `given` (--database, INFOVIEW_DATABASE), else
    `database = "postgresql://..."` in its config.toml, else None (the SQLite file in the home)."""
    if given:
        return given
    value = load_config(home).get("database")
    if value is not None and not isinstance(value, str):
        raise InfoviewError(f"{home / 'config.toml'}: database must be a postgresql:// URL in quotes; "
                            "fix it or remove the line (the home's SQLite file is used without one)")
    return value or None
