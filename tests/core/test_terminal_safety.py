"""Stored text reaches the terminal without its control characters: a note with an escape
sequence cannot retitle the window or rewrite the screen. `--json` keeps it exact. (The prompts'
line editing is tested with the prompts, in tests/questions/test_prompting.py.)"""
from __future__ import annotations

import json
import re
from pathlib import Path

from cli_support import infoview

NOW = "2026-03-10T15:00:00+00:00"
# An OSC that retitles the window, an SGR colour, a BEL, and a C1 CSI (U+009B, ESC [ in one).
NOTE = "osc \x1b]0;owned\x07 red \x1b[31mRED\x1b[0m bell \x07 csi \x9b2J end"
GOAL = "learn \x1b]8;;http://x.test\x07the ropes"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def noted_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    infoview(home, "plan", "Jane Doe", "--at", "2026-03-10T14:00", "--tz", "UTC", "--goal", GOAL,
             now="2026-03-01T09:00Z", check=True)
    infoview(home, "hold", "1", now=NOW, check=True)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"learned": NOTE}))
    infoview(home, "note", "1", "--answers", str(answers), now=NOW, check=True)
    return home


def test_stored_control_characters_are_shown_escaped(tmp_path):
    home = noted_home(tmp_path)
    outs = {args: infoview(home, *args.split(), now=NOW, check=True).out
            for args in ("show 1", "thanks 1", "prep 1", "history 1", "list", "report", "agenda")}
    for args, out in outs.items():
        assert not RAW_CONTROL.search(out), (args, out)
    # shown as JSON writes them, so the text stays readable and says what was there
    assert "osc \\u001b]0;owned\\u0007 red" in outs["show 1"] and "bell \\u0007 csi \\u009b2J end" in outs["show 1"]
    assert "osc \\u001b]0;owned\\u0007 red" in outs["thanks 1"]
    assert "learn \\u001b]8;;http://x.test\\u0007the ropes" in outs["prep 1"]


def test_json_output_keeps_stored_text_exact(tmp_path):
    home = noted_home(tmp_path)
    shown = infoview(home, "show", "1", "--json", now=NOW, check=True)
    assert not RAW_CONTROL.search(shown.out)
    assert shown.json["notes"]["learned"][0]["text"] == NOTE and shown.json["goals"] == [GOAL]


def test_an_error_line_naming_stored_or_typed_text_is_escaped_too(tmp_path):
    home = noted_home(tmp_path)
    r = infoview(home, "fire", "1", "go\x1b]0;owned\x07", now=NOW)
    assert r.code != 0 and "go\\u001b]0;owned\\u0007" in r.line and not RAW_CONTROL.search(r.err)
