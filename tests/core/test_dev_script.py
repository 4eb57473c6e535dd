"""`python3 scripts/dev.py test`: a full run does the static checks (ruff, mypy), a chosen subset does not."""
from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "scripts" / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("ensure_venv", "ensure_js", "ensure_graphviz", "ensure_example_plugin"):
        monkeypatch.setattr(module, name, lambda *a: None)
    return module


def _record(monkeypatch: pytest.MonkeyPatch, dev: ModuleType, checks: list[str], codes: dict[str, int]) -> list[str]:
    ran: list[str] = []

    def static_checks() -> list[str]:
        ran.append("static")
        return checks

    def call(cmd: list[str], **kw: Any) -> int:
        ran.append("pytest")
        return codes.get("pytest", 0)

    def example(workers: list[str], env: Any = None) -> int:
        ran.append("example")
        return codes.get("example", 0)

    monkeypatch.setattr(dev, "static_checks", static_checks)
    monkeypatch.setattr(dev.subprocess, "call", call)
    monkeypatch.setattr(dev, "run_example_tests", example)
    return ran


def test_a_full_run_checks_first_then_tests(monkeypatch: pytest.MonkeyPatch, dev: ModuleType) -> None:
    ran = _record(monkeypatch, dev, [], {})
    assert dev.main(["test"]) == 0
    assert ran == ["static", "pytest", "example"]


def test_a_failed_check_fails_the_run_after_the_tests(monkeypatch: pytest.MonkeyPatch, dev: ModuleType,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    ran = _record(monkeypatch, dev, ["ruff: 1 finding(s) (listed above)"], {})
    assert dev.main(["test"]) == 1
    assert ran == ["static", "pytest", "example"]
    assert "FAILED ruff: 1 finding(s)" in capsys.readouterr().out


def test_chosen_tests_run_without_the_checks(monkeypatch: pytest.MonkeyPatch, dev: ModuleType) -> None:
    ran = _record(monkeypatch, dev, ["mypy: found 1 error"], {"pytest": 0})
    assert dev.main(["test", "tests/core"]) == 0
    assert ran == ["pytest"]


def test_mypy_findings_name_the_repository_file_not_the_link(dev: ModuleType) -> None:
    links = list((ROOT / "build").glob("__editable__.infoview-*/infoview/engine.py"))
    assert links, "dev.py test installs infoview as a strict editable install (a tree of links)"
    line = f"{links[0].relative_to(ROOT)}:3: error: something  [misc]"
    assert dev._repo_path(line) == "engine/engine.py:3: error: something  [misc]"
    assert dev._repo_path("Success: no issues found in 1 source file") == "Success: no issues found in 1 source file"


def test_the_package_says_it_is_typed() -> None:
    # PEP 561: without py.typed, mypy neither checks `-p infoview` nor reads its types for a plugin
    assert files("infoview").joinpath("py.typed").is_file()


def test_quick_runs_everything_but_the_slow_drills(monkeypatch: pytest.MonkeyPatch, dev: ModuleType) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(dev, "static_checks", lambda: [])
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, **kw: commands.append(cmd) or 0)
    monkeypatch.setattr(dev, "run_example_tests", lambda workers, env=None: 0)
    assert dev.main(["test", "--quick"]) == 0
    assert dev.main(["test"]) == 0
    quick, full = commands
    assert quick[-2:] == ["-m", "not slow"] and "--quick" not in quick
    assert "not slow" not in full  # CI's command: the slow drills too
