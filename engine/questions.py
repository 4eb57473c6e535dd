"""Question sets: what to be ready to answer, what to ask, what to note, how to evaluate.

A set's purpose decides how it is used: `answer` and `ask` sets go into the preparation brief;
`notes` and `evaluate` sets define the answer keys that `note` and `evaluate` accept (stored in
the interview's `notes` and `evaluation`) and that a state's `requires` can check.
"""
from __future__ import annotations

import re
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import DefinitionError, Problem
from .suggest import did_you_mean
from .yamlcache import load_source
from .yamlsource import Document, Path_

Purpose = Literal["answer", "ask", "notes", "evaluate"]
SECTION_OF: dict[str, str] = {"notes": "notes", "evaluate": "evaluation"}

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY_PATTERN)
    text: str = Field(min_length=1)
    category: str | None = None
    hint: str | None = None
    required: bool = False
    many: bool = False  # the answer is a list (referrals, next actions)


class QuestionSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=1)
    purpose: Purpose
    description: str = ""
    questions: tuple[Question, ...] = Field(min_length=1)

    @field_validator("questions")
    @classmethod
    def _unique_keys(cls, questions: tuple[Question, ...]) -> tuple[Question, ...]:
        seen: set[str] = set()
        for q in questions:
            if q.key in seen:
                raise ValueError(f"duplicate question key '{q.key}'")
            seen.add(q.key)
        return questions

    @property
    def section(self) -> str | None:
        """Where answers to this set are stored on the interview, if anywhere."""
        return SECTION_OF.get(self.purpose)

    def keys(self) -> list[str]:
        return [q.key for q in self.questions]



def load_sets(path: Path | Traversable, label: str | None = None, home: Path | None = None) -> list[QuestionSet]:
    """Read and check a question-set file: one set, or several under `sets:`. Every problem is
    reported at its own file:line:col. `home`: parse it through that home's cache."""
    # A file inside an installed package (importlib.resources) has no real path: named by its name.
    return parse_sets(load_source(path, label or (str(path) if isinstance(path, Path) else path.name), home))


def set_prefixes(data: Any) -> list[Path_]:
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
    for prefix in set_prefixes(data):
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
            known = set(Question.model_fields) if in_question else set(QuestionSet.model_fields)
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
