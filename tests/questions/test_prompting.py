"""Interactive answers for `note` and `evaluate`: scripted input for the rules, and a real
pseudo-terminal to show it works with a person typing at a terminal."""
from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

from cli_support import clean_env, infoview
from infoview.errors import InfoviewError
from infoview.cli.prompt_answers import MAX_TRIES, prompt_answers
from infoview.plugins.questions.setfiles import builtin_sets

ROOT = Path(__file__).resolve().parents[2]


def the_set(set_id: str) -> list:
    return [s for s in builtin_sets() if s.id == set_id]


def scripted(lines: list[str]) -> tuple[Callable[[str], str], list[str]]:
    """An input function that replays `lines` and records the prompts it was given."""
    feed: Iterator[str] = iter(lines)
    prompts: list[str] = []

    def input_fn(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None
    return input_fn, prompts


def test_answers_many_lines_and_skips_empty() -> None:
    input_fn, _ = scripted([
        "Pricing is moving to usage-based", "SQL matters more than tools", "",   # learned: two items
        "",                                                                         # issues: skipped
        "Ana Ruiz <ana@example.org>", "",                                           # referrals: one
        "",                                                                         # promises: skipped
        "  +44 20 7946 0000  ",                                                     # contact_details
    ])
    out = io.StringIO()
    answers = prompt_answers(the_set("interview-notes"), input_fn=input_fn, output=out)
    assert answers == {
        "learned": ["Pricing is moving to usage-based", "SQL matters more than tools"],
        "referrals": ["Ana Ruiz <ana@example.org>"],
        "contact_details": "+44 20 7946 0000",
    }
    shown = out.getvalue()
    assert "What did you learn? (required)" in shown
    assert "One point per line" in shown                  # the hint
    assert "an empty line ends the list" in shown


def test_required_question_is_asked_again_until_answered() -> None:
    out = io.StringIO()
    evaluation = the_set("evaluation")
    # went_well .. still_to_learn are skipped (6 empties); next_actions is answered on the 2nd try.
    input_fn, _ = scripted([""] * 6 + ["", "email Ana by Friday", ""])
    answers = prompt_answers(evaluation, input_fn=input_fn, output=out)
    assert answers == {"next_actions": ["email Ana by Friday"]}
    assert out.getvalue().count("This one is required") == 1


def test_required_question_left_empty_gives_up_with_its_key() -> None:
    input_fn, prompts = scripted([])          # stdin closed at once
    with pytest.raises(InfoviewError, match=r"^'learned' is required .*nothing was saved"):
        prompt_answers(the_set("interview-notes"), input_fn=input_fn, output=io.StringIO())
    assert len(prompts) == MAX_TRIES           # bounded: no endless loop on a closed stdin


def read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 10.0) -> None:
    """Read from the pty until `marker` appears; fail (not hang) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {marker!r}; got {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen.extend(chunk)


def test_prompting_through_a_real_terminal(tmp_path: Path) -> None:
    snippet = (
        "import json, sys\n"
        "from infoview.cli.prompt_answers import prompt_answers\n"
        "from infoview.plugins.questions.setfiles import builtin_sets\n"
        "sets = [s for s in builtin_sets() if s.id == 'interview-notes']\n"
        "assert sys.stdin.isatty()\n"
        "answers = prompt_answers(sets)\n"
        "print('RESULT ' + json.dumps(answers, sort_keys=True))\n"
    )
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", snippet], stdin=follower, stdout=follower, stderr=follower,
                            cwd=ROOT, close_fds=True)
    os.close(follower)
    seen = bytearray()
    try:
        def answer(after: bytes, text: str) -> None:
            read_until(leader, after, seen)
            del seen[: seen.index(after) + len(after)]
            os.write(leader, text.encode() + b"\r")   # Enter, as a terminal sends it

        answer(b"What did you learn? (required)", "")                    # try to skip a required one
        answer(b"This one is required", "They hire through referrals")
        answer(b"- ", "")                                                 # end the list
        answer(b"business issues", "")                                    # skip issues
        answer(b"talk to next", "Ana Ruiz")
        answer(b"- ", "")
        answer(b"promise", "")
        answer(b"Contact details", "sam@acme.test")
        read_until(leader, b"RESULT", seen)
        read_until(leader, b"}", seen)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(leader)
    result = bytes(seen).decode().split("RESULT ", 1)[1].strip()
    assert result.startswith('{"contact_details": "sam@acme.test", "learned": ["They hire through referrals"], '
                             '"referrals": ["Ana Ruiz"]}')


def test_the_cli_prompts_edit_the_line_with_the_arrow_keys(tmp_path: Path) -> None:
    """`infoview note` at a terminal: keys edit the line (readline), their codes never reach the note."""
    home, now = tmp_path / "home", "2026-03-10T15:00:00+00:00"
    infoview(home, "plan", "Jane Doe", "--at", "2026-03-10T14:00", "--tz", "UTC", now="2026-03-01T09:00Z", check=True)
    infoview(home, "hold", "1", now=now, check=True)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "infoview.cli", "--home", str(home), "--now", now, "note", "1"],
                            stdin=follower, stdout=follower, stderr=follower, cwd=ROOT, close_fds=True,
                            env=clean_env(TERM="xterm"))
    os.close(follower)
    seen = bytearray()
    left, right, backspace = b"\x1b[D", b"\x1b[C", b"\x7f"
    try:
        def answer(after: bytes, keys: bytes) -> None:
            read_until(leader, after, seen)
            del seen[: seen.index(after) + len(after)]
            os.write(leader, keys + b"\r")

        # "throgh" mended two characters back, then "referals" typed on and its end rubbed out
        answer(b"What did you learn? (required)",
               b"They hire throgh" + left * 2 + b"u" + right * 2 + b" referals" + backspace * 3 + b"rals")
        answer(b"- ", b"")
        answer(b"business issues", b"")
        answer(b"talk to next", left + right)   # keys that only move the cursor leave the answer empty
        answer(b"promise", b"")
        answer(b"Contact details", b"")
        assert proc.wait(timeout=30) == 0, bytes(seen)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(leader)
    notes = infoview(home, "show", "1", "--json", now=now, check=True).json["notes"]
    assert {k: [e["text"] for e in v] for k, v in notes.items()} == {"learned": ["They hire through referrals"]}
