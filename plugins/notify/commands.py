"""`infoview notify test`: send a test message per tag and say, per channel, whether it arrived."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from infoview import InfoviewError

if TYPE_CHECKING:
    from .send import Outcome

# The channels and sending are imported by the commands that use them: this module is imported
# on every CLI start (to add `notify test`), which must not pay for them.

TITLE = "infoview test message"


@click.group()
def notify() -> None:
    """Notifications: check the apprise channels infoview sends to."""


@notify.command("test")
@click.option("--tag", "tags", multiple=True, metavar="TAG",
              help="Only the channels with this tag (repeatable). Default: every tag in the config.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per channel, as a list.")
@click.pass_obj
def test_command(app: Any, tags: tuple[str, ...], as_json: bool) -> None:
    """Send a test message to each tag's channels; exit 1 if any channel failed."""
    from .channels import load

    engine = app.engine
    channels = load(engine.home, engine.config)
    for problem in channels.problems:
        click.echo(f"warning: {channels.path}: {problem}", err=True)
    outcomes = run_test(engine.home, engine.config, list(tags))
    if as_json:
        click.echo(json.dumps([o.to_dict() for o in outcomes], indent=2))
    else:
        width = max(len(o.tag) for o in outcomes)
        for o in outcomes:
            status = "ok    " if o.ok else "FAILED"
            click.echo(f"{status}  {o.tag:<{width}}  {o.channel}" + (f"  {o.reason}" if o.reason else ""))
    failed = sum(not o.ok for o in outcomes)
    if failed:
        if not as_json:
            click.echo(f"{failed} of {len(outcomes)} channels failed", err=True)
        raise click.exceptions.Exit(1)


def run_test(home: Path, config: dict[str, Any], tags: list[str]) -> list[Outcome]:
    """Send one test message per tag (default: each tag of the config) and return every outcome."""
    from .channels import load
    from .send import send

    channels = load(home, config)
    known = channels.tags
    wanted = [t.strip().lower() for t in tags] or known
    if not wanted:
        raise InfoviewError(f"no channel in {channels.path} has a tag; infoview sends by tag only, "
                            "so give each URL one (e.g. `tag: reminders`)")
    unknown = [t for t in wanted if not channels.tagged(t)]
    if unknown:
        have = ", ".join(known) if known else "none"
        raise InfoviewError(f"no channel is tagged '{unknown[0]}' in {channels.path} (tags there: {have})")
    outcomes: list[Outcome] = []
    for tag in wanted:
        body = f"This is a test from `infoview notify test` to the channels tagged '{tag}'."
        outcomes.extend(send(channels, tag, TITLE, body))
    return outcomes
