"""Built-in question sets: what to be ready to answer, what to ask, what to note, how to evaluate."""
from __future__ import annotations

from importlib.resources import files
from typing import Callable

from engine.hookspecs import hookimpl


@hookimpl(trylast=True)
def infoview_register_question_sets(register: Callable[..., None]) -> None:
    for entry in sorted(files(__package__).joinpath("sets").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            register(entry)
