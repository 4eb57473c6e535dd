"""infoview: carry informational interviews from the first plan to the follow-up.

This module is the public API for plugin authors (docs/plugins.md documents every name):

    from infoview import hookimpl, ActionSpec, ActionContext, ActionResult, GuardSpec, TemplateFieldSpec

Names are imported on first use, so that `import infoview.cli` (every command's start-up) does not
pay for pydantic models a command may never need.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actions import ActionContext, ActionResult, ActionSpec, GuardSpec
    from .errors import InfoviewError
    from .hookspecs import hookimpl
    from .machine import TransitionView
    from .model import Event, Interview
    from .questions import Question, QuestionSet
    from .templates import TemplateFieldSpec

# public name -> the module (under infoview) that defines it
_EXPORTS: dict[str, str] = {
    "hookimpl": "hookspecs",
    "ActionSpec": "actions",
    "ActionContext": "actions",
    "ActionResult": "actions",
    "GuardSpec": "actions",
    "InfoviewError": "errors",
    "TransitionView": "machine",
    "Event": "model",
    "Interview": "model",
    "Question": "questions",
    "QuestionSet": "questions",
    "TemplateFieldSpec": "templates",
}

# Written out, not computed from _EXPORTS, so that type checkers see what is public
# (tests/core/test_public_api.py checks that the two agree).
__all__ = [
    "ActionContext", "ActionResult", "ActionSpec", "Event", "GuardSpec", "InfoviewError", "Interview", "Question",
    "QuestionSet", "TemplateFieldSpec", "TransitionView", "hookimpl",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'infoview' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
