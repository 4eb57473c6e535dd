"""Two drills for `dev.py stress` (issue 16, point 9), each returning its figures:

- plugin_drill: many interviews, a plugin that raises at random in its transition check, its
  guard or its signal hook; ticks must decide every interview's timer (refused for the broken
  ones, naming the plugin; fired for the rest) and never stop.
- import_fuzz: exports mutated at random (values past the bounds, wrong types, histories the
  workflow could not produce), each imported by the CLI into a fresh home: it is imported or
  refused in one line, never exit 70 or a traceback, and a refused one leaves the home empty.
- slow_clients: `infoview serve` (a real process) with more slowloris connections than its
  connection cap, trickling or stalling mid-headers, while a good client keeps fetching the feed:
  every good request answered 200, the slow ones closed by the deadline, the server alive.
- header_flood: many header lines, huge lines, headers without end, sent over and over: each
  refused (431/400) or closed, the server's peak memory barely moves, the feed still answers.
"""
from __future__ import annotations

import copy
import json
import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "plugins"), str(HERE.parent / "reliability")]

import select  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from typing import Iterator  # noqa: E402

from cli_support import _PYTHON_CLI, Lines, Run, clean_env, infoview, start_infoview  # noqa: E402
from feed_load import address, raw  # noqa: E402


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


# ---- the feed server under hostile clients ----

NOW = "2026-11-01T09:00Z"   # the injected clock of the served home


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    errors: Path    # the server's stderr

    def memory_kb(self, field: str = "VmHWM") -> int:
        """The server's peak (VmHWM) or present (VmRSS) resident memory, in KiB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def alive(self) -> bool:
        return self.proc.poll() is None


@contextmanager
def served(home: Path, *, interviews: int = 5, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`infoview serve` on 127.0.0.1, a free port, over a home with a few interviews; stopped on exit."""
    for i in range(interviews):
        infoview(home, "plan", f"Person {i}", "--at", f"2026-11-{i % 20 + 2:02d}T10:00", "--tz", "Europe/Berlin",
                 now=NOW).ok()
    errors = home / "serve.err"
    with errors.open("w") as err:
        proc = start_infoview(home, "serve", "--host", "127.0.0.1", "--port", "0", now=NOW, env=env, stderr=err)
    try:
        first = Lines(proc.stdout).next(60)
        assert first.startswith("serving the calendar on "), first
        yield Served(proc, first.split()[-1], errors)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)


def good_get(url: str, timeout: float) -> int:
    """One well-behaved GET of the feed with its token: the status, 0 if none came."""
    host, _, path = address(url)
    try:
        answer = raw(url, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(),
                     timeout=timeout)
    except OSError:
        return 0
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


SLOW_REQUEST = b"GET /calendar/x.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000


def _slow_connection(url: str, stall: bool, pace: float, end: float, figures: dict[str, int],
                     lock: threading.Lock) -> None:
    """Connect again and again until `end`: trickle one byte each `pace` seconds, or send half a
    header and fall silent; count who closed each connection."""
    host, port, _ = address(url)
    while time.monotonic() < end:
        try:
            s = socket.create_connection((host, port), timeout=10)
        except OSError:
            with lock:
                figures["connect errors"] += 1
            time.sleep(pace)   # the attacker's pace before trying again
            continue
        outcome = "open at the end"
        with lock:
            figures["slow opened"] += 1
        with s:
            sent = 0
            try:
                if stall:
                    s.sendall(SLOW_REQUEST[:60])
                while time.monotonic() < end:
                    if select.select([s], [], [], pace)[0]:
                        if not s.recv(4096):
                            outcome = "slow closed"
                            break
                        outcome = "answered"   # anything but a close (e.g. 408); read on to the close
                        continue
                    if not stall and sent < len(SLOW_REQUEST):
                        s.sendall(SLOW_REQUEST[sent:sent + 1])
                        sent += 1
            except OSError:
                outcome = "slow closed"
        with lock:
            figures[outcome] = figures.get(outcome, 0) + 1


