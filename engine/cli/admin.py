"""Housekeeping: plugins, the outbox, the database."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from .ids import ID_TYPE
from .output import LIMIT, SCREENFUL, emit_json, emit_json_stream, more_hint, paged

# The outbox's default view shows jobs done this recently besides every job not done.
RECENT = timedelta(days=7)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def plugins(app: Any, as_json: bool) -> None:
        """Loaded plugins, their hooks and what they registered."""
        host = app.host
        app.engine.registry  # noqa: B018 - registering fills in what each plugin gave
        rows = [{"name": p.name, "module": p.module, "distribution": p.distribution, "version": p.version,
                 "builtin": p.builtin, "hooks": host.hooks_of(p.name), "registered": p.registered}
                for p in host.info.values()]
        if as_json:
            emit_json({"plugins": rows, "warnings": host.warnings})
            return
        for r in rows:
            origin = "built-in" if r["builtin"] else f"{r['distribution']} {r['version']}"
            click.echo(f"{r['name']}  ({origin})")
            click.echo(f"    hooks: {', '.join(r['hooks'])}")
            for kind, names in r["registered"].items():
                click.echo(f"    {kind}: {', '.join(names)}")

    @cli.group(invoke_without_command=True)
    @click.option("--all", "everything", is_flag=True, help="Every job, also those done more than a week ago.")
    @click.option("--failed", is_flag=True,
                  help="Only jobs that wait for you: failed, found no channel, or unsure whether they went out.")
    @click.option("--unsure", is_flag=True,
                  help="Only jobs cut off mid-send (infoview was stopped): they may or may not have gone out.")
    @LIMIT
    @click.option("--after", type=click.IntRange(0), default=0, metavar="ID", help="Only jobs with a higher id.")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    def outbox(ctx: click.Context, everything: bool, failed: bool, unsure: bool, limit: int | None, after: int,
               as_json: bool) -> None:
        """What needs attention: jobs waiting, failed or unsure, and those done in the last week.

        `--all` lists every job; `infoview outbox retry ID` runs a failed or unsure job again;
        `infoview outbox prune --older-than 90d` deletes jobs done long ago."""
        if ctx.invoked_subcommand:
            return
        from ..outbox import STUCK, UNSURE

        app = ctx.obj
        states = STUCK if failed else (UNSURE,) if unsure else ()
        recent = None if everything or states else app.clock.now() - RECENT
        jobs, more = paged(app.store.jobs(states, after=after, done_since=recent), limit, as_json)
        if as_json:
            emit_json_stream(j.to_dict() for j in jobs)
            return
        last = None
        for j in jobs:
            nxt = f" next {j.next_attempt:%Y-%m-%d %H:%M}Z" if j.state == "pending" else ""
            err = f"  {j.last_error}" if j.last_error else ""
            click.echo(f"{j.id:>5}  {j.state:<10} interview {j.interview_id:<4} {j.action:<8} {j.cause:<22} "
                       f"tries {j.attempts}{nxt}{err}")
            last = j
        if last is None:
            click.echo(f"no {' or '.join(states)} jobs in the outbox" if states else
                       "the outbox is empty" if everything else
                       "nothing in the outbox needs attention (`infoview outbox --all` lists every job)")
        elif more():
            more_hint(limit or SCREENFUL, f"`infoview outbox --after {last.id}`")

    @outbox.command()
    @click.option("--older-than", "older_than", required=True, metavar="DURATION",
                  help="Delete jobs done longer ago than this, e.g. 90d or 12w.")
    @click.pass_obj
    def prune(app: Any, older_than: str) -> None:
        """Delete jobs done long ago, with what plugins kept about them (one transaction).

        Jobs not done (waiting, failed, unsure) are never pruned."""
        from ..durations import parse_duration
        from ..errors import UsageError

        try:
            age = parse_duration(older_than)
        except ValueError as e:
            raise UsageError(f"--older-than: {e}") from None
        with app.store.transaction() as tx:
            n = tx.prune_jobs(app.clock.now() - age)
        click.echo(f"pruned {n} outbox job{'' if n == 1 else 's'} done more than {older_than} ago")

    @outbox.command()
    @click.argument("job_id", metavar="ID", type=ID_TYPE)
    @click.pass_obj
    def retry(app: Any, job_id: int) -> None:
        """Run a failed or unsure job again now; exit 1 unless it is then done.

        An unsure notification goes again only to the channels that may have missed it."""
        job = app.engine.outbox.retry(job_id)
        why = f"  {job.last_error}" if job.state != "done" and job.last_error else ""
        click.echo(f"outbox job {job_id}: {job.state}{why}")
        if job.state != "done":
            raise click.exceptions.Exit(1)

    @cli.group()
    def db() -> None:
        """The database: rebuild projections, back up, compact."""

    @db.command()
    @click.pass_obj
    def rebuild(app: Any) -> None:
        """Rebuild every interview from its event log."""
        n = app.engine.rebuild()
        click.echo(f"rebuilt {n} interviews from the event log")

    @db.command()
    @click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    def backup(app: Any, target: Path) -> None:
        """Copy the database to TARGET safely while it may be in use (SQLite's online backup)."""
        app.engine.store.backup(target)
        click.echo(f"backed up to {target}")

    @db.command("copy")
    @click.option("--to", "to", required=True, metavar="URL|FILE",
                  help="The empty database to copy into: a postgresql:// URL, a home folder (its infoview.db), "
                       "or a SQLite file (NAME.db).")
    @click.pass_obj
    def copy(app: Any, to: str) -> None:
        """Copy everything into another, empty database: SQLite to PostgreSQL or back. All or nothing."""
        from ..errors import InfoviewError
        from ..store import DATABASE_FILE, SqliteStore, is_url, open_store
        from ..store.copying import copy_store

        source = app.store
        made: Path | None = None  # a SQLite file this command creates, removed again if the copy fails
        if is_url(to):
            target = open_store(app.home, to)
        else:
            path = Path(to).expanduser()
            # A folder (existing, or a name without a suffix such as NEWHOME/) is a home: its infoview.db.
            path = path / DATABASE_FILE if path.is_dir() or to.endswith("/") or not path.suffix else path
            made = None if path.exists() else path
            target = SqliteStore(path)
        if target.location == source.location:
            raise InfoviewError(f"{target.location} is the database being copied; name another one")
        try:
            counts = copy_store(source, target)
        except BaseException:
            target.close()
            for leftover in ([made, *(made.with_name(made.name + s) for s in ("-wal", "-shm"))] if made else []):
                leftover.unlink(missing_ok=True)
            raise
        target.close()
        click.echo(f"copied {counts['interviews']} interviews, {counts['events']} events, {counts['outbox']} outbox "
                   f"jobs, {counts['marks']} marks and {counts['people']} people ({counts['person_events']} person "
                   f"events) from {source.location} to {target.location}")

    @db.command()
    @click.pass_obj
    def compact(app: Any) -> None:
        """Rewrite the database file so that nothing erased (`person forget`) lingers in it."""
        app.store.compact()
        click.echo(f"compacted {app.store.location}")
