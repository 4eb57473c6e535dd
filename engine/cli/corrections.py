"""Commands that correct what is recorded: edit and delete."""
from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import UsageError
from .output import emit_json

ID = click.argument("interview_id", metavar="ID", type=int)


def edit_line(interview_id: int, result: Any) -> str:
    """What an edit did, in one line (at the CLI and on the web)."""
    from ..edits import describe

    if result is None:
        return f"interview {interview_id}: nothing changed (it already says that); nothing was recorded"
    return f"interview {interview_id}: edited ({describe(result.event.data)})"


def report_edit(app: Any, interview_id: int, result: Any, as_json: bool) -> None:
    """What an edit did: the interview (--json), or one line naming what changed."""
    if as_json:
        emit_json((result.interview if result else app.engine.get(interview_id)).to_dict())
    else:
        click.echo(edit_line(interview_id, result))


def register(cli: click.Group) -> None:
    @cli.command()
    @ID
    @click.option("--name", help="Their name.")
    @click.option("--company", help="Their company ('' clears it).")
    @click.option("--title", help="Their job title ('' clears it).")
    @click.option("--email", help="Their email ('' clears it).")
    @click.option("--goal", "add_goals", multiple=True, help="Add a goal (repeatable).")
    @click.option("--drop-goal", "drop_goals", multiple=True, metavar="GOAL",
                  help="Remove a goal, by its text or its number in `show` (repeatable).")
    @click.option("--mode", type=click.Choice(["video", "phone", "in-person"]))
    @click.option("--where", help="Address, phone number or meeting link ('' clears it).")
    @click.option("--minutes", type=int, help="The length you asked for.")
    @click.option("--zone", "--tz", "zone", metavar="ZONE",
                  help="The zone the interview is shown in (the start stays the same instant).")
    @click.option("--json", "as_json", is_flag=True, help="Print the interview as JSON.")
    @click.pass_obj
    def edit(app: Any, interview_id: int, name: str | None, company: str | None, title: str | None,
             email: str | None, add_goals: tuple[str, ...], drop_goals: tuple[str, ...], mode: str | None,
             where: str | None, minutes: int | None, zone: str | None, as_json: bool) -> None:
        """Correct an interview's details: the contact, goals, mode, place, length or zone.

        To move it to another time, use `reschedule`; to correct one note or evaluation answer,
        `note ID --replace N TEXT` or `--remove N` (and the same for `evaluate`)."""
        from ..edits import EditRequest
        from ..inputs import EditInput, validate, zone_of

        fields = validate(EditInput, dict(name=name, company=company, title=title, email=email, where=where,
                                          minutes=minutes))
        plain: dict[str, Any] = {k: v for k, v in (("mode", mode), ("where", fields.where),
                                                   ("minutes", fields.minutes)) if v is not None}
        if zone is not None:
            zone_of(zone)
            plain["timezone"] = zone
        request = EditRequest(contact={k: getattr(fields, k) for k in ("name", "company", "title", "email")
                                       if getattr(fields, k) is not None},
                              add_goals=list(add_goals), drop_goals=list(drop_goals), plain=plain)
        if request.empty():
            raise UsageError("nothing to edit: give what to change, e.g. --email ana@example.org "
                             "(`infoview edit --help` lists the options)")
        report_edit(app, interview_id, app.engine.edit(interview_id, request), as_json)

    @cli.command()
    @ID
    @click.option("--yes", is_flag=True, help="Delete without asking.")
    @click.pass_obj
    def delete(app: Any, interview_id: int, yes: bool) -> None:
        """Delete an interview for good: its events, timers, pending notifications, to-dos.

        Asks first on a terminal; elsewhere it needs --yes."""
        interview = app.engine.get(interview_id)
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(f"deleting interview {interview_id} cannot be undone; add --yes to confirm")
            who = interview.contact.name + (f" ({interview.contact.company})" if interview.contact.company else "")
            if not click.confirm(f"Delete interview {interview_id} with {who} and its whole history?", default=False):
                click.echo("nothing was deleted")
                return
        app.engine.delete(interview_id)
        click.echo(f"interview {interview_id} deleted")
