"""Built-in question sets and what is built on them: the preparation brief, interactive
prompting for notes and evaluations, the thank-you draft and the weekly report."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from engine import templates
from engine.hookspecs import hookimpl

from .brief import short_brief
from .setfiles import builtin_set_files, load_home_sets
from . import thanks as _thanks  # noqa: F401  (registers the contact.first_name and thanks.* fields)

if TYPE_CHECKING:
    import click

# A notification body can say "{brief}": a few lines, not the whole markdown brief.
templates.register_field("brief", short_brief)


@hookimpl(trylast=True)
def infoview_register_question_sets(register: Callable[..., None], home: Path) -> None:
    """The built-in sets, then the user's own from `<home>/questions/*.yaml` (a broken file there
    is reported with file:line:col by the host, and the built-in sets stay registered)."""
    for entry in builtin_set_files():
        register(entry)
    for qset in load_home_sets(home):
        register(qset)


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .commands import add_commands  # lazily: click commands are only built when the CLI runs

    add_commands(cli)
