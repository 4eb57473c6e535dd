"""What the hub host runs for a multi-host test: a PostgreSQL server listening on the hub's address
(as `nobody`: CI runs as root and initdb refuses root) and a notification receiver (HTTP for
apprise's `json://`) that writes every message it gets to a file. Both run inside the hub
namespace; the test reads the receiver's file (no network) and asks PostgreSQL through `psql`
run inside the hub, so the root namespace never connects to a test address.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netns import HUB_ADDR, SUBNET, Hosts

AS_NOBODY = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
PG_PORT = 5432
READY_WAIT = 30.0
# Durability off (the data dies with the run); keepalives so that the server notices a host cut
# off from the network within seconds, as docs/deploy.md recommends for a real one.
SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200",
            "shared_buffers=64MB", "tcp_keepalives_idle=2", "tcp_keepalives_interval=1", "tcp_keepalives_count=3")
HERE = Path(__file__).resolve().parent


def server_bin() -> Path:
    """The newest Debian PostgreSQL server binaries (`/usr/lib/postgresql/N/bin`)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise FileNotFoundError("PostgreSQL is missing: `python3 scripts/dev.py test` installs it "
                                "(Debian: apt-get install postgresql)")
    return found[-1].parent


@dataclass
class HubPostgres:
    hosts: Hosts
    folder: Path

    def url(self, database: str) -> str:
        """The URL a worker host uses (over the test network)."""
        return f"postgresql://postgres@{HUB_ADDR}:{PG_PORT}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> list[list[str]]:
        """Rows of `sql`, asked from inside the hub; each row a list of text fields."""
        out = self.hosts.run(self.hosts.hub, "psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                             "-h", HUB_ADDR, "-p", str(PG_PORT), "-U", "postgres", "-d", database, "-c", sql).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*AS_NOBODY, str(server_bin() / "pg_ctl"), "stop", "-D", str(self.folder / "data"),
                        "-m", "immediate", "-s"], check=False, capture_output=True, timeout=60, cwd="/")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres(hosts: Hosts) -> HubPostgres:
    """initdb, then start the server inside the hub on HUB_ADDR; trust for the test subnet only."""
    binaries = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="infoview-hubpg-"))
    shutil.chown(folder, "nobody", "nogroup")
    server = HubPostgres(hosts, folder)
    try:
        subprocess.run([*AS_NOBODY, str(binaries / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                        "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, capture_output=True, cwd="/", timeout=120)
        hba = folder / "data" / "pg_hba.conf"
        hba.write_text(hba.read_text() + f"host all all {SUBNET} trust\n")
        options = " ".join(f"-c {s}" for s in SETTINGS) + f" -c listen_addresses={HUB_ADDR} -p {PG_PORT} -k {folder}"
        hosts.run(hosts.hub, *AS_NOBODY, binaries / "pg_ctl", "start", "-D", folder / "data", "-w", "-s",
                  "-l", folder / "log", "-o", options, cwd="/", timeout=120)
    except BaseException:
        server.stop()
        raise
    return server


class HubReceiver:
    """The receiver process inside the hub (tests/multihost/receiver_main.py): answers every
    json:// POST with 200 and appends it to `log` as one JSON line, flushed at once."""

    def __init__(self, hosts: Hosts, folder: Path, lifetime: float):
        self.log = folder / "received.jsonl"
        self.log.touch()
        self.proc = hosts.popen(hosts.hub, sys.executable, HERE / "receiver_main.py", HUB_ADDR, self.log,
                                str(lifetime), stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # "ready PORT" once listening; bounded by its own lifetime
        if not line.startswith("ready "):
            raise RuntimeError(f"the hub's receiver did not start: {line!r}")
        self.port = int(line.split()[1])

    def url(self, path: str) -> str:
        return f"json://{HUB_ADDR}:{self.port}/{path}"

    def messages(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


__all__ = ["HubPostgres", "HubReceiver", "start_postgres"]
