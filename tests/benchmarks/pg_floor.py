"""The floor for timer throughput on PostgreSQL: a bare claim-fire-commit loop in SQL, with the
least work a timer firing can be on this database and nothing of infoview's.

Each round is one transaction: claim one due interview with `FOR UPDATE SKIP LOCKED` (the row
lock is the claim), record the firing and its event, disarm the interview, commit. Processes run
the loop side by side until nothing due is left, as infoview workers do.

    python pg_floor.py URL          # one worker process; prints how many it fired
"""
from __future__ import annotations

import sys

TABLES = """
DROP TABLE IF EXISTS floor_interviews, floor_events, floor_firings;
CREATE TABLE floor_interviews (id BIGINT PRIMARY KEY, version INT NOT NULL, next_due BIGINT, doc JSONB NOT NULL);
CREATE INDEX floor_due ON floor_interviews (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE floor_events (id BIGSERIAL PRIMARY KEY, interview_id BIGINT NOT NULL, seq INT NOT NULL,
                           data JSONB NOT NULL, UNIQUE (interview_id, seq));
CREATE TABLE floor_firings (interview_id BIGINT NOT NULL, timer_id TEXT NOT NULL, due BIGINT NOT NULL,
                            PRIMARY KEY (interview_id, timer_id, due));
"""
CLAIM = ("SELECT id, version, next_due FROM floor_interviews WHERE next_due <= %s "
         "ORDER BY next_due LIMIT 1 FOR UPDATE SKIP LOCKED")


def prepare(url: str, count: int) -> None:
    """`count` interviews, each with one timer due at 1..count."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(TABLES)
        conn.execute("INSERT INTO floor_interviews SELECT g, 1, g, jsonb_build_object('id', g, 'state', 'planned') "
                     "FROM generate_series(1, %s) g", (count,))
        conn.execute("ANALYZE floor_interviews")


def fired(url: str) -> tuple[int, int]:
    """(firings recorded, interviews still due)."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT (SELECT COUNT(*) FROM floor_firings), "
                           "(SELECT COUNT(*) FROM floor_interviews WHERE next_due IS NOT NULL)").fetchone()
        assert row is not None
        return int(row[0]), int(row[1])


def work(url: str, now: int = 2**62) -> int:
    import psycopg

    done = 0
    with psycopg.connect(url) as conn:
        while True:
            with conn.transaction():
                row = conn.execute(CLAIM, (now,)).fetchone()
                if row is None:
                    return done
                interview, version, due = row
                conn.execute("INSERT INTO floor_firings VALUES (%s, 'timer', %s)", (interview, due))
                conn.execute("INSERT INTO floor_events (interview_id, seq, data) VALUES (%s, %s, %s)",
                             (interview, version + 1, '{"timer": "timer", "outcome": "fired"}'))
                conn.execute("UPDATE floor_interviews SET version = version + 1, next_due = NULL WHERE id = %s",
                             (interview,))
            done += 1


if __name__ == "__main__":
    print(work(sys.argv[1]))
