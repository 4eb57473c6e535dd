"""CLI commands: `questions list|show`, `prep`, `thanks`, `report`. Thin: each gathers what it
needs from the engine and hands it to the pure functions next door."""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from infoview import InfoviewError
from infoview.cli.ids import ID_TYPE
from infoview.suggest import did_you_mean

if TYPE_CHECKING:  # the models and renderers are imported when a command runs, not at CLI start-up
    from infoview import Interview, QuestionSet

PREP_PURPOSES = ("answer", "ask")


def prep_sets(interview: Interview, workflow: Any, question_sets: dict[str, QuestionSet]) -> list[QuestionSet]:
    """The sets a brief shows: the answer/ask sets attached to the workflow's initial state (where
    preparing starts) and to the interview's current state; answer sets first, each once."""
    states = workflow.states
    ids = list(states[workflow.initial].questions)
    if interview.state in states:
        ids += list(states[interview.state].questions)
    chosen: dict[str, QuestionSet] = {}
    for set_id in ids:
        qset = question_sets.get(set_id)
        if qset is not None and qset.purpose in PREP_PURPOSES:
            chosen.setdefault(set_id, qset)
    return sorted(chosen.values(), key=lambda s: PREP_PURPOSES.index(s.purpose))


def set_summary(qset: QuestionSet) -> dict[str, Any]:
    return {"id": qset.id, "title": qset.title, "purpose": qset.purpose, "questions": len(qset.questions)}


def find_set(question_sets: dict[str, QuestionSet], set_id: str) -> QuestionSet:
    if set_id not in question_sets:
        raise InfoviewError(f"unknown question set '{set_id}'" + did_you_mean(set_id, question_sets)
                            + "; see 'infoview questions list'")
    return question_sets[set_id]


def render_set_text(qset: QuestionSet) -> str:
    lines = [f"{qset.title} ({qset.id}, purpose: {qset.purpose})"]
    if qset.description:
        lines.append(qset.description.strip())
    lines.append("")
    for q in qset.questions:
        flags = ", ".join(f for f, on in (("required", q.required), ("one per line", q.many)) if on)
        lines.append(f"  {q.key:<20} {q.text}" + (f"  [{flags}]" if flags else ""))
        if q.hint:
            lines.append(f"  {'':<20} {q.hint}")
    return "\n".join(lines) + "\n"


def _workflow_states(engine: Any) -> list[str]:
    """Every workflow's states, in file order, without repeats: the report's rows."""
    seen: dict[str, None] = {}
    for wf in engine.registry.workflows.values():
        seen.update(dict.fromkeys(wf.states))
    return list(seen)


def add_commands(cli: click.Group) -> None:
    cli.add_command(questions)
    cli.add_command(prep)
    cli.add_command(thanks)
    cli.add_command(report)


@click.group()
def questions() -> None:
    """Question sets: what to answer, what to ask, what to note, how to evaluate."""


@questions.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_sets(app: Any, as_json: bool) -> None:
    """List every question set, built-in and your own."""
    sets = sorted(app.engine.registry.question_sets.values(), key=lambda s: (s.purpose, s.id))
    if as_json:
        click.echo(json.dumps([set_summary(s) for s in sets], indent=2))
        return
    for s in sets:
        click.echo(f"{s.id:<22} {s.purpose:<9} {len(s.questions):>3}  {s.title}")


@questions.command("show")
@click.argument("set_id", metavar="SET")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show_set(app: Any, set_id: str, as_json: bool) -> None:
    """Show one question set's questions."""
    qset = find_set(app.engine.registry.question_sets, set_id)
    if as_json:
        click.echo(json.dumps(qset.model_dump(mode="json"), indent=2))
    else:
        click.echo(render_set_text(qset), nl=False)


@click.command()
@click.argument("interview_id", metavar="ID", type=ID_TYPE)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.pass_obj
def prep(app: Any, interview_id: int, fmt: str) -> None:
    """Print the preparation brief for an interview."""
    engine = app.engine
    interview = engine.get(interview_id)
    workflow = engine.registry.workflows[interview.workflow]
    from infoview.meanings import meanings_of

    from .brief import build_brief, render_brief_md
    brief = build_brief(interview, prep_sets(interview, workflow, engine.registry.question_sets),
                        engine.clock.now(), meanings_of([workflow]), engine.zone)
    click.echo(json.dumps(brief, indent=2) if fmt == "json" else render_brief_md(brief), nl=fmt == "json")


@click.command()
@click.argument("interview_id", metavar="ID", type=ID_TYPE)
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True)
@click.pass_obj
def thanks(app: Any, interview_id: int, fmt: str) -> None:
    """Draft a thank-you note from the interview's notes (yours to edit and send)."""
    engine = app.engine
    from .thanks import draft_thanks_for_home
    click.echo(draft_thanks_for_home(engine.get(interview_id), engine.home, fmt,  # type: ignore[arg-type]
                                     engine.registry.template_fields), nl=False)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def report(app: Any, as_json: bool) -> None:
    """Counts by state, overdue steps, to-dos, referrals and follow-ups due this week."""
    engine = app.engine
    from infoview.meanings import meanings_of

    from .report import build_report, report_lines, store_names

    # Streamed in and out: memory holds what the report shows, not every interview, nor its text.
    data = build_report(engine.store.interviews(), engine.clock.now(), _workflow_states(engine),
                        meanings_of(engine.registry.workflows.values()), engine.store.todos(),
                        store_names(engine.store))
    chunks = json.JSONEncoder(indent=2).iterencode(data) if as_json else report_lines(data, engine.zone)
    write = sys.stdout.write
    for chunk in chunks:
        write(chunk)
    if as_json:
        write("\n")
