"""The pydantic model of config.toml's top-level keys: what engine/config.py checks a file
against when its quick check finds something to report."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


class CoreConfig(BaseModel):
    """The top-level keys of config.toml that the core reads."""

    model_config = ConfigDict(extra="forbid", strict=True)

    timezone: str | None = None  # IANA name; else the system's zone
    database: str | None = None  # a postgresql:// URL; else the SQLite file in the home

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            from .inputs import zone_of

            zone_of(value)  # UsageError: "unknown time zone 'X'; did you mean ..."
        return value
