"""To-dos and deleting an interview on PostgreSQL (layout 5): the `Store` reads and `Transaction`
writes, mixed into PostgresStore and PostgresTransaction (postgres.py).

Several workers may write a to-do's reminder at once: `take_reminder` is one conditional UPDATE,
so exactly one of them sees its row change. A deleted interview's id stays used (`meta`
`deleted_max_id`, raised with GREATEST under the id lock `next_id` takes), so a calendar that
showed it never sees another interview under its UID.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import NotFound
from .postgres_schema import ID_LOCK
from .records import Todo
from .times import epoch, from_epoch

TODO_COLUMNS = "id, interview_id, text, due, origin, created, done_at"
TO_REMIND = "done_at IS NULL AND reminded = 0 AND due IS NOT NULL"  # the partial index todos_to_remind
DELETED_MAX = "deleted_max_id"  # meta: the highest interview id deleted
# What holds rows of an interview, besides its marks (found through its outbox jobs): (table, column).
INTERVIEW_ROWS = (("outbox", "interview_id"), ("firings", "interview_id"), ("events", "interview_id"),
                  ("interviews", "id"), ("todos", "interview_id"))


class PgTodoReads:
    if TYPE_CHECKING:  # provided by PostgresStore
        def _rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]: ...

    def todos(self, *, done: bool = False, interview_id: int | None = None) -> list[Todo]:
        where, args = ([] if done else ["done_at IS NULL"]), []
        if interview_id is not None:
            where.append("interview_id = %s")
            args.append(interview_id)
        sql = f"SELECT {TODO_COLUMNS} FROM todos" + (" WHERE " + " AND ".join(where) if where else "")
        return [_todo(r) for r in self._rows(sql + " ORDER BY due IS NULL, due, id", args)]

    def todos_to_remind(self, now: int, limit: int) -> list[Todo]:
        rows = self._rows(f"SELECT {TODO_COLUMNS} FROM todos WHERE {TO_REMIND} AND due <= %s ORDER BY due, id LIMIT %s",
                          (now, limit))
        return [_todo(r) for r in rows]


class PgTodoWrites:
    _conn: Any
    wake: bool

    if TYPE_CHECKING:  # provided by PostgresTransaction
        def _bump(self, interview_id: int) -> None: ...

    def delete_interview(self, interview_id: int) -> None:
        c = self._conn
        c.execute("SELECT pg_advisory_xact_lock(%s)", (ID_LOCK,))  # as next_id: the id stays taken
        c.execute("DELETE FROM marks WHERE job_id IN (SELECT id FROM outbox WHERE interview_id=%s)", (interview_id,))
        for table, column in INTERVIEW_ROWS:
            c.execute(f"DELETE FROM {table} WHERE {column}=%s", (interview_id,))
        c.execute("INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET "
                  "value = GREATEST(meta.value::bigint, EXCLUDED.value::bigint)::text", (DELETED_MAX, str(interview_id)))
        self._bump(interview_id)  # the feed must drop it

    def add_todo(self, interview_id: int | None, text: str, due: datetime | None, origin: str,
                 now: datetime) -> int:
        self.wake = self.wake or due is not None
        row = _one_row(self._conn, "INSERT INTO todos (interview_id, text, due, origin, created) "
                                "VALUES (%s,%s,%s,%s,%s) RETURNING id",
                    (interview_id, text, None if due is None else epoch(due), origin, now.isoformat()))
        return int(row[0])

    def close_todo(self, todo_id: int, now: datetime) -> bool:
        row = self._conn.execute("SELECT done_at FROM todos WHERE id=%s FOR UPDATE", (todo_id,)).fetchone()
        if row is None:
            raise NotFound(f"no to-do {todo_id}; `infoview todo` lists the open ones")
        if row[0] is not None:
            return False
        self._conn.execute("UPDATE todos SET done_at=%s WHERE id=%s", (now.isoformat(), todo_id))
        return True

    def take_reminder(self, todo_id: int) -> bool:
        cur = self._conn.execute(f"UPDATE todos SET reminded=1 WHERE id=%s AND {TO_REMIND}", (todo_id,))
        return bool(cur.rowcount == 1)


def _one_row(conn: Any, sql: str, args: Any) -> tuple[Any, ...]:
    row: tuple[Any, ...] = conn.execute(sql, args).fetchone()
    return row


def _todo(r: tuple[Any, ...]) -> Todo:
    return Todo(r[0], r[1], r[2], None if r[3] is None else from_epoch(r[3]), r[4], r[5], r[6])
