"""Interactive answers for `note` and `evaluate`, from the question sets of the target state."""
from __future__ import annotations

from typing import Any

from .prompt_answers import prompt_answers


def prompt_for(engine: Any, interview_id: int, event: str, section: str) -> dict[str, Any]:
    """Ask the questions whose answers `event` stores in `section` (notes or evaluation)."""
    interview = engine.get(interview_id)
    wf = engine.registry.workflow(interview.workflow)
    t = wf.table.get((interview.state, event))
    if t is None:
        return {}  # let the engine refuse it with its usual one-line message
    sets = [engine.registry.question_sets[s] for s in wf.states[t.to].questions]
    return prompt_answers([s for s in sets if s.section == section])
