"""A problem in one of the user's question-set files is the user's to fix: a warning at its
file:line:col (never blamed on a plugin), that file's set left out, the other files still used."""
from __future__ import annotations

from cli_support import write

SET = """\
id: {id}
title: My questions
purpose: ask
questions:
  - {{key: why, text: Why this field?}}
"""


def test_reusing_a_built_in_set_id_names_the_users_file_and_keeps_the_others(iv):
    mine = write(iv.home / "questions" / "mine.yaml", SET.format(id="questions-to-ask"))
    write(iv.home / "questions" / "other.yml", SET.format(id="my-own"))
    r = iv("questions", "list")
    assert r.code == 0 and "my-own" in r.out
    assert r.err.splitlines() == [f"warning: {mine}:1:1: set id 'questions-to-ask' is already used by a built-in "
                                  "set; give this set another id (at id)"]


def test_a_broken_file_is_a_warning_and_the_good_ones_load(iv):
    bad = write(iv.home / "questions" / "bad.yaml", SET.format(id="broken").replace("purpose: ask", "purpose: asks"))
    write(iv.home / "questions" / "good.yaml", SET.format(id="my-own"))
    r = iv("questions", "list")
    assert r.code == 0 and "my-own" in r.out and "broken" not in r.out
    assert r.err.splitlines() == [f"warning: {bad}:3:1: purpose 'asks' is not one of answer, ask, notes, evaluate "
                                  "(at purpose)"]
