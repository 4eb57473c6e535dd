"""docs/workflows.md stays a complete reference: every key the loader accepts, every built-in
action with its parameters, every template field and every state meaning has its entry, and the
whole workflow shown there passes `workflow check`."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli_support import CLI, ROOT, write
from infoview.definition import StateDef, TimerDef, TransitionDef, WorkflowDef
from infoview.engine import Engine
from infoview.meanings import MEANINGS
from infoview.templates import BUILTIN

DOC = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return DOC.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def table_keys(text: str) -> set[str]:
    """The keys a Markdown table names in its first column: | `key` | ..."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))


@pytest.mark.parametrize(("model", "title"), [(WorkflowDef, "The whole file"), (StateDef, "States"),
                                              (TransitionDef, "Transitions"), (TimerDef, "Timers")])
def test_every_key_of_the_file_is_documented_in_its_section(model: type, title: str) -> None:
    keys = {f.alias or name for name, f in model.model_fields.items()}
    assert table_keys(section(title).split("\n### ", 1)[0]) == keys


def test_every_built_in_action_is_documented_with_its_parameters(tmp_path: Path) -> None:
    rows = {name: row for name, row in re.findall(r"^\| `([a-z_]+)` \|(.*)$", section("Actions"), re.M)}
    actions = Engine(tmp_path).registry.actions
    assert set(rows) == set(actions) == {"notify", "remind"}
    for name, spec in actions.items():
        assert spec.params is not None
        for param in spec.params.model_fields:
            assert f"`{param}`" in rows[name], (name, param)


def test_every_template_field_and_meaning_is_documented(tmp_path: Path) -> None:
    fields = set(BUILTIN) | set(Engine(tmp_path).registry.template_fields)
    templates = section("Templates")
    assert [f for f in sorted(fields) if "{" + f not in templates] == []
    means = DOC.split("\n### `means`\n", 1)[1].split("\n## ", 1)[0]
    assert table_keys(means) - {"means"} == set(MEANINGS)   # minus the header row


@pytest.mark.parametrize("doc", ["docs/workflows.md", "README.md"])
def test_the_whole_workflows_shown_pass_check(iv: CLI, tmp_path: Path, doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("name:")]
    assert blocks
    for n, block in enumerate(blocks):
        iv("workflow", "check", write(tmp_path / f"doc{n}.yaml", block)).ok()


def test_the_readme_points_to_the_reference_and_names_remind_s_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/workflows.md)" in readme
    assert "remind: {title}" in readme   # the key plugins/remind.py takes, not `text`
    assert not re.search(r"remind\W+\{?text\b|`remind`[^.]*\btext\b", readme)
