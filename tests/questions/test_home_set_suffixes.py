"""A user's question sets load from `<home>/questions/` as `.yml` as well as `.yaml`, written as
YAML 1.2 (a flow mapping whose text ends in '?'); NAME.yml beside NAME.yaml is one problem."""
from __future__ import annotations

from cli_support import write

ASK = """\
id: {id}
title: Why questions
purpose: ask
questions:
  - {{key: why, text: Why?}}
  - {{key: on_call, text: Is there an on-call rotation?}}
"""


def test_a_yml_set_written_as_yaml_1_2_loads(iv):
    write(iv.home / "questions" / "why.yml", ASK.format(id="why-ask"))
    out = iv("questions", "show", "why-ask").ok().out
    assert "Why?" in out and "Is there an on-call rotation?" in out


def test_a_yml_beside_a_yaml_of_the_same_name_is_one_problem(iv):
    first = write(iv.home / "questions" / "why.yaml", ASK.format(id="why-ask"))
    write(iv.home / "questions" / "why.yml", ASK.format(id="why-else"))
    r = iv("questions", "list")
    assert r.code == 0 and "why-ask" not in r.out and "why-else" not in r.out
    assert f"{first}:1:1: why.yaml and why.yml are both in {first.parent}; keep one of them (neither is loaded)" \
        in r.err
