"""PostgresStore keeps the store contract (tests/store/contract.py) against a real server
(tests/pg_support.py), and what only several writers on several hosts need: a claim's holder that
stopped beating is free, a due interview another transaction holds is skipped, ids and the change
marker stay right with transactions in flight."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Iterator

import psycopg
import pytest
from contract import T0, StoreContract, enqueue, plan, plan_event
from infoview.projection import apply
from infoview.store import SqliteStore, Store
from infoview.store.postgres import PostgresStore
from pg_support import PgServer



class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, pg_url: str) -> Iterator[Store]:
        s = PostgresStore(pg_url)
        yield s
        s.close()

    @pytest.fixture
    def open_copy(self) -> Callable[[Path], Store]:
        return SqliteStore  # a PostgreSQL backup is a SQLite file


@pytest.fixture
def pg(pg_url: str) -> Iterator[PostgresStore]:
    s = PostgresStore(pg_url)
    yield s
    s.close()


def _sql(url: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, args)
        return cur.fetchall() if cur.description else []


def test_a_holder_that_stopped_beating_is_taken_for_gone(pg: PostgresStore, pg_url: str) -> None:
    a = plan(pg)
    job_id = enqueue(pg, a)
    with pg.transaction() as tx:
        tx.claim(job_id, "far-host:42", 300.0)
    with pg.transaction() as tx:
        found = tx.claimable(job_id)
        assert found is not None and not found.free
    _sql(pg_url, "UPDATE workers SET beat = now() - interval '1 minute' WHERE name = 'far-host:42'")
    with pg.transaction() as tx:
        found = tx.claimable(job_id)
        assert found is not None and found.free
    pg.heartbeat("far-host:42")  # it beats again: its claim is its own again
    with pg.transaction() as tx:
        found = tx.claimable(job_id)
        assert found is not None and not found.free


def test_a_due_interview_another_transaction_holds_is_skipped_not_waited_for(pg: PostgresStore, pg_url: str) -> None:
    a = plan(pg, timers={"t": 100})
    other = PostgresStore(pg_url)
    try:
        with pg.transaction() as tx:
            assert tx.claim_interview(a.id)
            with other.transaction() as tx2:
                assert not tx2.claim_interview(a.id)
        with other.transaction() as tx2:
            assert tx2.claim_interview(a.id)  # free again once the first committed
    finally:
        other.close()


def test_the_change_marker_moves_when_an_earlier_id_commits_last(pg: PostgresStore, pg_url: str) -> None:
    """Events take ids in one order and may commit in the other: the marker still moves at each."""
    a, b = plan(pg), plan(pg)
    other, reader = PostgresStore(pg_url), PostgresStore(pg_url)
    try:
        seen = [reader.change_marker()]
        with pg.transaction() as slow:
            slow.append(plan_event(a.id)._replace(seq=2, event="confirm", from_state="planned", to_state="confirmed"))
            with other.transaction() as quick:
                quick.append(plan_event(b.id)._replace(seq=2, event="confirm", from_state="planned",
                                                       to_state="confirmed"))
            seen.append(reader.change_marker())
        seen.append(reader.change_marker())
        assert len(set(seen)) == 3
    finally:
        other.close()
        reader.close()


def test_two_plans_at_once_get_different_ids(pg_url: str) -> None:
    stores = [PostgresStore(pg_url) for _ in range(2)]
    ids: list[int] = []
    inside = threading.Barrier(2, timeout=30)

    def planner(s: PostgresStore) -> None:
        try:
            inside.wait()
            ids.append(plan(s).id)
        finally:
            s.close()

    threads = [threading.Thread(target=planner, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(ids) == [1, 2]


def test_a_loaded_interview_is_locked_until_commit(pg: PostgresStore, pg_url: str) -> None:
    a = plan(pg)
    other = PostgresStore(pg_url + "&options=-c%20lock_timeout%3D200")
    try:
        with pg.transaction() as tx:
            tx.load(a.id)
            from infoview.errors import Conflict

            with pytest.raises(Conflict), other.transaction() as tx2:
                tx2.load(a.id)
        with other.transaction() as tx2:
            tx2.save(apply(a, plan_event(a.id)._replace(seq=2, event="confirm", from_state="planned",
                                                        to_state="confirmed")), a.version, {})
    finally:
        other.close()


def test_the_template_server_is_reachable(pg_server: PgServer) -> None:
    assert pg_server.fresh(template="template0")


def test_a_look_up_by_email_waits_for_a_plan_making_that_person(pg: PostgresStore, pg_url: str) -> None:
    """Two plans naming one new email: the second's look-up waits until the first made the person
    and committed, then finds them, so the email gets one person, not two."""
    from infoview.people import PersonEvent, apply_person

    other = PostgresStore(pg_url)
    found: list[object] = []
    try:
        with pg.transaction() as tx:
            assert tx.person_by_email("ann@acme.test") is None
            second = threading.Thread(target=lambda: found.append(_look_up(other, "ANN@acme.test")))
            second.start()
            waiting = 0
            for _ in range(2000):  # bounded: until the second transaction waits on the email's lock
                waiting = int(_sql(pg_url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                           "AND NOT granted")[0][0])
                if waiting or not second.is_alive():
                    break
            assert waiting == 1 and found == []
            event = PersonEvent(tx.next_person_id(), 1, "create", T0, {"name": "Ann", "email": "ann@acme.test"})
            tx.append_person_event(event)
            tx.save_person(apply_person(None, event), None, None)
        second.join(60)
        assert found == [event.person_id]
    finally:
        other.close()


def _look_up(store: PostgresStore, email: str) -> int | None:
    with store.transaction() as tx:
        person = tx.person_by_email(email)
        return None if person is None else person.id
