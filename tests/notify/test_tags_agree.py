"""The shipped workflow, the example channel config and the docs name the same tags: every tag the
workflow sends to has channels in examples/apprise.yml, and every tag routed there is one the
workflow sends (a routed tag nothing sends would be a channel that never hears anything)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from infoview.engine import Engine
from infoview.plugins.notify.channels import load
from infoview.workflow import Workflow

ROOT = Path(__file__).resolve().parents[2]


def sent_tags(wf: Workflow) -> set[str]:
    calls = [c for t in wf.timers for c in t.actions] + [c for t in wf.table.values() for c in t.actions]
    return {c.params.tag for c in calls if c.name == "notify"}


def routed_tags(tmp_path: Path) -> set[str]:
    shutil.copy(ROOT / "examples" / "apprise.yml", tmp_path / "apprise.yml")
    return set(load(tmp_path, {}).tags)


def test_the_shipped_workflow_sends_exactly_the_tags_the_example_config_routes(tmp_path: Path) -> None:
    shipped = sent_tags(Engine(tmp_path).registry.workflow("informational-interview"))
    assert shipped == routed_tags(tmp_path) == {"reminders", "followups"}


def test_the_example_workflows_send_only_routed_tags(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for example in (ROOT / "examples" / "workflows").glob("*.yaml"):
        (home / "workflows").mkdir(parents=True, exist_ok=True)
        shutil.copy(example, home / "workflows" / example.name)
    registry = Engine(home).registry
    examples = [wf for wf in registry.workflows.values() if wf.name != "informational-interview"]
    assert len(examples) == 2
    for wf in examples:
        assert sent_tags(wf) <= routed_tags(tmp_path), wf.name


def test_the_docs_list_the_tags_the_shipped_workflow_sends(tmp_path: Path) -> None:
    shipped = sent_tags(Engine(tmp_path).registry.workflow("informational-interview"))
    notifications = (ROOT / "docs" / "notifications.md").read_text(encoding="utf-8")
    section = notifications.split("## Tags", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"^- `([a-z]+)`:", section, re.M)) == shipped
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{tag}`" in readme for tag in shipped)
