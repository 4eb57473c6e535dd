"""The plugin as the loader sees it: cheap to import, hooks with the spec's names."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pluggy

import infoview.hookspecs
import infoview.plugins.calendar

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_plugin_does_not_load_icalendar_or_the_server():
    code = ("import sys, infoview.plugins.calendar; "
            "print(sorted(m for m in ('icalendar', 'http.server', 'pydantic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_hooks_validate_against_the_specs():
    pm = pluggy.PluginManager("infoview")
    pm.add_hookspecs(infoview.hookspecs)
    pm.register(infoview.plugins.calendar, name="calendar")
    pm.check_pending()
    names = {impl.plugin_name for impl in pm.hook.infoview_calendar_components.get_hookimpls()}
    assert names == {"calendar"}
    assert pm.hook.infoview_register_commands.get_hookimpls()
