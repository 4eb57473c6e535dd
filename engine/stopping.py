"""Stopping a long-running command (`run`, `calendar serve`) on Ctrl-C or SIGTERM.

The handlers only note the signal. A handler runs in the main thread between two bytecodes of
whatever it interrupted, so one that takes a lock can deadlock against that same code holding
it: `threading.Event.set()` does, and `run` (sleeping in `Event.wait`) sometimes never stopped.
A sleep is cut short through the signal module's wake-up fd instead, which the interpreter
writes to from C, before any Python handler runs.
"""
from __future__ import annotations

import select
import signal
import socket
import threading
import time
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """`with StopSignals() as signals:` then `signals.sleep(s)` between rounds of work, until
    `signals.requested`. Outside the main thread (a test driving a server in a thread) no handler
    can be installed: `sleep` then waits on the `also` event it is given."""

    def __init__(self, signals: tuple[signal.Signals, ...] = STOP_SIGNALS):
        self.signals = signals
        self.received: int | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._previous: dict[int, Any] = {}
        self._previous_fd = -1

    @property
    def requested(self) -> bool:
        return self.received is not None

    def __enter__(self) -> "StopSignals":
        if threading.current_thread() is not threading.main_thread():
            return self
        read, write = self._wake = socket.socketpair()
        read.setblocking(False)
        write.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(write.fileno(), warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, self._note) for sig in self.signals}
        return self

    def __exit__(self, *_: object) -> None:
        if self._wake is None:
            return
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._previous_fd)
        for end in self._wake:
            end.close()
        self._wake = None

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        self.received = signum  # nothing else: see the module's docstring

    def sleep(self, seconds: float, also: threading.Event | None = None, wake_fd: int | None = None) -> bool:
        """Wait up to `seconds`, less when a stop signal arrives or `wake_fd` (another process's
        wake-up) turns readable; True when asked to stop."""
        if self._wake is None:
            if also is not None:
                return also.wait(seconds)
            time.sleep(seconds)
            return self.requested
        if not self.requested:
            read = self._wake[0]
            watched: list[socket.socket | int] = [read] if wake_fd is None else [read, wake_fd]
            ready = select.select(watched, [], [], max(seconds, 0.0))[0]
            if read in ready:
                try:
                    while read.recv(512):  # drain: any signal, ours or not, writes a byte
                        pass
                except BlockingIOError:
                    pass
        return self.requested
