"""Pointing infoview at a PostgreSQL database, end to end through the CLI: the three ways to name
it, the URL never shown with its password, one line for an unreachable server, a missing database
or a missing driver, migrations raced by many processes, a newer schema refused, a worker refusing
other workflow files, `db copy` both ways, and `run` woken by a change another process made."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
from cli_support import MINI_WORKFLOW, NOW, TZ, Lines, clean_env, infoview, start_infoview, write
from infoview.store import SqliteStore
from infoview.store.copying import TABLES
from infoview.store.postgres import PostgresStore
from infoview.store.schema import VERSION as LAYOUT
from pg_support import PgServer


def _sql(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def _plan(home: Path, *pre: str, at: str = "2026-03-10T14:00") -> int:
    r = infoview(home, *pre, "plan", "Ann Alder", "--at", at, "--tz", TZ, now=NOW, check=True)
    return int(r.out.strip())


def test_the_database_is_named_by_option_environment_or_config(tmp_path: Path, pg_url: str) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert _plan(a, "--database", pg_url) == 1
    assert int(infoview(b, "plan", "Ben Birch", "--at", "2026-03-10T15:00", "--tz", TZ, now=NOW,
                        env={"INFOVIEW_DATABASE": pg_url}, check=True).out) == 2
    write(c / "config.toml", f'database = "{pg_url}"\n')
    names = [row["contact"]["name"] for row in infoview(c, "list", "--json", now=NOW, check=True).json]
    assert names == ["Ann Alder", "Ben Birch"]  # three homes, one shared database
    assert not (a / "infoview.db").exists() and not (c / "infoview.db").exists()


def test_a_password_is_never_shown(tmp_path: Path, pg_server: PgServer) -> None:
    url = f"postgresql://postgres:s3cret-pw@/no_such_db?host={pg_server.socket_dir}"
    r = infoview(tmp_path / "h", "--database", url, "list", now=NOW)
    assert r.code == 1 and "s3cret-pw" not in r.err + r.out
    assert r.line.startswith("cannot connect to the database postgresql://postgres:***@/no_such_db")
    assert "no_such_db" in r.line and "does not exist" in r.line
    query = f"postgresql://postgres@/no_such_db?host={pg_server.socket_dir}&password=s3cret-pw"
    r = infoview(tmp_path / "h", "--database", query, "list", now=NOW)
    assert r.code == 1 and "s3cret-pw" not in r.err and "password=***" in r.line


def test_a_running_worker_shows_where_it_works_without_the_password(tmp_path: Path, pg_url: str) -> None:
    url = pg_url.replace("postgres@", "postgres:hunter2@")  # trust auth: the password is not even needed
    proc = start_infoview(tmp_path / "h", "--database", url, "run", now=NOW)
    try:
        err = Lines(proc.stderr)
        line = err.next(timeout=60)
        assert line.startswith("infoview run: watching postgresql://postgres:***@/") and "hunter2" not in line
    finally:
        proc.terminate()
        proc.communicate(timeout=60)


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    r = infoview(tmp_path / "h", "--database", f"postgresql://nobody@/x?host={tmp_path}/nowhere", "list", now=NOW)
    assert r.code == 1 and r.line.startswith("cannot connect to the database postgresql://nobody@/x")
    r = infoview(tmp_path / "h", "--database", "mysql://x@y/z", "list", now=NOW)
    assert r.code == 2 and "is not a postgresql:// URL" in r.line


def test_without_the_driver_the_user_is_told_what_to_install(tmp_path: Path, pg_url: str) -> None:
    code = "import sys; sys.modules['psycopg'] = None; from infoview.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "--home", str(tmp_path / "h"), "--database", pg_url, "list"],
                          capture_output=True, text=True, env=clean_env(), timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "install infoview[postgres]" in proc.stderr.strip()


def test_many_processes_opening_a_new_database_at_once_make_the_schema_once(tmp_path: Path,
                                                                           pg_server: PgServer) -> None:
    url = pg_server.fresh(template="template0")  # empty: no schema yet
    procs = [start_infoview(tmp_path / f"h{i}", "--database", url, "list", now=NOW) for i in range(6)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
    assert _sql(url, "SELECT value FROM meta WHERE key = 'layout'") == [(str(LAYOUT),)]  # SQLite's number
    assert _sql(url, "SELECT count(*) FROM changes") == [(16,)]  # the seed rows were written once
    pg_server.drop(url)


def test_a_schema_newer_than_the_code_is_refused(tmp_path: Path, pg_url: str) -> None:
    _sql(pg_url, "UPDATE meta SET value = '99' WHERE key = 'layout'")
    r = infoview(tmp_path / "h", "--database", pg_url, "list", now=NOW)
    assert r.code == 1 and r.line.endswith("was written by a newer infoview (schema 99); upgrade infoview")




def test_a_worker_with_other_workflow_files_refuses_to_start(tmp_path: Path, pg_url: str) -> None:
    laptop, server = tmp_path / "laptop", tmp_path / "server"
    write(laptop / "workflows" / "mini.yaml", MINI_WORKFLOW)
    write(server / "workflows" / "mini.yaml", MINI_WORKFLOW.replace("  confirmed: {}", "  confirmed: {}  # edited"))
    infoview(laptop, "--database", pg_url, "plan", "Ann", "--workflow", "mini", "--at", "2026-03-10T14:00",
             "--tz", TZ, now=NOW, check=True)
    r = infoview(server, "--database", pg_url, "run", now=NOW)
    assert r.code == 1
    assert r.line.startswith(f"{server / 'workflows' / 'mini.yaml'}: workflow 'mini' differs from the one "
                             "postgresql://postgres@/")
    assert "--adopt-workflows" in r.line


def _rows(store: SqliteStore | PostgresStore) -> dict[str, list[tuple[object, ...]]]:
    rows = store.export_rows(TABLES)
    rows["meta"] = [r for r in rows["meta"] if r[0] != "layout"]
    return {t: [tuple(float(v) if isinstance(v, float) else v for v in r) for r in found] for t, found in rows.items()}


def test_db_copy_moves_a_home_to_postgresql_and_back_unchanged(tmp_path: Path, pg_url: str,
                                                               pg_server: PgServer) -> None:
    home = tmp_path / "home"
    for at in ("2026-03-02T10:00", "2026-03-10T14:00"):  # the first one's reminders are due: a tick fires them
        _plan(home, at=at)
    infoview(home, "confirm", "2", now=NOW, check=True)
    write(home / "channels.yaml", "urls:\n  - url: json://127.0.0.1:9/nowhere\n    tag: reminders\n")
    infoview(home, "tick", now="2026-03-01T12:00:00+00:00", check=True)
    infoview(home, "person", "edit", "1", "--every", "2 weeks", "--note", "met at PyCon", now=NOW, check=True)
    infoview(home, "person", "log", "1", "Called her", now=NOW, check=True)
    for todo in (("send Ann the article", "--due", "2026-03-05", "--interview", "1"), ("update my CV",)):
        infoview(home, "todo", "add", *todo, now=NOW, check=True)
    infoview(home, "todo", "done", "2", now=NOW, check=True)
    todos = infoview(home, "todo", "--all", "--json", now=NOW, check=True).json
    ann = infoview(home, "person", "1", "--json", now=NOW, check=True).json
    sqlite = SqliteStore(home / "infoview.db")
    before = _rows(sqlite)
    assert before["events"] and before["outbox"] and before["firings"]
    assert len(before["people"]) == 2 and len(before["person_events"]) == 4  # their keep-in-touch due time too
    assert len(before["todos"]) == 2
    r = infoview(home, "db", "copy", "--to", pg_url, now=NOW, check=True)
    assert r.out.startswith(f"copied 2 interviews, {len(before['events'])} events")
    assert "2 people (4 person events)" in r.out
    pg = PostgresStore(pg_url)
    assert _rows(pg) == before
    assert infoview(home, "--database", pg_url, "person", "1", "--json", now=NOW, check=True).json == ann
    assert infoview(home, "--database", pg_url, "todo", "--all", "--json", now=NOW, check=True).json == todos
    assert [e["event"] for e in infoview(home, "--database", pg_url, "history", "2", "--json", now=NOW,
                                         check=True).json] == ["plan", "confirm"]
    assert _plan(home, "--database", pg_url) == 3  # ids go on after the copied ones
    assert infoview(home, "--database", pg_url, "todo", "add", "call Ben", now=NOW, check=True).out.strip() == "3"
    # and back into a new home
    again = infoview(home, "--database", pg_url, "db", "copy", "--to", tmp_path / "back", now=NOW)
    assert again.code == 0, again.err
    back = SqliteStore(tmp_path / "back" / "infoview.db")  # a new home's database
    assert _rows(back) == _rows(pg)
    assert [r["id"] for r in infoview(tmp_path / "back", "list", "--json", now=NOW, check=True).json] == [1, 2, 3]
    # a target that holds data is refused, and nothing is written
    r = infoview(home, "db", "copy", "--to", pg_url, now=NOW)
    assert r.code == 1 and r.line.endswith("copy into an empty database. Nothing was copied")
    assert len(_rows(pg)["interviews"]) == 3
    for s in (sqlite, pg, back):
        s.close()


def test_run_is_woken_by_a_change_another_process_made(tmp_path: Path, pg_url: str) -> None:
    """The worker sleeps for an hour (--interval 3600) on a frozen clock; a plan whose first
    reminder is due already wakes it through LISTEN/NOTIFY, and it deals with that reminder."""
    worker = start_infoview(tmp_path / "w", "--database", pg_url, "run", "--interval", "3600", now=NOW)
    try:
        err, out = Lines(worker.stderr), Lines(worker.stdout)
        assert err.next(timeout=60).startswith("infoview run: watching")
        _plan(tmp_path / "cli", "--database", pg_url, at="2026-03-01T12:00")  # starts in 3 h: reminders due
        line = out.next(timeout=60)  # the day-before reminder, decided at once (missed: far too late)
        assert "interview 1  confirm" in line
    finally:
        worker.terminate()
        worker.communicate(timeout=60)


def test_run_catches_up_after_its_connections_are_cut(tmp_path: Path, pg_url: str) -> None:
    """The server ends every session of the worker (as a restart or a network cut would); it says
    so on stderr, connects again, and fires what came due meanwhile, without being restarted."""
    worker = start_infoview(tmp_path / "w", "--database", pg_url, "run", "--interval", "3600", now=NOW)
    try:
        err, out = Lines(worker.stderr), Lines(worker.stdout)
        assert err.next(timeout=60).startswith("infoview run: watching")
        cut = _sql(pg_url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE application_name = 'infoview' AND pid <> pg_backend_pid()")
        assert cut[0][0] >= 2  # its work and its LISTEN connections (and the heartbeat's)
        _plan(tmp_path / "cli", "--database", pg_url, at="2026-03-01T12:00")
        assert "interview 1  confirm" in out.next(timeout=90)
        assert worker.poll() is None  # still running
    finally:
        worker.terminate()
        worker.communicate(timeout=60)


def test_a_database_that_takes_no_changes_is_one_line_and_reading_still_works(tmp_path: Path, pg_url: str) -> None:
    home = tmp_path / "home"
    _plan(home, "--database", pg_url)
    read_only = pg_url + "&options=-c%20default_transaction_read_only%3Don"  # as a standby server answers
    shown = infoview(home, "--database", read_only, "list", "--json", now=NOW, check=True).json
    assert [row["id"] for row in shown] == [1]
    before = _sql(pg_url, "SELECT * FROM events ORDER BY id")
    for change in (("confirm", "1"), ("person", "edit", "1", "--note", "x"), ("plan", "Ben", "--at",
                                                                                 "2026-03-11T10:00", "--tz", TZ)):
        r = infoview(home, "--database", read_only, *change, now=NOW)
        assert r.code == 1 and "Traceback" not in r.err, r.err
        assert r.line.endswith("accepts no changes (a read-only server or standby, or a read-only session), "
                               "and this command changes it; nothing was changed")
    assert _sql(pg_url, "SELECT * FROM events ORDER BY id") == before
