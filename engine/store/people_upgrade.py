"""Layout 3 -> 4: people derived from the interviews a home already has.

One person per distinct email (any case), else per name (any case), each with a `create` event
in their own log (the contact details of their latest interview). Every interview then gets a
`person` event at the end of its log naming its person, so that `db rebuild` and an export
replay the same link. Referrals were already kept as ids (`referred_by`, an interview); with
each interview naming its person they now link people, and the report and `person` views read
them that way instead of matching names as text.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..people import Person, PersonEvent, apply_person, email_key, identity_key

SOURCE = "upgrade"


def _dumps(value: Any) -> str:
    # The same text SqliteStore writes (sqlite.dumps): sorted keys, compact.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def derive_people(conn: Any, mark: str = "?") -> int:
    """Inside the caller's transaction on `conn` (sqlite3, or psycopg with `mark="%s"`, the
    driver's parameter mark); returns how many people were made."""
    def execute(sql: str, args: tuple[Any, ...] = ()) -> Any:
        return conn.execute(sql.replace("?", mark), args)

    docs = [json.loads(doc) for (doc,) in execute("SELECT doc FROM interviews ORDER BY id").fetchall()]
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        c = doc["contact"]
        groups.setdefault(identity_key(c["name"], c.get("email")), []).append(doc)
    for person_id, members in enumerate(groups.values(), start=1):
        latest = members[-1]["contact"]
        email = next((m["contact"]["email"] for m in reversed(members) if m["contact"].get("email")), None)
        event = PersonEvent(person_id, 1, "create", datetime.fromisoformat(members[0]["created"]), {
            "name": latest["name"], "email": email, "company": latest.get("company"), "title": latest.get("title"),
        }, SOURCE)
        person: Person = apply_person(None, event)
        execute("INSERT INTO person_events (person_id, seq, event, at, data, source) VALUES (?,?,?,?,?,?)",
                     (person_id, 1, event.event, event.at.isoformat(), _dumps(event.data), SOURCE))
        execute("INSERT INTO people (id, version, email, doc, next_due) VALUES (?,?,?,?,NULL)",
                     (person_id, 1, email_key(email), _dumps(person.to_dict())))
        for doc in members:
            seq = doc["version"] + 1
            execute("INSERT INTO events (interview_id, seq, event, from_state, to_state, at, data, source) "
                         "VALUES (?,?,?,?,?,?,?,?)", (doc["id"], seq, "person", doc["state"], doc["state"],
                                                      doc["updated"], _dumps({"person": person_id}), SOURCE))
            doc.update(person=person_id, version=seq)
            execute("UPDATE interviews SET version=?, person=?, doc=? WHERE id=?",
                         (seq, person_id, _dumps(doc), doc["id"]))
    return len(groups)

