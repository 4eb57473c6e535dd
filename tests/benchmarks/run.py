"""Run every tests/benchmarks/bench_*.py and print each figure as a ratio against its baseline.

    python3 scripts/dev.py bench [NAME ...]     # NAME filters modules, e.g. `machine`

Writes the same figures as JSON to bench-results.json. Exit 1 when any figure misses its target.
"""
from __future__ import annotations

import importlib.util
import json
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import Figure  # noqa: E402


def main(argv: list[str]) -> int:
    modules = sorted(HERE.glob("bench_*.py"))
    if argv:
        modules = [m for m in modules if any(a in m.stem for a in argv)]
    figures: list[Figure] = []
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"# {path.stem}", flush=True)
        for fig in module.run():
            figures.append(fig)
            want = "reported" if fig.target is None else \
                f">= {fig.target}x speed" if fig.kind == "at_least" else f"<= {fig.target}x time"
            print(f"{fig.name:<58} ours {fig.ours * 1e3:10.3f} ms  base {fig.baseline * 1e3:10.3f} ms  "
                  f"ratio {fig.ratio:7.2f} ({want})  spread {fig.spread:4.2f}  "
                  f"{'----' if fig.target is None else 'PASS' if fig.passed else 'MISS'}" + (f"  {fig.note}" if fig.note else ""), flush=True)
    out = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                       "cpus": __import__("os").cpu_count()},
           "figures": [f.to_dict() for f in figures]}
    Path("bench-results.json").write_text(json.dumps(out, indent=2))
    missed = [f.name for f in figures if not f.passed]
    print(f"{len(figures) - len(missed)} of {len(figures)} figures PASS" + (f"; MISS: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
