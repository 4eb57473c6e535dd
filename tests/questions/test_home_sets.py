"""A user's own question sets in <home>/questions/*.yaml: good files load, and every kind of
mistake is reported as `file:line:col: message` pointing at the offending line."""
from __future__ import annotations

from pathlib import Path

import pytest

from infoview.errors import DefinitionError
from infoview.plugins.questions import infoview_register_question_sets
from infoview.plugins.questions.setfiles import load_home_sets, validate_set_file

GOOD = """\
id: my-ask
title: My own questions
purpose: ask
questions:
  - key: remote
    text: How does your team work across time zones?
    hint: Only if they are remote.
  - key: on_call
    text: Is there an on-call rotation?
"""


def write(home: Path, name: str, text: str) -> Path:
    folder = home / "questions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(DefinitionError) as info:
        validate_set_file(path)
    assert "\n" not in str(info.value), "one problem, one line"
    return str(info.value)


def test_a_good_file_loads_with_its_questions(tmp_path: Path) -> None:
    write(tmp_path, "mine.yaml", GOOD)
    [qset] = load_home_sets(tmp_path)
    assert qset.id == "my-ask" and qset.keys() == ["remote", "on_call"]
    assert qset.questions[0].hint == "Only if they are remote."


def test_several_sets_in_one_file_under_sets(tmp_path: Path) -> None:
    body = "sets:\n" + "".join("  - " + line[0:] + "\n" if i == 0 else "    " + line + "\n"
                               for i, line in enumerate(GOOD.splitlines()))
    body += body.replace("sets:\n", "").replace("my-ask", "my-second")
    write(tmp_path, "two.yaml", body)
    assert [s.id for s in load_home_sets(tmp_path)] == ["my-ask", "my-second"]


def test_no_questions_folder_means_no_custom_sets(tmp_path: Path) -> None:
    assert load_home_sets(tmp_path) == []


def test_empty_question_list_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "id: empty\ntitle: Nothing\npurpose: ask\nquestions: []\n")
    assert error_of(path) == f"{path}:4:1: the set has no questions; add at least one (key and text) (at questions)"


def test_an_empty_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.yaml", "# only a comment\n")
    assert error_of(path).startswith(f"{path}:1:1: the file is empty")


def test_unknown_question_field_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "typo.yaml", GOOD.replace("    hint:", "    hnt:"))
    assert error_of(path) == f"{path}:7:5: unknown field 'hnt'; did you mean 'hint'? (at questions[0].hnt)"


def test_unknown_set_field_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "typo.yaml", GOOD.replace("purpose: ask\n", "purpose: ask\ncolour: blue\n"))
    err = error_of(path)
    assert err.startswith(f"{path}:4:1: unknown field 'colour'")


def test_duplicate_question_key_points_at_the_second_one(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.yaml", GOOD.replace("key: on_call", "key: remote"))
    assert error_of(path) == (f"{path}:8:5: duplicate question key 'remote' (first used on line 5); every key "
                              "in a set must be unique (at questions[1].key)")


@pytest.mark.parametrize("bad", ["On-Call", "2nd", "on call"])
def test_bad_key_syntax_says_what_a_key_may_contain(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, "key.yaml", GOOD.replace("key: on_call", f"key: '{bad}'"))
    err = error_of(path)
    assert err.startswith(f"{path}:8:5: question key '{bad}' is not valid: start with a lower-case letter")


def test_bad_purpose_lists_the_choices(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", GOOD.replace("purpose: ask", "purpose: asking"))
    assert error_of(path) == f"{path}:3:1: purpose 'asking' is not one of answer, ask, notes, evaluate (at purpose)"


def test_missing_text_is_reported_at_the_question(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", GOOD.replace("    text: Is there an on-call rotation?\n", ""))
    assert error_of(path) == f"{path}:8:5: missing field 'text' (at questions[1])"


def test_duplicate_set_ids_across_files_name_the_other_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", GOOD.replace("title: My own questions", "title: Again"))
    with pytest.raises(DefinitionError) as info:
        load_home_sets(tmp_path)
    assert str(info.value) == (f"{second}:1:1: set id 'my-ask' is already used by {first}; "
                               "give this set another id (at id)")


def test_a_custom_set_cannot_take_a_built_in_id(tmp_path: Path) -> None:
    path = write(tmp_path, "n.yaml", GOOD.replace("id: my-ask", "id: interview-notes"))
    with pytest.raises(DefinitionError, match=f"^{path}:1:1: set id 'interview-notes' is already used by "
                                              "a built-in set"):
        load_home_sets(tmp_path)


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD.replace("    hint:", "    hnt:"))
    write(tmp_path, "b.yaml", "id: b\ntitle: B\npurpose: ask\nquestions: []\n")
    with pytest.raises(DefinitionError) as info:
        load_home_sets(tmp_path)
    assert [p.file.rsplit("/", 1)[-1] for p in info.value.problems] == ["a.yaml", "b.yaml"]


def test_the_hook_hands_the_home_sets_to_the_host_after_the_built_in_ones(tmp_path: Path) -> None:
    write(tmp_path, "mine.yaml", GOOD)
    got: list = []
    infoview_register_question_sets(register=got.append, home=tmp_path)
    assert [s.id for s in got if hasattr(s, "id")] == ["my-ask"]
    assert len(got) > 1  # the built-in files came first
