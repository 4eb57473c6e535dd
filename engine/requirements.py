"""What to type to meet a state's `requires:`, said in the words of the command line.

A refusal for a missing requirement should name the option or the answers-file key the user can
give, not the internal path (`evaluation.next_actions`). The options here are those of the
commands in engine/cli/lifecycle.py (a test keeps the two in step): `note` and `evaluate` take
answers as options or as keys of `--answers FILE`; any other event carries them in
`fire ... --data FILE`; the contact's details, the place and the goals are given when planning.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# (event, section) -> answer key -> the option of that event's command that gives it
ANSWER_OPTIONS: Mapping[tuple[str, str], Mapping[str, str]] = MappingProxyType({
    ("note", "notes"): MappingProxyType({
        "learned": "--learned", "issues": "--issue", "referrals": "--referral", "promises": "--promise"}),
    ("evaluate", "evaluation"): MappingProxyType({
        "went_well": "--went-well", "do_differently": "--do-differently", "next_actions": "--next-action"}),
})

# requirement -> (what it is, the option of `plan` that gives it)
PLAN_OPTIONS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "contact.email": ("their email", "--email"),
    "contact.company": ("their company", "--company"),
    "contact.title": ("their job title", "--title"),
    "where": ("a place or link", "--where"),
    "goals": ("your goals", "--goal"),
})


def missing(event: str, requirement: str, interview_id: int | str = "ID") -> str:
    """The reason to refuse `event` because `requirement` (a `requires:` entry) is not filled."""
    section, _, key = requirement.partition(".")
    if requirement in PLAN_OPTIONS:
        what, option = PLAN_OPTIONS[requirement]
        return f"'{event}' needs {what}: add it with `infoview edit {interview_id} {option} ...`"
    options = ANSWER_OPTIONS.get((event, section))
    if options is None:
        return f"'{event}' needs an answer for '{key}': give it in --data FILE as {section}: {{{key}: ...}}"
    if key in options:
        return f"'{event}' needs an answer for '{key}': give {options[key]} or the key '{key}' in --answers FILE"
    return f"'{event}' needs an answer for '{key}': give the key '{key}' in --answers FILE"
