"""The scaling table: whole `infoview` processes on realistic homes of 1k, 10k and 100k interviews
(1M too with INFOVIEW_BENCH_1M=1), each command's time (median) and peak memory, and the growth
factor per 10x.

    python3 scripts/dev.py bench scaling             # the table, with its targets as figures
    python3 tests/benchmarks/bench_scaling.py 1000 10000 100000 [--postgres] [--out FILE.json]

Homes come from dataset.build_realistic (5-8 events each, timers armed, outbox jobs), built in a
separate process. Peak memory is the child's `ru_maxrss` from os.wait4. Linux hands a child the
peak of the process that forked it, so the table is measured by a fresh, small driver process
(this file run as a script, importing nothing of infoview): its own peak, about 10 MB, is the floor.

Commands that change the home run last: `tick` with 1,000 due once, then `db rebuild`.

On PostgreSQL (`INFOVIEW_BENCH_PG=1`, or `--postgres`): the same homes, each loaded into a fresh
database of a throwaway server with `infoview db copy` (its own row, "db copy (load)"), and every
command run with `--database URL` (scaling_pg.py). CPU time is the infoview process's plus the
server's (read from /proc: a full scan shows up there); peak memory is the infoview process's
alone, the server's is not counted.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NOW = "2027-06-01T09:00:00+00:00"  # dataset.REALISTIC_NOW (not imported: the driver stays small)
TIMEOUT = float(os.environ.get("INFOVIEW_BENCH_TIMEOUT", "300"))

# name -> (kind, arguments after `infoview --home H --now T`); kind sets the target:
# single = one record (flat), stream = grows with the home (linear time, flat memory), linear = report/agenda
COMMANDS: list[tuple[str, str, list[str]]] = [
    ("list --json", "stream", ["list", "--json"]),
    ("list --state planned", "single", ["list", "--state", "planned"]),
    ("show", "single", ["show", "{mid}"]),
    ("report", "linear", ["report"]),
    ("agenda", "linear", ["agenda"]),
    ("tick (idle)", "single", ["--now", "{idle}", "tick"]),
    ("outbox", "single", ["outbox"]),
    ("calendar export", "stream", ["calendar", "export"]),
    ("export", "stream", ["export"]),
    ("tick (1,000 due)", "single", ["--now", "{due1000}", "tick"]),
    ("db rebuild", "stream", ["db", "rebuild"]),
]
MUTATING = {"tick (1,000 due)", "db rebuild"}
PG_LOAD = "db copy (load)"  # on PostgreSQL: the SQLite home copied in, before the commands


def _infoview() -> list[str]:
    if os.environ.get("INFOVIEW_BENCH_CLI"):  # another build of infoview, e.g. the code before a change
        return [os.environ["INFOVIEW_BENCH_CLI"]]
    venv = ROOT / ".venv" / "bin" / "infoview"
    return [str(venv)] if venv.exists() else [sys.executable, "-m", "infoview.cli"]


def measure(argv: list[str], repeats: int, server_cpu: Any = None) -> dict[str, float | None]:
    """Median wall and CPU seconds (user + system: what a shared machine's load hardly moves) and
    worst peak MiB of `repeats` runs (one when a run takes over 5 s); None when a run exceeds TIMEOUT.
    `server_cpu()`: CPU seconds a database server has used, added to the process's own."""
    times, cpus, peaks, servers = [], [], [], []
    for _ in range(repeats):
        c0 = server_cpu() if server_cpu else 0.0
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = t0 + TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"seconds": None, "cpu": None, "peak_mib": None}
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err[-500:]}")
        times.append(time.perf_counter() - t0)
        servers.append(server_cpu() - c0 if server_cpu else 0.0)
        cpus.append(usage.ru_utime + usage.ru_stime + servers[-1])
        peaks.append(usage.ru_maxrss / 1024)
        if times[-1] > 5:
            break
    return {"seconds": statistics.median(times), "cpu": statistics.median(cpus), "peak_mib": max(peaks),
            **({"server_cpu": statistics.median(servers)} if server_cpu else {})}


