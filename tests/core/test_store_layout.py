"""The store's layout: databases from earlier layouts open and keep working (timers, the notify
plugin's delivery marks from their old file), and an engine that changed an interview still sees
what another process changed meanwhile."""
from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from cli_support import NOW

from infoview.errors import Refused

from infoview.clock import Clock
from infoview.engine import Engine
from infoview.model import Contact, Entry, Event, Interview
from infoview.projection import TIMER_EVENT, apply
from infoview.store.schema import VERSION

UTC = timezone.utc


def to_layout_3(db) -> None:
    """Rewrite a current database the way layout 3 (the release before people) stored it: no
    people, no person in interviews or their plan events, no to-dos (layout 5), none of layout
    6's indexes."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript("""
        BEGIN;
        DELETE FROM events WHERE event = 'person';
        UPDATE events SET data = json_remove(data, '$.person') WHERE event = 'plan';
        UPDATE interviews SET doc = json_remove(doc, '$.person');
        DROP INDEX interviews_person;
        ALTER TABLE interviews DROP COLUMN person;
        DROP TABLE people;
        DROP TABLE person_events;
        DROP TABLE todos;
        DROP INDEX interviews_referred_by; DROP INDEX outbox_open; DROP INDEX outbox_done;
        DROP INDEX marks_job; DROP INDEX interviews_start;
        PRAGMA user_version = 3;
        COMMIT;
    """)
    conn.close()


# The same rewrite on PostgreSQL, whose layout number lives in `meta`.
_PG_TO_LAYOUT_3 = """
    DELETE FROM events WHERE event = 'person';
    UPDATE events SET data = (data::jsonb - 'person')::text WHERE event = 'plan';
    UPDATE interviews SET doc = (doc::jsonb - 'person')::text;
    ALTER TABLE interviews DROP COLUMN person;
    DROP TABLE people;
    DROP TABLE person_events;
    DROP TABLE todos;
    DROP INDEX interviews_referred_by, outbox_open, outbox_done, marks_job, interviews_start;
    UPDATE meta SET value = '3' WHERE key = 'layout';
