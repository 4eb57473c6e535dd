"""What `pip install .` puts into site-packages: one import name, `infoview`, and nothing generic."""
from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAPPED = {"engine": "infoview", "plugins": "infoview.plugins", "workflows": "infoview.workflows"}


def _package_folders() -> set[str]:
    """Every folder with an __init__.py under the mapped folders, as its installed dotted name."""
    names = set()
    for folder, dotted in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            names.add(".".join((dotted, *rel)))
    return names


def test_pyproject_lists_every_package_folder() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(config["tool"]["setuptools"]["packages"]) == _package_folders()


def test_the_wheel_holds_only_infoview_and_its_data(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("infoview-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"infoview"}
    assert "infoview/workflows/informational-interview.yaml" in names
    assert "infoview/plugins/questions/sets/evaluation.yaml" in names
    assert "infoview/plugins/questions/templates/thanks.md" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "infoview = infoview.cli:main" in text
    assert "builtin = infoview.plugins.builtin" in text  # built-ins load as entry points, like any plugin
