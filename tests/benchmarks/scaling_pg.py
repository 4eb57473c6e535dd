"""The PostgreSQL side of the scaling table (`INFOVIEW_BENCH_PG=1 python3 scripts/dev.py bench scaling`,
or `bench_scaling.py ... --postgres`): a throwaway server as the tests start one (tests/pg_support.py:
`nobody`, unix socket, fsync off), and each realistic SQLite home loaded into a fresh database of
it with `infoview db copy`, the way a user moves a home onto PostgreSQL.

The scaling driver must stay small (its children inherit its peak memory), so it imports only
`Server` from here; everything that needs psycopg runs in a child process: this file as a script.

    python3 scaling_pg.py start           -> prints the server's folder
    python3 scaling_pg.py fresh FOLDER    -> prints the URL of a new database with the schema
    python3 scaling_pg.py drop FOLDER URL / stop FOLDER
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _helper(*args: str) -> str:
    done = subprocess.run([sys.executable, __file__, *args], check=True, stdout=subprocess.PIPE, text=True)
    return done.stdout.strip()


class Server:
    """A server for the length of a `with` block; `database()` gives a fresh database's URL and
    drops the one it gave before (one home's rows on disk at a time)."""

    def __enter__(self) -> "Server":
        self.folder, self.last = _helper("start"), ""
        return self

    def database(self) -> str:
        if self.last:
            _helper("drop", self.folder, self.last)
        self.last = _helper("fresh", self.folder)
        return self.last

    def __exit__(self, *exc: object) -> None:
        _helper("stop", self.folder)


def _main(argv: list[str]) -> None:
    sys.path.insert(0, str(HERE.parent))
    from pg_support import PgServer, server_bin, start_server

    if argv[0] == "start":
        print(start_server().folder)
        return
    server = PgServer(Path(argv[1]), server_bin())
    if argv[0] == "fresh":
        print(server.fresh())
    elif argv[0] == "drop":
        server.drop(argv[2])
    elif argv[0] == "stop":
        server.stop()


if __name__ == "__main__":
    _main(sys.argv[1:])
