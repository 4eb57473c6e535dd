"""`infoview workflow ...`: list, show, check, schema, graph."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .output import emit_json

if TYPE_CHECKING:  # the definition models are imported when a workflow command runs, not at start-up
    from ..registry import Registry
    from ..workflow import Workflow


def _workflow_or_file(app: Any, name_or_file: str) -> Workflow:
    """A registered workflow by name, else a workflow file loaded and checked as `workflow check`
    does (its problems printed, exit 1). A name never has a `.` or a `/`, so `./coffee` is a file."""
    reg: Registry = app.engine.registry
    if name_or_file in reg.workflows:
        return reg.workflows[name_or_file]
    path = Path(name_or_file)
    if not (path.suffix or "/" in name_or_file or os.sep in name_or_file or path.exists()):
        return reg.workflow(name_or_file)  # NotFound, with "did you mean"
    from ..definition import load_workflow
    from ..errors import DefinitionError

    try:
        return load_workflow(path, reg.catalog)
    except DefinitionError as e:
        for p in e.problems:
            click.echo(str(p), err=True)
        raise click.exceptions.Exit(1) from None


def register(cli: click.Group) -> None:
    @cli.group()
    def workflow() -> None:
        """Workflow definition files: list, show, check, schema, graph."""

    @workflow.command(name="list")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def list_(app: Any, as_json: bool) -> None:
        """The workflows plugins and your home provide."""
        reg = app.engine.registry
        rows = [{"name": wf.name, "title": wf.title, "source": wf.source,
                 "plugin": reg.origin.get(("workflow", wf.name))} for wf in reg.workflows.values()]
        if as_json:
            emit_json(rows)
        for r in [] if as_json else rows:
            click.echo(f"{r['name']:<28} {r['title']}  ({r['source']})")

    @workflow.command()
    @click.argument("name")
    @click.pass_obj
    def show(app: Any, name: str) -> None:
        """States (with what each means), events and timers of a workflow."""
        from ..timers import describe as describe_timer

        wf = app.engine.registry.workflow(name)
        click.echo(f"{wf.name}: {wf.title}\n  from {wf.source}\nstates:")
        for sname, st in wf.states.items():
            extra = [f"requires {', '.join(st.requires)}"] if st.requires else []
            extra += [f"not before {st.not_before}"] if st.not_before else []
            extra += [f"questions {', '.join(st.questions)}"] if st.questions else []
            extra += ["final"] if st.final else []
            extra.append(f"means {st.means}")
            events = ", ".join(wf.allowed.get(sname, []))
            click.echo(f"  {sname:<12} {'(initial) ' if sname == wf.initial else ''}events: {events or '-'}"
                       + (f"; {'; '.join(extra)}" if extra else ""))
        if wf.timers:
            click.echo("timers:")
            for t in wf.timers:
                click.echo(f"  {t.id:<14} {describe_timer(t)} in {', '.join(sorted(t.when))}")

    @workflow.command()
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.pass_obj
    def check(app: Any, files: tuple[Path, ...]) -> None:
        """Check workflow files; print every problem as file:line:col and exit 1 if any."""
        from ..definition import load_workflow
        from ..errors import DefinitionError
        from ..registry import Registry

        # The names files may use (actions, guards, question sets, fields). A checked file that is
        # also in the home is not warned about while loading them: its problems are listed below.
        catalog = Registry(app.host, app.home, quiet=frozenset(p.resolve() for p in files)).catalog
        bad = 0
        for path in files:
            try:
                wf = load_workflow(path, catalog)
            except DefinitionError as e:
                bad += 1
                for p in e.problems:
                    click.echo(str(p), err=True)
                continue
            click.echo(f"{path}: ok ({wf.name}: {len(wf.states)} states, {len(wf.table)} transitions, "
                       f"{len(wf.timers)} timers)")
        if bad:
            raise click.exceptions.Exit(1)

    @workflow.command()
    def schema() -> None:
        """The JSON Schema of workflow files (for editors: yaml-language-server)."""
        from ..definition import json_schema

        click.echo(json.dumps(json_schema(), indent=2))

    @workflow.command()
    @click.argument("name_or_file", metavar="NAME|FILE")
    @click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
    @click.pass_obj
    def graph(app: Any, name_or_file: str, fmt: str) -> None:
        """Draw a workflow (a registered NAME, or a FILE you are writing) as a Mermaid state
        diagram or Graphviz DOT."""
        from ..graph import draw

        click.echo(draw(_workflow_or_file(app, name_or_file), fmt))
