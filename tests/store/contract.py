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
from infoview.people import Person, PersonEvent, apply_person
from infoview.projection import PERSON_EVENT, apply
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


def add_person(store: Store, *, name: str = "Ann Alder", email: str | None = "Ann@Acme.test",
               due: int | None = None) -> Person:
    """A new person written as the engine writes one: id, record, first event of their log."""
    with store.transaction() as tx:
        event = PersonEvent(tx.next_person_id(), 1, "create", T0, {"name": name, "email": email})
        person = apply_person(None, event)
        tx.append_person_event(event)
        tx.save_person(person, None, due)
    return person


def link(store: Store, interview: Interview, person_id: int) -> Interview:
    with store.transaction() as tx:
        event = Event(interview.id, interview.version + 1, PERSON_EVENT, interview.state, interview.state, T0,
                      {"person": person_id})
        after = apply(interview, event)
        tx.save(after, interview.version, {})
        tx.append(event)
    return after


class StoreContract:
    """Subclass in a backend's test module and provide the `store` and `open_copy` fixtures."""

    # ---- people ----

    def test_a_saved_person_loads_as_saved_and_an_unknown_one_is_not_found(self, store: Store) -> None:
        ann = add_person(store)
        assert store.person(ann.id).to_dict() == ann.to_dict()
        with store.transaction() as tx:
            assert tx.load_person(ann.id).to_dict() == ann.to_dict()
            assert tx.next_person_id() == ann.id + 1
        with pytest.raises(NotFound):
            store.person(99)
        with pytest.raises(NotFound), store.transaction() as tx:
            tx.load_person(99)

    def test_person_saves_name_the_version_they_replace(self, store: Store) -> None:
        ann = add_person(store)
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.save_person(ann, None, None)  # a new person with a taken id
        edited = apply_person(ann, PersonEvent(ann.id, 2, "edit", T0, {"company": "Acme"}))
        with store.transaction() as tx:
            tx.save_person(edited, ann.version, None)
            tx.append_person_event(PersonEvent(ann.id, 2, "edit", T0, {"company": "Acme"}))
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.save_person(edited, ann.version, None)  # version 1 is no longer the stored one
        with pytest.raises(Conflict), store.transaction() as tx:
            tx.append_person_event(PersonEvent(ann.id, 2, "edit", T0, {}))
        assert store.person(ann.id).company == "Acme"
        assert [(e.seq, e.event, e.data) for e in store.person_events(ann.id)] == \
            [(1, "create", {"name": "Ann Alder", "email": "Ann@Acme.test"}), (2, "edit", {"company": "Acme"})]

    def test_people_in_id_order_found_by_email_in_any_case(self, store: Store) -> None:
        ann = add_person(store)
        ben = add_person(store, name="Ben Birch", email=None)
        assert [p.id for p in store.people()] == [ann.id, ben.id]
        with store.transaction() as tx:
            found = tx.person_by_email("ann@ACME.TEST")
            assert found is not None and found.id == ann.id
            assert tx.person_by_email("ben@birch.test") is None
            tx.delete_person(ben.id)
        assert [p.id for p in store.people()] == [ann.id]
        with store.transaction() as tx:
            assert tx.next_person_id() == ben.id + 1  # a deleted person's log keeps their id taken
        assert [(e.person_id, e.seq) for e in store.person_events()] == [(ann.id, 1), (ben.id, 1)]

    def test_a_persons_interviews_follow_the_interviews_person(self, store: Store) -> None:
        ann, ben = add_person(store), add_person(store, name="Ben Birch", email=None)
        a, b = plan(store), plan(store)
        link(store, a, ann.id)
        b = link(store, b, ann.id)
        assert [i.id for i in store.person_interviews(ann.id)] == [a.id, b.id]
        link(store, b, ben.id)
        with store.transaction() as tx:
            assert [i.id for i in tx.person_interviews(ann.id)] == [a.id]
            assert [i.person for i in tx.person_interviews(ben.id)] == [ben.id]

    def test_keep_in_touch_due_times_wake_the_tick(self, store: Store) -> None:
        ann = add_person(store, due=500)
        add_person(store, name="Ben Birch", email=None, due=300)
        add_person(store, name="Cat Cole", email=None)
        assert store.people_due(400) == [(ann.id + 1, 300)]
        assert store.people_due(10**10) == [(ann.id + 1, 300), (ann.id, 500)]
        assert store.anything_due(299) == (False, False) and store.anything_due(300) == (True, False)
        assert store.next_wake() == 300
        with store.transaction() as tx:
            tx.clear_projections()
        assert store.people() == [] and store.people_due(10**10) == []

    def test_history_can_be_rewritten_in_place_to_erase_a_person(self, store: Store) -> None:
        ann = add_person(store)
        a = plan(store)
        job = enqueue(store, a)
        with store.transaction() as tx:
            tx.replace_event_data(a.id, 1, {**plan_event(a.id).data, "contact": {"name": "(forgotten)"}})
            tx.replace_person_event_data(ann.id, 1, {"name": "(forgotten)"})
            assert tx.job_params() == {job: {"remind": {"text": "hello"}}}
            tx.replace_job_params(job, {"remind": {"text": "-"}})
        assert next(store.events(a.id)).data["contact"] == {"name": "(forgotten)"}
        assert next(store.person_events(ann.id)).data == {"name": "(forgotten)"}
        with store.transaction() as tx:
            assert tx.job_params() == {job: {"remind": {"text": "-"}}}

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
        assert list(store.jobs()) == [] and store.due(10**10) == ([], False)
        with store.transaction() as tx:
            assert tx.fired_dues(a.id) == {}

    def test_rebuild_support_clears_projections_and_keeps_the_log(self, store: Store) -> None:
        a = plan(store, timers={"t": 100})
        with store.transaction() as tx:
            tx.clear_projections()
        assert list(store.interviews()) == [] and store.due(10**10) == ([], False)
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
            assert tx.fired_dues_between(a.id, a.id + 5) == {a.id: {"confirm": {100}, "follow-up": {200, 300}}}
            assert tx.fired_dues_between(a.id + 1, a.id + 5) == {}
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
        assert list(store.jobs()) == [job] and list(store.jobs(("pending",), a.id)) == [job] and list(store.jobs(("done",))) == []
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
            assert list(copy.jobs()) == list(store.jobs()) and copy.due(10**10) == store.due(10**10)
        finally:
            copy.close()

    def test_rows_are_exported_in_batches_table_by_table(self, store: Store) -> None:
        for _ in range(5):
            change(store, plan(store), "confirm", "confirmed")
        tables = {"interviews": ("id", "state"), "events": ("interview_id", "seq", "event")}
        batches = list(store.export_batches(tables, size=3))
        assert [(t, len(rows)) for t, rows in batches] == [("interviews", 3), ("interviews", 2),
                                                           ("events", 3), ("events", 3), ("events", 3), ("events", 1)]
        whole = store.export_rows(tables)
        assert [r for t, rows in batches if t == "events" for r in rows] == whole["events"]
        assert [tuple(r) for r in whole["interviews"]] == [(i, "confirmed") for i in range(1, 6)]

    def test_compacting_keeps_everything_live(self, store: Store) -> None:
        a = plan(store, timers={"t": 100})
        ann = add_person(store)
        before = ([i.to_dict() for i in store.interviews()], list(store.events()), store.person(ann.id).to_dict())
        store.compact()
        assert ([i.to_dict() for i in store.interviews()], list(store.events()), store.person(ann.id).to_dict()) \
            == before
        assert store.due(10**10) == ([(a.id, "t", 100)], False)

    def test_a_closed_store_opens_again_on_use(self, store: Store) -> None:
        a = plan(store)
        store.close()
        assert store.load(a.id).id == a.id

    # ---- streaming, paging and bounded work (issue 19) ----

    def test_interviews_and_listing_stream_in_pages_past_any_batch(self, store: Store) -> None:
        # more than any sensible batch, so a backend's batching is crossed several times
        with store.transaction() as tx:
            for n in range(1, 1201):
                event = plan_event(n, name=f"P{n}")
                tx.save(apply(None, event), None, {})
                tx.append(event)
        every = [i.id for i in store.interviews()]
        assert every == list(range(1, 1201))
        assert [i.id for i in store.interviews(after=1000)] == list(range(1001, 1201))
        assert [i.id for i in store.interviews(after=499, limit=3)] == [500, 501, 502]
        assert [r.id for r in store.listing(after=1190)] == list(range(1191, 1201))
        assert [r.id for r in store.listing(limit=0)] == [] and len(list(store.listing(limit=700))) == 700
        assert [i.id for i in store.interviews(["cancelled"])] == []

    def test_interviews_starting_from_a_time(self, store: Store) -> None:
        early, late = plan(store), plan(store)
        with store.transaction() as tx:  # move `late` a year on, as a reschedule would
            moved = next_event(late, "reschedule", "planned", data={"start": (START + timedelta(days=365)).isoformat()})
            tx.save(apply(late, moved), late.version, {})
            tx.append(moved)
        assert [i.id for i in store.interviews(starting_from=START)] == [early.id, late.id]
        assert [i.id for i in store.interviews(starting_from=START + timedelta(days=1))] == [late.id]

    def test_jobs_page_and_the_attention_view(self, store: Store) -> None:
        a = plan(store)
        ids = [enqueue(store, a) for _ in range(5)]
        old, recent = T0 - timedelta(days=30), T0 - timedelta(hours=1)
        for job_id, done_at in ((ids[0], old), (ids[1], recent)):
            with store.transaction() as tx:
                token = tx.claim(job_id, "host:1", 300.0)
                tx.finish(job_id, token, "done", 1, done_at, None, done_at)
        assert [j.id for j in store.jobs()] == ids
        assert [j.id for j in store.jobs(after=ids[1], limit=2)] == ids[2:4]
        # not done, or done since a day ago: the old done job is left out
        assert [j.id for j in store.jobs(done_since=T0 - timedelta(days=1))] == ids[1:]
        assert [j.id for j in store.jobs(("pending",), done_since=T0 - timedelta(days=1))] == ids[2:]

    def test_pruning_deletes_old_done_jobs_with_their_marks(self, store: Store) -> None:
        a = plan(store)
        ids = [enqueue(store, a) for _ in range(3)]
        for job_id, when in ((ids[0], T0 - timedelta(days=100)), (ids[1], T0)):
            with store.transaction() as tx:
                token = tx.claim(job_id, "host:1", 300.0)
                tx.finish(job_id, token, "done", 1, when, None, when)
                tx.set_marks("notify", job_id, {"ch": Mark("delivered", "host:1")})
        with store.transaction() as tx:
            assert tx.prune_jobs(T0 - timedelta(days=90)) == 1
        assert [j.id for j in store.jobs()] == ids[1:]  # the recent done one and the pending one stay
        assert store.marks("notify", ids[0]) == {} and store.marks("notify", ids[1]) != {}
        with pytest.raises(Conflict), store.transaction() as tx:  # inside a transaction: undone with it
            assert tx.prune_jobs(T0 + timedelta(days=1)) == 1
            raise Conflict("undo")
        assert [j.id for j in store.jobs()] == ids[1:]

    def test_rebuild_in_batches_reads_ranges_of_the_log(self, store: Store) -> None:
        a, b, c = plan(store), plan(store), plan(store)
        change(store, b, "confirm", "confirmed")
        assert store.log_ids() == [a.id, b.id, c.id] and store.log_ids(after=a.id, limit=1) == [b.id]
        marker = store.change_marker()
        with store.transaction() as tx:
            assert [(e.interview_id, e.seq) for e in tx.events_between(b.id, c.id)] == [(b.id, 1), (b.id, 2), (c.id, 1)]
            tx.clear_projections(b.id, b.id)
        assert [i.id for i in store.interviews()] == [a.id, c.id]
        assert store.change_marker() != marker  # projections changed without a new event: the feed must know
        with store.transaction() as tx:
            tx.clear_projections(c.id, None)
        assert [i.id for i in store.interviews()] == [a.id]

    # ---- deleting an interview ----

    def test_a_deleted_interview_leaves_nothing_and_its_id_is_not_reused(self, store: Store) -> None:
        keep = plan(store, timers={"confirm": epoch(START)})
        gone = plan(store, timers={"confirm": epoch(START)})
        job = enqueue(store, gone)
        with store.transaction() as tx:
            tx.record_firing(gone.id, "confirm", epoch(START) - 10, T0, "fired")
            tx.set_marks("notify", job, {"ch": Mark("delivered", "h:1")})
            tx.add_todo(gone.id, "send the deck", START, "evaluation", T0)
            kept_todo = tx.add_todo(keep.id, "call", None, "cli", T0)
            tx.delete_interview(gone.id)
        with pytest.raises(NotFound):
            store.load(gone.id)
        assert [i.id for i in store.interviews()] == [keep.id]
        assert list(store.events(gone.id)) == [] and list(store.jobs(interview_id=gone.id)) == []
        assert store.marks("notify", job) == {}
        assert [t.id for t in store.todos(done=True)] == [kept_todo]
        assert store.due(epoch(START))[0] == [(keep.id, "confirm", epoch(START))]
        with store.transaction() as tx:
            assert tx.fired_dues(gone.id) == {}
            assert tx.next_id() == gone.id + 1

    # ---- to-dos ----

    def test_to_dos_are_listed_due_first_closed_once_and_reminded_once(self, store: Store) -> None:
        a = plan(store)
        with store.transaction() as tx:
            later = tx.add_todo(a.id, "later", START + timedelta(days=2), "evaluation", T0)
            undated = tx.add_todo(None, "undated", None, "cli", T0)
            soon = tx.add_todo(None, "soon", START, "cli", T0)
        todos = store.todos()
        assert [t.id for t in todos] == [soon, later, undated]
        assert (todos[1].interview_id, todos[1].text, todos[1].due, todos[1].origin, todos[1].done_at) == \
            (a.id, "later", START + timedelta(days=2), "evaluation", None)
        assert store.todos(interview_id=a.id)[0].id == later
        assert [t.id for t in store.todos_to_remind(epoch(START), 10)] == [soon]
        with store.transaction() as tx:
            assert tx.take_reminder(soon) is True
            assert tx.take_reminder(soon) is False     # one reminder only
            assert tx.take_reminder(undated) is False  # no date, no reminder
        assert store.todos_to_remind(epoch(START + timedelta(days=3)), 10)[0].id == later
        with store.transaction() as tx:
            assert tx.close_todo(later, T0) is True
            assert tx.close_todo(later, T0) is False
            with pytest.raises(NotFound):
                tx.close_todo(999, T0)
        assert store.todos_to_remind(epoch(START + timedelta(days=3)), 10) == []   # done: not reminded
        assert [t.id for t in store.todos()] == [soon, undated]
        assert [t.done_at for t in store.todos(done=True) if t.id == later] == [T0.isoformat()]
        with store.transaction() as tx:
            tx.add_todo(None, "next", START + timedelta(days=9), "cli", T0)
        assert store.next_wake() == epoch(START + timedelta(days=9))   # `run` wakes for a reminder
