"""The multi-host harness itself: hosts reach the hub and nothing else, a cut cable cuts, and
nothing is left behind. Marked slow with the drill they serve (test_drill.py): each builds and
tears down network namespaces and a PostgreSQL server, and CI runs them."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hub import HubReceiver, start_postgres
from netns import HUB_ADDR, SUBNET, Hosts, worker_addr


def _root_routes() -> str:
    return subprocess.run(["ip", "route"], capture_output=True, text=True, check=True).stdout


def _namespaces() -> str:
    return subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_hosts_reach_the_hub_only_inside_the_test_network_and_leave_nothing(tmp_path: Path) -> None:
    with Hosts(workers=2) as hosts:
        # the blackhole: from the root namespace a test address goes nowhere (asked, not connected)
        assert f"blackhole {SUBNET}" in _root_routes()
        route = subprocess.run(["ip", "route", "get", HUB_ADDR], capture_output=True, text=True)
        assert route.returncode != 0 or "blackhole" in route.stdout, route.stdout
        pg = start_postgres(hosts)
        try:
            one, two = hosts.workers
            # a worker host reaches PostgreSQL on the hub, seen from the server with its own address
            seen = hosts.run(one, "psql", "-X", "-At", "-h", HUB_ADDR, "-U", "postgres", "-c",
                             "SELECT host(inet_client_addr())").stdout.strip()
            assert seen == worker_addr(1)
            # ... and the receiver, which counts what it got
            receiver = HubReceiver(hosts, tmp_path, lifetime=60)
            post = (f"import urllib.request as u; print(u.urlopen(u.Request('http://{HUB_ADDR}:{receiver.port}/x', "
                    "data=b'{\"n\": 1}'), timeout=10).status)")
            assert hosts.run(two, "python3", "-c", post).stdout.strip() == "200"
            assert receiver.messages() == [{"path": "/x", "body": '{"n": 1}'}]
            receiver.stop()
            # a cut cable: the host cannot reach the hub until it is restored
            hosts.cut(one)
            env = {"PATH": "/usr/bin:/bin", "PGCONNECT_TIMEOUT": "2"}
            cut = hosts.run(one, "psql", "-X", "-At", "-h", HUB_ADDR, "-U", "postgres", "-c", "SELECT 1",
                            check=False, env=env)
            assert cut.returncode != 0 and "timeout" in cut.stderr
            assert hosts.run(two, "psql", "-X", "-At", "-h", HUB_ADDR, "-U", "postgres", "-c", "SELECT 1",
                             env=env).stdout.strip() == "1"
            hosts.restore(one)
            for _ in range(10):  # bounded: the link and its neighbour entries come back within seconds
                back = hosts.run(one, "psql", "-X", "-At", "-h", HUB_ADDR, "-U", "postgres", "-c", "SELECT 1",
                                 check=False, env={**env, "PGCONNECT_TIMEOUT": "5"})
                if back.returncode == 0:
                    break
            assert back.stdout.strip() == "1", back.stderr
            # each host has a name of its own
            assert hosts.run(one, "hostname").stdout.strip() == one
            sleeper = hosts.popen(two, "sleep", "600")
        finally:
            pg.stop()
    # gone: the namespaces, the route, the processes started inside them
    assert "ivt-" not in _namespaces()
    assert SUBNET not in _root_routes()
    assert sleeper.poll() is not None


@pytest.mark.slow
def test_a_killed_run_is_cleaned_up_by_the_next() -> None:
    hosts = Hosts(workers=1)
    hosts.open()
    leftover = hosts.popen(hosts.workers[0], "sleep", "600")
    hosts._lock.close()  # type: ignore[union-attr]  # as if the run had been killed: lock gone, nothing removed
    hosts._lock = None
    assert "ivt-w1" in _namespaces()
    with Hosts(workers=1):
        assert leftover.wait(timeout=10) is not None  # killed by the start-up cleanup
    assert "ivt-" not in _namespaces() and SUBNET not in _root_routes()
