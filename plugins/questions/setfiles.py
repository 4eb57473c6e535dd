"""Question-set files: the built-in ones and a user's own in `<home>/questions/` (`*.yaml` or `*.yml`).

A file holds one set (a mapping with `id`, `title`, `purpose`, `questions`) or several under
`sets:`. Everything is checked here, before the host registers anything, so that each mistake
is reported at its own `file:line:col` rather than as one pydantic dump for the whole file.
Pure functions: the plugin loader calls them; nothing is kept here (parsed files are kept in the
home's cache, engine/yamlcache.py, when a home is given).
"""
from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterable

from infoview.errors import DefinitionError, Problem
from infoview import QuestionSet
from infoview.questions import parse_sets, set_prefixes
from infoview.yamlcache import load_source
from infoview.yamlsource import Document, yaml_files

HOME_DIR = "questions"


def builtin_set_files() -> list[Traversable]:
    """The YAML files shipped in `plugins/questions/sets/`, in name order."""
    folder = files(__package__).joinpath("sets")
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)


def builtin_sets(home: Path | None = None) -> list[QuestionSet]:
    """`home`: parse the files through that home's cache (engine/yamlcache.py)."""
    return [s for entry in builtin_set_files() for s in parse_sets(_load(entry, home))]


def validate_set_file(path: Path | Traversable) -> list[QuestionSet]:
    """Read and check one question-set file; raise `DefinitionError` listing every problem."""
    return parse_sets(_load(path))


def load_home_sets(home: Path, reserved: Iterable[str] | None = None) -> list[QuestionSet]:
    """Every set in `<home>/questions/*.yaml` (and `*.yml`), checked. Ids must be unique across those
    files and must not take a built-in id (`reserved` defaults to the built-in sets' ids). A missing
    folder simply means no custom sets. Raise `DefinitionError` listing every problem, if any."""
    sets, problems = home_sets(home, reserved)
    if problems:
        raise DefinitionError(problems)
    return sets


def home_sets(home: Path, reserved: Iterable[str] | None = None) -> tuple[list[QuestionSet], list[Problem]]:
    """The good sets of `<home>/questions/` and every problem of the others, each at its place: a
    broken file leaves the good ones usable."""
    folder = home / HOME_DIR
    if not folder.is_dir():
        return [], []
    taken: dict[str, str] = {s: "a built-in set" for s in (reserved if reserved is not None else _builtin_ids(home))}
    out: list[QuestionSet] = []
    paths, problems = yaml_files(folder)  # .yaml and .yml; NAME.yaml beside NAME.yml is a problem
    for path in paths:
        try:
            doc = _load(path, home)
            sets = parse_sets(doc)
        except DefinitionError as e:
            problems.extend(e.problems)
            continue
        for prefix, qset in zip(set_prefixes(doc.data), sets, strict=True):
            if qset.id in taken:
                problems.append(doc.problem(prefix + ("id",), f"set id '{qset.id}' is already used by "
                                            f"{taken[qset.id]}; give this set another id"))
                continue
            taken[qset.id] = str(path)
            out.append(qset)
    return out, problems


def _builtin_ids(home: Path | None) -> list[str]:
    return [s.id for s in builtin_sets(home)]


def _load(path: Path | Traversable, home: Path | None = None) -> Document:
    label = str(path) if isinstance(path, Path) else f"plugins/questions/sets/{path.name}"
    return load_source(path, label, home)
