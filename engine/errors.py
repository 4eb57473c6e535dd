"""Errors a user can act on. The CLI prints them as one line (no traceback unless --debug)."""
from __future__ import annotations

from dataclasses import dataclass


class InfoviewError(Exception):
    """Base class: `str(error)` is the one line shown to the user; `exit_code` is the process's."""

    exit_code = 1


class UsageError(InfoviewError):
    """The command line itself is wrong (a bad option value, a missing argument)."""

    exit_code = 2


class NotFound(InfoviewError):
    """An id or a name that does not exist."""


class Refused(InfoviewError):
    """An event the workflow does not allow now. Nothing was written."""

    def __init__(self, interview_id: int, state: str, event: str, reasons: list[str], allowed: list[str]):
        self.interview_id, self.state, self.event = interview_id, state, event
        # The events the user could fire instead: never the one just refused, even when the state
        # allows it in general (it was refused for a reason, such as being too early).
        self.reasons, self.allowed = reasons, [e for e in allowed if e != event]
        why = "; ".join(reasons)
        if self.allowed:
            now = ", ".join(self.allowed)
        else:
            now = "nothing else" if allowed else "nothing (final state)"
        super().__init__(f"interview {interview_id} is {state}: {why}; allowed now: {now}")


class PluginFailed(InfoviewError):
    """A plugin raised while deciding whether a change may happen (a transition check or a
    guard). The change is refused and nothing is written; a timer records it as refused."""


class Conflict(InfoviewError):
    """Another process changed the interview between our read and our write."""


class Unavailable(InfoviewError):
    """The shared database cannot be reached now (a lost connection); trying again may work."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, with where it is."""

    file: str
    line: int
    col: int
    message: str
    path: str = ""

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {self.message}{where}"


class DefinitionError(InfoviewError):
    """A file (workflow, question set, answers) that does not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
