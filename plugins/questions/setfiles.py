"""Question-set files: the built-in ones and a user's own in `<home>/questions/*.yaml`.

A file holds one set (a mapping with `id`, `title`, `purpose`, `questions`) or several under
`sets:`. Everything is checked here, before the host registers anything, so that each mistake
is reported at its own `file:line:col` rather than as one pydantic dump for the whole file.
Pure functions: the plugin loader calls them; nothing is cached or kept here.
"""
from __future__ import annotations

import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from engine.errors import DefinitionError, Problem
from engine.questions import KEY_PATTERN, Question, QuestionSet
from engine.suggest import did_you_mean
from engine.yamlsource import Document, Path_, load_file, load_text

SET_FIELDS = set(QuestionSet.model_fields)
QUESTION_FIELDS = set(Question.model_fields)
HOME_DIR = "questions"


def builtin_set_files() -> list[Traversable]:
    """The YAML files shipped in `plugins/questions/sets/`, in name order."""
    folder = files(__package__).joinpath("sets")
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)


def builtin_sets() -> list[QuestionSet]:
    return [s for entry in builtin_set_files() for s in parse_sets(_load(entry))]


def validate_set_file(path: Path | Traversable) -> list[QuestionSet]:
    """Read and check one question-set file; raise `DefinitionError` listing every problem."""
    return parse_sets(_load(path))


def load_home_sets(home: Path, reserved: Iterable[str] | None = None) -> list[QuestionSet]:
    """Every set in `<home>/questions/*.yaml`, checked. Ids must be unique across those files and
    must not take a built-in id (`reserved` defaults to the built-in sets' ids). A missing folder
    simply means no custom sets."""
    folder = home / HOME_DIR
    if not folder.is_dir():
        return []
    taken: dict[str, str] = {s: "a built-in set" for s in (reserved if reserved is not None else _builtin_ids())}
    out: list[QuestionSet] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = load_file(path)
            sets = parse_sets(doc)
        except DefinitionError as e:
            problems.extend(e.problems)
            continue
        for prefix, qset in zip(_set_prefixes(doc.data), sets):
            if qset.id in taken:
                problems.append(doc.problem(prefix + ("id",), f"set id '{qset.id}' is already used by "
                                            f"{taken[qset.id]}; give this set another id"))
                continue
            taken[qset.id] = str(path)
            out.append(qset)
    if problems:
        raise DefinitionError(problems)
    return out


def _builtin_ids() -> list[str]:
    return [s.id for s in builtin_sets()]


def _load(path: Path | Traversable) -> Document:
    if isinstance(path, Path):
        return load_file(path)
    # A file inside the installed package (importlib.resources): no real path, label by name.
    return load_text(path.read_text(encoding="utf-8"), f"plugins/questions/sets/{path.name}")


def _set_prefixes(data: Any) -> list[Path_]:
    """Where each set sits in the document: the root, or `sets[i]`."""
    if isinstance(data, dict) and "sets" in data and isinstance(data["sets"], list):
        return [("sets", i) for i in range(len(data["sets"]))]
    return [()]


def parse_sets(doc: Document) -> list[QuestionSet]:
    """Turn a loaded document into question sets, or raise with every problem's position."""
    data = doc.data
    if data is None:
        raise DefinitionError([doc.problem((), "the file is empty; define a set with id, title, "
                                                "purpose and questions")])
    if not isinstance(data, dict):
        raise DefinitionError([doc.problem((), "expected a mapping with id, title, purpose and questions "
                                                "(or a list of sets under 'sets:')")])
    if "sets" in data:
        extra = [k for k in data if k != "sets"]
        if extra:
            raise DefinitionError([doc.problem((extra[0],), f"unknown field '{extra[0]}' next to 'sets'; "
                                                            "put each set's fields inside the list")])
        if not isinstance(data["sets"], list) or not data["sets"]:
            raise DefinitionError([doc.problem(("sets",), "'sets' should be a non-empty list of sets")])
    problems: list[Problem] = []
    out: list[QuestionSet] = []
    seen_ids: dict[str, Path_] = {}
    for prefix in _set_prefixes(data):
        raw = _get(data, prefix)
        found = _check_set(doc, raw, prefix)
        if found:
            problems.extend(found)
            continue
        try:
            qset = QuestionSet.model_validate(raw)
        except ValidationError as e:
            problems.extend(_pydantic_problems(doc, e, prefix))
            continue
        if qset.id in seen_ids:
            problems.append(doc.problem(prefix + ("id",), f"set id '{qset.id}' appears twice in this file"))
            continue
        seen_ids[qset.id] = prefix
        out.append(qset)
    if problems:
        raise DefinitionError(problems)
    return out


def _check_set(doc: Document, raw: Any, prefix: Path_) -> list[Problem]:
    """The checks pydantic would report vaguely or at the wrong place: do them first, precisely."""
    if not isinstance(raw, dict):
        return [doc.problem(prefix, "a set should be a mapping with id, title, purpose and questions")]
    questions = raw.get("questions")
    if "questions" in raw and (questions is None or questions == []):
        return [doc.problem(prefix + ("questions",), "the set has no questions; add at least one "
                                                     "(key and text)")]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(questions if isinstance(questions, list) else []):
        key = q.get("key") if isinstance(q, dict) else None
        if not isinstance(key, str):
            continue
        where = prefix + ("questions", i, "key")
        if not re.match(KEY_PATTERN, key):
            problems.append(doc.problem(where, f"question key '{key}' is not valid: start with a lower-case "
                                               "letter, then lower-case letters, digits or _"))
        elif key in seen:
            line = doc.where(prefix + ("questions", seen[key], "key"))[0]
            problems.append(doc.problem(where, f"duplicate question key '{key}' (first used on line {line}); "
                                               "every key in a set must be unique"))
        else:
            seen[key] = i
    return problems


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _pydantic_problems(doc: Document, error: ValidationError, prefix: Path_) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        name = str(loc[-1]) if loc else ""
        in_question = len(loc) >= 2 and loc[0] == "questions"
        kind = err["type"]
        if kind == "extra_forbidden":
            known = QUESTION_FIELDS if in_question else SET_FIELDS
            message = f"unknown field '{name}'" + did_you_mean(name, known)
        elif kind == "missing":
            message = f"missing field '{name}'"
            loc = loc[:-1]
        elif kind == "string_pattern_mismatch" and loc == ("id",):
            message = (f"set id '{err.get('input')}' is not valid: start with a lower-case letter, then "
                       "lower-case letters, digits or -")
        elif kind == "literal_error" and loc == ("purpose",):
            message = f"purpose '{err.get('input')}' is not one of answer, ask, notes, evaluate"
        else:
            message = err["msg"].replace("Input should be", "should be").replace("Value error, ", "")
        problems.append(doc.problem(prefix + loc, message))
    return problems
