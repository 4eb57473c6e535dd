"""Who holds an outbox claim: a process named `host:pid`. On the claiming host itself a holder
that is gone is known at once; elsewhere only its lease or its heartbeat can tell."""
from __future__ import annotations

import os
import socket


def pid_gone(claimed_by: str | None) -> bool:
    """Whether the process named `host:pid` is known to be gone: only this host's can be told."""
    if not claimed_by:
        return True
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
