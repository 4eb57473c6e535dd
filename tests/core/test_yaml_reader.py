"""The YAML reader behind workflow files, question sets and answers files: YAML 1.2 as people
write it, syntax mistakes told in our words at their file:line:col, and ruamel.yaml imported only
when a file is read."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from cli_support import MINI_WORKFLOW as BASE, clean_env, write



def test_yaml_1_2_that_yaml_1_1_readers_refuse_loads(iv, tmp_path):
    """A plain scalar ending in '?' inside a flow mapping is text in YAML 1.2."""
    text = BASE.replace("to: confirmed}", "to: confirmed, do: [{remind: {title: Why?}}]}") + "default_minutes: 030\n"
    path = write(tmp_path / "why.yaml", text)
    iv("workflow", "check", path).ok()
    write(iv.home / "workflows" / "why.yaml", text)
    r = iv.sub("plan", "Kim", "--at", "2026-03-05T08:00", "--tz", "UTC", "--workflow", "mini", "--json").ok()
    assert r.json["minutes"] == 30  # 030 is thirty: no octal in YAML 1.2
    iv("confirm", r.json["id"]).ok()
    [line] = iv("outbox").ok().out.splitlines()
    assert "remind" in line and line.endswith("  Why?")  # the reminder's title, as written


# Library phrases that must never reach the user: each mistake is told in our words.
LIBRARY_WORDS = ("mapping values are not allowed", "while parsing", "while scanning", "<block end>",
                 "could not find expected", "cannot start any token", "found unexpected end")


@pytest.mark.parametrize("old,new,expected", [
    ("  confirmed: {}\n", "  confirmed: {}\n   extra: {}\n",
     "F:6:4: this line does not line up with the lines above it; check its indentation"),
    ("initial: planned\n", "initial: planned\n  title: x\n",
     "F:3:8: unexpected ':' here; check the indentation of this line, or put the value in quotes if it contains ': '"),
    ("  planned: {}\n", "\tplanned: {}\n", "F:4:1: a tab character cannot indent YAML; indent with spaces"),
    ("name: mini\n", "name: 'mini\n", "F:1:7: this quoted text is never closed; add the closing quote"),
    ("name: mini\n", "name: mini\n- oops\n", "F:2:1: a list item ('-') where a key was expected; check the indentation"),
    ("initial: planned\n", "initial planned\n",
     "F:2:1: this line is neither 'key: value' nor a list item ('- ...'); add the ':' or check the indentation"),
    ("name: mini\n", "name: @mini\n", "F:1:7: a value cannot start with '@'; put the value in quotes"),
    ("to: confirmed}\n", "to: confirmed]\n", "F:8:50: expected ',' or '}' here, inside the mapping opened at line 8, "
                                             "column 5; check for a missing '}' or comma"),
    ("name: mini\n", "name: mini\n---\nname: other\n", "F:2:1: a second YAML document ('---'); a file holds one"),
    ("name: mini\n", "name: mini\nname: again\n", "F:2:1: duplicate key 'name' (first on line 1)"),
    ("name: mini\n", "name: mini\n? [a, b]\n: c\n", "F:2:3: a mapping key must be plain text"),
], ids=["over-indented", "colon-in-value", "tab", "open-quote", "list-for-key", "no-colon", "at-sign",
        "wrong-bracket", "two-documents", "duplicate-key", "list-as-key"])
def test_syntax_mistakes_are_one_line_in_our_words(iv, tmp_path, old, new, expected):
    assert old in BASE
    path = write(tmp_path / "wf.yaml", BASE.replace(old, new, 1))
    r = iv("workflow", "check", path)
    assert r.code == 1 and "Traceback" not in r.err
    [line] = r.err.splitlines()
    assert line.replace(str(path), "F", 1).startswith(expected), line
    assert not any(words in line for words in LIBRARY_WORDS), line


def test_on_yes_no_and_dates_stay_text_in_answers(iv, tmp_path):
    i = iv.plan()
    after = "2026-03-10T13:30:00+00:00"
    iv("hold", i, now=after).ok()
    answers = write(tmp_path / "answers.yml", "learned: [yes, on, 2026-01-01]\nissues: no\n")
    iv("note", i, "--answers", answers, now=after).ok()
    assert {k: [e["text"] for e in v] for k, v in iv.show(i)["notes"].items()} == \
        {"learned": ["yes", "on", "2026-01-01"], "issues": ["no"]}


def _modules_after(iv, *args: str) -> set[str]:
    code = (f"import sys; from infoview.cli import main; main(['--home', {str(iv.home)!r}, *{list(args)!r}]); "
            "print(*sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=60)
    return set(r.stderr.split())


def test_ruamel_is_imported_only_when_a_file_is_read(iv):
    iv.plan()
    assert not any(m.startswith("ruamel") for m in _modules_after(iv, "list"))
    assert not any(m.startswith("ruamel") for m in _modules_after(iv, "--help"))
    # the check itself can see it: a home whose parsed files are not cached yet (engine/yamlcache.py)
    shutil.rmtree(iv.home / "cache")
    assert "ruamel.yaml" in _modules_after(iv, "workflow", "list")
