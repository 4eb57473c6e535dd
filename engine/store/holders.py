"""Who holds an outbox claim: a process named `host:pid`. On the claiming host itself a holder
that is gone is known at once; elsewhere only its lease or its heartbeat can tell."""
from __future__ import annotations

import os
import socket


def _stale_seconds() -> float:
    """INFOVIEW_WORKER_STALE_SECONDS, when set to a number (the multi-host drill sets a few
    seconds, to cut a host off for longer than that); 30 otherwise."""
    try:
        return max(1.0, float(os.environ.get("INFOVIEW_WORKER_STALE_SECONDS") or 30.0))
    except ValueError:
        return 30.0


# A worker silent for HOLDER_STALE_SECONDS is taken for dead (its outbox jobs are taken over from
# any host); it beats six times in that span, so a beat or two lost on a busy network is no harm.
HOLDER_STALE_SECONDS = _stale_seconds()
HEARTBEAT_SECONDS = HOLDER_STALE_SECONDS / 6


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
