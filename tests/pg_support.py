"""A throwaway PostgreSQL server for the tests: one per test session (per xdist worker), on a
temporary folder, listening on a unix socket only (no TCP port at all), run as `nobody` because
CI runs as root and initdb refuses root. Durability is off (fsync, full-page writes): the data
dies with the test run anyway.

Each test gets a database of its own, copied from a template that already holds the schema
(`CREATE DATABASE ... TEMPLATE`, about half a second), so no test sees another's rows.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

TEMPLATE = "infoview_template"
_SETTINGS = ("listen_addresses=''", "fsync=off", "synchronous_commit=off", "full_page_writes=off",
             "max_connections=200", "shared_buffers=32MB", "max_locks_per_transaction=128")
_AS_NOBODY = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")


def server_bin() -> Path:
    """The newest Debian PostgreSQL server binaries (`/usr/lib/postgresql/N/bin`)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    assert found, ("PostgreSQL is missing: `python3 scripts/dev.py test` installs it "
                   "(Debian: apt-get install postgresql)")
    return found[-1].parent


@dataclass
class PgServer:
    folder: Path
    bin: Path
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql://{user}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def fresh(self, template: str = TEMPLATE) -> str:
        """A new database holding the schema (`template="template0"`: an empty one); its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        from urllib.parse import urlsplit

        name = urlsplit(url).path.lstrip("/")
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run([*_AS_NOBODY, str(self.bin / "pg_ctl"), "stop", "-D", str(self.folder / "data"),
                        "-m", "immediate", "-s"], check=False, capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PgServer:
    """initdb and start a server as `nobody` in a new temporary folder; stopped by `stop()`."""
    binaries = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="infoview-pg-"))
    os.chmod(folder, 0o700)
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody", "nogroup")
        run_as: tuple[str, ...] = _AS_NOBODY
    else:
        run_as = ()
    server = PgServer(folder, binaries)
    try:
        subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                        "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, capture_output=True, cwd="/")
        options = " ".join(f"-c {s}" for s in _SETTINGS) + f" -k {folder}"
        subprocess.run([*run_as, str(binaries / "pg_ctl"), "start", "-D", str(folder / "data"), "-w", "-s",
                        "-l", str(folder / "log"), "-o", options], check=True, capture_output=True, cwd="/")
        _make_template(server)
    except BaseException:
        server.stop()
        raise
    return server


def _make_template(server: PgServer) -> None:
    from infoview.store.postgres import PostgresStore

    server.admin(f'CREATE DATABASE "{TEMPLATE}"')
    store = PostgresStore(server.url(TEMPLATE))
    store.change_marker()  # opening it creates the schema
    store.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh database with the schema, dropped afterwards."""
    url = pg_server.fresh()
    yield url
    pg_server.drop(url)
