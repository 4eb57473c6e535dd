"""Ids typed on the command line: a number past what the store can hold is refused by click, as a
usage error, before it reaches the store (where SQLite would overflow)."""
from __future__ import annotations

import click

from ..limits import MAX_ID

ID_TYPE = click.IntRange(1, MAX_ID)
