"""Interactive answers for `note` and `evaluate`, from the question sets of the target state."""
from __future__ import annotations

from typing import Any

import click

from ..errors import InfoviewError


def prompt_for(engine: Any, interview_id: int, event: str, section: str) -> dict[str, Any]:
    interview = engine.get(interview_id)
    wf = engine.registry.workflow(interview.workflow)
    t = wf.table.get((interview.state, event))
    if t is None:
        return {}  # let the engine refuse it with its usual message
    target = wf.states[t.to]
    sets = [engine.registry.question_sets[s] for s in target.questions
            if engine.registry.question_sets[s].section == section]
    answers: dict[str, Any] = {}
    click.echo(f"{interview.contact.name}: answer each question; an empty answer skips it.")
    for qset in sets:
        for q in qset.questions:
            for _ in range(3):
                if q.many:
                    click.echo(f"{q.text} (one per line, empty line to finish)")
                    items = []
                    while True:
                        line = click.prompt(" ", default="", show_default=False, prompt_suffix="")
                        if not line.strip():
                            break
                        items.append(line.strip())
                    value: Any = items
                else:
                    value = click.prompt(q.text, default="", show_default=False).strip()
                if value or not q.required:
                    break
                click.echo(f"'{q.key}' is required here.")
            else:
                raise InfoviewError(f"'{q.key}' is required; nothing was saved")
            if value:
                answers[q.key] = value
    return answers
