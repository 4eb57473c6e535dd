"""Built-in question sets and what is built on them: the preparation brief, interactive
prompting for notes and evaluations, the thank-you draft and the weekly report."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from infoview import hookimpl

if TYPE_CHECKING:
    import click

# Everything else is imported inside the hooks: this module is loaded on every CLI start, and the
# question-set models and templates are only needed once the registry is built.


# tryfirst: the built-in sets register before any other plugin's, so their ids stay theirs.
@hookimpl(tryfirst=True)
def infoview_register_question_sets(register: Callable[..., None], home: Path) -> None:
    """The built-in sets, then the user's own from `<home>/questions/` (a problem in a file there is
    the user's to fix: a warning at its file:line:col, and that set is left out)."""
    import logging

    from .setfiles import builtin_set_files, home_sets

    for entry in builtin_set_files():
        register(entry)
    sets, problems = home_sets(home)
    for problem in problems:
        logging.getLogger("infoview.questions").warning("%s", problem)
    for qset in sets:
        register(qset)


# trylast: these are defaults; a plugin may register its own `{brief}` or `{contact.first_name}`.
@hookimpl(trylast=True)
def infoview_register_template_fields(register: Callable[..., None]) -> None:
    """`{brief}` (a notification body can carry a few lines, not the whole markdown brief),
    `{contact.first_name}` and the thank-you note's `{thanks.*}` paragraphs."""
    from .fields import template_fields

    for spec in template_fields():
        register(spec)


@hookimpl
def infoview_register_commands(cli: "click.Group") -> None:
    from .commands import add_commands  # lazily: click commands are only built when the CLI runs

    add_commands(cli)
