"""Hosts for multi-host tests, made of Linux network namespaces on this one machine.

    with Hosts(workers=3) as hosts:            # needs root (CI runs as root)
        hosts.run(hosts.hub, "pg_isready", "-h", HUB_ADDR)
        proc = hosts.popen(hosts.workers[0], "infoview", "run")
        hosts.cut(hosts.workers[0]); ...; hosts.restore(hosts.workers[0])

The layout: a hub namespace with a bridge holding HUB_ADDR, and one namespace per worker host,
each joined to the hub's bridge by a veth pair whose hub end is the host's "cable" (`cut` takes
it down, `restore` brings it back). Everything lives in SUBNET, a private test subnet.

Hygiene, in this order and without exception:
- a blackhole route for SUBNET goes into the root namespace BEFORE any namespace exists, so that
  nothing addressed to a test host can ever leave the machine, whatever goes wrong;
- the root namespace never connects to a namespace address: every command that talks to a test
  host runs inside a namespace (`run`, `popen`), checks inside the hub;
- `close()` (run by the `with` block, also on errors) kills every process started here and every
  process still inside a test namespace, deletes the namespaces (their veths go with them) and
  the route; a start-up cleanup removes what a killed earlier run left behind. A lock file makes
  runs on one machine take turns, so that cleanup never pulls namespaces from under a live run.
- every wait is bounded.
"""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import IO, Any

SUBNET = "10.213.0.0/24"
HUB_ADDR = "10.213.0.1"
PREFIX = "ivt-"  # every namespace made here starts with this; cleanup removes only these
HUB = f"{PREFIX}hub"
BRIDGE = "ivbr0"
LOCK = Path("/run/lock/infoview-multihost.lock")
LOCK_WAIT = 300.0  # seconds a run waits for another one on this machine to finish
STOP_WAIT = 10.0


def worker_addr(index: int) -> str:
    return f"10.213.0.{10 + index}"


def available() -> str | None:
    """None when this machine can make the hosts; otherwise why not (a skip reason)."""
    if os.geteuid() != 0:
        return "network namespaces need root (CI runs as root); run the multi-host tests as root"
    for tool in ("ip", "setpriv"):
        if not any((Path(d) / tool).exists() for d in os.environ.get("PATH", "/usr/sbin:/usr/bin").split(":")):
            return f"`{tool}` is missing (Debian: apt-get install iproute2 util-linux)"
    return None


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=30)


def _ours() -> list[str]:
    names = [line.split()[0] for line in _ip("netns", "list").stdout.splitlines() if line.strip()]
    return [name for name in names if name.startswith(PREFIX)]


def _kill_inside(namespace: str) -> None:
    """SIGKILL every process still running inside `namespace`, and wait (bounded) until none is."""
    deadline = time.monotonic() + STOP_WAIT
    while time.monotonic() < deadline:
        pids = [int(p) for p in _ip("netns", "pids", namespace, check=False).stdout.split()]
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)


def cleanup() -> None:
    """Remove every namespace, process and route a run of this module may have left."""
    for namespace in _ours():
        _kill_inside(namespace)
        _ip("netns", "del", namespace, check=False)
    while _ip("route", "del", "blackhole", SUBNET, check=False).returncode == 0:
        pass  # bounded: each pass removes one route, and there are finitely many


class Hosts:
    """A hub and `workers` worker hosts (see the module's docstring)."""

    def __init__(self, workers: int):
        self.workers = [f"{PREFIX}w{i}" for i in range(1, workers + 1)]
        self.hub = HUB
        self._procs: list[subprocess.Popen[Any]] = []
        self._lock: IO[str] | None = None

    # ---- set-up and teardown ----

    def __enter__(self) -> "Hosts":
        try:
            self.open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        LOCK.parent.mkdir(parents=True, exist_ok=True)
        self._lock = LOCK.open("w")
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another multi-host run held {LOCK} for {LOCK_WAIT:.0f}s") from None
                time.sleep(0.2)
        cleanup()  # leftovers of a run that was killed before its own cleanup
        _ip("route", "add", "blackhole", SUBNET)  # first, before any namespace exists
        _ip("netns", "add", self.hub)
        _ip("-n", self.hub, "link", "set", "lo", "up")
        _ip("-n", self.hub, "link", "add", BRIDGE, "type", "bridge")
        _ip("-n", self.hub, "addr", "add", f"{HUB_ADDR}/24", "dev", BRIDGE)
        _ip("-n", self.hub, "link", "set", BRIDGE, "up")
        for i, name in enumerate(self.workers, 1):
            _ip("netns", "add", name)
            _ip("-n", name, "link", "set", "lo", "up")
            # made inside the hub, its peer moved straight into the worker: no veth ever sits in
            # the root namespace
            _ip("-n", self.hub, "link", "add", self.cable(name), "type", "veth", "peer", "name", "eth0",
                "netns", name)
            _ip("-n", self.hub, "link", "set", self.cable(name), "master", BRIDGE, "up")
            _ip("-n", name, "addr", "add", f"{worker_addr(i)}/24", "dev", "eth0")
            _ip("-n", name, "link", "set", "eth0", "up")

    def close(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                pass
        self._procs.clear()
        if self._lock is not None:  # only the holder of the lock may clean up
            try:
                cleanup()
            finally:
                self._lock.close()
                self._lock = None

    # ---- using the hosts ----

    @staticmethod
    def cable(namespace: str) -> str:
        """The hub-side end of a worker host's veth pair."""
        return f"hv-{namespace.removeprefix(PREFIX)}"

    def command(self, namespace: str, *cmd: str | Path) -> list[str]:
        """`cmd` inside `namespace`, under a host name of its own (`ivt-w1`...), as on a host of
        its own: a process names itself `host:pid` in the claims it makes, and only a process
        on the same host may judge by the pid whether it is gone. Each step execs the next, so
        the pid of the whole is that of `cmd`."""
        return ["ip", "netns", "exec", namespace, "unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"',
                namespace, *map(str, cmd)]

    def run(self, namespace: str, *cmd: str | Path, timeout: float = 60, check: bool = True,
            **kw: Any) -> subprocess.CompletedProcess[str]:
        """Run `cmd` inside `namespace` to its end (bounded by `timeout`)."""
        return subprocess.run(self.command(namespace, *cmd), capture_output=True, text=True, timeout=timeout,
                              check=check, stdin=subprocess.DEVNULL, **kw)

    def popen(self, namespace: str, *cmd: str | Path, **kw: Any) -> subprocess.Popen[Any]:
        """Start `cmd` inside `namespace`; it is killed by `close()` if still running then.
        `ip netns exec` execs the command, so the Popen's pid is the command's own."""
        proc = subprocess.Popen(self.command(namespace, *cmd), stdin=subprocess.DEVNULL, **kw)
        self._procs.append(proc)
        return proc

    def cut(self, namespace: str) -> None:
        """Pull a worker host's cable: nothing passes either way until `restore`."""
        _ip("-n", self.hub, "link", "set", self.cable(namespace), "down")

    def restore(self, namespace: str) -> None:
        _ip("-n", self.hub, "link", "set", self.cable(namespace), "up")


__all__ = ["HUB_ADDR", "SUBNET", "Hosts", "available", "cleanup", "worker_addr"]
