"""`infoview todo`: the open to-dos (overdue first), `todo add`, `todo done`."""
from __future__ import annotations

from typing import Any

import click

from ..errors import UsageError
from .output import emit_json


def todo_lines(todos: list[Any], now: Any, zone: str) -> list[str]:
    """One line per to-do: its number, when it is due (in your zone), what, and where it came from."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    lines = []
    for t in todos:
        due = f"due {t.due.astimezone(tz):%a %Y-%m-%d %H:%M}" if t.due else "no date"
        flag = "OVERDUE " if t.due is not None and t.due < now and t.done_at is None else ""
        link = f"  (interview {t.interview_id})" if t.interview_id is not None else ""
        lines.append(f"{t.id:>4}  {flag}{due:<24} {t.text}{link}")
    return lines


def ordered(todos: list[Any], now: Any) -> list[Any]:
    """Overdue first (soonest due first), then the rest as the store orders them."""
    late = [t for t in todos if t.due is not None and t.due < now]
    return late + [t for t in todos if t not in late]


def register(cli: click.Group) -> None:
    @cli.group(invoke_without_command=True)
    @click.option("--all", "show_all", is_flag=True, help="Done ones too.")
    @click.option("--interview", "interview_id", type=int, metavar="ID", help="Only this interview's.")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    def todo(ctx: click.Context, show_all: bool, interview_id: int | None, as_json: bool) -> None:
        """Your to-dos: open ones, overdue first. `todo add TEXT`, `todo done N`."""
        if ctx.invoked_subcommand is not None:
            return
        app = ctx.obj
        now = app.clock.now()
        if interview_id is not None:
            app.engine.get(interview_id)  # NotFound for an unknown id, not an empty list
        todos = ordered(app.engine.store.todos(done=show_all, interview_id=interview_id), now)
        if as_json:
            emit_json([{**t.to_dict(), "overdue": t.done_at is None and t.due is not None and t.due < now}
                       for t in todos])
        elif not todos:
            click.echo("no open to-dos; add one with `infoview todo add TEXT [--due DATE]`")
        else:
            click.echo("\n".join(todo_lines(todos, now, app.engine.zone)))

    @todo.command()
    @click.argument("text")
    @click.option("--due", metavar="DATE", help="When it is due: 2026-04-01 (09:00) or 2026-04-01T17:00, in your zone.")
    @click.option("--interview", "interview_id", type=int, metavar="ID", help="The interview it comes from.")
    @click.pass_obj
    def add(app: Any, text: str, due: str | None, interview_id: int | None) -> None:
        """Add a to-do; prints its number."""
        from ..inputs import parse_due

        text = text.strip()
        if not text or len(text) > 2000:
            raise UsageError("TEXT: say what to do, in at most 2,000 characters")
        when = parse_due(due, app.engine.zone) if due else None
        click.echo(app.engine.add_todo(text, when, interview_id))

    @todo.command()
    @click.argument("todo_id", metavar="N", type=int)
    @click.pass_obj
    def done(app: Any, todo_id: int) -> None:
        """Mark to-do N done."""
        if app.engine.close_todo(todo_id):
            click.echo(f"to-do {todo_id} done")
        else:
            click.echo(f"to-do {todo_id} was done already")
