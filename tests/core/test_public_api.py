"""`from infoview import ...`: the names docs/plugins.md promises plugin authors, each the real thing."""
from __future__ import annotations

import subprocess
import sys

import infoview
from infoview import actions, hookspecs, templates


def test_every_public_name_resolves_to_its_defining_module() -> None:
    assert sorted(infoview.__all__) == sorted(infoview._EXPORTS)
    for name in infoview.__all__:
        assert getattr(infoview, name) is getattr(sys.modules[f"infoview.{infoview._EXPORTS[name]}"], name)
    assert infoview.hookimpl is hookspecs.hookimpl
    assert infoview.ActionSpec is actions.ActionSpec and infoview.TemplateFieldSpec is templates.TemplateFieldSpec


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        infoview.Engine  # noqa: B018 - the engine is not part of the plugin API
    except AttributeError as e:
        assert "no attribute 'Engine'" in str(e)
    else:
        raise AssertionError("infoview.Engine should not be exported")


def test_importing_the_package_loads_no_models() -> None:
    """Every command imports `infoview`; the public names cost nothing until used."""
    code = "import sys, infoview.cli; print('pydantic' in sys.modules, 'infoview.actions' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