"""


def home_to_layout_3(iv) -> None:
    """`to_layout_3` for the database the `iv` CLI writes to, SQLite or PostgreSQL."""
    if not iv.database:
        to_layout_3(iv.db)
        return
    import psycopg

    with psycopg.connect(iv.database) as conn:  # one transaction, committed on leaving
        conn.execute(_PG_TO_LAYOUT_3)


def layout_of(iv) -> int:
    """The layout number of the database the `iv` CLI writes to."""
    if iv.database:
        return int(iv.rows("SELECT value FROM meta WHERE key = 'layout'")[0][0])
    return int(iv.rows("PRAGMA user_version")[0][0])


def _to_schema_1(db) -> None:
    """Rewrite a current database the way schema 1 stored it: armed timers in their own table."""
    to_layout_3(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript("""
        BEGIN;
        CREATE TABLE timers (interview_id INTEGER NOT NULL, timer_id TEXT NOT NULL, due INTEGER NOT NULL,
                             PRIMARY KEY (interview_id, timer_id)) WITHOUT ROWID;
        CREATE INDEX timers_due ON timers (due);
        INSERT INTO timers SELECT i.id, j.key, j.value FROM interviews i, json_each(i.timers) j;
        DROP INDEX interviews_next_due;
        ALTER TABLE interviews DROP COLUMN timers;
        ALTER TABLE interviews DROP COLUMN next_due;
        PRAGMA user_version = 1;
        COMMIT;
    """)
    conn.close()


def test_a_schema_1_database_keeps_its_timers(iv):
    a = iv.plan("Ann Alder")
    b = iv.plan("Ben Birch", at="2026-03-12T09:00", tz="America/Chicago")
    iv("confirm", b).ok()
    c = iv.plan("Cat Cole")
    iv("cancel", c).ok()  # no timers at all
    agenda = iv.agenda(days=400)
    assert {row["interview"] for row in agenda} == {a, b}
    _to_schema_1(iv.db)
    assert iv.rows("PRAGMA user_version") == [(1,)]

    assert iv.agenda(days=400) == agenda  # migrated on open
    assert iv.rows("PRAGMA user_version") == [(VERSION,)]
    assert iv.rows("SELECT name FROM sqlite_master WHERE name IN ('timers', 'timers_due')") == []
    assert iv.rows("SELECT id FROM interviews WHERE next_due IS NULL") == [(c,)]
    # and they still fire, once
    fired = iv("tick", now="2026-03-09T13:30:00+00:00").ok().out
    assert f"interview {a}  confirm" in fired
    assert iv("tick", now="2026-03-09T13:30:00+00:00").ok().out.strip() == "nothing due"


def test_a_schema_3_database_gets_to_dos(iv):
    i = iv.plan()
    to_layout_3(iv.db)
    assert iv.sub("todo", "add", "send the deck", "--due", "2026-03-02", "--interview", i).ok().out == "1\n"
    assert iv.rows("PRAGMA user_version") == [(VERSION,)]
    assert [t["text"] for t in iv("todo", "--json").ok().json] == ["send the deck"]
    assert iv.show(i)["state"] == "planned"


def _to_schema_2(db) -> None:
    """Rewrite a current database the way layout 2 stored it: no marks, no waiting-jobs index."""
    to_layout_3(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript("BEGIN; DROP TABLE marks; DROP INDEX outbox_waiting; PRAGMA user_version = 2; COMMIT;")
    conn.close()


def _legacy_notify_file(home, rows, *, first_layout: bool = False) -> None:
    """The notify plugin's own file, as releases before layout 3 kept it."""
    conn = sqlite3.connect(home / "notify-delivered.sqlite", isolation_level=None)
    if first_layout:  # a row for each channel that had taken the message
        conn.execute("CREATE TABLE delivered (job_id INTEGER, channel TEXT, PRIMARY KEY (job_id, channel))")
        conn.executemany("INSERT INTO delivered VALUES (?, ?)", [(j, c) for j, c, *_ in rows])
    else:
        conn.execute("CREATE TABLE delivered (job_id INTEGER, channel TEXT, state TEXT NOT NULL DEFAULT 'delivered',"
                     " sent_by TEXT, PRIMARY KEY (job_id, channel))")
        conn.executemany("INSERT INTO delivered VALUES (?, ?, ?, ?)", rows)
        conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_schema_2_database_opens_and_its_outbox_works(iv):
    i = iv.plan()
    _to_schema_2(iv.db)
    assert iv.show(i)["state"] == "planned"  # migrated on open
    assert iv.rows("PRAGMA user_version") == [(VERSION,)]
    assert iv.rows("SELECT name FROM sqlite_master WHERE name IN ('marks', 'outbox_waiting') ORDER BY 1") == \
        [("marks",), ("outbox_waiting",)]
    fired = iv("tick", now="2026-03-09T13:30:00+00:00").ok().out
    assert f"interview {i}  confirm" in fired


def test_the_notify_plugins_old_marks_move_into_the_store(iv):
    from infoview.marks import JobMarks
    from infoview.store import Mark, open_store

    iv.plan()
    _legacy_notify_file(iv.home, [(4, "chan-a", "started", "host:123"), (4, "chan-b", "delivered", "host:123"),
                                  (5, "chan-a", "delivered", None)])
    store = open_store(iv.home)
    try:
        assert JobMarks(store, "notify", 4).get() == {"chan-a": Mark("started", "host:123"),
                                                      "chan-b": Mark("delivered", "host:123")}
        assert JobMarks(store, "notify", 5).get() == {"chan-a": Mark("delivered", "")}
    finally:
        store.close()
    assert not (iv.home / "notify-delivered.sqlite").exists()
    assert (iv.home / "notify-delivered.sqlite.migrated").exists()
    _legacy_notify_file(iv.home, [(6, "chan-c")], first_layout=True)  # the plugin's first layout too
    store = open_store(iv.home)
    try:
        assert JobMarks(store, "notify", 6).get() == {"chan-c": Mark("delivered", "")}
        assert JobMarks(store, "notify", 4).get()["chan-a"] == Mark("started", "host:123")  # kept
    finally:
        store.close()


