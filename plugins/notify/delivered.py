"""Which channels already got a job's message, so a retry after a partial failure does not send
it twice to the channels that accepted it the first time.

Written only when a delivery is partial and read only on a retry, so the usual case (everything
accepted on the first attempt) never touches it. Kept in its own small SQLite file in the home,
keyed by outbox job id and a hash of the channel URL (never the URL itself).
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from .channels import Channel

FILE = "notify-delivered.sqlite"


def key(channel: Channel) -> str:
    return hashlib.sha256(channel.service.url(privacy=False).encode()).hexdigest()[:32]


def _open(home: Path) -> sqlite3.Connection:
    db = sqlite3.connect(home / FILE, timeout=10)
    db.execute("CREATE TABLE IF NOT EXISTS delivered (job_id INTEGER, channel TEXT, PRIMARY KEY (job_id, channel))")
    return db


def already(home: Path, job_id: int) -> set[str]:
    if not (home / FILE).exists():
        return set()
    with _open(home) as db:
        return {row[0] for row in db.execute("SELECT channel FROM delivered WHERE job_id = ?", (job_id,))}


def remember(home: Path, job_id: int, channels: list[Channel]) -> None:
    db = _open(home)
    try:
        with db:
            db.executemany("INSERT OR IGNORE INTO delivered VALUES (?, ?)", [(job_id, key(c)) for c in channels])
    finally:
        db.close()
