"""The core workflow pieces, as a plugin like any other: the shipped workflow, the user's own
workflow files in `<home>/workflows/` (`.yaml` or `.yml`), and the `remind` action (in plugins/remind.py, imported
only when actions are registered, so start-up does not build its pydantic model)."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Callable

from infoview import hookimpl


# tryfirst, here and below: built-in names register before any other plugin's, so they stay theirs.
@hookimpl(tryfirst=True)
def infoview_register_workflows(register: Callable[..., None], home: Path) -> None:
    for entry in sorted(files("infoview.workflows").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            register(entry)
    own = home / "workflows"
    if own.is_dir():
        # `.yml` too; a NAME.yml beside a NAME.yaml is reported by the registry, which loads neither.
        for path in sorted(p for p in own.iterdir() if p.suffix in (".yaml", ".yml")):
            register(path)


@hookimpl(tryfirst=True)
def infoview_register_actions(register: Callable[..., None]) -> None:
    from infoview import ActionSpec

    from .remind import RemindParams, remind

    register(ActionSpec(name="remind", run=remind, params=RemindParams, templates=("title",),
                        description="Record a reminder (shown by `infoview outbox` and `history`)."))
