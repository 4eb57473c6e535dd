"""People: `infoview people [SEARCH]`, and `infoview person ID`, `person edit|log|merge|forget`."""
from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import Conflict, InfoviewError, UsageError
from .output import emit_json

ID = click.argument("person_id", metavar="ID", type=click.IntRange(min=1))
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON (shape in the README).")


class _PersonGroup(click.Group):
    """`infoview person ID` shows a person; `infoview person edit ID ...` and the others act."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["show", *args]
        return super().parse_args(ctx, args)


def _print_summary(p: dict[str, Any]) -> None:
    where = ", ".join(x for x in (p["title"], p["company"]) if x)
    line = f"{p['id']:>4}  {p['name']}" + (f" ({where})" if where else "") + (f" <{p['email']}>" if p["email"] else "")
    talks = len(p["conversations"])
    line += f"  {talks} conversation{'s' if talks != 1 else ''}"
    if p["last_contact"]:
        line += f", last contact {p['last_contact'][:10]}"
    if p["every"]:
        line += f", {p['every']}" + (f" (next {p['keep_in_touch_due'][:10]})" if p["keep_in_touch_due"] else "")
    click.echo(line)


def _print_timeline(doc: dict[str, Any]) -> None:
    p, s = doc["person"], doc["summary"]
    _print_summary(s)
    for key, label in (("how", "how you know them"), ("links", "links"), ("notes", "notes")):
        value = p[key]
        for item in value if isinstance(value, list) else [value] if value else []:
            click.echo(f"      {label:<18} {item}")
    for r in doc["referred_by"]:
        click.echo(f"      referred by        {r['name']} (person {r['person']}, interview {r['from_interview']})")
    for r in doc["referrals_given"]:
        click.echo(f"      referred you to    {r['name']} (person {r['person']}, interview {r['interview']})")
    for f in doc["follow_ups_due"]:
        what = f"interview {f['interview']} follow-up" if f["interview"] else "keep in touch"
        click.echo(f"      due {f['due'][:16].replace('T', ' ')}  {what}")
    if doc["timeline"]:
        click.echo("  timeline:")
    for e in doc["timeline"]:
        where = f" #{e['interview']}" if e["interview"] else ""
        state = f" ({e['state']})" if e.get("state") else ""
        click.echo(f"    {e['at'][:16].replace('T', ' ')}  {e['kind']:<16}{where}{state} {e['text']}")


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("search", required=False)
    @JSON
    @click.pass_obj
    def people(app: Any, search: str | None, as_json: bool) -> None:
        """List the people you have met or plan to meet; SEARCH their names, emails, companies, notes."""
        from ..personview import listing

        found = listing(app.store, search)
        if as_json:
            emit_json(found)
        elif not found:
            click.echo("no one" + (f" matches '{search}'" if search else " yet; `infoview plan NAME --at ...` adds them"))
        for p in [] if as_json else found:
            _print_summary(p)

    @cli.group(cls=_PersonGroup)
    def person() -> None:
        """One person: `person ID` shows their timeline; edit, log, merge or forget them."""

    @person.command(name="show")
    @ID
    @JSON
    @click.pass_obj
    def show(app: Any, person_id: int, as_json: bool) -> None:
        """Show the person and their timeline: conversations, notes, referrals, contacts, what is due."""
        from ..personview import timeline

        doc = timeline(app.store, person_id, app.clock.now())
        if as_json:
            emit_json(doc)
        else:
            _print_timeline(doc)

    @person.command()
    @ID
    @click.option("--name")
    @click.option("--email", help="Their email (an empty text clears it).")
    @click.option("--company")
    @click.option("--title", help="Their job title.")
    @click.option("--how", help="How you know them.")
    @click.option("--link", help="A link to add (profile, website).")
    @click.option("--note", help="A note about them to add.")
    @click.option("--every", metavar="CADENCE", help='Remind you to stay in touch, e.g. "3 months", 6w; "never" stops it.')
    @JSON
    @click.pass_obj
    def edit(app: Any, /, person_id: int, as_json: bool, **options: str | None) -> None:
        """Change what you know about them (each change is kept in their history)."""
        from ..inputs import PersonEdit, validate

        given = {k: v for k, v in options.items() if v is not None}
        changes = validate(PersonEdit, given, name_argument=False).event_data()
        person = app.engine.edit_person(person_id, changes)
        if as_json:
            emit_json(person.to_dict())
        else:
            click.echo(f"person {person.id}: {', '.join(sorted(changes))} changed")

    @person.command()
    @ID
    @click.argument("text")
    @click.option("--at", "at", metavar="DATETIME", help="When (default: now), e.g. 2026-12-01T10:00.")
    @click.option("--tz", metavar="ZONE", help="Time zone of --at (default: config or system).")
    @click.pass_obj
    def log(app: Any, person_id: int, text: str, at: str | None, tz: str | None) -> None:
        """Record a contact outside a conversation (an email, a call): it restarts the keep-in-touch cadence."""
        from ..inputs import parse_when

        text = text.strip()
        if not text or len(text) > 20_000:
            raise UsageError("TEXT: say what the contact was, in up to 20,000 characters")
        when = parse_when(at, tz or app.engine.zone) if at else app.clock.now()
        app.engine.log_contact(person_id, text, when)
        click.echo(f"person {person_id}: contact logged for {when:%Y-%m-%d %H:%M} UTC")

    @person.command()
    @click.argument("keep", metavar="A", type=click.IntRange(min=1))
    @click.argument("gone", metavar="B", type=click.IntRange(min=1))
    @click.pass_obj
    def merge(app: Any, keep: int, gone: int) -> None:
        """Make B part of A: B's conversations and history move to A, and B is no more."""
        person, moved = app.engine.merge_people(keep, gone)
        talks = f"interviews {', '.join(map(str, moved))} moved" if moved else "no interviews to move"
        click.echo(f"person {gone} merged into person {person.id} ({person.name}): {talks}")

    @person.command()
    @ID
    @click.option("--yes", is_flag=True, help="Do not ask (needed when not on a terminal).")
    @click.pass_obj
    def forget(app: Any, person_id: int, yes: bool) -> None:
        """Erase everything personal about them, history included; anonymous counts stay."""
        person = app.engine.person(person_id)
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(f"forgetting person {person_id} cannot be undone; add --yes to confirm")
            if not click.confirm(f"Erase {person.name} and every mention of them, history included? "
                                 "This cannot be undone"):
                raise InfoviewError("nothing was forgotten")
        interviews, events = app.engine.forget_person(person_id)
        click.echo(f"person {person_id} forgotten: {interviews} interviews and {events} history entries erased")
        try:
            app.engine.store.compact()  # no copy of what was erased stays in the file's free pages
        except Conflict as e:
            click.echo(f"warning: {e}", err=True)
