"""Real third-party plugins for the loader tests, without pip: a module and a `*.dist-info`
folder (METADATA and entry_points.txt) in a temporary directory put on PYTHONPATH. That is
exactly what `importlib.metadata` finds for an installed distribution, so the CLI subprocess
loads these plugins through the same entry-point path as a pip-installed one."""
from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

from cli_support import infoview

AT = "2030-03-04T10:00"          # a Monday; every test plans its interviews then
BEFORE = "2030-03-01T09:00"      # --now for commands run before the interview


def add_distribution(site: Path, dist: str, plugins: dict[str, str], version: str = "1.0") -> None:
    """Install distribution `dist` into `site`: one module per entry point name -> source.
    The entry point `name` refers to the module `<name with - as _>`."""
    site.mkdir(parents=True, exist_ok=True)
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = ["[infoview]"]
    for name, source in plugins.items():
        module = name.replace("-", "_")
        (site / f"{module}.py").write_text(textwrap.dedent(source))
        lines.append(f"{name} = {module}")
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


def run(home: Path, site: Path, *args: str, env: dict[str, str] | None = None, now: str | None = BEFORE,
        check: bool = False) -> subprocess.CompletedProcess[str]:
    """The real CLI with `site`'s plugins installed."""
    r = infoview(home, *args, now=now, env={"PYTHONPATH": str(site), **(env or {})}, check=check)
    return subprocess.CompletedProcess(list(args), r.code, r.out, r.err)


def run_json(home: Path, site: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return json.loads(run(home, site, *args, "--json", env=env, check=True).stdout)


def plan(home: Path, site: Path, *extra: str, env: dict[str, str] | None = None) -> int:
    out = run_json(home, site, "plan", "Jane Doe", "--at", AT, "--tz", "UTC", *extra, env=env)
    return int(out["id"])


def external(home: Path, site: Path, env: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """`infoview plugins --json`, third-party plugins only, by name."""
    data = run_json(home, site, "plugins", env=env)
    return {p["name"]: p for p in data["plugins"] if not p["builtin"]}
