"""The plugin as the engine sees it: cheap to import, registers `notify` through the hook."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pluggy
import pytest
from pydantic import ValidationError

import infoview.plugins.notify
from infoview import hookspecs
from infoview.actions import ActionSpec
from infoview.plugins.notify.params import NotifyParams

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_plugin_does_not_import_apprise() -> None:
    code = ("import sys, infoview.plugins.notify, infoview.plugins.notify.commands; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'apprise'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_registers_the_notify_action_through_pluggy() -> None:
    pm = pluggy.PluginManager("infoview")
    pm.add_hookspecs(hookspecs)
    pm.register(infoview.plugins.notify, name="notify")
    registered: list[ActionSpec] = []
    pm.hook.infoview_register_actions(register=registered.append)
    [spec] = registered
    assert (spec.name, spec.params, spec.templates) == ("notify", NotifyParams, ("title", "body"))


@pytest.mark.parametrize(("params", "complaint"), [
    ({"title": "x"}, "tag"),
    ({"tag": "all", "title": "x"}, "would reach every channel"),
    ({"tag": "a,b", "title": "x"}, "must be one name"),
    ({"tag": "reminders", "title": "x", "titel": "y"}, "Extra inputs are not permitted"),
])
def test_params_refuse_what_would_misroute(params: dict[str, str], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        NotifyParams.model_validate(params)


def test_tag_is_lowercased_like_apprise_does() -> None:
    assert NotifyParams(tag="Reminders", title="x").tag == "reminders"
