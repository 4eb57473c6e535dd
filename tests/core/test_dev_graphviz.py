"""`python3 scripts/dev.py test` installs Graphviz (for the DOT graph tests) only when `dot` is
missing, and PostgreSQL (for the shared store's tests) only when its server binaries are, with
apt-get as root (as CI runs), after an `apt-get update`; otherwise it says how."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_graphviz_under_test", ROOT / "scripts" / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _machine(monkeypatch: pytest.MonkeyPatch, dev: ModuleType, found: set[str], uid: int) -> list[list[str]]:
    ran: list[list[str]] = []
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}" if name in found else None)
    monkeypatch.setattr(dev.os, "geteuid", lambda: uid)
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: ran.append(list(cmd)))
    return ran


def test_nothing_is_installed_when_dot_is_there(monkeypatch: pytest.MonkeyPatch, dev: ModuleType) -> None:
    ran = _machine(monkeypatch, dev, {"dot", "apt-get"}, 0)
    dev.ensure_graphviz()
    assert ran == []


def test_root_without_dot_updates_then_installs_graphviz(monkeypatch: pytest.MonkeyPatch, dev: ModuleType) -> None:
    ran = _machine(monkeypatch, dev, {"apt-get"}, 0)
    dev.ensure_graphviz()
    assert [cmd[:2] for cmd in ran] == [["apt-get", "update"], ["apt-get", "install"]]
    assert ran[1][-1] == "graphviz"


def test_a_user_without_dot_is_told_what_to_install(monkeypatch: pytest.MonkeyPatch, dev: ModuleType,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    ran = _machine(monkeypatch, dev, {"apt-get"}, 1000)
    dev.ensure_graphviz()
    assert ran == []
    assert "graphviz is missing: install it (Debian: apt-get install graphviz)" in capsys.readouterr().out


def _postgres_machine(monkeypatch: pytest.MonkeyPatch, dev: ModuleType, have_server: bool,
                      uid: int) -> list[list[str]]:
    ran = _machine(monkeypatch, dev, {"apt-get"}, uid)
    monkeypatch.setattr(dev.Path, "glob", lambda self, pattern: iter([Path("/x/initdb")] if have_server else []))
    return ran


def test_nothing_is_installed_when_the_postgresql_server_is_there(monkeypatch: pytest.MonkeyPatch,
                                                                  dev: ModuleType) -> None:
    ran = _postgres_machine(monkeypatch, dev, True, 0)
    dev.ensure_postgres()
    assert ran == []


def test_root_without_postgresql_updates_then_installs_it(monkeypatch: pytest.MonkeyPatch, dev: ModuleType) -> None:
    ran = _postgres_machine(monkeypatch, dev, False, 0)
    dev.ensure_postgres()
    assert [cmd[:2] for cmd in ran] == [["apt-get", "update"], ["apt-get", "install"]]
    assert ran[1][-1] == "postgresql"


def test_a_user_without_postgresql_is_told_what_to_install(monkeypatch: pytest.MonkeyPatch, dev: ModuleType,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    ran = _postgres_machine(monkeypatch, dev, False, 1000)
    dev.ensure_postgres()
    assert ran == []
    assert "PostgreSQL is missing: install it (Debian: apt-get install postgresql)" in capsys.readouterr().out
