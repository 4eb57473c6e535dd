"""The SQLite layout and its upgrades. A database written by any earlier release is upgraded in
place when first opened (PRAGMA user_version says which layout it has), in one transaction, so
two processes opening an old file at once upgrade it once."""
from __future__ import annotations

import os
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Callable

from ..errors import InfoviewError
from .people_upgrade import derive_people

VERSION = 6

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (interview_id, seq)
);
CREATE TABLE IF NOT EXISTS interviews (
    id INTEGER PRIMARY KEY,
    workflow TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    start INTEGER NOT NULL,
    doc TEXT NOT NULL,
    timers TEXT NOT NULL DEFAULT '{}',
    next_due INTEGER
);
CREATE INDEX IF NOT EXISTS interviews_next_due ON interviews (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS firings (
    interview_id INTEGER NOT NULL,
    timer_id TEXT NOT NULL,
    due INTEGER NOT NULL,
    fired_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (interview_id, timer_id, due)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER NOT NULL,
    event_seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    params TEXT NOT NULL,
    cause TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    last_error TEXT,
    claimed_by TEXT,
    claimed_until REAL,
    created TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt);
""" + """
-- added in layout 3
CREATE INDEX IF NOT EXISTS outbox_waiting ON outbox (next_attempt) WHERE state IN ('pending', 'sending');
CREATE TABLE IF NOT EXISTS marks (
    namespace TEXT NOT NULL,
    job_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (namespace, job_id, key)
) WITHOUT ROWID;
""" + """
-- added in layout 5
CREATE TABLE IF NOT EXISTS todos (
    id INTEGER PRIMARY KEY,
    interview_id INTEGER,
    text TEXT NOT NULL,
    due INTEGER,
    origin TEXT NOT NULL,
    created TEXT NOT NULL,
    done_at TEXT,
    reminded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS todos_to_remind ON todos (due) WHERE done_at IS NULL AND reminded = 0 AND due IS NOT NULL;
"""

# Layout 4: people, their logs, and each interview's person (see people_upgrade.py for the data).
SCHEMA_4 = """
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    email TEXT,
    doc TEXT NOT NULL,
    next_due INTEGER
);
CREATE INDEX IF NOT EXISTS people_email ON people (email) WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS people_next_due ON people (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS person_events (
    person_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (person_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS interviews_person ON interviews (person) WHERE person IS NOT NULL;
"""

# Layout 6: indexes so that no command scans a table for one record or one screen: the
# interviews planned on a referral from one (`show`), the outbox's jobs that need attention and
# those done (its default view, `outbox prune`), a job's marks (pruned with it), and interviews by
# start (a calendar feed bounded to a window). `meta` keeps
# `projections`, a number `db rebuild` raises, so that the feed's change marker needs no count.
LAYOUT_6 = """
CREATE INDEX IF NOT EXISTS interviews_referred_by ON interviews (json_extract(doc, '$.referred_by'));
CREATE INDEX IF NOT EXISTS outbox_open ON outbox (id) WHERE state != 'done';
CREATE INDEX IF NOT EXISTS outbox_done ON outbox (done_at) WHERE state = 'done';
CREATE INDEX IF NOT EXISTS marks_job ON marks (job_id);
CREATE INDEX IF NOT EXISTS interviews_start ON interviews (start);
"""

# Layout 1 kept armed timers in a table of their own; move them into their interviews' rows.
MIGRATE_1_TO_2 = """
ALTER TABLE interviews ADD COLUMN timers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE interviews ADD COLUMN next_due INTEGER;
UPDATE interviews SET
    timers = (SELECT json_group_object(timer_id, due) FROM timers t WHERE t.interview_id = interviews.id),
    next_due = (SELECT MIN(due) FROM timers t WHERE t.interview_id = interviews.id)
WHERE id IN (SELECT interview_id FROM timers);
DROP TABLE timers;
CREATE INDEX interviews_next_due ON interviews (next_due) WHERE next_due IS NOT NULL;
"""

# Layout 3 adds the waiting-jobs index and the marks plugins keep per outbox job: both are
# `IF NOT EXISTS` statements of SCHEMA, so running SCHEMA again is the whole step.
MIGRATE_2_TO_3 = SCHEMA

# Layout 5 adds the to-dos: `IF NOT EXISTS` statements of SCHEMA again. It touches nothing of
# layout 4 (people), so it runs from layout 3 as well until the two are chained.
MIGRATE_4_TO_5 = SCHEMA

# Before layout 3 the notify plugin kept its per-channel marks in a file of its own in the home.
LEGACY_NOTIFY_FILE = "notify-delivered.sqlite"
NOTIFY_NAMESPACE = "notify"


def upgrade(conn: sqlite3.Connection, path: Path,
            immediate: Callable[[], AbstractContextManager[sqlite3.Connection]]) -> None:
    """Create the layout in a new file, or bring an older one up to VERSION."""
    if conn.execute("PRAGMA user_version").fetchone()[0] < VERSION:
        with immediate():
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # not done meanwhile by another process
            if version == 1:
                _script(conn, MIGRATE_1_TO_2)
                version = 2
            if version in (0, 2):
                _script(conn, SCHEMA if version == 0 else MIGRATE_2_TO_3)
                version = 3
            if version == 3:
                if "person" not in {row[1] for row in conn.execute("PRAGMA table_info(interviews)")}:
                    conn.execute("ALTER TABLE interviews ADD COLUMN person INTEGER")
                _script(conn, SCHEMA_4)
                derive_people(conn)
            if version < 5:
                _script(conn, MIGRATE_4_TO_5)
            if version < 6:  # every statement is IF NOT EXISTS
                _script(conn, LAYOUT_6)
            if version < VERSION:
                conn.execute(f"PRAGMA user_version={VERSION}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > VERSION:
        raise InfoviewError(f"{path} was written by a newer infoview (schema {version}); upgrade infoview")
    legacy = path.parent / LEGACY_NOTIFY_FILE
    if legacy.exists():
        _take_legacy_notify_marks(conn, legacy, immediate)


def _script(conn: sqlite3.Connection, script: str) -> None:
    # Statement by statement: executescript would commit the transaction it runs in.
    for statement in script.split(";"):
        if statement.strip() and not all(line.lstrip().startswith("--") for line in statement.strip().splitlines()):
            conn.execute(statement)


def _take_legacy_notify_marks(conn: sqlite3.Connection, legacy: Path,
                              immediate: Callable[[], AbstractContextManager[sqlite3.Connection]]) -> None:
    """Copy the notify plugin's marks from its old file into `marks`, then rename the file to
    `.migrated`. A kill between the two copies them again next time: the copy keeps marks the
    store has already (INSERT OR IGNORE), so that changes nothing."""
    try:
        old = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True, timeout=10)
        try:
            columns = {row[1] for row in old.execute("PRAGMA table_info(delivered)")}
            if not columns:
                rows: list[tuple[int, str, str, str]] = []
            elif {"state", "sent_by"} <= columns:
                rows = [(j, c, s, b or "") for j, c, s, b in old.execute("SELECT job_id, channel, state, sent_by FROM delivered")]
            else:  # the first layout: a row for each channel that had taken the message
                rows = [(j, c, "delivered", "") for j, c in old.execute("SELECT job_id, channel FROM delivered")]
        finally:
            old.close()
    except sqlite3.DatabaseError as e:
        raise InfoviewError(f"{legacy}: cannot read the notify plugin's old delivery records: {e}") from None
    with immediate():
        conn.executemany("INSERT OR IGNORE INTO marks (namespace, job_id, key, state, by) VALUES (?,?,?,?,?)",
                         [(NOTIFY_NAMESPACE, *row) for row in rows])
    os.replace(legacy, legacy.with_name(legacy.name + ".migrated"))
    for suffix in ("-wal", "-shm"):  # the old file's WAL, checkpointed by closing it
        legacy.with_name(legacy.name + suffix).unlink(missing_ok=True)
