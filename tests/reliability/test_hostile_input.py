"""Hostile input through the real CLI: YAML bombs, huge and deep documents, Python tags,
non-UTF-8 bytes in workflow and answers files; templates that reach for attributes or indexes;
absurd dates and offsets. Each is refused with clear lines, quickly, and without a traceback."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli_support import Run, infoview

NOW = "2026-11-01T09:00Z"
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "workflows" / "informational-interview.yaml").read_text()
CPU_BOUND = 5.0  # CPU seconds per refusal, start-up included (about 0.3 s); a bomb expanding takes far more

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))

HOSTILE_YAML: dict[str, bytes] = {
    "alias-bomb": BOMB.encode(),
    "huge": b"name: x\ndescription: " + b"y" * 1_200_000 + b"\n",
    "deep-flow": b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
    "deep-block": "".join(" " * i + f"k{i}:\n" for i in range(200)).encode(),
    "python-tag": b"name: !!python/object/apply:os.system ['echo pwned']\n",
    "custom-tag": b"name: !secret x\n",
    "merge-key": b"base: {a: 1}\nother:\n  <<: {a: 1}\n",
    "non-utf8": b"name: caf\xe9\n",
    "nul": b"name: a\x00b\n",
}


def refused(proc: Run, *, positioned: bool) -> list[str]:
    assert proc.cpu is not None and proc.cpu < CPU_BOUND, f"took {proc.cpu:.1f} s of CPU"
    assert proc.code not in (0, 70), (proc.code, proc.err)   # 70: internal error
    lines = proc.err.strip().splitlines()
    assert lines, "refused without saying why"
    assert "Traceback" not in proc.err and "internal error" not in proc.err, proc.err
    for line in lines:
        assert len(line) < 500, line
        if positioned:
            assert re.match(r"^.+:\d+:\d+: \S", line), line
    return lines


def check_files(tmp_path: Path, files: dict[str, bytes]) -> dict[str, list[str]]:
    """`workflow check` on all the files in one process; each file's lines, each file refused."""
    paths = {}
    for name, raw in files.items():
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_bytes(raw)
    proc = infoview(tmp_path / "home", "workflow", "check", *map(str, paths.values()))
    lines = refused(proc, positioned=True)
    by_file = {name: [line for line in lines if line.startswith(f"{path}:")] for name, path in paths.items()}
    assert sum(map(len, by_file.values())) == len(lines), lines
    for name, found in by_file.items():
        assert found, f"{name} was not refused"
    return by_file


def test_hostile_workflow_files_are_refused(tmp_path):
    found = check_files(tmp_path, HOSTILE_YAML)
    assert "aliases" in found["alias-bomb"][0]
    assert "larger than" in found["huge"][0]
    assert "nested deeper" in found["deep-flow"][0] and "nested deeper" in found["deep-block"][0]
    assert "python/object" in found["python-tag"][0] and "not allowed" in found["python-tag"][0]
    assert "UTF-8" in found["non-utf8"][0] and ":1:10:" in found["non-utf8"][0]
    assert "U+0000" in found["nul"][0]


def test_hostile_answers_files_are_refused_and_change_nothing(tmp_path):
    home = tmp_path / "home"
    infoview(home, "plan", "Jane Doe", "--at", "2026-11-01T08:00", "--tz", "UTC", "--past", now=NOW,
             check=True)
    infoview(home, "hold", "1", now=NOW, check=True)
    before = infoview(home, "history", "1", "--json", now=NOW, check=True).out
    for case in ("alias-bomb", "python-tag", "non-utf8"):
        path = tmp_path / f"answers-{case}.yaml"
        path.write_bytes(HOSTILE_YAML[case])
        refused(infoview(home, "note", "1", "--answers", str(path), now=NOW), positioned=True)
    bad_json = tmp_path / "answers.json"
    bad_json.write_bytes(b'{"learned": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
    [line] = refused(infoview(home, "note", "1", "--answers", str(bad_json), now=NOW), positioned=False)
    assert str(bad_json) in line
    assert infoview(home, "history", "1", "--json", now=NOW, check=True).out == before


TEMPLATES = {
    "attribute": ("{contact.__class__}", "not allowed"),
    "index": ("{contact.name[0]}", "not allowed"),
    "positional": ("{0}", "need a name"),
    "empty": ("{}", "need a name"),
    "conversion": ("{contact.name!r}", "template"),
    "nested-spec": ("{start:%H:%M:{contact.__init__}}", "not allowed"),
    "section-dunder": ("{notes.__dict__}", "not allowed"),
    "unclosed": ("{contact.name", "does not parse"),
}


def test_templates_reaching_beyond_fields_are_refused(tmp_path):
    files = {}
    for name, (template, _) in TEMPLATES.items():
        text = SHIPPED.replace('title: "Send {contact.name} a thank-you note today"', f"title: '{template}'")
        assert text != SHIPPED
        files[name] = text.encode()
    found = check_files(tmp_path, files)
    for name, (_template, says) in TEMPLATES.items():
        assert any("template" in line and says in line and "timers[5].do[0].notify.title" in line
                   for line in found[name]), (name, found[name])


def test_a_huge_stored_note_renders_bounded(tmp_path):
    home = tmp_path / "home"
    infoview(home, "plan", "Jane Doe", "--at", "2026-11-01T08:00", "--tz", "UTC", "--past", now=NOW,
             check=True)
    infoview(home, "hold", "1", now=NOW, check=True)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"learned": "how the team plans its work. " * 600}))  # 17,400 characters
    infoview(home, "note", "1", "--answers", str(answers), now=NOW, check=True)
    draft = infoview(home, "thanks", "1", now=NOW, check=True).out
    # the thank-you draft is a template: it stops at 8,000 characters, and says where it was cut
    assert 8000 < len(draft) < 8100 and draft.rstrip().endswith("… [cut]"), (len(draft), draft[-100:])
    assert draft.startswith("Subject: Thank you for your time, Jane")


@pytest.mark.parametrize("at", ["99999-01-01", "0001-01-01T00:00", "2026-13-45"])
def test_absurd_datetimes_are_refused(tmp_path, at):
    [line] = refused(infoview(tmp_path, "plan", "X", "--at", at, "--tz", "UTC", now=NOW), positioned=False)
    assert at in line


def test_absurd_clocks_are_refused(tmp_path):
    infoview(tmp_path, "plan", "X", "--at", "2026-12-01T10:00", "--tz", "UTC", now=NOW, check=True)
    for now in ["99999-01-01", "0001-01-01T00:00+14:00", "9999-12-31T23:59:59-12:00"]:
        [line] = refused(infoview(tmp_path, "tick", now=now), positioned=False)
        assert line.startswith("--now: ") and now in line, line
    assert infoview(tmp_path, "history", "1", "--json", now=NOW, check=True).out.count('"event"') == 1


OFFSETS = ["start - 999999d", "start + 99999999999999999999w", "start - " + "1d" * 5000, "end +", "nowhere - 1d",
           "start - 1y"]


def test_absurd_offsets_are_refused(tmp_path):
    files = {f"offset{i}": SHIPPED.replace("at: start - 1d\n", f"at: {at}\n", 1).encode() for i, at in enumerate(OFFSETS)}
    found = check_files(tmp_path, files)
    for name, lines in found.items():
        assert any("(at timers[0].at)" in line for line in lines), (name, lines)
