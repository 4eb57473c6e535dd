"""`run` and `calendar serve` stop on Ctrl-C / SIGTERM whenever it arrives. The handler once set
a threading.Event, whose lock the interrupted sleep could be holding: now and then `run` hung
for good on SIGTERM. Here a process sleeping in short rounds is hit by a stream of signals; it
must notice each one and never hang."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from cli_support import clean_env, start_infoview

ROOT = Path(__file__).resolve().parents[2]

SLEEPER = textwrap.dedent("""
    import signal, sys
    from infoview.stopping import StopSignals

    signal.signal(signal.SIGUSR1, signal.SIG_IGN)  # what StopSignals puts back when done
    noticed = 0
    with StopSignals(signals=(signal.SIGUSR1,)) as signals:
        print("ready", flush=True)
        while noticed < 300:
            if signals.sleep(0.0002):   # a signal arrived: count it, and go on sleeping
                noticed += 1
                signals.received = None
    print("noticed", noticed, flush=True)
""")


def test_a_stream_of_signals_never_hangs_a_sleeper() -> None:
    # not the CLI: a bare StopSignals loop, so that nothing but the signals' handling is tested
    proc = subprocess.Popen([sys.executable, "-c", SLEEPER], cwd=ROOT, env=clean_env(),
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        give_up = time.monotonic() + 20  # bounded; it needs well under a second
        while proc.poll() is None and time.monotonic() < give_up:
            os.kill(proc.pid, signal.SIGUSR1)
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert out == "noticed 300\n" and proc.returncode == 0


def test_run_stops_on_sigterm(tmp_path: Path) -> None:
    proc = start_infoview(tmp_path, "run", "--interval", "3600", now="2026-11-30T12:00Z", stdout=subprocess.DEVNULL)
    try:
        assert proc.stderr is not None and proc.stderr.readline().startswith("infoview run: watching")
        proc.send_signal(signal.SIGTERM)  # while it sleeps for an hour
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert err == "infoview run: stopped\n" and proc.returncode == 0
