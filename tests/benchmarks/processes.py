"""Whole CLI processes timed as an installed user runs them.

A `pip install` compiles every module to bytecode (`__pycache__/*.pyc`) once; a development
environment may set PYTHONDONTWRITEBYTECODE=1 (this one does), and then every process compiles
every module it imports from source again, which costs about as much as the whole of a bare
`import click, sqlite3`. The children these benchmarks time therefore run WITHOUT that variable,
and each command is run once before it is timed (`warmed`): that run writes the .pyc files of
everything it imports, as the install would have, and fills the home's cache of parsed workflow
and question-set files (`<home>/cache/yaml/`), as the first command in any home does.
"""
from __future__ import annotations

import os
import subprocess
from typing import Callable


def installed_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no INFOVIEW_* settings, bytecode written and used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def warmed(fn: Callable[[], object]) -> Callable[[], object]:
    """`fn`, run once now (bytecode written, caches filled) so that every timed run is cold only
    in the way a user's next command is: a new process."""
    fn()
    return fn


def run_quietly(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
