"""Hooks, their documentation and their tests cannot drift apart: every hookspec is documented in
docs/plugins.md with its exact signature and call mode, has a test of its own under
tests/plugins/, and the documented example for it loads as a real plugin without a warning."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pluggy
import pytest

import infoview.hookspecs
from plugin_support import run_json

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins.md"
HOOKS = sorted(name for name in dir(infoview.hookspecs) if name.startswith("infoview_"))


def signature_text(name: str) -> str:
    """`def name(arg: Type, ...) -> Return`, as written in engine/hookspecs.py minus the quotes
    that keep typing-only imports lazy there."""
    sig = inspect.signature(getattr(infoview.hookspecs, name))

    def ann(value: object) -> str:
        return str(value).strip("'\"")

    params = ", ".join(f"{p.name}: {ann(p.annotation)}" for p in sig.parameters.values())
    return f"def {name}({params}) -> {ann(sig.return_annotation)}"


def sections() -> dict[str, str]:
    """docs/plugins.md's `### infoview_...` sections, by hook name."""
    parts = re.split(r"^### (infoview_\w+)\s*$", DOCS.read_text(), flags=re.M)
    out = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=False):
        out[name] = body.split("\n## ", 1)[0]
    return out


def test_the_names_walked_here_are_exactly_the_hooks_pluggy_knows():
    pm = pluggy.PluginManager("infoview")
    pm.add_hookspecs(infoview.hookspecs)
    assert HOOKS == sorted(name for name in vars(pm.hook) if not name.startswith("_"))


def test_every_documented_hook_exists():
    assert sorted(sections()) == HOOKS


@pytest.mark.parametrize("name", HOOKS)
def test_documented_with_its_exact_signature_and_call_mode(name: str):
    section = sections().get(name)
    assert section is not None, f"docs/plugins.md has no '### {name}' section"
    assert f"```python\n{signature_text(name)}\n```" in section
    spec_mode = re.search(r"Mode: (\w+)", getattr(infoview.hookspecs, name).__doc__ or "")
    assert spec_mode, f"{name}'s docstring in engine/hookspecs.py names no 'Mode: ...'"
    assert f"**Call mode:** {spec_mode.group(1)}." in section


@pytest.mark.parametrize("name", HOOKS)
def test_has_a_test_of_its_own(name: str):
    here = Path(__file__).resolve()
    users = [p.name for p in here.parent.glob("test_*.py") if p != here and name in p.read_text()]
    assert users, f"no test under tests/plugins/ uses {name}"


def test_every_documented_example_loads_as_a_plugin_without_a_warning(tmp_path: Path):
    """Each hook section's example, installed as its own plugin: the CLI loads it, finds the hook,
    and accepts everything it registers."""
    site = tmp_path / "site"
    entry_points = ["[infoview]"]
    for name, section in sections().items():
        blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
        assert len(blocks) == 2, f"{name}: expected the signature and one example"
        package = site / f"doc_{name}"
        (package / "workflows").mkdir(parents=True)   # what the register_workflows example reads
        (package / "__init__.py").write_text(blocks[1])
        entry_points.append(f"doc-{name} = doc_{name}")
    info = site / "doc_examples-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: doc-examples\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("\n".join(entry_points) + "\n")

    data = run_json(tmp_path / "home", site, "plugins", env={"INFOVIEW_STRICT_PLUGINS": "1"})
    assert data["warnings"] == []
    loaded = {p["name"]: p for p in data["plugins"] if not p["builtin"]}
    assert {name: p["hooks"] for name, p in loaded.items()} == {f"doc-{h}": [h] for h in HOOKS}
    registered = {kind: names for p in loaded.values() for kind, names in p["registered"].items()}
    assert registered == {"actions": ["log-line"], "guards": ["has-email"], "question_sets": ["ask-remote-work"],
                          "template_fields": ["org"]}
