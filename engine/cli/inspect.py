"""Commands that read: list, show, history."""
from __future__ import annotations

from typing import Any

import click

from .output import describe, emit_json, list_lines


def register(cli: click.Group) -> None:
    @cli.command(name="list")
    @click.option("--state", "states", multiple=True, help="Only interviews in this state (repeatable).")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def list_(app: Any, states: tuple[str, ...], as_json: bool) -> None:
        """List interviews, oldest first."""
        if as_json:
            emit_json([i.to_dict() for i in app.store.interviews(list(states) or None)])
            return
        rows = app.store.listing(list(states) or None)
        if not rows:
            click.echo("no interviews" + (f" in state {', '.join(states)}" if states else "") +
                       "; plan one with `infoview plan NAME --at ...`")
        else:
            click.echo(list_lines(rows))  # one write, not one per line

    @cli.command()
    @click.argument("interview_id", metavar="ID", type=int)
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
    @click.argument("interview_id", metavar="ID", type=int)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def history(app: Any, interview_id: int, as_json: bool) -> None:
        """The interview's event log, oldest first."""
        events = app.engine.history(interview_id)
        if as_json:
            emit_json([e.to_dict() for e in events])
            return
        tz = app.engine.get(interview_id).tz
        for e in events:
            change = f"{e.from_state or ''} -> {e.to_state}".strip() if e.from_state != e.to_state else e.to_state
            detail = ""
            if e.event == "timer":
                detail = f"{e.data.get('timer')} {e.data.get('outcome')}"
            elif e.event == "edit":
                from ..edits import describe

                detail = describe(e.data)
            elif e.data.get("reason"):
                detail = e.data["reason"]
            click.echo(f"{e.seq:>3}  {e.at.astimezone(tz):%Y-%m-%d %H:%M}  {e.event:<12} {change:<22} {detail}".rstrip())
