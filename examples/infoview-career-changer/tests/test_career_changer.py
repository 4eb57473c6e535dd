"""The plugin as a user meets it: installed next to infoview, driven through the real `infoview`
CLI in a subprocess with a temporary home and a fixed clock. Each test shows one hook working."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

NOW = "2030-03-01T09:00"      # before the interviews planned below
AT = "2030-03-04T10:00"


def infoview(home: Path, *args: str, now: str = NOW, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}
    env["INFOVIEW_STRICT_PLUGINS"] = "1"   # anything of ours the host refuses fails the test loudly
    cmd = [sys.executable, "-m", "infoview.cli", "--home", str(home), "--now", now, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert proc.returncode == 0, f"infoview {' '.join(args)} exited {proc.returncode}: {proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def as_json(home: Path, *args: str, now: str = NOW) -> Any:
    return json.loads(infoview(home, *args, "--json", now=now).stdout)


def plan(home: Path, *extra: str) -> int:
    return int(as_json(home, "plan", "Jane Doe", "--company", "Acme", "--title", "Data Lead",
                       "--at", AT, "--tz", "Europe/Berlin", "--workflow", "career-change", *extra)["id"])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_the_plugin_is_installed_and_registers_everything(home: Path):
    plugins = {p["name"]: p for p in as_json(home, "plugins")["plugins"]}
    assert "career_changer" in plugins, "install the plugin first: pip install -e examples/infoview-career-changer"
    mine = plugins["career_changer"]
    assert (mine["distribution"], mine["version"], mine["builtin"]) == ("infoview-career-changer", "0.1.0", False)
    assert mine["hooks"] == ["infoview_calendar_components", "infoview_register_commands",
                             "infoview_register_guards", "infoview_register_question_sets",
                             "infoview_register_workflows"]
    assert mine["registered"] == {"guards": ["has-email"], "question_sets": ["ask-career-change"],
                                  "workflows": ["career-change"]}


def test_question_set_is_listed_and_in_the_brief(home: Path):
    assert "ask-career-change" in infoview(home, "questions", "list").stdout
    iv = plan(home, "--email", "jane@acme.test")
    brief = infoview(home, "prep", str(iv)).stdout
    assert "If you were in my place, what would you do first to make the move?" in brief


def test_guard_refuses_confirm_without_an_email_and_changes_nothing(home: Path):
    iv = plan(home)
    proc = infoview(home, "confirm", str(iv), check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"interview {iv} is planned: 'confirm' needs Jane Doe's email")
    assert as_json(home, "show", str(iv))["state"] == "planned"
    assert [e["event"] for e in as_json(home, "history", str(iv))] == ["plan"]


def test_guard_allows_confirm_with_an_email(home: Path):
    iv = plan(home, "--email", "jane@acme.test")
    infoview(home, "confirm", str(iv))
    assert as_json(home, "show", str(iv))["state"] == "confirmed"


def test_the_workflow_reminds_to_confirm_the_day_before(home: Path):
    iv = plan(home, "--email", "jane@acme.test")
    fired = as_json(home, "tick", now="2030-03-03T09:30")   # start - 1d = 09:00 UTC
    assert [(f["interview"], f["timer"], f["outcome"]) for f in fired] == [(iv, "confirm", "fired")]
    [job] = as_json(home, "outbox")
    assert (job["action"], job["state"]) == ("remind", "done")


def test_pitch_command_writes_a_request_from_the_interview_and_your_background(home: Path):
    iv = plan(home, "--email", "jane@acme.test", "--goal", "how analysts move into data engineering")
    missing = infoview(home, "career-changer", "pitch", str(iv), check=False)
    assert missing.returncode == 1 and "set your background first" in missing.stderr
    (home / "config.toml").write_text('[career-changer]\nfrom = "teaching"\nto = "data engineering"\n')
    out = infoview(home, "career-changer", "pitch", str(iv)).stdout
    assert out.splitlines() == [
        "Hello Jane,",
        "I am moving from teaching into data engineering, and your path as Data Lead at Acme is the kind I want to learn from.",
        "Could I ask you a few questions for 20 minutes? I am not asking for a job,",
        "only for your view of the work and how people get into it.",
        "What I hope to learn: how analysts move into data engineering.",
    ]


def test_calendar_marks_career_change_interviews_only(home: Path, tmp_path: Path):
    mine = plan(home, "--email", "jane@acme.test")
    other = int(as_json(home, "plan", "Sam Roe", "--at", AT, "--tz", "UTC")["id"])
    ics = tmp_path / "feed.ics"
    infoview(home, "calendar", "export", "-o", str(ics))
    events = {}
    for block in ics.read_text().replace("\r\n", "\n").split("BEGIN:VEVENT")[1:]:
        body = block.split("END:VEVENT")[0]
        uid = next(line for line in body.splitlines() if line.startswith("UID:"))
        events[uid] = body
    assert "CATEGORIES:Career change" in events[f"UID:interview-{mine}@infoview"]
    assert "CATEGORIES" not in events[f"UID:interview-{other}@infoview"]
