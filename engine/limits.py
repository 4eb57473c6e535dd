"""The bounds every value keeps on its way into a home (engine/fields.py holds the models that
check them). Constants only, so that the CLI can name them without importing pydantic."""
from __future__ import annotations

from datetime import datetime, timezone

EARLIEST = datetime(1970, 1, 2, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
MAX_ID = 2**63 - 1            # what every store can hold: SQLite INTEGER, PostgreSQL bigint
MAX_MINUTES = 1440            # an interview lasts at most a day
MAX_NAME = 200                # names, companies, titles, keys
MAX_TEXT = 2000               # places, reasons, goals
MAX_ANSWER = 20_000           # one answer in notes or an evaluation
MAX_ITEMS = 100               # items in a list, answers in a section
