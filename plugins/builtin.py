"""The core workflow pieces, as a plugin like any other: the shipped workflow, the user's own
workflow files in `<home>/workflows/`, and the `remind` action."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, ConfigDict

from engine.actions import ActionContext, ActionResult, ActionSpec
from engine.hookspecs import hookimpl


class RemindParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str


def remind(ctx: ActionContext) -> ActionResult:
    """Records the reminder's text; `infoview outbox` and `history` show it."""
    return ActionResult(ok=True, detail=ctx.render(ctx.params.title))


@hookimpl(trylast=True)
def infoview_register_workflows(register: Callable[..., None], home: Path) -> None:
    for entry in sorted(files("workflows").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            register(entry)
    own = home / "workflows"
    if own.is_dir():
        for path in sorted(own.glob("*.yaml")):
            register(path)


@hookimpl(trylast=True)
def infoview_register_actions(register: Callable[..., None]) -> None:
    register(ActionSpec(name="remind", run=remind, params=RemindParams, templates=("title",),
                        description="Record a reminder (shown by `infoview outbox` and `history`)."))
