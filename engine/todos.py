"""To-dos: an evaluation's next actions and what `infoview todo add` records, each linked to the
interview it came from (or to none). A due date writes one reminder into the outbox when a tick
reaches it, sent by the `notify` action like a timer's reminder.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from .model import Interview

# A reminder goes where the shipped workflow sends what comes after a conversation.
TAG = "followups"
ACTION = "notify"
# "send the deck by 2026-04-01": a next action that names a date is due that day.
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?\b")
DEFAULT_HOUR = 9  # a date without a time: due at 09:00 that day, in your zone


def due_in_text(text: str, zone: str) -> datetime | None:
    """The first ISO date written in the text (at 09:00 in `zone` unless a time follows), else None."""
    from .inputs import parse_due

    match = _DATE.search(text)
    if match is None:
        return None
    try:
        return parse_due(match.group(0), zone)
    except Exception:  # "2026-13-45": not a date after all; the to-do simply has no due date
        return None


def reminder_params(text: str, due: datetime, zone: str, interview: Interview | None) -> dict[str, Any]:
    """The notify job's params, its title rendered now (a to-do's text is not a template)."""
    local = due.astimezone(_zone(zone))
    title = f"To do: {text} (due {local:%a %Y-%m-%d %H:%M} {local.tzname()})"
    if interview is not None:
        title += f" - from interview {interview.id} with {interview.contact.name}"
    from .outbox import RENDERED

    return {ACTION: {"tag": TAG, "title": "To do"}, RENDERED: {"title": title}}


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def overdue(due: datetime | None, now: datetime) -> bool:
    return due is not None and due < now

