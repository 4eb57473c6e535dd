"""Timers from the command line: tick (cron), run (a long-running loop), agenda."""
from __future__ import annotations

from datetime import timedelta
from itertools import chain
from typing import Any

import click

from ..config import yours_and_theirs
from .output import emit_json, emit_json_stream


def _print_firings(firings: list[Any], engine: Any) -> None:
    """Each firing at its due time in your zone (and the interview's, when that differs)."""
    for f in firings:
        if not hasattr(f, "interview_id"):  # a person's keep-in-touch reminder (engine_people.PersonFiring)
            click.echo(f"{yours_and_theirs(f.due, engine.zone, engine.zone)}  person {f.person_id}  keep-in-touch  "
                       f"{f.outcome}" + (f" ({f.detail})" if f.detail else ""))
            continue
        when = yours_and_theirs(f.due, engine.get(f.interview_id).timezone, engine.zone)
        click.echo(f"{when}  interview {f.interview_id}  {f.timer:<14} {f.outcome}"
                   + (f" ({f.detail})" if f.detail else ""))


def _warn_unsure(engine: Any, shown: int = 0) -> int:
    """One line on stderr when outbox jobs are unsure (cut off mid-send), unless that count was
    shown already; never an error, since nothing is wrong with the command. Returns the count."""
    from ..outbox import UNSURE

    count: int = engine.outbox.count(UNSURE)
    if count and count != shown:
        jobs = "1 outbox job was" if count == 1 else f"{count} outbox jobs were"
        click.echo(f"warning: {jobs} cut off mid-send and may or may not have gone out; "
                   "`infoview outbox --unsure` lists them", err=True)
    return count


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def tick(app: Any, as_json: bool) -> None:
        """Fire every due timer once, deliver due notifications, and exit (for cron)."""
        engine = app.engine
        firings = engine.tick()
        if as_json:
            emit_json([f.to_dict() for f in firings])
        else:
            _print_firings(firings, engine)
            if not firings:
                click.echo("nothing due")
        _warn_unsure(engine)

    @cli.command()
    @click.option("--interval", type=click.IntRange(1, 3600), default=60, show_default=True,
                  help="Longest sleep in seconds, so changes by other processes are seen.")
    @click.option("--adopt-workflows", is_flag=True,
                  help="Make this host's workflow files the ones in force, even where they differ from "
                       "those the database was written with.")
    @click.pass_obj
    def run(app: Any, interval: int, adopt_workflows: bool) -> None:
        """Keep running: fire timers and deliver notifications as they come due (Ctrl-C stops).

        Any number of workers may run against one shared database, on any number of hosts."""
        from ..errors import Unavailable
        from ..outbox import ME
        from ..stopping import StopSignals
        from ..workers import Heartbeat, check_workflows

        engine = app.engine
        check_workflows(engine.store, engine.registry, adopt=adopt_workflows)
        waiter = engine.store.waiter()
        with StopSignals() as signals, Heartbeat(app.open_store, ME):
            click.echo(f"infoview run: watching {engine.store.location} (Ctrl-C to stop)", err=True)
            unsure = 0
            while not signals.requested:  # a signal during a round lets the round finish
                wait = float(interval)
                try:
                    if waiter is not None:
                        waiter.drain()  # what woke us is read; the tick below catches up on everything
                    check_workflows(engine.store, engine.registry)
                    firings = engine.tick()
                    _print_firings(firings, engine)
                    unsure = _warn_unsure(engine, unsure)
                    nxt = engine.store.next_wake()
                    if nxt is not None and not engine.clock.frozen:
                        wait = min(wait, max(0.0, nxt - engine.clock.now().timestamp()) + 0.05)
                except Unavailable as e:  # the database is away: say so, and try again soon
                    click.echo(f"warning: {e}", err=True)
                    wait = min(wait, 5.0)
                signals.sleep(wait, wake_fd=waiter.fileno() if waiter is not None else None)
        if waiter is not None:
            waiter.close()
        click.echo("infoview run: stopped", err=True)

    @cli.command()
    @click.option("--days", type=click.IntRange(1, 3660), default=7, show_default=True)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def agenda(app: Any, days: int, as_json: bool) -> None:
        """What will fire when over the next days: in your zone, and the interview's when it differs.

        --json gives each time in the interview's zone."""
        engine = app.engine
        rows = engine.agenda(engine.clock.now() + timedelta(days=days))  # streamed: written as they come
        people = engine.people_due(engine.clock.now() + timedelta(days=days))
        if as_json:
            emit_json_stream(chain(({"interview": i.id, "contact": i.contact.name, "timer": t,
                                     "due": due.astimezone(i.tz).isoformat(timespec="seconds")} for i, t, due in rows),
                                   ({"person": p.id, "contact": p.name, "timer": "keep-in-touch",
                                     "due": due.isoformat(timespec="seconds")} for p, due in people)))
            return
        for p, due in people:
            click.echo(f"{yours_and_theirs(due, engine.zone, engine.zone):<28} {'keep-in-touch':<14} person {p.id} "
                       f"({p.name})")
        shown = bool(people)
        for i, t, due in rows:
            shown = True
            click.echo(f"{yours_and_theirs(due, i.timezone, engine.zone):<28} {t:<14} interview {i.id} "
                       f"({i.contact.name})")
        if not shown:
            click.echo(f"nothing in the next {days} days")