def test_a_change_made_by_another_process_is_seen(iv):
    i = iv.plan()
    engine = Engine(iv.home, Clock(fixed=datetime.fromisoformat(NOW)))
    first = engine.fire(i, "confirm").interview
    assert first.version == 2
    iv.sub("reschedule", i, "--at", "2026-03-11T10:00", "--reason", "clash").ok()  # another process
    after = engine.fire(i, "confirm").interview
    assert after.version == 4
    assert after.start == datetime(2026, 3, 11, 9, 0, tzinfo=UTC) and after.reason == "clash"
    assert [e["event"] for e in iv.history(i)] == ["plan", "confirm", "reschedule", "confirm"]
    engine.store.close()


def test_an_event_allowed_before_is_refused_when_another_process_has_cancelled(iv):
    i = iv.plan()
    engine = Engine(iv.home, Clock(fixed=datetime.fromisoformat(NOW)))
    engine.fire(i, "confirm")  # confirmed, where `reschedule` is allowed
    iv.sub("cancel", i, "--reason", "found a job").ok()  # another process
    with pytest.raises(Refused) as refused:
        engine.fire(i, "reschedule", {"start": "2026-03-11T10:00:00+00:00"})
    assert refused.value.state == "cancelled"
    assert [e["event"] for e in iv.history(i)] == ["plan", "confirm", "cancel"]  # nothing written
    assert iv.show(i)["state"] == "cancelled"
    engine.store.close()


def test_applying_an_event_keeps_every_field_it_does_not_change():
    t = datetime(2026, 3, 1, 9, tzinfo=UTC)
    values = {"id": 7, "workflow": "w", "state": "held", "version": 3, "contact": Contact("A", "B", "C", "d@e"),
              "start": t, "timezone": "Europe/Berlin", "minutes": 45, "mode": "phone", "where": "x",
              "goals": ["g"], "created": t, "updated": t + timedelta(1), "entered": t + timedelta(2),
              "sequence": 5, "notes": {"learned": [Entry("l", t)]}, "evaluation": {"next_actions": [Entry("n", t)]},
              "referred_by": 2, "happened": {"hold": t}, "reason": "r", "person": 4}
    assert set(values) == {f.name for f in dataclasses.fields(Interview)}, "a new field: give it a value here"
    before = Interview(**values)
    after = apply(before, Event(7, 4, TIMER_EVENT, "held", "held", t + timedelta(3), {"timer": "x"}))
    assert {**{f.name: getattr(after, f.name) for f in dataclasses.fields(Interview)}, "version": 3} == values
    assert after.notes is not before.notes and after.happened is not before.happened  # the copy owns its dicts
    assert after.notes["learned"] is not before.notes["learned"] and after.contact is not before.contact


def test_the_two_half_past_twos_of_a_clock_change_keep_their_own_offsets(iv):
    # 2026-10-25 in Berlin: clocks go back at 03:00, so 02:30 happens twice, first at +02:00,
    # then at +01:00. Same wall time, same zone: written one after the other, each is shown with
    # its own offset (times are formatted once and remembered, so the key must tell them apart).
    first = iv.plan("Ann Alder", at="2026-10-25T02:30+02:00", tz="Europe/Berlin")
    second = iv.plan("Ben Birch", at="2026-10-25T02:30+01:00", tz="Europe/Berlin")
    assert iv.show(first)["start"] == "2026-10-25T02:30:00+02:00"
    assert iv.show(second)["start"] == "2026-10-25T02:30:00+01:00"
    assert (iv.show(first)["minutes"], iv.show(second)["minutes"]) == (20, 20)
    assert iv.show(first)["end"] == "2026-10-25T02:50:00+02:00"
    assert iv.show(second)["end"] == "2026-10-25T02:50:00+01:00"
