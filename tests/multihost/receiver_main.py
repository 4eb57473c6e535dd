"""The hub's notification receiver, run inside the hub namespace by tests/multihost/hub.py:

    python receiver_main.py ADDRESS LOG LIFETIME

Listens on ADDRESS (a free port), prints `ready PORT`, answers every json:// POST with 200 and
appends it to LOG as one JSON line (path, body) before answering, flushed, so the test can count
messages by reading the file. Stops itself after LIFETIME seconds, or on SIGTERM.
"""
from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from receivers import HttpReceiver


class LoggingReceiver(HttpReceiver):
    def __init__(self, host: str, log: Path):
        super().__init__(host)
        self._log = log.open("a", encoding="utf-8")
        self._write = threading.Lock()
        self.server.handle_error = lambda request, address: None  # a killed sender hung up: expected

    def add(self, item: Any) -> None:
        with self._write:
            self._log.write(json.dumps({"path": item.path, "body": item.body.decode("utf-8", "replace")}) + "\n")
            self._log.flush()
        super().add(item)


def main(address: str, log: str, lifetime: str) -> None:
    receiver = LoggingReceiver(address, Path(log)).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"ready {receiver.port}", flush=True)
    stop.wait(timeout=float(lifetime))
    receiver.stop()


if __name__ == "__main__":
    main(*sys.argv[1:4])
