"""The contract every `Store` implementation must keep, written against the protocol only.

A backend's test module subclasses `StoreContract` and gives two fixtures: `store`, a fresh empty
store (closed afterwards), and `open_copy`, which opens what `store.backup(target)` wrote at
`target` as a store of the same kind. Nothing here knows which backend it is talking to.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from infoview.errors import Conflict, NotFound
from infoview.model import Event, Interview
from infoview.projection import apply
from infoview.store import Mark, Store, epoch

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
START = T0 + timedelta(days=7)


def plan_event(interview_id: int, *, at: datetime = T0, name: str = "Ann Alder", company: str | None = "Acme",
               referred_by: int | None = None) -> Event:
    data: dict[str, Any] = {"workflow": "informational-interview", "contact": {"name": name, "company": company},
                            "start": START.isoformat(), "timezone": "Europe/Berlin", "minutes": 20, "mode": "video"}
    if referred_by is not None:
        data["referred_by"] = referred_by
    return Event(interview_id, 1, "plan", None, "planned", at, data, "cli")


def next_event(before: Interview, event: str, to: str, *, data: dict[str, Any] | None = None) -> Event:
    return Event(before.id, before.version + 1, event, before.state, to, T0 + timedelta(minutes=before.version),
                 data or {}, "cli")


def plan(store: Store, *, timers: dict[str, int] | None = None, **kw: Any) -> Interview:
    """A new interview written as the engine writes one: id, projection, first event."""
    with store.transaction() as tx:
        event = plan_event(tx.next_id(), **kw)
        interview = apply(None, event)
        tx.save(interview, None, timers or {})
        tx.append(event)
    return interview


def change(store: Store, before: Interview, event: str, to: str, timers: dict[str, int] | None = None) -> Interview:
    with store.transaction() as tx:
        new = next_event(before, event, to)
        after = apply(before, new)
        tx.save(after, before.version, timers or {})
        tx.append(new)
    return after


def enqueue(store: Store, interview: Interview, *, at: datetime = T0, action: str = "remind") -> int:
    with store.transaction() as tx:
        return tx.enqueue(interview.id, interview.version, action, {action: {"text": "hello"}}, "event:plan", at)


class StoreContract:
    """Subclass in a backend's test module and provide the `store` and `open_copy` fixtures."""

    # ---- interviews ----

    def test_a_saved_interview_loads_as_it_was_saved(self, store: Store) -> None:
        interview = plan(store, timers={"confirm": epoch(START) - 86400})
        assert store.load(interview.id).to_dict() == interview.to_dict()
        with store.transaction() as tx:
            assert tx.load(interview.id).to_dict() == interview.to_dict()
            assert tx.armed_timers(interview.id) == {"confirm": epoch(START) - 86400}

    def test_an_unknown_interview_is_not_found(self, store: Store) -> None:
        with pytest.raises(NotFound):
            store.load(99)
        with pytest.raises(NotFound), store.transaction() as tx:
            tx.load(99)

    def test_a_save_naming_an_outdated_version_conflicts_and_writes_nothing(self, store: Store) -> None:
        first = plan(store)
        confirmed = change(store, first, "confirm", "confirmed")
        stale = apply(first, next_event(first, "cancel", "cancelled"))
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.save(stale, first.version, {})
        assert store.load(first.id).to_dict() == confirmed.to_dict()

    def test_a_new_interview_with_a_taken_id_conflicts(self, store: Store) -> None:
        first = plan(store)
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.save(first, None, {})

    def test_ids_are_new_and_count_the_log_too(self, store: Store) -> None:
        with store.transaction() as tx:
            assert tx.next_id() == 1
        a = plan(store)
        b = plan(store)
        assert (a.id, b.id) == (1, 2)
        with store.transaction() as tx:
            tx.append(plan_event(7))  # a log without a projection still takes its id (rebuild, import)
        with store.transaction() as tx:
            assert tx.next_id() == 8
            assert tx.taken([1, 3, 7, 9]) == [1, 7]
            assert tx.taken([]) == []

    def test_interviews_and_listing_in_id_order_filtered_by_state(self, store: Store) -> None:
        a = plan(store, name="Ann Alder", company="Acme")
        b = plan(store, name="Ben Birch", company=None)
        change(store, a, "confirm", "confirmed")
        assert [i.id for i in store.interviews()] == [a.id, b.id]
        assert [i.id for i in store.interviews(["planned"])] == [b.id]
        start = a.to_dict()["start"]  # as `show --json` gives it: in the interview's zone
        assert [tuple(r) for r in store.listing()] == [
            (a.id, "confirmed", start, "Europe/Berlin", "Ann Alder", "Acme"),
            (b.id, "planned", start, "Europe/Berlin", "Ben Birch", None)]
        assert [r.id for r in store.listing(["confirmed", "cancelled"])] == [a.id]

    def test_referrals_are_found(self, store: Store) -> None:
        a = plan(store)
        b = plan(store, referred_by=a.id)
        c = plan(store, referred_by=a.id)
        assert store.referred_by(a.id) == [b.id, c.id]
        assert store.referred_by(b.id) == []

    # ---- the log ----

    def test_a_second_event_with_the_same_seq_conflicts(self, store: Store) -> None:
        a = plan(store)
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.append(next_event(a, "confirm", "confirmed")._replace(seq=1))
        assert [e.seq for e in store.events(a.id)] == [1]

    # differing_executors: each backend's subclass runs this method, each on a store of its own.
    @settings(max_examples=20, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])
    @given(order=st.permutations([(i, s) for i in (1, 2, 3) for s in (1, 2, 3)]))
    def test_events_stream_in_interview_and_seq_order(self, store: Store, order: list[tuple[int, int]]) -> None:
        offset = 0
        with store.transaction() as tx:
            offset = tx.next_id() - 1  # hypothesis reuses the store: fresh ids each example
            for interview_id, seq in order:
                tx.append(Event(offset + interview_id, seq, "note", "held", "noted", T0 + timedelta(seconds=seq),
                                {"notes": {"learned": f"{interview_id}.{seq}"}}, "cli"))
        mine = [(e.interview_id - offset, e.seq) for e in store.events() if e.interview_id > offset]
        assert mine == sorted(order)
        one = list(store.events(offset + 2))
        assert [e.seq for e in one] == [1, 2, 3]
        assert one[0].data == {"notes": {"learned": "2.1"}} and one[0].at == T0 + timedelta(seconds=1)
        with store.transaction() as tx:
            assert [e.seq for e in tx.events(offset + 3)] == [1, 2, 3]

    def test_an_event_reads_back_exactly(self, store: Store) -> None:
        a = plan(store)
        event = Event(a.id, 2, "note", "held", "noted", datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=timezone.utc),
                      {"notes": {"learned": ["ünïcode", "two"]}, "reason": None}, "timer:x")
        with store.transaction() as tx:
            tx.append(event)
        assert list(store.events(a.id))[1] == event

    def test_the_change_marker_moves_on_every_commit_that_changes_the_log(self, store: Store) -> None:
        seen = [store.change_marker()]
        a = plan(store)
        seen.append(store.change_marker())
        change(store, a, "confirm", "confirmed")
        seen.append(store.change_marker())
        plan(store)
        seen.append(store.change_marker())
        assert len(set(map(repr, seen))) == len(seen)
        assert store.change_marker() == seen[-1]  # and stays put without one

    def test_a_transaction_that_raises_leaves_nothing_behind(self, store: Store) -> None:
        a = plan(store)
        before = (store.change_marker(), [i.to_dict() for i in store.interviews()], list(store.events()))
        with pytest.raises(RuntimeError), store.transaction() as tx:
            b = plan_event(tx.next_id())
            tx.save(apply(None, b), None, {"x": 1})
            tx.append(b)
            tx.save(apply(a, next_event(a, "confirm", "confirmed")), a.version, {})
            tx.record_firing(a.id, "t", 5, T0, "fired")
            job = tx.enqueue(a.id, 1, "remind", {}, "event:plan", T0)
            tx.set_marks("notify", job, {"k": Mark("started", "me")})
            raise RuntimeError("boom")
        assert (store.change_marker(), [i.to_dict() for i in store.interviews()], list(store.events())) == before
        assert store.jobs() == [] and store.due(10**10) == ([], False)
        with store.transaction() as tx:
            assert tx.fired_dues(a.id) == {}

    def test_rebuild_support_clears_projections_and_keeps_the_log(self, store: Store) -> None:
        a = plan(store, timers={"t": 100})
        with store.transaction() as tx:
            tx.clear_projections()
        assert store.interviews() == [] and store.due(10**10) == ([], False)
        assert [e.seq for e in store.events(a.id)] == [1]

    # ---- timers ----

    def test_due_timers_and_the_next_wake(self, store: Store) -> None:
        assert store.next_wake() is None and store.anything_due(10**10) == (False, False)
        a = plan(store, timers={"confirm": 100, "join": 300})
        b = plan(store, timers={"confirm": 200})
        plan(store)  # nothing armed
        assert store.next_wake() == 100
        assert store.due(99) == ([], False)
        assert store.due(200) == ([(a.id, "confirm", 100), (b.id, "confirm", 200)], False)
        assert store.due(300) == ([(a.id, "confirm", 100), (b.id, "confirm", 200), (a.id, "join", 300)], False)
        rows, more = store.due(300, limit=1)
        assert rows == [(a.id, "confirm", 100), (a.id, "join", 300)] and more
        assert store.anything_due(99) == (False, False) and store.anything_due(100) == (True, False)
        with store.transaction() as tx:
            tx.set_timers(a.id, {"join": 300})
            assert tx.armed_timers(a.id) == {"join": 300}
            assert tx.armed_timers(99) == {}
        assert store.next_wake() == 200
        change(store, b, "cancel", "cancelled")  # a save with no timers disarms them
        assert store.due(10**10) == ([(a.id, "join", 300)], False)

    def test_firings_are_recorded_once(self, store: Store) -> None:
        a = plan(store)
        with store.transaction() as tx:
            tx.record_firing(a.id, "confirm", 100, T0, "fired")
            tx.record_firing(a.id, "follow-up", 200, T0, "missed")
            tx.record_firing(a.id, "follow-up", 300, T0, "refused")
        with store.transaction() as tx:
            assert tx.fired_dues(a.id) == {"confirm": {100}, "follow-up": {200, 300}}
            assert tx.fired_dues(a.id + 1) == {}
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.record_firing(a.id, "confirm", 100, T0, "fired")

    # ---- the outbox ----

    def test_an_enqueued_job_reads_back_pending_and_due(self, store: Store) -> None:
        a = plan(store)
        job_id = enqueue(store, a, at=T0)
        job = store.job(job_id)
        assert (job.interview_id, job.event_seq, job.action, job.params, job.cause, job.state, job.attempts) == \
            (a.id, 1, "remind", {"remind": {"text": "hello"}}, "event:plan", "pending", 0)
        assert job.next_attempt == T0 and job.last_error is None and job.done_at is None
        assert store.jobs() == [job] and store.jobs(("pending",), a.id) == [job] and store.jobs(("done",)) == []
        assert store.count_jobs("pending") == 1
        assert store.due_jobs(epoch(T0) - 1, 10) == [] and store.due_jobs(epoch(T0), 10) == [job_id]
        assert store.anything_due(epoch(T0)) == (False, True)
        assert store.next_wake() == epoch(T0)
        with pytest.raises(NotFound):
            store.job(job_id + 100)

    def test_due_jobs_oldest_first_up_to_the_limit(self, store: Store) -> None:
        a = plan(store)
        ids = [enqueue(store, a, at=T0 + timedelta(seconds=s)) for s in (30, 10, 20)]
        assert ids == sorted(ids)
        assert store.due_jobs(epoch(T0) + 60, 2) == ids[:2]
        assert store.due_jobs(epoch(T0) + 15, 10) == [ids[1]]

    def test_a_claimed_job_shows_who_holds_it_and_a_finished_one_is_never_due(self, store: Store) -> None:
        a = plan(store)
        job_id = enqueue(store, a)
        with store.transaction() as tx:
            found = tx.claimable(job_id)
            assert found is not None and found.job.state == "pending" and found.claimed_by is None and found.free
            token = tx.claim(job_id, "host:1", 300.0)
            assert tx.claimable(job_id + 100) is None
        with store.transaction() as tx:
            again = tx.claimable(job_id)
            assert again is not None and again.job.state == "sending" and again.claimed_by == "host:1"
            assert again.claimed_until is not None and not again.free  # held for 300 s by a holder not known gone
        assert store.due_jobs(epoch(T0), 10) == [job_id]  # a claim may be taken over once its holder is gone
        done_at = T0 + timedelta(minutes=1)
        with store.transaction() as tx:
            assert tx.finish(job_id, token, "done", 1, done_at, "sent", done_at)
            assert not tx.finish(job_id, token, "failed", 2, done_at, "again?", done_at)  # not sending any more
        job = store.job(job_id)
        assert (job.state, job.attempts, job.last_error, job.done_at) == ("done", 1, "sent", done_at.isoformat())
        with store.transaction() as tx:
            after = tx.claimable(job_id)
            assert after is not None and after.claimed_by is None and after.claimed_until is None
        assert store.due_jobs(10**10, 10) == [] and store.anything_due(10**10) == (False, False)
        assert store.count_jobs("done") == 1 and store.next_wake() is None

    def test_a_claim_whose_lease_is_over_is_free_and_its_holder_is_fenced_off(self, store: Store) -> None:
        a = plan(store)
        job_id = enqueue(store, a)
        with store.transaction() as tx:
            first = tx.claim(job_id, "host:1", -1.0)  # a lease already over on the store's clock
        with store.transaction() as tx:
            found = tx.claimable(job_id)
            assert found is not None and found.job.state == "sending" and found.free
            second = tx.claim(job_id, "host:2", 300.0)  # the takeover
        assert second != first
        with store.transaction() as tx:
            assert not tx.finish(job_id, first, "done", 1, T0, "late", T0)  # the first holder's word counts no more
        assert store.job(job_id).state == "sending"
        with store.transaction() as tx:
            assert tx.finish(job_id, second, "done", 1, T0, "sent", T0)
        assert store.job(job_id).last_error == "sent"

    def test_a_job_put_back_to_pending_waits_for_its_next_attempt(self, store: Store) -> None:
        a = plan(store)
        job_id = enqueue(store, a)
        later = T0 + timedelta(minutes=5)
        with store.transaction() as tx:
            token = tx.claim(job_id, "host:1", 300.0)
            assert tx.finish(job_id, token, "pending", 1, later, "refused", None)
        assert store.due_jobs(epoch(T0), 10) == [] and store.due_jobs(epoch(later), 10) == [job_id]
        assert store.next_wake() == epoch(later) and store.job(job_id).done_at is None

    # ---- timer claims and workers ----

    def test_an_interview_is_claimed_for_a_transaction(self, store: Store) -> None:
        a = plan(store, timers={"t": 100})
        with store.transaction() as tx:
            assert tx.claim_interview(a.id)
            assert tx.claim_interview(a.id)  # again by the same transaction: still ours

    def test_workflow_digests_are_kept_by_name(self, store: Store) -> None:
        assert store.workflow_digests() == {}
        with store.transaction() as tx:
            tx.set_workflow_digests({"a": "1" * 64, "b": "2" * 64})
        with store.transaction() as tx:
            tx.set_workflow_digests({"a": "3" * 64})
        assert store.workflow_digests() == {"a": "3" * 64, "b": "2" * 64}
        store.heartbeat("host:1")  # a heartbeat is accepted at any time

    # ---- marks ----

    def test_marks_are_kept_per_namespace_and_job(self, store: Store) -> None:
        assert store.marks("notify", 1) == {}
        with store.transaction() as tx:
            tx.set_marks("notify", 1, {"a": Mark("started", "host:1"), "b": Mark("started", "host:1")})
            tx.set_marks("other", 1, {"a": Mark("x", "")})
            tx.set_marks("notify", 2, {"a": Mark("delivered", "host:2")})
        assert store.marks("notify", 1) == {"a": Mark("started", "host:1"), "b": Mark("started", "host:1")}
        with store.transaction() as tx:
            tx.set_marks("notify", 1, {"a": Mark("delivered", "host:1")})
            tx.delete_marks("notify", 1, ["b", "never-set"])
            assert tx.marks("notify", 1) == {"a": Mark("delivered", "host:1")}
        assert store.marks("notify", 1) == {"a": Mark("delivered", "host:1")}
        assert store.marks("other", 1) == {"a": Mark("x", "")}
        assert store.marks("notify", 2) == {"a": Mark("delivered", "host:2")}

    # ---- maintenance ----

    def test_a_backup_is_a_readable_copy(self, store: Store, tmp_path: Path,
                                         open_copy: Callable[[Path], Store]) -> None:
        a = plan(store, timers={"t": 100})
        change(store, a, "confirm", "confirmed", {"t": 100})
        enqueue(store, a)
        target = tmp_path / "copy"
        store.backup(target)
        copy = open_copy(target)
        try:
            assert [i.to_dict() for i in copy.interviews()] == [i.to_dict() for i in store.interviews()]
            assert list(copy.events()) == list(store.events())
            assert copy.jobs() == store.jobs() and copy.due(10**10) == store.due(10**10)
        finally:
            copy.close()

    def test_a_closed_store_opens_again_on_use(self, store: Store) -> None:
        a = plan(store)
        store.close()
        assert store.load(a.id).id == a.id
