"""Commands that change interviews: plan, confirm, hold, note, evaluate, reschedule, cancel, thanked, fire."""
from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from ..errors import InfoviewError, UsageError
from .ids import ID_TYPE
from .output import change_line, emit_json

ID = click.argument("interview_id", metavar="ID", type=ID_TYPE)
JSON = click.option("--json", "as_json", is_flag=True, help="Print the interview as JSON.")
ANSWERS = click.option("--answers", "answers_file", type=click.Path(dir_okay=False, path_type=Path),
                       help="A YAML or JSON file of answers by key.")


def _report(app: Any, result: Any, as_json: bool) -> None:
    i = result.interview
    if as_json:
        emit_json(i.to_dict())
        return
    click.echo(change_line(i, result.event))


def _answers(pairs: Mapping[str, tuple[str, ...] | str | None], answers_file: Path | None) -> dict[str, Any]:
    from ..inputs import clean_answers, read_answers

    answers: dict[str, Any] = read_answers(answers_file) if answers_file else {}
    flags = {k: (list(v) if isinstance(v, tuple) else v) for k, v in pairs.items() if v}
    answers.update(clean_answers(flags, "options"))
    return answers


CORRECTIONS = [
    click.option("--replace", "replace", nargs=2, type=(int, str), multiple=True, metavar="N TEXT",
                 help="Replace entry N (as `show` numbers them) with TEXT (repeatable)."),
    click.option("--remove", "remove", type=int, multiple=True, metavar="N",
                 help="Remove entry N (as `show` numbers them) (repeatable)."),
]


def _corrections(command: Any) -> Any:
    for option in reversed(CORRECTIONS):
        command = option(command)
    return command


