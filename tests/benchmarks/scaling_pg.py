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

import os
import signal
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
        # A benchmark stopped with SIGTERM (a timeout, `kill`) still stops its server on the way out.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        self.folder, self.last = _helper("start"), ""
        return self

    def database(self) -> str:
        if self.last:
            _helper("drop", self.folder, self.last)
        self.last = _helper("fresh", self.folder)
        return self.last

    def analyze(self, url: str) -> None:
        """VACUUM ANALYZE, as autovacuum does within a minute of a bulk load: the commands are
        then measured against the planner's statistics, and not beside autovacuum's work."""
        _helper("analyze", self.folder, url)

    def cpu(self) -> float:
        """CPU seconds the server has used so far: the postmaster with the backends that ended
        (its children's times) and every process still running under it. From /proc, so the
        driver imports nothing for it."""
        pid = int((Path(self.folder) / "data" / "postmaster.pid").read_text().split()[0])
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # a backend that ended meanwhile
                continue
            me, parent = int(stat.parent.name), int(fields[1])
            if me == pid:
                ticks += sum(map(int, fields[11:15]))  # utime, stime, cutime, cstime
            elif parent == pid:
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

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
    elif argv[0] == "analyze":
        import psycopg

        with psycopg.connect(argv[2], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    elif argv[0] == "stop":
        server.stop()


if __name__ == "__main__":
    _main(sys.argv[1:])
