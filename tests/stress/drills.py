"""Two drills for `dev.py stress` (issue 16, point 9), each returning its figures:

- plugin_drill: many interviews, a plugin that raises at random in its transition check, its
  guard or its signal hook; ticks must decide every interview's timer (refused for the broken
  ones, naming the plugin; fired for the rest) and never stop.
- import_fuzz: exports mutated at random (values past the bounds, wrong types, histories the
  workflow could not produce), each imported by the CLI into a fresh home: it is imported or
  refused in one line, never exit 70 or a traceback, and a refused one leaves the home empty.
"""
from __future__ import annotations

import copy
import json
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "plugins")]

import subprocess  # noqa: E402

from cli_support import _PYTHON_CLI, Run, clean_env, infoview  # noqa: E402


def _raw(home: Path, *args: str, now: str | None = None) -> Run:
    """The CLI as a process, with nothing asserted: the drill counts what it sees."""
    pre = ["--home", str(home)] + (["--now", now] if now else [])
    proc = subprocess.run([*_PYTHON_CLI, *pre, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=clean_env(), timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def plugin_drill(root: Path, *, interviews: int, rounds: int, seed: int) -> dict[str, int]:
    from test_broken_plugins_never_stop_a_tick import PLUGIN, START, WORKFLOW

    from infoview.clock import Clock
    from infoview.engine import Engine
    from infoview.host import PluginHost
    from infoview.inputs import PlanInput

    rng = random.Random(seed)
    site = Path(tempfile.mkdtemp(prefix="broken-plugin-", dir=root))
    (site / "broken_at_random.py").write_text(PLUGIN, encoding="utf-8")
    sys.path.insert(0, str(site))
    host = PluginHost(env={}, extra=("broken_at_random",)).load()
    module = sys.modules["broken_at_random"]
    figures = {"ticks": 0, "interviews": 0, "refused": 0, "fired": 0, "undecided": 0, "wrong": 0}
    for n in range(rounds):
        home = root / f"plugins-{n}"
        (home / "workflows").mkdir(parents=True)
        (home / "workflows" / "lapse.yaml").write_text(WORKFLOW, encoding="utf-8")
        clock = Clock(fixed=START - timedelta(days=1))
        engine = Engine(home, clock, host)
        data = PlanInput(name="Someone", start=START, timezone="UTC").event_data()
        ids = [engine.plan(data, "lapse", dispatch=False).interview.id for _ in range(interviews)]
        ways = {i: rng.choice(["fine", "check", "guard", "committed"]) for i in ids}
        module.FAILS.clear()
        module.FAILS.update({i: w for i, w in ways.items() if w != "fine"})
        clock.set(START + timedelta(hours=2))
        firings = {f.interview_id: f for f in engine.tick(dispatch=False)}
        figures["ticks"] += 1
        figures["interviews"] += len(ids)
        figures["undecided"] += len(set(ids) - set(firings))
        for i, way in ways.items():
            f = firings.get(i)
            if f is None:
                continue
            expected = "refused" if way in ("check", "guard") else "fired"
            figures[expected] += f.outcome == expected
            figures["wrong"] += f.outcome != expected or (expected == "refused" and "broken_at_random" not in f.detail)
        engine.store.close()
    sys.path.remove(str(site))
    return figures


def _export(root: Path) -> dict[str, Any]:
    home = root / "fuzz-source"
    now = "2026-11-01T09:00Z"
    infoview(home, "plan", "Jane Doe", "--at", "2026-11-02T10:00", "--tz", "Europe/Berlin", now=now).ok()
    infoview(home, "confirm", "1", now=now).ok()
    infoview(home, "tick", now="2026-11-02T08:30Z").ok()
    infoview(home, "hold", "1", now="2026-11-02T09:10Z").ok()
    doc: dict[str, Any] = json.loads(infoview(home, "export", now="2026-11-03T09:00Z").ok().out)
    return doc


POISON: list[Any] = [2**63, 2**64, -1, 0, 10**30, 1.5, True, None, "", "x" * 300, "x" * 30_000, [], ["a", "b"],
                     {"a": 1}, "9999-01-01T00:00:00+00:00", "0001-01-01T00:00:00+00:00", "2026-11-02T10:00:00",
                     "Mars/Olympus", "../../etc/passwd", "planned", "held", "evaluated", "cancelled", "timer",
                     "\x1b]0;owned\x07", "2026-13-45T00:00:00+00:00"]


def _mutate(doc: dict[str, Any], rng: random.Random) -> str:
    """One random change at a random place of the export; returns what it did."""
    events = doc["interviews"][0]["events"]
    paths: list[tuple[Callable[[Any], None], str]] = []
    e = rng.randrange(len(events))
    event = events[e]
    value = rng.choice(POISON)
    for key in list(event):
        paths.append((lambda v, k=key: event.__setitem__(k, v), f"event {e + 1} {key}"))
    for key in list(event["data"]) + ["minutes", "start", "colour"]:
        paths.append((lambda v, k=key: event["data"].__setitem__(k, v), f"event {e + 1} data.{key}"))
    if "contact" in event["data"]:
        for key in ("name", "email", "company"):
            paths.append((lambda v, k=key: event["data"]["contact"].__setitem__(k, v), f"contact.{key}"))
    paths.append((lambda v: doc["interviews"][0].__setitem__("id", v), "id"))
    paths.append((lambda v: events.pop(e), f"drop event {e + 1}"))
    paths.append((lambda v: events.insert(e, copy.deepcopy(events[e])), f"repeat event {e + 1}"))
    setter, where = rng.choice(paths)
    setter(value)
    return f"{where} = {value!r:.40}"


def import_fuzz(root: Path, *, files: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    base = _export(root)
    figures = {"files": 0, "imported": 0, "refused": 0, "exit70": 0, "traceback": 0, "not one line": 0,
               "poisoned home": 0}
    for n in range(files):
        doc = copy.deepcopy(base)
        what = _mutate(doc, rng)
        crafted = root / f"fuzz-{n}.json"
        crafted.write_text(json.dumps(doc))
        home = root / f"fuzz-home-{n}"
        r = _raw(home, "import", str(crafted))
        figures["files"] += 1
        if r.code == 0:
            figures["imported"] += 1
            # whatever went in must read back and tick without an internal error
            for args in (("list",), ("tick",), ("calendar", "export")):
                check = _raw(home, *args, now="2026-11-05T09:00Z")
                figures["poisoned home"] += check.code != 0
                if check.code != 0:
                    print(f"  poisoned by {what}: {' '.join(args)}: {check.err.strip()[:200]}", flush=True)
            continue
        figures["refused"] += 1
        figures["exit70"] += r.code == 70
        figures["traceback"] += "Traceback" in r.err
        figures["not one line"] += len(r.err.strip().splitlines()) != 1
        if r.code == 70 or "Traceback" in r.err:
            print(f"  {what}: {r.err.strip().splitlines()[-1][:200]}", flush=True)
        if home.exists() and _raw(home, "list", "--json").out.strip() not in ("", "[]"):
            figures["poisoned home"] += 1
    return figures