def _record(app: Any, interview_id: int, event: str, section: str, answers: dict[str, Any], as_json: bool,
            missing: str, replace: tuple[tuple[int, str], ...] = (), remove: tuple[int, ...] = ()) -> None:
    """Fire a note-taking event with answers from options or a file, else asked on a terminal
    (after showing what is recorded already: a new answer adds to it). --replace and --remove
    correct single entries instead, through an edit."""
    if replace or remove:
        if answers:
            raise UsageError("give new answers or --replace/--remove, not both in one command")
        from ..edits import EditRequest
        from .corrections import report_edit

        request = EditRequest(replace={section: dict(replace)} if replace else {},
                              remove={section: list(remove)} if remove else {})
        report_edit(app, interview_id, app.engine.edit(interview_id, request), as_json)
        return
    if not answers and sys.stdin.isatty():
        from .output import recorded
        from .prompting import prompt_for

        shown = recorded(app.engine.get(interview_id), section)
        if shown:
            click.echo(f"Already recorded (new answers are added; --replace N or --remove N corrects one):\n{shown}\n")
        answers = prompt_for(app.engine, interview_id, event, section)
    if not answers:
        raise UsageError(missing)
    _report(app, app.engine.fire(interview_id, event, {section: answers}), as_json)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("name", required=False)
    @click.option("--person", "person", type=ID_TYPE, metavar="ID",
                  help="Someone already known (`infoview people`): their details fill what you leave out.")
    @click.option("--company")
    @click.option("--title", help="Their job title.")
    @click.option("--email")
    @click.option("--at", "at", required=True, metavar="DATETIME", help="Start, e.g. 2026-12-01T10:00 (in --tz).")
    @click.option("--tz", metavar="ZONE", help="IANA time zone, e.g. Europe/Berlin (default: config or system).")
    @click.option("--minutes", type=int, help="Length you asked for (default: the workflow's, 20).")
    @click.option("--mode", type=click.Choice(["video", "phone", "in-person"]), default="video", show_default=True)
    @click.option("--where", help="Address, phone number or meeting link.")
    @click.option("--goal", "goals", multiple=True, help="What you want to learn (repeatable).")
    @click.option("--referred-by", type=ID_TYPE, metavar="ID", help="The interview whose contact referred you.")
    @click.option("--workflow", help="Workflow to follow (default: informational-interview).")
    @click.option("--past", is_flag=True, help="Allow a time in the past (to record a conversation that happened).")
    @JSON
    @click.pass_obj
    def plan(app: Any, name: str | None, person: int | None, company: str | None, title: str | None,
             email: str | None, at: str, tz: str | None, minutes: int | None, mode: str, where: str | None,
             goals: tuple[str, ...], referred_by: int | None, workflow: str | None, past: bool,
             as_json: bool) -> None:
        """Plan an interview with NAME (or --person ID); prints its id.

        A new NAME becomes a person (`infoview people`), unless someone known has the same email:
        then the interview is theirs, and a line on stderr says so."""
        from ..inputs import PlanInput, not_past, parse_when, validate

        if name is None:
            if person is None:
                raise UsageError("give the NAME of the person to meet, or --person ID for someone known")
            name = app.engine.person(person).name
        zone = tz or app.engine.zone
        start = parse_when(at, zone)
        not_past(start, app.clock.now(), past, at)
        data = validate(PlanInput, dict(name=name, company=company, title=title, email=email, start=start,
                                        timezone=zone, minutes=minutes, mode=mode, where=where, goals=list(goals),
                                        referred_by=referred_by))
        result = app.engine.plan({**data.event_data(), "person": person}, workflow)
        if result.person and " new person " not in result.person:
            click.echo(f"interview {result.interview.id} is {result.person}", err=True)
        if as_json:
            emit_json({"id": result.interview.id, **result.interview.to_dict()})
        else:
            click.echo(result.interview.id)

    def simple(event: str, helptext: str, with_reason: bool = False) -> None:
        @cli.command(name=event.replace("_", "-"), help=helptext)
        @ID
        @JSON
        @click.pass_obj
        def command(app: Any, interview_id: int, as_json: bool, reason: str | None = None) -> None:
            data = {"reason": reason} if reason else {}
            _report(app, app.engine.fire(interview_id, event, data), as_json)

        if with_reason:
            click.option("--reason", help="Why (kept in the history).")(command)

    simple("confirm", "Record that they confirmed the time and place.")
    simple("hold", "Record that the conversation took place.")
    simple("cancel", "Call the interview off.", with_reason=True)
    simple("thanked", "Record that you sent your thank-you note.")
    simple("followed_up", "Record that you followed up with them.")

    @cli.command()
    @ID
    @click.option("--at", "at", required=True, metavar="DATETIME", help="The new start (in --tz).")
    @click.option("--tz", metavar="ZONE", help="Time zone of --at (default: the interview's).")
    @click.option("--minutes", type=int, help="A new length.")
    @click.option("--reason")
    @click.option("--past", is_flag=True, help="Allow a time in the past (to record a conversation that happened).")
    @JSON
    @click.pass_obj
    def reschedule(app: Any, interview_id: int, at: str, tz: str | None, minutes: int | None, reason: str | None,
                   past: bool, as_json: bool) -> None:
        """Move the interview to a new time (back to planned: confirm it again)."""
        from ..inputs import not_past, parse_when

        current = app.engine.get(interview_id)
        zone = tz or current.timezone
        start = parse_when(at, zone)
        not_past(start, app.clock.now(), past, at)
        data: dict[str, Any] = {"start": start.isoformat()}
        if tz:
            data["timezone"] = tz
        if minutes is not None:
            if not 5 <= minutes <= 480:
                raise UsageError("--minutes: should be between 5 and 480")
            data["minutes"] = minutes
        if reason:
            data["reason"] = reason
        _report(app, app.engine.fire(interview_id, "reschedule", data), as_json)

    @cli.command()
    @ID
    @click.option("--learned", multiple=True, help="Something you learned (repeatable).")
    @click.option("--issue", "issues", multiple=True, help="A business issue or challenge they raised (repeatable).")
    @click.option("--referral", "referrals", multiple=True, help="Someone they suggested, e.g. 'Sam Roe <sam@x.test>'.")
    @click.option("--promise", "promises", multiple=True, help="Something you promised, and by when.")
    @ANSWERS
    @_corrections
    @JSON
    @click.pass_obj
    def note(app: Any, interview_id: int, learned: tuple[str, ...], issues: tuple[str, ...], referrals: tuple[str, ...],
             promises: tuple[str, ...], answers_file: Path | None, as_json: bool,
             replace: tuple[tuple[int, str], ...], remove: tuple[int, ...]) -> None:
        """Add to your notes (prompts for them on a terminal when none are given)."""
        flags = {"learned": learned, "issues": issues, "referrals": referrals, "promises": promises}
        _record(app, interview_id, "note", "notes", _answers(flags, answers_file), as_json,
                "no notes given: use --learned \"...\" (and --issue, --referral, --promise) or --answers FILE",
                replace, remove)

    @cli.command()
    @ID
    @click.option("--went-well")
    @click.option("--do-differently")
    @click.option("--next-action", "next_actions", multiple=True, help="A step of your plan, with a date (repeatable).")
    @ANSWERS
    @_corrections
    @JSON
    @click.pass_obj
    def evaluate(app: Any, interview_id: int, went_well: str | None, do_differently: str | None,
                 next_actions: tuple[str, ...], answers_file: Path | None, as_json: bool,
                 replace: tuple[tuple[int, str], ...], remove: tuple[int, ...]) -> None:
        """Evaluate how it went and plan what to do next (adds to an earlier evaluation)."""
        flags = {"went_well": went_well, "do_differently": do_differently, "next_actions": next_actions}
        _record(app, interview_id, "evaluate", "evaluation", _answers(flags, answers_file), as_json,
                "no evaluation given: use --next-action \"...\" (and --went-well ...) or --answers FILE",
                replace, remove)

    @cli.command()
    @ID
    @click.argument("event")
    @click.option("--data", "data_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="A YAML or JSON file with the event's data, e.g. {notes: {learned: ...}}.")
    @JSON
    @click.pass_obj
    def fire(app: Any, interview_id: int, event: str, data_file: Path | None, as_json: bool) -> None:
        """Fire any EVENT of the interview's workflow (for custom workflows)."""
        from ..fields import check_data
        from ..inputs import clean_answers, parse_when, read_mapping_file

        data: dict[str, Any] = {}
        if data_file:
            raw = read_mapping_file(data_file)
            if not isinstance(raw, dict):
                raise InfoviewError(f"{data_file}: event data must be a mapping")
            data = dict(raw)
            for section in ("notes", "evaluation"):
                if section in data:
                    data[section] = clean_answers(data[section], f"{data_file}: {section}")
            if isinstance(data.get("start"), str):
                current = app.engine.get(interview_id)
                given = data.get("timezone")
                data["start"] = parse_when(data["start"], given if isinstance(given, str) else current.timezone).isoformat()
            check_data(data, str(data_file))  # the bounds every way in keeps (engine/fields.py)
        _report(app, app.engine.fire(interview_id, event, data), as_json)
