"""A persisted change as a user makes it: one whole `infoview confirm ID` process, cold.

1. vs a bare `python -c "import click, sqlite3"` (the least a CLI that writes SQLite imports):
   target <= 2x.
2. vs a process that only imports what `confirm` cannot do without: click and sqlite3, pydantic's
   models and fields (every plugin registers its actions as pydantic models, and workflow files are
   checked with them), pluggy, and the discovery of plugins' entry points. Reported, no target:
   it says how much of the difference to the bare import is infoview's own work.
3. vs a hand-written peer, reported as a figure (no target): a whole process that imports
   `transitions` and sqlite3, builds the same planned -> confirmed machine, reads the interview's
   document, moves it, and writes the same document and event row in one transaction. What the
   engine adds on top (plugins, guards, timers re-armed, the outbox) is the difference.

Each run confirms a fresh planned interview of a 1,000-interview home (the peer uses its own copy).
Every process runs with bytecode (.pyc) written and used, as after a `pip install`, and after one
untimed run of each (processes.py says why): PYTHONDONTWRITEBYTECODE, set in some development
environments, would add the compilation of every module to every run.
"""
from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import T0, engine, plan_data, replicate  # noqa: E402
from figures import Figure, compare  # noqa: E402
from processes import installed_env, warmed  # noqa: E402

PY = sys.executable
REPEATS = 9

NEEDED = ("import click, sqlite3, pluggy; from pydantic import BaseModel, ConfigDict, Field; "
          "from importlib.metadata import entry_points; entry_points(group='infoview')")

PEER = r"""
import json, sqlite3, sys
from datetime import datetime, timezone
from transitions import Machine

class Interview:
    pass

db, iid, now = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA busy_timeout=15000"); conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=NORMAL")
conn.execute("BEGIN IMMEDIATE")
doc = json.loads(conn.execute("SELECT doc FROM interviews WHERE id=?", (iid,)).fetchone()[0])
model = Interview()
Machine(model=model, states=["planned", "confirmed", "held", "noted", "evaluated", "cancelled"],
        transitions=[["confirm", "planned", "confirmed"]], initial=doc["state"])
model.confirm()
version = doc["version"]
doc.update(state=model.state, version=version + 1, updated=now, entered=now)
conn.execute("UPDATE interviews SET state=?, version=?, doc=? WHERE id=? AND version=?",
             (model.state, version + 1, json.dumps(doc, sort_keys=True, separators=(",", ":")), iid, version))
conn.execute("INSERT INTO events (interview_id, seq, event, from_state, to_state, at, data, source) VALUES (?,?,?,?,?,?,?,?)",
             (iid, version + 1, "confirm", "planned", model.state, now, "{}", "cli"))
conn.execute("COMMIT")
"""


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        home, peer_home = Path(tmp) / "ours", Path(tmp) / "peer"
        home.mkdir()
        eng = engine(home, T0)
        for i in range(100):
            eng.plan(plan_data(i, T0 + timedelta(days=2, minutes=30 * i)))
        eng.store.close()
        replicate(home / "infoview.db", 100, 10)
        shutil.copytree(home, peer_home)
        env = installed_env(INFOVIEW_NOW=T0.isoformat())
        ids, peer_ids = itertools.count(1), itertools.count(1)

        def confirm() -> None:
            subprocess.run([PY, "-m", "infoview.cli", "--home", str(home), "confirm", str(next(ids))], check=True,
                           stdout=subprocess.DEVNULL, env=env)

        def peer() -> None:
            subprocess.run([PY, "-c", PEER, str(peer_home / "infoview.db"), str(next(peer_ids)), T0.isoformat()],
                           check=True, env=env)

        def bare() -> None:
            subprocess.run([PY, "-c", "import click, sqlite3"], check=True, env=env)

        def needed() -> None:
            subprocess.run([PY, "-c", NEEDED], check=True, env=env)

        return [
            compare("cold: infoview confirm (whole process) vs import click, sqlite3", warmed(confirm), warmed(bare),
                    target=2.0, kind="within", repeats=REPEATS, note="a persisted change, cold, 1,000 interviews"),
            compare("cold: infoview confirm vs the libraries it needs, imported", confirm, warmed(needed), target=None,
                    kind="within", repeats=REPEATS, note="click, sqlite3, pydantic, pluggy, entry points; reported"),
            compare("cold: infoview confirm vs a transitions + SQLite peer writing the same", confirm, warmed(peer),
                    target=None, kind="within", repeats=REPEATS, note="reported, not a target"),
        ]


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
