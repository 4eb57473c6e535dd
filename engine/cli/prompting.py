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
    _line_editing()
    return prompt_answers([s for s in sets if s.section == section])


def _line_editing() -> None:
    """Once `readline` is imported, input() reads a terminal's line through it: the arrow keys move
    the cursor, Home/End and backspace work, where otherwise the arrow keys' escape codes would
    end up in the answer. Only here, on the way to asking at a terminal: nothing else needs it."""
    try:
        import readline  # noqa: F401  (imported for its effect on input())
    except ImportError:  # a Python built without it: the terminal's own line editing remains
        pass
