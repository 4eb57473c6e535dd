"""What `infoview people` and `infoview person ID` show, as plain data (their `--json` shapes,
documented in the README). Reads only: the store's projections and armed timers.

Referrals are followed by identity: an interview planned `--referred-by` another was referred by
that interview's person, whatever either of them is called.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from . import keepintouch
from .errors import NotFound
from .model import Interview, iso
from .people import Person
from .store import Store, epoch, from_epoch

HORIZON = timedelta(days=3660)  # how far ahead a follow-up reminder is looked for
FOREVER = 10**12                 # epoch seconds later than any reminder


def summary(person: Person, interviews: list[Interview], due: datetime | None) -> dict[str, Any]:
    """One entry of `people --json`."""
    seen = keepintouch.contacts(person, interviews)
    return {
        "id": person.id, "name": person.name, "email": person.email, "company": person.company,
        "title": person.title, "how": person.how, "links": list(person.links),
        "every": keepintouch.format_cadence(person.every) if person.every else None,
        "conversations": [i.id for i in interviews], "last_contact": iso(seen[-1][0]) if seen else None,
        "keep_in_touch_due": iso(due), "forgotten": person.forgotten,
    }


def matches(person: Person, search: str) -> bool:
    """Does any of the person's own fields or notes contain `search` (any case)? A search, not
    an identity: referrals never go through it."""
    needle = search.casefold()
    texts = [person.name, person.email, person.company, person.title, person.how, *person.links, *person.notes]
    return any(needle in t.casefold() for t in texts if t)


def listing(store: Store, search: str | None) -> list[dict[str, Any]]:
    due = dict(store.people_due(FOREVER))
    out = []
    for person in store.people():
        if search and not matches(person, search):
            continue
        at = due.get(person.id)
        out.append(summary(person, store.person_interviews(person.id), from_epoch(at) if at else None))
    return out


def timeline(store: Store, person_id: int, now: datetime) -> dict[str, Any]:
    """The `person ID --json` document: the record, and everything that happened with them."""
    person = store.person(person_id)
    mine = store.person_interviews(person_id)
    by_id = {i.id: i for i in store.interviews()}
    entries: list[dict[str, Any]] = []

    def add(at: datetime, kind: str, text: str, interview: int | None = None, **more: Any) -> None:
        entries.append({"at": iso(at), "kind": kind, "text": text, "interview": interview, **more})

    for i in mine:
        add(i.start, "conversation", f"{i.minutes} minutes, {i.mode}", i.id, state=i.state)
        for key, answers in i.notes.items():   # each entry at the time it was added
            for entry in answers:
                add(entry.at, "note", f"{key}: {entry.text}", i.id)
        for event, kind in (("thanked", "thank-you"), ("followed_up", "follow-up")):
            if event in i.happened:
                add(i.happened[event], kind, f"{kind} recorded", i.id)
    for c in person.contacts:
        add(datetime.fromisoformat(c["at"]), "contact", c["text"])
    led_to = []
    for i in mine:
        source = by_id.get(i.referred_by) if i.referred_by else None
        if source is not None:
            led_to.append({"interview": i.id, "from_interview": source.id, "person": source.person,
                           "name": _name(store, source)})
            add(i.created, "referred-to-them", f"referred by {_name(store, source)}", i.id, person=source.person)
    gave = []
    mine_ids = {i.id for i in mine}
    for other in by_id.values():
        if other.referred_by in mine_ids:
            gave.append({"interview": other.id, "from_interview": other.referred_by, "person": other.person,
                         "name": _name(store, other)})
            add(other.created, "referral-given", f"referred you to {_name(store, other)}", other.referred_by,
                person=other.person)
    follow_ups: list[dict[str, Any]] = []
    rows, _ = store.due(epoch(now + HORIZON))
    for interview_id, timer_id, due in rows:
        if interview_id in mine_ids and timer_id == keepintouch.FOLLOW_UP_TIMER:
            follow_ups.append({"interview": interview_id, "timer": timer_id, "due": iso(from_epoch(due))})
    keep = dict(store.people_due(epoch(now + HORIZON))).get(person_id)
    if keep is not None:
        follow_ups.append({"interview": None, "timer": keepintouch.TIMER_ID, "due": iso(from_epoch(keep))})
    follow_ups.sort(key=lambda f: f["due"])
    entries.sort(key=lambda e: e["at"])
    return {"person": person.to_dict(), "summary": summary(person, mine, from_epoch(keep) if keep else None),
            "timeline": entries, "referred_by": led_to, "referrals_given": gave, "follow_ups_due": follow_ups}


def _name(store: Store, interview: Interview) -> str:
    """The person's current name (their record), else the interview's own contact name."""
    if interview.person is not None:
        try:
            return store.person(interview.person).name
        except NotFound:  # not in this home (an import without people): the interview's name will do
            pass
    return interview.contact.name
