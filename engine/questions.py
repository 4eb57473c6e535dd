"""Question sets: what to be ready to answer, what to ask, what to note, how to evaluate.

A set's purpose decides how it is used: `answer` and `ask` sets go into the preparation brief;
`notes` and `evaluate` sets define the answer keys that `note` and `evaluate` accept (stored in
the interview's `notes` and `evaluation`) and that a state's `requires` can check.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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


def load_sets(path: object, label: str | None = None) -> list[QuestionSet]:
    """Read a question-set file: one set, or several under `sets:`. Errors carry file:line:col."""
    from pathlib import Path

    from pydantic import ValidationError

    from .errors import DefinitionError
    from .yamlsource import load_file, load_text

    label = label or str(path)
    doc = load_file(path, label) if isinstance(path, Path) else load_text(path.read_text(encoding="utf-8"), label)  # type: ignore[attr-defined]
    data = doc.data
    if isinstance(data, dict) and set(data) == {"sets"} and isinstance(data["sets"], list):
        items, prefix = data["sets"], ("sets",)
    else:
        items, prefix = [data], ()
    out, problems = [], []
    for i, item in enumerate(items):
        where = prefix + (i,) if prefix else ()
        if not isinstance(item, dict):
            problems.append(doc.problem(where, "a question set is a mapping with id, title, purpose, questions"))
            continue
        try:
            out.append(QuestionSet.model_validate(item))
        except ValidationError as e:
            from .definition import _pydantic_problems

            fields = set(QuestionSet.model_fields) | set(Question.model_fields)
            problems.extend(_pydantic_problems(doc, e, where, fields))
    if problems:
        raise DefinitionError(problems)
    return out
