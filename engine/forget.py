"""What `person forget` does to stored data, as pure functions over event data.

Erasure is the one sanctioned exception to an append-only history: the events stay (so the
counts, states and times still replay), their personal content does not. Within the person's own
interviews the contact, notes, evaluation, goals, place and reasons go whole; everywhere else
(other interviews' notes naming them as a referral, other people's notes, rendered reminders in
the outbox) every mention of their names and emails is cut out.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .people import FORGOTTEN

BLANK_CONTACT = {"name": FORGOTTEN, "company": None, "title": None, "email": None}
# Keys of an interview event's data that hold what was said or written about the person.
_PERSONAL = ("notes", "evaluation")


def needles(texts: Iterable[str | None]) -> re.Pattern[str] | None:
    """One pattern matching any of these names and emails, any case (None when there are none)."""
    words = sorted({t.strip() for t in texts if t and len(t.strip()) >= 2}, key=len, reverse=True)
    # Whole words only: forgetting "Al" must not turn "already" into "(forgotten)ready".
    alternatives = "|".join(map(re.escape, words))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if words else None


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """`value` with every mention cut: a list item naming them is dropped, other text has each
    mention replaced by "(forgotten)"."""
    if isinstance(value, str):
        return pattern.sub(FORGOTTEN, value)
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value if not (isinstance(v, str) and pattern.search(v))]
    if isinstance(value, dict):
        return {k: scrub(v, pattern) for k, v in value.items()}
    return value


def own_interview_event(data: dict[str, Any], pattern: re.Pattern[str] | None) -> dict[str, Any]:
    """An event of one of the person's own interviews, with its personal content gone."""
    out = dict(data)
    if "contact" in out:
        out["contact"] = dict(BLANK_CONTACT)
    for key in _PERSONAL:
        if key in out:
            out[key] = {}
    if "goals" in out:
        out["goals"] = []
    for key in ("where", "reason"):
        if out.get(key):
            out[key] = None if key == "where" else FORGOTTEN
    return scrub(out, pattern) if pattern else out


def own_person_event(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event of the person's own log, keeping only what carries no personal data."""
    if event == "create":
        return {"name": FORGOTTEN}
    if event == "log":
        return {"at": data["at"], "text": FORGOTTEN}
    if event == "merge":
        return {"absorbed": data["absorbed"],
                "contacts": [{"at": c["at"], "text": FORGOTTEN} for c in data.get("contacts", [])]}
    if event == "edit":
        return {"every": data["every"]} if "every" in data else {}
    return data  # remind, merged, forget: ids and times only
