"""Ask a question set's questions one at a time, for `infoview note` and `infoview evaluate`.

Input and output are injectable so tests can script them; the real terminal path is the same
code with `input` and `sys.stdout`. Empty input means "skip"; a required question is asked again,
a bounded number of times, so a closed or silent stdin can never loop forever.
"""
from __future__ import annotations

import sys
from typing import Callable, TextIO

from infoview.errors import InfoviewError
from infoview.model import Answer
from infoview.questions import Question, QuestionSet

MAX_TRIES = 3        # asks of a required question before giving up
MAX_ITEMS = 200      # lines one `many` answer may take; guards against a runaway pipe

InputFn = Callable[[str], str]


def prompt_answers(qsets: list[QuestionSet], *, input_fn: InputFn = input,
                   output: TextIO | None = None) -> dict[str, Answer]:
    """Ask every question of `qsets` in order; return answer-key -> text (or list of lines for
    `many` questions). Skipped questions are left out. A key that appears in two sets is asked
    once. Raises `InfoviewError` when a required question is left empty `MAX_TRIES` times."""
    output = sys.stdout if output is None else output  # the stream of the moment: main() neutralises it
    answers: dict[str, Answer] = {}
    for qset in qsets:
        _say(output, f"\n{qset.title}\n" + ("" if not qset.description else qset.description.strip() + "\n"))
        _say(output, "(press Enter on an empty line to skip a question)\n")
        for question in qset.questions:
            if question.key in answers:
                continue
            answer = _ask(question, input_fn, output)
            if answer:
                answers[question.key] = answer
    return answers


def _ask(question: Question, input_fn: InputFn, output: TextIO) -> Answer | None:
    for attempt in range(MAX_TRIES):
        label = question.text + (" (required)" if question.required else "")
        _say(output, f"\n{label}\n")
        if question.hint:
            _say(output, f"  {question.hint}\n")
        answer: Answer | None = _read_many(input_fn, output) if question.many else _read_line(input_fn, "> ")
        if answer or not question.required:
            return answer or None
        if attempt < MAX_TRIES - 1:
            _say(output, "  This one is required: please write at least one line.\n")
    raise InfoviewError(f"'{question.key}' is required ({question.text}); nothing was saved; "
                        "run the command again and answer it")


def _read_many(input_fn: InputFn, output: TextIO) -> list[str]:
    _say(output, "  One per line; an empty line ends the list.\n")
    items: list[str] = []
    while len(items) < MAX_ITEMS:
        line = _read_line(input_fn, "- ")
        if not line:
            break
        items.append(line)
    return items


def _read_line(input_fn: InputFn, prompt: str) -> str:
    try:
        return input_fn(prompt).strip()
    except EOFError:  # stdin closed (Ctrl-D, or a pipe ran dry): the same as an empty answer
        return ""


def _say(output: TextIO, text: str) -> None:
    output.write(text)
    output.flush()
