"""Commands that read: list, show, history."""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import click

from .ids import ID_TYPE
from .output import LIMIT, SCREENFUL, describe, emit_json, emit_json_stream, list_line, more_hint, paged
from .states import known_states

T = TypeVar("T")


def _checked(app: Any, states: tuple[str, ...], rows: Iterable[T]) -> Iterator[T]:
    """`rows`, once `--state` is known to be right. A single state that some interview is in needs no
    check; otherwise (nothing found, or several states) the workflows are loaded to tell a typo
    from an empty answer. That keeps `list --state X` as quick as `list`."""
    it = iter(rows)
    first = next(it, None)
    if first is None or len(states) > 1:
        known_states(app, states)
    return it if first is None else itertools.chain((first,), it)


def register(cli: click.Group) -> None:
    @cli.command(name="list")
    @click.option("--state", "states", multiple=True, help="Only interviews in this state (repeatable).")
    @LIMIT
    @click.option("--after", type=click.IntRange(0), default=0, metavar="ID", help="Only interviews with a higher id.")
    @click.option("--json", "as_json", is_flag=True, help="A JSON array of every interview (streamed).")
    @click.pass_obj
    def list_(app: Any, states: tuple[str, ...], limit: int | None, after: int, as_json: bool) -> None:
        """List interviews, oldest first (the first 500 as text; --limit, --after for more)."""
        select = {"states": list(states) or None, "after": after}
        found = _checked(app, states, app.store.interviews(**select) if as_json else app.store.listing(**select))
        if as_json:
            rows, _ = paged(found, limit, True)
            emit_json_stream(i.to_dict() for i in rows)
            return
        rows, more = paged(found, limit, False)
        last = None
        for row in rows:
            click.echo(list_line(row))
            last = row
        if last is None:
            click.echo("no interviews" + (f" in state {', '.join(states)}" if states else "") +
                       (f" after {after}" if after else "") + "; plan one with `infoview plan NAME --at ...`")
        elif more():
            more_hint(limit or SCREENFUL, f"`infoview list --after {last.id}`")

    @cli.command()
    @click.argument("interview_id", metavar="ID", type=ID_TYPE)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def show(app: Any, interview_id: int, as_json: bool) -> None:
        """Show one interview, with its notes, evaluation and referrals."""
        interview = app.engine.get(interview_id)
        referred = app.engine.store.referred_by(interview_id)
        wf = app.engine.registry.workflows.get(interview.workflow)
        allowed = wf.allowed.get(interview.state, []) if wf else []
        if as_json:
            emit_json({**interview.to_dict(), "referrals_planned": referred, "allowed": allowed})
            return
        click.echo(describe(interview))
        if referred:
            click.echo(f"  referred you to interviews {', '.join(map(str, referred))}")
        click.echo(f"  next       {', '.join(allowed) if allowed else 'nothing (final state)'}")

    @cli.command()
    @click.argument("interview_id", metavar="ID", type=ID_TYPE)
    @LIMIT
    @click.option("--after", type=click.IntRange(0), default=0, metavar="SEQ", help="Only events after this one.")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def history(app: Any, interview_id: int, limit: int | None, after: int, as_json: bool) -> None:
        """The interview's event log, oldest first (the first 500 as text; --limit, --after for more)."""
        interview = app.store.load(interview_id)  # NotFound for an unknown id, not an empty list
        events, more = paged((e for e in app.store.events(interview_id) if e.seq > after), limit, as_json)
        if as_json:
            emit_json_stream(e.to_dict() for e in events)
            return
        tz, last = interview.tz, None
        for e in events:
            change = f"{e.from_state or ''} -> {e.to_state}".strip() if e.from_state != e.to_state else e.to_state
            detail = ""
            if e.event == "timer":
                detail = f"{e.data.get('timer')} {e.data.get('outcome')}"
            elif e.event == "person":
                detail = f"with person {e.data.get('person')}"
            elif e.event == "edit":
                from ..edits import describe

                detail = describe(e.data)
            elif e.data.get("reason"):
                detail = e.data["reason"]
            click.echo(f"{e.seq:>3}  {e.at.astimezone(tz):%Y-%m-%d %H:%M}  {e.event:<12} {change:<22} {detail}".rstrip())
            last = e
        if last is not None and more():
            more_hint(limit or SCREENFUL, f"`infoview history {interview_id} --after {last.seq}`")
