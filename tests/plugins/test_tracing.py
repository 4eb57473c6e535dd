"""INFOVIEW_TRACE_PLUGINS=1: every hook call is one JSON line on stderr, naming the hook, the
plugin and its distribution, describing the arguments without their contents, with how long
the call took and whether it raised."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from plugin_support import add_distribution, plan, run

WATCHER = '''
    from infoview import hookimpl

    @hookimpl
    def infoview_check_transition(interview, transition):
        return None

    @hookimpl
    def infoview_event_committed(event, interview):
        if event.event == "confirm":
            raise RuntimeError("webhook down")
'''


def traced(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_each_hook_call_is_one_line_with_plugin_arguments_duration_and_outcome(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "watcher-plugin", {"watcher": WATCHER}, version="2.0")
    iv = plan(home, site, "--goal", "ask about the secret-project", "--where", "https://jane:hunter2@meet.example/x")
    proc = run(home, site, "confirm", str(iv), env={"INFOVIEW_TRACE_PLUGINS": "1"}, check=True)
    lines = traced(proc.stderr)
    mine = [(t["hook"], t["outcome"]) for t in lines if t["plugin"] == "watcher"]
    assert mine == [("infoview_check_transition", "ok"), ("infoview_event_committed", "raised RuntimeError")]
    check = next(t for t in lines if t["hook"] == "infoview_check_transition")
    assert {k: check[k] for k in ("plugin", "distribution", "wrapper", "args")} == {
        "plugin": "watcher", "distribution": "watcher-plugin", "wrapper": False,
        "args": {"interview": f"Interview {iv} (planned)", "transition": "TransitionView confirm: planned -> confirmed"}}
    committed = next(t for t in lines if t["hook"] == "infoview_event_committed")
    assert committed["args"] == {"event": f"Event confirm #2 of interview {iv}", "interview": f"Interview {iv} (confirmed)"}
    assert all(isinstance(t["ms"], (int, float)) and t["ms"] >= 0 for t in lines)
    # built-in plugins are traced too: the CLI asked every plugin for its commands
    assert {t["plugin"] for t in lines if t["hook"] == "infoview_register_commands"} >= {"questions", "notify", "calendar"}
    # the failure is still reported as before, beside the trace
    assert "plugin 'watcher' (distribution watcher-plugin) failed in infoview_event_committed: RuntimeError: webhook down" in proc.stderr
    # nothing of the interview's own data reaches the trace
    assert "hunter2" not in proc.stderr and "secret-project" not in proc.stderr


def test_without_the_switch_nothing_is_traced(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "watcher-plugin", {"watcher": WATCHER})
    iv = plan(home, site)
    proc = run(home, site, "confirm", str(iv), env={"INFOVIEW_TRACE_PLUGINS": "0"}, check=True)
    assert traced(proc.stderr) == []
    assert proc.stderr == "warning: plugin 'watcher' (distribution watcher-plugin) failed in infoview_event_committed: RuntimeError: webhook down\n"