def _points(db: Path) -> dict[str, str]:
    """What the commands are pointed at: an interview in the middle, a time before anything is due
    (idle tick), and the time by which about 1,000 interviews have a timer due."""
    conn = sqlite3.connect(db)
    try:
        n = conn.execute("SELECT MAX(id) FROM interviews").fetchone()[0]
        first = conn.execute("SELECT MIN(d) FROM (SELECT MIN(next_due) d FROM interviews UNION ALL "
                             "SELECT MIN(next_attempt) FROM outbox WHERE state IN ('pending','sending'))").fetchone()[0]
        due = conn.execute("SELECT next_due FROM interviews WHERE next_due IS NOT NULL ORDER BY next_due "
                           "LIMIT 1 OFFSET 999").fetchone()
    finally:
        conn.close()
    from datetime import datetime, timezone

    def iso(t: int) -> str:
        return datetime.fromtimestamp(t, timezone.utc).isoformat()
    return {"mid": str(n // 2), "idle": iso(first - 1), "due1000": iso(due[0] if due else first)}


def table(sizes: list[int], only: list[str] | None = None, postgres: bool = False) -> dict[str, Any]:
    if postgres:
        from scaling_pg import Server

        with Server() as server:
            return _table(sizes, only, server)
    return _table(sizes, only, None)


def _table(sizes: list[int], only: list[str] | None, server: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"sizes": sizes, "rows": {}}
    for size in sizes:
        home = Path(tempfile.mkdtemp(prefix=f"iv-scale-{size}-"))
        try:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, str(HERE / "dataset.py"), str(home), str(size)], check=True)
            print(f"# built {size:,} interviews in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            points = _points(home / "infoview.db")
            store = _pg_load(server, home, size, out) if server else []
            for name, _kind, args in COMMANDS:
                if only and name not in only:
                    continue
                argv = [*_infoview(), "--home", str(home), *store, "--now", NOW, *[a.format(**points) for a in args]]
                cell = out["rows"].setdefault(name, {})[str(size)] = measure(argv, 1 if name in MUTATING else 3,
                                                                     server.cpu if server else None)
                shown = "timeout" if cell["seconds"] is None else \
                    f"{cell['seconds']:8.3f} s  cpu {cell['cpu']:8.3f} s {cell['peak_mib']:7.1f} MiB"
                print(f"{size:>8}  {name:<22} {shown}", file=sys.stderr, flush=True)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return out


def _pg_load(server: Any, home: Path, size: int, out: dict[str, Any]) -> list[str]:
    """The home copied into a fresh database of `server` by `infoview db copy` (timed: a row of its
    own); the options that point each command at it."""
    url = server.database()
    cell = out["rows"].setdefault(PG_LOAD, {})[str(size)] = measure(
        [*_infoview(), "--home", str(home), "--now", NOW, "db", "copy", "--to", url], 1, server.cpu)
    server.analyze(url)
    print(f"{size:>8}  {PG_LOAD:<22} {cell['seconds']:8.3f} s  cpu {cell['cpu']:8.3f} s {cell['peak_mib']:7.1f} MiB",
          file=sys.stderr, flush=True)
    return ["--database", url]


def growth(cells: dict[str, Any], small: int, big: int, key: str) -> float | None:
    a, b = cells.get(str(small), {}).get(key), cells.get(str(big), {}).get(key)
    return None if a is None or b is None else b / a


def markdown(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    head = ("| command | " + " | ".join(f"{s:,}" for s in sizes)
            + " | CPU time per 10x | memory, smallest->largest |")
    lines = [head, "|" + "---|" * (len(sizes) + 3)]
    for name, cells in result["rows"].items():
        shown = []
        for s in sizes:
            c = cells.get(str(s), {})
            shown.append("timeout" if c.get("seconds") is None else
                         f"{c['seconds']:.2f} s ({c['cpu']:.2f} s CPU), {c['peak_mib']:.0f} MiB")
        steps = [growth(cells, a, b, "cpu") for a, b in itertools.pairwise(sizes)]
        mem = growth(cells, sizes[0], sizes[-1], "peak_mib")
        lines.append(f"| {name} | " + " | ".join(shown) + " | "
                     + ", ".join("-" if g is None else f"{g:.1f}x" for g in steps) + " | "
                     + ("-" if mem is None else f"{mem:.2f}x") + " |")
    return "\n".join(lines)


def run() -> list[Any]:
    """For `dev.py bench`: the table from a fresh driver process, then its targets as figures."""
    from figures import Figure

    sizes = [1000, 10000, 100000] + ([1000000] if os.environ.get("INFOVIEW_BENCH_1M") else [])
    postgres = ["--postgres"] if os.environ.get("INFOVIEW_BENCH_PG") else []
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "table.json"
        subprocess.run([sys.executable, __file__, *map(str, sizes), *postgres, "--out", str(target)], check=True)
        result = json.loads(target.read_text())
    print(markdown(result))
    kinds = {name: kind for name, kind, _ in COMMANDS} | {PG_LOAD: "stream"}
    store = " on PostgreSQL" if postgres else ""
    figures = []
    for name, cells in result["rows"].items():
        small, big = sizes[0], sizes[-1]
        a, b = cells[str(small)]["cpu"], cells[str(big)]["cpu"]
        if a is None or b is None:
            figures.append(Figure(f"scaling{store}: {name} (timed out)", 1.0, 0.0 + 1e-9, 1.0, "within"))
            continue
        decades = len(sizes) - 1
        kind = kinds[name]
        target = 1.3 if kind == "single" else 12.0 ** decades
        figures.append(Figure(f"scaling{store}: {name} CPU time {small:,}->{big:,}", b, a, round(target, 1), "within",
                              note=f"{kind}"))
        if kind == "stream" and len(sizes) > 2:
            mem_a, mem_b = cells[str(sizes[1])]["peak_mib"], cells[str(big)]["peak_mib"]
            figures.append(Figure(f"scaling{store}: {name} memory {sizes[1]:,}->{big:,}", mem_b, mem_a, 1.5, "within",
                                  note="MiB, not seconds"))
    return figures


if __name__ == "__main__":
    args = sys.argv[1:]
    out_file = None
    if "--out" in args:
        i = args.index("--out")
        out_file = Path(args[i + 1])
        del args[i:i + 2]
    postgres = "--postgres" in args
    only = [a for a in args if not a.isdigit() and a != "--postgres"] or None
    result = table([int(a) for a in args if a.isdigit()] or [1000, 10000, 100000], only, postgres)
    if out_file:
        out_file.write_text(json.dumps(result, indent=1))
    print(markdown(result))
