"""How commands print: JSON for scripts, short aligned text for people."""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # every command module imports this one, `infoview --help` too: keep it light
    from ..model import Interview


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def when(interview: Interview) -> str:
    return _when(interview.local_start, interview.timezone)


def _when(local: datetime, timezone: str) -> str:
    return f"{local:%a %Y-%m-%d %H:%M} {timezone}"


def list_lines(rows: list[tuple[int, str, str, str, str, str | None]]) -> str:
    """`infoview list`'s lines from Store.listing() rows, each start shown in its interview's zone
    as Interview.local_start shows it (the same instant, today's zone rules)."""
    from zoneinfo import ZoneInfo  # here, not at the top: `infoview --help` needs no zone

    lines = []
    for interview_id, state, start, timezone, name, company in rows:
        local = datetime.fromisoformat(start).astimezone(ZoneInfo(timezone))
        lines.append(f"{interview_id:>4}  {state:<10} {_when(local, timezone):<36} {name}"
                     + (f" ({company})" if company else ""))
    return "\n".join(lines)


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
