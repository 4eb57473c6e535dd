"""`infoview career-changer pitch ID`: a short request for the conversation, in plain words.

Your own background comes from `config.toml` in the infoview home:

    [career-changer]
    from = "secondary-school teaching"
    to = "data engineering"
"""
from __future__ import annotations

from typing import Any

import click

from infoview import InfoviewError


@click.group(name="career-changer")
def career_changer() -> None:
    """Help for changing careers: a pitch for the people you ask."""


@career_changer.command()
@click.argument("interview_id", metavar="ID", type=int)
@click.pass_obj
def pitch(app: Any, interview_id: int) -> None:
    """Print a short pitch asking interview ID's contact for the conversation."""
    mine = app.engine.config.get("career-changer", {})
    if not mine.get("from") or not mine.get("to"):
        raise InfoviewError("set your background first: [career-changer] from = \"...\" and to = \"...\" "
                            f"in {app.home / 'config.toml'}")
    interview = app.engine.get(interview_id)
    click.echo(write_pitch(interview, mine["from"], mine["to"]))


def write_pitch(interview: Any, origin: str, target: str) -> str:
    contact = interview.contact
    first = contact.name.split()[0]
    where = f" at {contact.company}" if contact.company else ""
    role = f"as {contact.title}{where}" if contact.title else f"in your work{where}"
    lines = [
        f"Hello {first},",
        f"I am moving from {origin} into {target}, and your path {role} is the kind I want to learn from.",
        f"Could I ask you a few questions for {interview.minutes} minutes? I am not asking for a job,",
        "only for your view of the work and how people get into it.",
    ]
    if interview.goals:
        lines.append("What I hope to learn: " + "; ".join(interview.goals) + ".")
    return "\n".join(lines)
