"""Corrections: what an `edit` event changes, worked out from what the user asked for and the
interview as it is. Pure: the Engine decides with it inside its unit of work.

An edit records only what differs (so `history` shows the correction, and asking for what is
already there records nothing), and names a note or evaluation entry by section, key and index,
which replaying the log finds again exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .model import Entries, Entry, Interview

SECTIONS = ("notes", "evaluation")
CONTACT_KEYS = ("name", "company", "title", "email")
PLAIN_KEYS = ("mode", "where", "minutes", "timezone")


@dataclass
class EditRequest:
    """What `infoview edit` (or `note/evaluate --replace/--remove`) asks for; None: leave as is.
    An empty string clears an optional field."""

    contact: dict[str, str | None] = field(default_factory=dict)
    add_goals: list[str] = field(default_factory=list)
    drop_goals: list[str] = field(default_factory=list)   # a goal's text or its number in `show`
    plain: dict[str, Any] = field(default_factory=dict)   # mode, where, minutes, timezone
    replace: dict[str, dict[int, str]] = field(default_factory=dict)  # section -> entry number -> new text
    remove: dict[str, list[int]] = field(default_factory=dict)        # section -> entry numbers

    def empty(self) -> bool:
        return not (self.contact or self.add_goals or self.drop_goals or self.plain or self.replace or self.remove)


def numbered(entries: Entries) -> list[tuple[int, str, int, Entry]]:
    """(number, key, index under the key, entry) in the order `show` lists them, numbered from 1:
    keys in alphabetical order (as stored), each key's entries oldest first."""
    out: list[tuple[int, str, int, Entry]] = []
    for key in sorted(entries):
        for index, entry in enumerate(entries[key]):
            out.append((len(out) + 1, key, index, entry))
    return out


def changes(interview: Interview, req: EditRequest) -> dict[str, Any]:
    """The `edit` event's data: only what differs from the interview. UsageError for a goal or
    an entry number that does not exist."""
    data: dict[str, Any] = {}
    contact = {k: (v or None) for k, v in req.contact.items() if (v or None) != getattr(interview.contact, k)}
    if contact.get("name", "") is None and "name" in contact:
        raise UsageError("--name: a contact needs a name")
    if contact:
        data["contact"] = contact
    goals = _goals(interview.goals, req)
    if goals != interview.goals:
        data["goals"] = goals
    for key, value in req.plain.items():
        value = None if value == "" and key == "where" else value
        if value != getattr(interview, key):
            data[key] = value
    entries = [*_replacements(interview, req), *_removals(interview, req)]
    if entries:
        data["entries"] = entries
    return data


def _goals(goals: list[str], req: EditRequest) -> list[str]:
    out = list(goals)
    for wanted in req.drop_goals:
        text = wanted.strip()
        if text.isdigit() and 1 <= int(text) <= len(goals) and goals[int(text) - 1] in out:
            out.remove(goals[int(text) - 1])
            continue
        match = next((g for g in out if g.strip().casefold() == text.casefold()), None)
        if match is None:
            listed = "; ".join(f"{n}. {g}" for n, g in enumerate(goals, 1)) or "none"
            raise UsageError(f"--drop-goal: no goal '{wanted}'; its goals are: {listed}")
        out.remove(match)
    out.extend(g.strip() for g in req.add_goals if g.strip() and g.strip() not in out)
    return out


def _entry(interview: Interview, section: str, number: int, option: str) -> tuple[str, int, Entry]:
    rows = numbered(getattr(interview, section))
    if not 1 <= number <= len(rows):
        have = f"1 to {len(rows)}" if rows else "none yet"
        raise UsageError(f"{option} {number}: interview {interview.id} has no {section} entry {number} "
                         f"(its entries: {have}; `infoview show {interview.id}` numbers them)")
    _, key, index, entry = rows[number - 1]
    return key, index, entry


def _option(section: str, what: str) -> str:
    return f"{'note' if section == 'notes' else 'evaluate'} --{what}"


def _replacements(interview: Interview, req: EditRequest) -> list[dict[str, Any]]:
    out = []
    for section, texts in req.replace.items():
        for number, text in texts.items():
            key, index, entry = _entry(interview, section, number, _option(section, "replace"))
            if not text.strip():
                raise UsageError(f"{_option(section, 'replace')} {number}: the new text is empty; "
                                 f"use --remove {number} to remove it")
            if text.strip() != entry.text:
                out.append({"section": section, "key": key, "index": index, "text": text.strip()})
    return out


def _removals(interview: Interview, req: EditRequest) -> list[dict[str, Any]]:
    """Removals after the replacements, highest index first under each key, so that each index
    still names the entry it named when the user read the numbers."""
    found = []
    for section, numbers in req.remove.items():
        for number in sorted(set(numbers)):
            key, index, _ = _entry(interview, section, number, _option(section, "remove"))
            found.append({"section": section, "key": key, "index": index, "text": None})
    return sorted(found, key=lambda c: (c["section"], c["key"], -c["index"]))


def describe(data: dict[str, Any]) -> str:
    """What an edit changed, in a few words (for the CLI and `history`)."""
    parts = [f"{k} {v or '(cleared)'}" for k, v in data.get("contact", {}).items()]
    if "goals" in data:
        parts.append("goals")
    parts.extend(f"{k} {data[k] if data[k] is not None else '(cleared)'}" for k in PLAIN_KEYS if k in data)
    for change in data.get("entries", []):
        what = "removed" if change["text"] is None else "replaced"
        parts.append(f"{change['section']} {change['key']} {what}")
    return ", ".join(parts)