def slow_clients(root: Path, *, slow: int, cap: int, deadline: int, seconds: int, pace: float = 0.2) -> dict[str, int]:
    """`slow` slowloris connections (half trickling, half stalled mid-headers) against a server
    capped at `cap` connections with a `deadline`-second request deadline and idle timeout, for
    `seconds`, while one good client fetches the feed. Figures in counts and KiB."""
    env = {"INFOVIEW_HTTP_CONNECTIONS": str(cap), "INFOVIEW_HTTP_REQUEST_SECONDS": str(deadline),
           "INFOVIEW_HTTP_IDLE_SECONDS": str(deadline)}
    figures = {"slow opened": 0, "slow closed": 0, "open at the end": 0, "answered": 0, "connect errors": 0,
               "good": 0, "good 200": 0, "good max ms": 0, "server died": 0, "tracebacks": 0, "peak kb": 0}
    # a good request may wait for every slow connection queued before it to reach its deadline
    patience = (slow // cap + 2) * (deadline + 2)
    lock = threading.Lock()
    with served(root / "slow-home", env=env) as server:
        end = time.monotonic() + seconds
        with ThreadPoolExecutor(max_workers=slow) as pool:
            for n in range(slow):
                pool.submit(_slow_connection, server.url, n % 2 == 1, pace, end, figures, lock)
            while time.monotonic() < end and server.alive():
                asked = time.monotonic()
                figures["good"] += 1
                figures["good 200"] += good_get(server.url, patience) == 200
                # informational (the drill fails on a status, never on a time): how long slowloris delays a subscriber
                figures["good max ms"] = max(figures["good max ms"], int((time.monotonic() - asked) * 1000))
                time.sleep(pace)   # a subscriber's pace, not a wait for something
        figures["server died"] = int(not server.alive())
        figures["peak kb"] = server.memory_kb() if server.alive() else 0
        if server.alive():   # and after the storm, the feed at once
            figures["good"] += 1
            figures["good 200"] += good_get(server.url, patience) == 200
    figures["tracebacks"] = server.errors.read_text().count("Traceback")
    return figures


FLOOD_KINDS = ("many lines", "huge line", "endless")
FLOOD_GROWTH_KB = 8 * 1024   # the flood may raise the server's peak memory by this much at most


def _flood_one(url: str, kind: str) -> str:
    """One hostile request; what came of it: '431', '400', 'closed', or what should not happen."""
    host, port, path = address(url)
    head = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n".encode()
    try:
        with socket.create_connection((host, port), timeout=15) as s:
            try:
                if kind == "many lines":   # under the byte bound, over the line bound
                    s.sendall(head + b"".join(b"X-N%d: v\r\n" % i for i in range(1000)) + b"\r\n")
                elif kind == "huge line":
                    s.sendall(head + b"X-Big: " + b"b" * 256 * 1024 + b"\r\n\r\n")
                else:   # header lines without the blank line, up to 1 MiB or until refused
                    s.sendall(head)
                    for i in range(1024):
                        s.sendall(b"X-More-%d: " % i + b"m" * 1000 + b"\r\n")
            except OSError:
                pass   # the server stopped reading: its answer may be waiting
            answer = b""
            try:
                while len(answer) < 64 * 1024:
                    data = s.recv(65536)
                    if not data:
                        break
                    answer += data
            except TimeoutError:
                return "timeout"
            except OSError:
                pass
    except OSError:
        return "closed"
    if not answer:
        return "closed"
    status = answer.split(b" ", 2)[1].decode("ascii", "replace") if answer.startswith(b"HTTP/") else "?"
    return status if status in ("431", "400") else f"answered {status}"


def header_flood(root: Path, *, clients: int, rounds: int) -> dict[str, int]:
    """`clients` at once, each sending `rounds` hostile header sets (the kinds in turn)."""
    figures: dict[str, int] = {"sent": 0, "431": 0, "400": 0, "closed": 0, "other": 0, "good": 0,
                               "good 200": 0, "server died": 0, "tracebacks": 0}
    with served(root / "flood-home") as server:
        figures["good"] += 1
        figures["good 200"] += good_get(server.url, 30) == 200
        figures["peak kb before"] = server.memory_kb()

        def client(c: int) -> list[str]:
            return [_flood_one(server.url, FLOOD_KINDS[(c + r) % len(FLOOD_KINDS)]) for r in range(rounds)]

        with ThreadPoolExecutor(max_workers=clients) as pool:
            for outcomes in pool.map(client, range(clients)):
                for o in outcomes:
                    figures["sent"] += 1
                    key = o if o in ("431", "400", "closed") else "other"
                    figures[key] += 1
                    if key == "other":
                        print(f"  header flood: {o}", flush=True)
        figures["server died"] = int(not server.alive())
        if server.alive():
            figures["peak kb after"] = server.memory_kb()
            figures["good"] += 1
            figures["good 200"] += good_get(server.url, 30) == 200
    figures["tracebacks"] = server.errors.read_text().count("Traceback")
    return figures
