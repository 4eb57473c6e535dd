"""CLI start-up as whole processes vs importing its four libraries.

ours:     [venv python, -m, infoview.cli, --home TMP, --help] and `... list` over 1,000 interviews
          (100 planned through the engine, copied 10 times with SQL; see dataset.py).
baseline: [venv python, -c, "import click, pydantic, pluggy, yaml"]: a process that imports the
          CLI's libraries and does nothing else.
Also checked: the CLI never imports apprise or icalendar at start-up (-X importtime of each).
Every process runs with bytecode (.pyc) written and used, as after a `pip install`, and after one
untimed run of each (processes.py says why).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import T0, count, engine, plan_data, replicate  # noqa: E402
from figures import Figure, compare  # noqa: E402
from processes import installed_env, run_quietly, warmed  # noqa: E402

PY = sys.executable
FORBIDDEN = ("apprise", "icalendar")


def _proc(args: list[str], env: dict[str, str]):
    def call() -> None:
        run_quietly(args, env)
    return warmed(call)


def _imported(args: list[str], env: dict[str, str]) -> set[str]:
    out = subprocess.run([args[0], "-X", "importtime", *args[1:]], check=True, capture_output=True, text=True, env=env)
    return {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines() if line.startswith("import time:")}


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        eng = engine(home, T0)
        for i in range(100):
            eng.plan(plan_data(i, T0 + timedelta(days=2, minutes=30 * i)))
        eng.store.close()
        replicate(home / "infoview.db", 100, 10)
        assert count(home / "infoview.db", "interviews") == 1000
        env = installed_env(INFOVIEW_NOW=T0.isoformat())
        cli = [PY, "-m", "infoview.cli", "--home", str(home)]
        base = [PY, "-c", "import click, pydantic, pluggy, yaml"]
        out = subprocess.run([*cli, "list", "--limit", "0"], check=True, capture_output=True, text=True, env=env).stdout
        assert out.count("\n") >= 1000, out[:500]
        figures = []
        for what in (["--help"], ["list", "--limit", "0"]):
            mods = _imported([*cli, *what], env)
            bad = [m for m in FORBIDDEN if m in mods]
            assert not bad, f"`infoview {' '.join(what)}` imports {bad} at start-up"
            figures.append(compare(f"startup: infoview {' '.join(what)} vs import click,pydantic,pluggy,yaml",
                                   _proc([*cli, *what], env), _proc(base, env), target=1.5, kind="within",
                                   repeats=11, note="whole processes; imports neither apprise nor icalendar"))
        figures[1].name = figures[1].name.replace("list --limit 0", "list (all 1,000 interviews)")
        return figures


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
