"""The `remind` action: records a reminder's text without sending it anywhere."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from infoview import ActionContext, ActionResult


class RemindParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str


def remind(ctx: ActionContext) -> ActionResult:
    """Records the reminder's text; `infoview outbox` shows it."""
    return ActionResult(ok=True, detail=ctx.render(ctx.params.title))
