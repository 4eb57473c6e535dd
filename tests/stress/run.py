"""Longer reliability runs than the test suite's, with their figures printed:

    python3 scripts/dev.py stress [--faults N] [--interviews N] [--processes N] [--ops N]
                                  [--clients N] [--requests N] [--fuzz-files N] [--seed N]
                                  [--slow N] [--slow-cap N] [--slow-deadline S] [--slow-seconds S]
                                  [--flood-clients N] [--flood-rounds N] [--only NAME ...]
                                  [--drill-interviews N] [--drill-kills N]

kill -9 crash drills (tests/reliability/crash_harness.py: notifications counted delivered once,
unsure, pending, doubled and lost; the last two must be 0), many processes on the same home
(test_concurrency.hammer), a load test of the feed server (feed_load), a plugin raising at random
through many ticks, an import fuzzer, slowloris clients past the connection cap and a header
flood against `infoview serve` (tests/stress/drills.py), and the multi-host drill
(tests/multihost/drill.py: `infoview run` workers on three network-namespace hosts sharing
PostgreSQL, killed and cut off; as root only). Exits 1 if any check fails. Everything runs in a
temporary directory and on 127.0.0.1 only, or inside the drill's own network namespaces.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "reliability"), str(HERE.parent / "multihost")]

import crash_harness  # noqa: E402
import drill  # noqa: E402
import drills  # noqa: E402
import netns  # noqa: E402
import test_concurrency  # noqa: E402
from feed_load import load, running_feed  # noqa: E402


DRILLS = ("crash", "concurrency", "feed", "plugin", "fuzz", "slow", "flood", "multihost")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faults", type=int, default=60)
    ap.add_argument("--interviews", type=int, default=40)
    ap.add_argument("--processes", type=int, default=12)
    ap.add_argument("--ops", type=int, default=40)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--fuzz-files", type=int, default=40)
    ap.add_argument("--drill-interviews", type=int, default=300)
    ap.add_argument("--drill-kills", type=int, default=6, help="kill -9s per phase of the multi-host drill")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 10_000)
    ap.add_argument("--slow", type=int, default=120, help="slowloris connections")
    ap.add_argument("--slow-cap", type=int, default=40, help="the server's connection cap in that drill")
    ap.add_argument("--slow-deadline", type=int, default=3, help="its request deadline and idle timeout (s)")
    ap.add_argument("--slow-seconds", type=int, default=25, help="how long the slow clients keep at it")
    ap.add_argument("--flood-clients", type=int, default=8)
    ap.add_argument("--flood-rounds", type=int, default=30)
    ap.add_argument("--only", nargs="+", choices=DRILLS, default=list(DRILLS), help="run just these drills")
    args = ap.parse_args(argv)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="infoview-stress-") as tmp:
        root = Path(tmp)
        print(f"seed {args.seed}", flush=True)

        started = time.monotonic()
        if "crash" in args.only:
            receiver = crash_harness.KillingReceiver().start()
            try:
                figures = crash_harness.run(root / "crash", receiver, faults=args.faults, interviews=args.interviews,
                                            seed=args.seed)
                print(f"crash: {figures.line()} [{time.monotonic() - started:.0f}s]", flush=True)
            except AssertionError as e:
                failed += 1
                print(f"crash: FAILED: {e}", flush=True)
            finally:
                receiver.stop()

        started = time.monotonic()
        if "concurrency" in args.only:
            try:
                f = test_concurrency.hammer(root / "busy", processes=args.processes, ops=args.ops, interviews=4)
                print("concurrency: " + ", ".join(f"{k} {v}" for k, v in f.items())
                      + f" [{time.monotonic() - started:.0f}s]", flush=True)
            except AssertionError as e:
                failed += 1
                print(f"concurrency: FAILED: {e}", flush=True)

        started = time.monotonic()
        if "feed" in args.only:
            with running_feed(root / "feed", interviews=50) as url:
                f = load(url, clients=args.clients, requests=args.requests)
            print(f"feed load: {args.clients} clients, {f['requests']:.0f} requests, {f['errors']:.0f} errors, "
                  f"p50 {f['p50'] * 1000:.1f} ms, p99 {f['p99'] * 1000:.1f} ms, max {f['max'] * 1000:.1f} ms "
                  f"[{time.monotonic() - started:.0f}s]", flush=True)
            failed += f["errors"] > 0

        started = time.monotonic()
        if "plugin" in args.only:
            p = drills.plugin_drill(root, interviews=args.interviews, rounds=10, seed=args.seed)
            print(f"raising plugin: {p['ticks']} ticks over {p['interviews']} interviews, {p['fired']} fired, "
                  f"{p['refused']} refused naming the plugin, {p['undecided']} undecided, {p['wrong']} wrong "
                  f"[{time.monotonic() - started:.0f}s]", flush=True)
            failed += p["undecided"] + p["wrong"] > 0

        started = time.monotonic()
        if "fuzz" in args.only:
            z = drills.import_fuzz(root, files=args.fuzz_files, seed=args.seed)
            print(f"import fuzz: {z['files']} crafted files, {z['imported']} imported, {z['refused']} refused in "
                  f"one line; exit 70 {z['exit70']}, tracebacks {z['traceback']}, not one line {z['not one line']}, "
                  f"poisoned homes {z['poisoned home']} [{time.monotonic() - started:.0f}s]", flush=True)
            failed += z["exit70"] + z["traceback"] + z["not one line"] + z["poisoned home"] > 0

        started = time.monotonic()
        if "slow" in args.only:
            s = drills.slow_clients(root, slow=args.slow, cap=args.slow_cap, deadline=args.slow_deadline,
                                    seconds=args.slow_seconds)
            print(f"slow clients: {s['slow opened']} slowloris connections opened against a cap of {args.slow_cap}, "
                  f"{s['slow closed']} closed by the server's {args.slow_deadline}s deadline, {s['answered']} "
                  f"answered, {s['open at the end']} open at the end, {s['connect errors']} connect errors; "
                  f"good requests {s['good 200']}/{s['good']} answered 200 (slowest waited {s['good max ms']} ms); "
                  f"server peak RSS "
                  f"{s['peak kb'] / 1024:.1f} MiB, died {s['server died']}, tracebacks {s['tracebacks']} "
                  f"[{time.monotonic() - started:.0f}s]", flush=True)
            failed += s["good 200"] != s["good"] or s["good"] == 0 or s["server died"] + s["tracebacks"] > 0

        started = time.monotonic()
        if "flood" in args.only:
            h = drills.header_flood(root, clients=args.flood_clients, rounds=args.flood_rounds)
            growth = h.get("peak kb after", 0) - h.get("peak kb before", 0)
            print(f"header flood: {h['sent']} hostile header sets, {h['431']} answered 431, {h['400']} 400, "
                  f"{h['closed']} closed, {h['other']} anything else; server peak RSS "
                  f"{h.get('peak kb before', 0) / 1024:.1f} -> {h.get('peak kb after', 0) / 1024:.1f} MiB "
                  f"(+{growth / 1024:.1f}); good requests {h['good 200']}/{h['good']} answered 200, "
                  f"died {h['server died']}, tracebacks {h['tracebacks']} [{time.monotonic() - started:.0f}s]",
                  flush=True)
            failed += (h["other"] > 0 or h["good 200"] != h["good"] or h["server died"] + h["tracebacks"] > 0
                       or growth > drills.FLOOD_GROWTH_KB)

        reason = netns.available() if "multihost" in args.only else "not asked for (--only)"
        if reason:
            print(f"multi-host drill: skipped: {reason}", flush=True)
        else:
            figures = drill.run(root / "drill", hosts_count=3, interviews=args.drill_interviews,
                                kills_per_phase=args.drill_kills, seed=args.seed)
            print(f"multi-host drill: {figures.line()}", flush=True)
            if figures.problems:
                failed += 1
                print(f"multi-host drill: FAILED: {figures.problems}", flush=True)
    print("stress: " + ("FAILED" if failed else "ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
