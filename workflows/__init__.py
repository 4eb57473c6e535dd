"""Workflow definition files shipped with infoview (read with importlib.resources)."""
from __future__ import annotations

from importlib.resources import files

SHIPPED = "informational-interview"


def shipped_meanings() -> dict[str, dict[str, str]]:
    """What the states of the shipped workflow mean, as its file declares them: what the calendar
    and the report assume when their caller passes no workflows (their pure functions, the demo)."""
    from infoview.definition import declared_meanings

    return {SHIPPED: declared_meanings(files(__name__).joinpath(f"{SHIPPED}.yaml"), f"workflows/{SHIPPED}.yaml")}
