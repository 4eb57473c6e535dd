"""One hook-calling path: only the plugin host reads pluggy's hook callers, and its loop holds a
wrapper to pluggy's protocol (yield once, return the list) without letting a broken wrapper take
the others' answers with it."""
from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

from infoview.errors import InfoviewError
from infoview.host import PluginHost
from infoview.machine import TransitionView
from infoview.templates import SAMPLE

ROOT = Path(__file__).resolve().parents[2]


def reads_hook_callers(source: str) -> bool:
    """Code (not prose) that uses `<...>.pm.hook` / `pm.hook` or `.get_hookimpls`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            if node.attr == "get_hookimpls":
                return True
            owner = node.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if node.attr == "hook" and owner_name == "pm":
                return True
    return False


def test_only_the_plugin_host_reads_pluggys_hook_callers():
    touching = sorted(
        str(path.relative_to(ROOT))
        for folder in ("engine", "plugins")
        for path in (ROOT / folder).rglob("*.py")
        if reads_hook_callers(path.read_text())
    )
    assert touching == ["engine/host.py"]


def host_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **modules: str) -> PluginHost:
    """A host with the built-in plugins plus `modules` (name -> source) loaded as plugins."""
    for name, source in modules.items():
        (tmp_path / f"{name}.py").write_text("from infoview import hookimpl\n" + textwrap.dedent(source))
        monkeypatch.delitem(sys.modules, name, raising=False)  # a module of that name an earlier test loaded
    monkeypatch.syspath_prepend(str(tmp_path))
    # INFOVIEW_LOAD_PLUGINS empty: no installed third-party plugin (the example) joins in
    return PluginHost(env={"INFOVIEW_LOAD_PLUGINS": ""}, extra=tuple(modules)).load()


def check(host: PluginHost, event: str = "confirm") -> list[str]:
    view = TransitionView("informational-interview", event, "planned", "confirmed", {}, SAMPLE.created)
    return host.check_transition(SAMPLE, view)


ANSWER = '''
@hookimpl
def infoview_check_transition(interview, transition):
    return "inner reason"
'''


@pytest.mark.parametrize(("body", "problem"), [
    ("return []\n    yield", "WrapperError: the wrapper did not yield"),
    ("reasons = yield\n    yield\n    return reasons", "WrapperError: the wrapper yielded more than once"),
    ("reasons = yield\n    return 'not a list'", "WrapperError: the wrapper returned str, not the list of results"),
])
def test_a_wrapper_breaking_the_protocol_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                                                  problem: str):
    wrapper = f"@hookimpl(wrapper=True)\ndef infoview_check_transition(interview, transition):\n    {body}\n"
    host = host_with(tmp_path, monkeypatch, inner=ANSWER, broken=wrapper)
    with pytest.raises(InfoviewError, match=f"plugin 'broken' failed while checking 'confirm' .*: {problem}"):
        check(host)


def test_a_wrapper_returning_nothing_keeps_the_answers_and_one_may_drop_them(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    host = host_with(tmp_path, monkeypatch, inner=ANSWER, quiet='''
@hookimpl(wrapper=True)
def infoview_check_transition(interview, transition):
    yield
''')
    assert check(host) == ["inner reason"]
    host = host_with(tmp_path, monkeypatch, inner=ANSWER, lenient='''
@hookimpl(wrapper=True)
def infoview_check_transition(interview, transition):
    reasons = yield
    return [] if transition.event == "confirm" else reasons
''')
    assert check(host) == []
    assert check(host, "hold") == ["inner reason"]
