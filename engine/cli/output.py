"""How commands print: JSON for scripts, short aligned text for people."""
from __future__ import annotations

import json
from typing import Any

import click

from ..model import Interview


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def when(interview: Interview) -> str:
    return f"{interview.local_start:%a %Y-%m-%d %H:%M} {interview.timezone}"


def one_line(i: Interview) -> str:
    company = f" ({i.contact.company})" if i.contact.company else ""
    return f"{i.id:>4}  {i.state:<10} {when(i):<36} {i.contact.name}{company}"


def describe(i: Interview) -> str:
    c = i.contact
    lines = [f"interview {i.id}: {c.name}" + (f", {c.title}" if c.title else "") + (f" at {c.company}" if c.company else "")]
    lines.append(f"  state      {i.state} (workflow {i.workflow})")
    lines.append(f"  when       {when(i)}, {i.minutes} minutes, {i.mode}" + (f" at {i.where}" if i.where else ""))
    if c.email:
        lines.append(f"  email      {c.email}")
    for goal in i.goals:
        lines.append(f"  goal       {goal}")
    if i.referred_by:
        lines.append(f"  referred by interview {i.referred_by}")
    for section in ("notes", "evaluation"):
        answers = getattr(i, section)
        if answers:
            lines.append(f"  {section}:")
            for key, value in answers.items():
                items = value if isinstance(value, list) else [value]
                for item in items:
                    lines.append(f"    {key:<16} {item}")
    if i.reason:
        lines.append(f"  reason     {i.reason}")
    return "\n".join(lines)
