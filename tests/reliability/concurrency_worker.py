"""One of many processes hammering the same home: runs CLI commands in-process (infoview.cli.main)
in a bounded loop and prints one JSON line per command: argv, exit code, stderr."""
from __future__ import annotations

import contextlib
import io
import json
import random
import sys

from infoview.cli import main


def run(home: str, seed: int, ops: int, interviews: int, nows: list[str]) -> None:
    rnd = random.Random(seed)
    for _ in range(ops):
        now = rnd.choice(nows)
        target = str(rnd.randint(1, interviews))
        choice = rnd.choice(["confirm", "hold", "cancel", "note", "reschedule", "thanked", "tick", "tick"])
        if choice == "note":
            args = ["note", target, "--learned", f"point {rnd.randint(0, 999)}"]
        elif choice == "reschedule":
            args = ["reschedule", target, "--at", f"2026-11-{rnd.randint(10, 20)}T10:00", "--past"]
        elif choice == "tick":
            args = ["tick"]
        else:
            args = [choice, target]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["--home", home, "--now", now, *args])
        print(json.dumps({"args": args, "code": code, "stderr": err.getvalue()}), flush=True)


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])
