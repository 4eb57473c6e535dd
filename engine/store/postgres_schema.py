"""The PostgreSQL layout and its upgrades, numbered as SQLite's (schema.py) so that one layout
number means the same tables on both backends. Every process that opens the database runs
`upgrade`, under a session advisory lock, so any number of them starting at once make the schema
exactly once; a database written by a newer infoview is refused.

To add layout N: append a `(N, SQL)` step to STEPS (and, when rows must be rewritten, a function
of the connection to AFTER[N]): a fresh database runs every step in order, an older one the steps
after its own number, all in one transaction.

Columns mirror SQLite's (times as ISO text or epoch integers, documents as JSON text), so that
`infoview db copy` moves rows between the backends unchanged. What only PostgreSQL needs for
several writers lives beside them: the change counters the feed cache reads, each outbox claim's
fencing token, the workers' heartbeats, and the digests of the workflow files the data was
written with.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import InfoviewError
from .people_upgrade import derive_people

# Taken (pg_advisory_lock) while upgrading; any number, only the same one matters.
MIGRATION_LOCK = 0x1F0_5C4E
# Taken (pg_advisory_xact_lock) by a transaction that allocates or reserves interview ids.
ID_LOCK = 0x1F0_1D5
# Taken (pg_advisory_xact_lock) by a transaction that allocates person ids.
PERSON_ID_LOCK = 0x1F0_1D6
# The first key of the two-key lock (this, hashtext(email)) a transaction takes to look a person
# up by email: two plans with one new email cannot both find nobody and make two people.
PERSON_EMAIL_LOCK = 0x1F0E
# Change counters: a commit that changes the log bumps the row of its interview's shard. Many
# rows rather than one, so that writers of different interviews rarely wait on each other.
CHANGE_SHARDS = 16

STEPS: list[tuple[int, str]] = [
    (3, f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (interview_id, seq)
);
CREATE TABLE interviews (
    id BIGINT PRIMARY KEY,
    workflow TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    start BIGINT NOT NULL,
    doc TEXT NOT NULL,
    timers TEXT NOT NULL DEFAULT '{{}}',
    next_due BIGINT
);
CREATE INDEX interviews_next_due ON interviews (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE firings (
    interview_id BIGINT NOT NULL,
    timer_id TEXT NOT NULL,
    due BIGINT NOT NULL,
    fired_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (interview_id, timer_id, due)
);
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL,
    event_seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    params TEXT NOT NULL,
    cause TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt BIGINT NOT NULL,
    last_error TEXT,
    claimed_by TEXT,
    claimed_until DOUBLE PRECISION,
    created TEXT NOT NULL,
    done_at TEXT,
    claim_token BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt);
CREATE INDEX outbox_waiting ON outbox (next_attempt) WHERE state IN ('pending', 'sending');
CREATE SEQUENCE outbox_claims;
CREATE TABLE marks (
    namespace TEXT NOT NULL,
    job_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (namespace, job_id, key)
);
CREATE TABLE changes (shard INTEGER PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0);
INSERT INTO changes (shard) SELECT generate_series(0, {CHANGE_SHARDS - 1});
CREATE TABLE workers (name TEXT PRIMARY KEY, beat TIMESTAMPTZ NOT NULL);
"""),
    # Layout 4: people, their logs, and each interview's person (as SQLite's SCHEMA_4).
    (4, """
ALTER TABLE interviews ADD COLUMN person BIGINT;
CREATE INDEX interviews_person ON interviews (person) WHERE person IS NOT NULL;
CREATE TABLE people (
    id BIGINT PRIMARY KEY,
    version INTEGER NOT NULL,
    email TEXT,
    doc TEXT NOT NULL,
    next_due BIGINT
);
CREATE INDEX people_email ON people (email) WHERE email IS NOT NULL;
CREATE INDEX people_next_due ON people (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE person_events (
    person_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (person_id, seq)
);
"""),
    # Layout 5: to-dos (as SQLite's).
    (5, """
CREATE TABLE todos (
    id BIGSERIAL PRIMARY KEY,
    interview_id BIGINT,
    text TEXT NOT NULL,
    due BIGINT,
    origin TEXT NOT NULL,
    created TEXT NOT NULL,
    done_at TEXT,
    reminded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX todos_to_remind ON todos (due) WHERE done_at IS NULL AND reminded = 0 AND due IS NOT NULL;
"""),
    # Layout 6 (as SQLite's LAYOUT_6): no command scans a table for one record or one screen.
    (6, """
CREATE INDEX interviews_referred_by ON interviews ((doc::jsonb -> 'referred_by'));
CREATE INDEX outbox_open ON outbox (id) WHERE state <> 'done';
CREATE INDEX outbox_done ON outbox (done_at) WHERE state = 'done';
CREATE INDEX marks_job ON marks (job_id);
CREATE INDEX interviews_start ON interviews (start);
"""),
]
VERSION = STEPS[-1][0]


def _derive_people(conn: Any) -> None:
    """A database of layout 3 gets the people its interviews name (people_upgrade.py); the
    interviews it rewrote move the change marker, so feed caches render them anew."""
    if derive_people(conn, "%s"):
        conn.execute("UPDATE changes SET n = n + 1 WHERE shard = 0")


AFTER: dict[int, Callable[[Any], None]] = {4: _derive_people}


def upgrade(conn: Any, where: str) -> None:
    """Bring the database `conn` (psycopg, autocommit) to VERSION, or refuse a newer one.
    `where` names the database in messages (without its password)."""
    version = _version(conn)
    if version < VERSION:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            version = _version(conn)  # another process may have done it while we waited
            with conn.transaction():
                for number, script in STEPS:
                    if number > version:
                        conn.execute(script)
                        if number in AFTER:
                            AFTER[number](conn)
                        version = number
                conn.execute("INSERT INTO meta (key, value) VALUES ('layout', %s) "
                             "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (str(version),))
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    if version > VERSION:
        raise InfoviewError(f"{where} was written by a newer infoview (schema {version}); upgrade infoview")


def _version(conn: Any) -> int:
    exists = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'layout'").fetchone()
    return int(row[0]) if row else 0
