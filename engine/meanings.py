"""What a workflow's states mean to the plugins that show interviews.

The engine only moves interviews between named states; the calendar feed and the report need to
know more: is this interview still to be confirmed, has the conversation happened, is it done, was
it called off? A workflow file says so with one word per state (`means:`), from the short list
below, so that a custom workflow shows correctly without any plugin knowing its state names.

Plain data, no pydantic: the definition models validate the word, the compiled workflow carries
it, and the plugins read it through `meaning_of`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from .model import Interview
    from .workflow import Workflow

# The meanings, in the order an interview usually goes through them, each with what it tells
# the plugins. The texts are also the JSON Schema's descriptions.
MEANINGS: dict[str, str] = {
    "unconfirmed": "Arranged but not yet confirmed: the calendar shows it as tentative; the report asks you "
                   "to confirm it the day before, and once its start has passed, to mark it held or reschedule.",
    "confirmed": "Confirmed and still ahead: the calendar shows it as confirmed.",
    "held": "The conversation took place and notes are still to write: the report asks for notes a day "
            "after it ended, and for a thank-you note.",
    "noted": "Notes written, the evaluation still to do: the report asks for the evaluation two days later, "
             "and for a thank-you note.",
    "done": "Nothing left but thanks and follow-ups: the report lists the follow-ups that fall due.",
    "cancelled": "Called off: the calendar shows it as cancelled; no alarm, no to-do, no reminders in the report.",
}

# workflow name -> state -> meaning
WorkflowMeanings = Mapping[str, Mapping[str, str]]


def default_meaning(state: str, *, initial: bool, final: bool, not_before: str | None) -> str:
    """The meaning of a state whose file does not say `means:`. A state named after a meaning
    means that one; otherwise a final state is done, a state entered only once the conversation
    began (`not_before`) is held, the initial state is unconfirmed, and any other is confirmed."""
    if state in MEANINGS:
        return state
    if final:
        return "done"
    if not_before is not None:
        return "held"
    return "unconfirmed" if initial else "confirmed"


def meanings_of(workflows: Iterable[Workflow]) -> dict[str, dict[str, str]]:
    """The meanings of every state of the given workflows, for the plugins' pure functions."""
    return {wf.name: {name: state.means for name, state in wf.states.items()} for wf in workflows}


def meaning_of(interview: Interview, meanings: WorkflowMeanings) -> str:
    """What the interview's current state means. For a workflow the caller did not pass (its file
    was removed since), the state's name decides as in a file without `means:`, so at worst an
    interview shows as confirmed with nothing asked of it."""
    known = meanings.get(interview.workflow, {}).get(interview.state)
    return known or default_meaning(interview.state, initial=False, final=False, not_before=None)
