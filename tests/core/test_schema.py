"""`infoview workflow schema` describes exactly what the loader accepts, checked by an independent
validator (check-jsonschema, run as a program, as an editor's tooling would) on the files we ship
(valid) and on broken files (invalid, each for its own reason), which `workflow check` refuses too."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import MINI_WORKFLOW as BASE, ROOT, write

SHIPPED = ROOT / "workflows" / "informational-interview.yaml"
EXAMPLES = sorted((ROOT / "examples" / "workflows").glob("*.yaml"))
PLUGIN_EXAMPLE = ROOT / "examples/infoview-career-changer/src/infoview_career_changer/workflows/career-change.yaml"
CHECKER = Path(sys.executable).parent / "check-jsonschema"



@pytest.fixture
def schema_file(iv, tmp_path: Path) -> Path:
    return write(tmp_path / "workflow.schema.json", iv.sub("workflow", "schema").ok().out)


def validate(schema_file: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CHECKER), "--schemafile", str(schema_file), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_schema_says_which_draft_and_names_itself(iv):
    schema = iv("workflow", "schema").ok().json
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] == "infoview workflow definition"


def test_the_shipped_and_example_workflows_are_valid(schema_file):
    r = validate(schema_file, SHIPPED, *EXAMPLES, PLUGIN_EXAMPLE)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ok -- validation done" in r.stdout


def test_a_state_with_nothing_to_say_and_one_name_for_a_list_are_valid(iv, schema_file, tmp_path):
    text = BASE.replace("  planned: {}", "  planned:").replace("  confirmed: {}", "  confirmed:\n    requires:") \
        + "timers:\n  - id: nudge\n    at: start - 1d\n    when: planned\n    late:\n    do: [{remind: {title: hi}}]\n"
    path = write(tmp_path / "blank.yaml", text)
    r = validate(schema_file, path)
    assert r.returncode == 0, r.stdout + r.stderr
    iv("workflow", "check", path).ok()


@pytest.mark.parametrize("old,new,says", [
    ("name: mini\n", "name: mini\ncolour: red\n", "Additional properties are not allowed ('colour'"),
    ("name: mini\n", "name: mini\ndefault_minutes: twenty\n", "'twenty'"),
    ("  confirmed: {}", "  confirmed: {means: happened}", "'happened'"),
    ("  cancelled: {final: true}", "  cancelled: {final: 'yes'}", "'yes'"),
    ("from: planned, to: confirmed", "from: 5, to: confirmed", "5"),
    ("name: mini\n", "name: mini\ntimers: [{id: t, at: tomorrow, when: planned, fire: confirm}]\n", "'tomorrow'"),
    ("name: mini\n", "name: mini\ntimers: [{id: t, at: start, late: 1 day, when: planned, fire: confirm}]\n",
     "'1 day'"),
], ids=["unknown-key", "wrong-type", "bad-means", "quoted-boolean", "number-for-state", "bad-time", "bad-duration"])
def test_broken_files_are_invalid_for_the_schema_and_for_check(iv, schema_file, tmp_path, old, new, says):
    assert old in BASE
    path = write(tmp_path / "broken.yaml", BASE.replace(old, new, 1))
    r = validate(schema_file, path)
    assert r.returncode == 1 and "Schema validation errors were encountered" in r.stdout + r.stderr, r.stdout
    assert says in r.stdout
    r = iv("workflow", "check", path)
    assert r.code == 1 and r.err.startswith(f"{path}:")


def _properties(schema: dict) -> dict[str, dict]:
    """Every property of every object in the schema, by 'Object.key'."""
    out = {f"WorkflowDef.{k}": v for k, v in schema["properties"].items()}
    for name, definition in schema["$defs"].items():
        out.update({f"{name}.{k}": v for k, v in definition.get("properties", {}).items()})
    return out


def test_every_key_has_a_description_and_an_example(iv):
    props = _properties(iv("workflow", "schema").ok().json)
    assert {"WorkflowDef.states", "StateDef.means", "TransitionDef.from", "TimerDef.late"} <= set(props)
    for key, prop in props.items():
        assert prop.get("description"), key
        assert prop.get("examples"), key
