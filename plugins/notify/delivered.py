"""What became of each channel of a notify job, so that no channel gets a message twice, not even
when infoview is killed in the middle of a send.

Just before apprise is called, one commit marks every channel about to get the message
`started`. When apprise has answered and the job is not over (a channel refused, or another one
is unsure), one more commit marks those that accepted it `delivered` and forgets those that
refused it (they are tried again later). When every channel accepted it, the outbox's `done`,
committed right after, is the record. A channel still `started` when its job runs again was cut
off mid-send: it may or may not have the message, so it is not sent to again until the user
says so (`infoview outbox retry ID`).

Kept in its own small SQLite file in the home, keyed by outbox job id and a hash of the channel
URL (`Channel.key`, never the URL itself). WAL with synchronous=NORMAL, as the store: a commit
survives the process being killed, though not a power cut, and costs tens of microseconds. The
connection stays open for the home last used, so the usual one commit per message is cheap
beside an HTTP request. Rows are kept, as the outbox keeps its jobs.
"""
from __future__ import annotations

import os
import socket
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .channels import Channel

FILE = "notify-delivered.sqlite"
STARTED, DELIVERED = "started", "delivered"
_VERSION = 1  # PRAGMA user_version; 0 is the first layout: (job_id, channel), every row delivered


@dataclass(frozen=True)
class Mark:
    state: str  # STARTED or DELIVERED
    sent_by: str  # host:pid of the process that sent; empty for rows of the first layout


def marks(home: Path, job_id: int) -> dict[str, Mark]:
    """The marks of one job, by `Channel.key`."""
    db = _db(home, create=False)
    if db is None:
        return {}
    rows = db.execute("SELECT channel, state, sent_by FROM delivered WHERE job_id = ?", (job_id,))
    return {channel: Mark(state, sent_by or "") for channel, state, sent_by in rows}


def starting(home: Path, job_id: int, channels: list[Channel]) -> None:
    """Commit that these channels are about to be sent the job's message. Called right before
    the network call: whatever is marked here may have arrived from then on."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    with _immediate(_db(home, create=True)) as db:
        db.executemany("INSERT OR REPLACE INTO delivered (job_id, channel, state, sent_by) VALUES (?, ?, ?, ?)",
                       [(job_id, c.key, STARTED, me) for c in channels])


def settle(home: Path, job_id: int, accepted: list[Channel], refused: list[Channel]) -> None:
    """Commit apprise's answer: `accepted` have the message, `refused` certainly do not."""
    with _immediate(_db(home, create=True)) as db:
        db.executemany("UPDATE delivered SET state = ? WHERE job_id = ? AND channel = ?",
                       [(DELIVERED, job_id, c.key) for c in accepted])
        db.executemany("DELETE FROM delivered WHERE job_id = ? AND channel = ?", [(job_id, c.key) for c in refused])


_local = threading.local()  # sqlite3 connections belong to the thread that opened them


def _db(home: Path, *, create: bool) -> sqlite3.Connection | None:
    path = home / FILE
    try:
        inode = path.stat().st_ino
    except FileNotFoundError:
        if not create:
            return None
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private, like everything in the home
        inode = path.stat().st_ino
    held = getattr(_local, "held", None)
    # The inode too: a file deleted and made anew under the same name needs a new connection.
    if held is not None and held[0] == (path, inode):
        return held[1]
    if held is not None:
        held[1].close()
        _local.held = None
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    _upgrade(db)
    _local.held = ((path, inode), db)
    return db


def _upgrade(db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA user_version").fetchone()[0] >= _VERSION:
        return
    with _immediate(db):
        db.execute("CREATE TABLE IF NOT EXISTS delivered (job_id INTEGER, channel TEXT, PRIMARY KEY (job_id, channel))")
        have = {row[1] for row in db.execute("PRAGMA table_info(delivered)")}
        # Rows of the first layout were written only for channels that had accepted the message.
        for column, declared in (("state", f"TEXT NOT NULL DEFAULT '{DELIVERED}'"), ("sent_by", "TEXT")):
            if column not in have:
                db.execute(f"ALTER TABLE delivered ADD COLUMN {column} {declared}")
        db.execute(f"PRAGMA user_version = {_VERSION}")


@contextmanager
def _immediate(db: sqlite3.Connection | None) -> Iterator[sqlite3.Connection]:
    """One write transaction, the lock taken up front."""
    assert db is not None
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
