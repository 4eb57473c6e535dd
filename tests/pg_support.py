"""A throwaway PostgreSQL server for the tests: one per test run, shared by every xdist worker, on
a temporary folder, listening on a unix socket only (no TCP port at all), run as `nobody` because
CI runs as root and initdb refuses root. Durability is off (fsync, full-page writes): the data
dies with the test run anyway.

Each test gets a database of its own, copied from a template that already holds the schema
(`CREATE DATABASE ... TEMPLATE`), so no test sees another's rows.

Sharing: the process that runs pytest (the xdist controller, or pytest itself without xdist) makes
an empty folder at start-up and names it, with its own pid, in `INFOVIEW_TESTS_PG`, which the
workers inherit. The first test that needs PostgreSQL starts the server in that folder under a
file lock; later ones, in any worker, find it running. The controller stops it when the run ends.
Every server, shared or not, also has a watchdog process that stops it when the process that owns
it is gone (a run killed with SIGKILL), so a server never outlives its run.
"""
from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TEMPLATE = "infoview_template"
_SHARED = "INFOVIEW_TESTS_PG"  # "<owner pid>:<folder>", set by the controller for its workers
_SETTINGS = ("listen_addresses=''", "fsync=off", "synchronous_commit=off", "full_page_writes=off",
             "max_connections=300", "shared_buffers=32MB", "max_locks_per_transaction=128")
_AS_NOBODY = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
_OWNED = pytest.StashKey[Path]()  # the controller's folder for the run's server

# Run in a process of its own, in a session of its own (a Ctrl-C to the terminal does not reach
# it): waits, without polling, until either the owner or the server ends. Owner gone first: stop
# the server (immediate: nothing in it is worth keeping) and delete its folder.
_WATCHDOG = r"""
import os, select, shutil, subprocess, sys
owner, postmaster, folder, *stop = sys.argv[1:]
try:
    fds = [os.pidfd_open(int(owner)), os.pidfd_open(int(postmaster))]
except ProcessLookupError:
    fds = []
ready = select.select(fds, [], [])[0] if fds else []
if not fds or fds[0] in ready:
    subprocess.run(stop, check=False, capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)
"""


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
    watchdog: int | None = None  # its pid, in the process that started the server
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
        """A new database holding the schema (`template="template0"`: an empty one); its URL.
        Named by this process's pid, so workers sharing the server never pick the same name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        from urllib.parse import urlsplit

        name = urlsplit(url).path.lstrip("/")
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (its watchdog then ends too) and delete its folder."""
        subprocess.run(self._stop_command(), check=False, capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _stop_command(self) -> list[str]:
        return [*_run_as(), str(self.bin / "pg_ctl"), "stop", "-D", str(self.folder / "data"),
                "-m", "immediate", "-s"]


def start_server(folder: Path | None = None, owner: int | None = None) -> PgServer:
    """initdb and start a server as `nobody` in `folder` (default: a new temporary one); stopped by
    `stop()`, or by its watchdog once the process `owner` (default: this one) has ended."""
    binaries = server_bin()
    folder = folder or Path(tempfile.mkdtemp(prefix="infoview-pg-"))
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    run_as = _run_as()
    if run_as:
        shutil.chown(folder, "nobody", "nogroup")
    server = PgServer(folder, binaries)
    try:
        subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                        "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, capture_output=True, cwd="/")
        options = " ".join(f"-c {s}" for s in _SETTINGS) + f" -k {folder}"
        subprocess.run([*run_as, str(binaries / "pg_ctl"), "start", "-D", str(folder / "data"), "-w", "-s",
                        "-l", str(folder / "log"), "-o", options], check=True, capture_output=True, cwd="/")
        server.watchdog = _watch(server, owner or os.getpid())
        _make_template(server)
    except BaseException:
        server.stop()
        raise
    return server


def _run_as() -> tuple[str, ...]:
    """As root, run the server's programs as `nobody`; as anyone else, as that user."""
    return _AS_NOBODY if os.geteuid() == 0 else ()


def _watch(server: PgServer, owner: int) -> int:
    postmaster = (server.folder / "data" / "postmaster.pid").read_text().split("\n", 1)[0]
    return subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(owner), postmaster, str(server.folder),
                      *server._stop_command()],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, cwd="/").pid


def _make_template(server: PgServer) -> None:
    from infoview.store.postgres import PostgresStore

    server.admin(f'CREATE DATABASE "{TEMPLATE}"')
    store = PostgresStore(server.url(TEMPLATE))
    store.change_marker()  # opening it creates the schema
    store.close()


def shared_server(owner: int, folder: Path) -> PgServer:
    """The run's server in `folder`: started by the first caller (under a lock), found by the rest."""
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if (folder / "ready").exists():
            return PgServer(folder, server_bin())
        server = start_server(folder, owner)
        (folder / "ready").touch()
        return server


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or _SHARED in os.environ:
        return  # an xdist worker, or a pytest inside a test run: the run's server is named already
    folder = Path(tempfile.mkdtemp(prefix="infoview-pg-"))
    os.environ[_SHARED] = f"{os.getpid()}:{folder}"
    config.stash[_OWNED] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_OWNED, None)
    if folder is None:
        return
    del config.stash[_OWNED]
    os.environ.pop(_SHARED, None)
    if (folder / "ready").exists():
        PgServer(folder, server_bin()).stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    owner, _, folder = os.environ.get(_SHARED, "").partition(":")
    if folder:
        yield shared_server(int(owner), Path(folder))  # the controller stops it
        return
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
