"""People: the identity behind interviews. A person is a projection of their own log of person
events, as an interview is of its log, and is changed only by the Engine.

Each interview keeps its own contact fields (what was true for that conversation) and names its
`person`. The person events, and what each does to the record:

- `create`  {name, email, company, title, links, how, notes}: the record begins;
- `edit`    {any of name, email, company, title, how, every; `link`/`note`: one more}: fields change;
- `log`     {at, text}: a contact outside a conversation (an email, a call);
- `merge`   {absorbed, links, notes, contacts, fill}: another person's history joins this one;
- `merged`  {into}: this person was merged into another and is gone;
- `remind`  {due, outcome}: the keep-in-touch reminder came due (keepintouch.py);
- `forget`  {}: their personal data was erased; the record stays as an anonymous count.

Pure: `apply_person` serves both the live path and `db rebuild`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Iterable, NamedTuple

from .model import iso

FORGOTTEN = "(forgotten)"
# The fields `person edit` can set, each to text or None.
TEXT_FIELDS = ("name", "email", "company", "title", "how")


@dataclass(slots=True)
class Person:
    id: int
    name: str
    email: str | None
    company: str | None
    title: str | None
    how: str | None                   # how you know them
    links: list[str]
    notes: list[str]                  # your notes about them
    contacts: list[dict[str, str]]    # logged contacts outside a conversation: {at, text}
    every: int | None                 # keep-in-touch cadence, seconds
    reminded: datetime | None         # due time of the last keep-in-touch reminder
    absorbed: list[int]               # people merged into this one
    created: datetime
    updated: datetime
    version: int
    gone: bool = False                # merged into another person
    forgotten: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The stored document, and the `person` part of `infoview person ID --json`."""
        return {
            "id": self.id, "name": self.name, "email": self.email, "company": self.company, "title": self.title,
            "how": self.how, "links": list(self.links), "notes": list(self.notes),
            "contacts": [dict(c) for c in self.contacts], "every": self.every, "reminded": iso(self.reminded),
            "absorbed": list(self.absorbed), "created": iso(self.created), "updated": iso(self.updated),
            "version": self.version, "gone": self.gone, "forgotten": self.forgotten,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Person":
        reminded = d.get("reminded")
        return cls(
            id=d["id"], name=d["name"], email=d.get("email"), company=d.get("company"), title=d.get("title"),
            how=d.get("how"), links=list(d.get("links", [])), notes=list(d.get("notes", [])),
            contacts=[dict(c) for c in d.get("contacts", [])], every=d.get("every"),
            reminded=datetime.fromisoformat(reminded) if reminded else None, absorbed=list(d.get("absorbed", [])),
            created=datetime.fromisoformat(d["created"]), updated=datetime.fromisoformat(d["updated"]),
            version=d["version"], gone=d.get("gone", False), forgotten=d.get("forgotten", False),
        )


class PersonEvent(NamedTuple):
    """One entry of a person's log; `seq` is unique per person and starts at 1."""

    person_id: int
    seq: int
    event: str
    at: datetime
    data: dict[str, Any]
    source: str = "cli"

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "event": self.event, "at": iso(self.at), "data": self.data, "source": self.source}


def email_key(email: str | None) -> str | None:
    """Emails are compared without regard to case: one address, one person."""
    return email.strip().casefold() if email and email.strip() else None


def apply_person(person: Person | None, event: PersonEvent) -> Person:
    """The record after `event`, as a new Person (the one given is left as it was)."""
    d = event.data
    if person is None:
        return Person(id=event.person_id, name=d["name"], email=d.get("email"), company=d.get("company"),
                      title=d.get("title"), how=d.get("how"), links=list(d.get("links", [])),
                      notes=list(d.get("notes", [])), contacts=[], every=d.get("every"), reminded=None, absorbed=[],
                      created=event.at, updated=event.at, version=event.seq)
    p = replace(person, links=list(person.links), notes=list(person.notes), contacts=list(person.contacts),
                absorbed=list(person.absorbed), version=event.seq)
    if event.event == "remind":  # a timer's record: changes no field the user sees
        p.reminded = datetime.fromisoformat(d["due"])
        return p
    p.updated = event.at
    if event.event == "edit":
        for key in (*TEXT_FIELDS, "every"):
            if key in d:
                setattr(p, key, d[key])
        if d.get("link"):
            p.links.append(d["link"])
        if d.get("note"):
            p.notes.append(d["note"])
    elif event.event == "log":
        p.contacts.append({"at": d["at"], "text": d["text"]})
        p.contacts.sort(key=lambda c: c["at"])
    elif event.event == "merge":
        p.absorbed.append(d["absorbed"])
        p.links += [x for x in d.get("links", []) if x not in p.links]
        p.notes += d.get("notes", [])
        p.contacts = sorted(p.contacts + [dict(c) for c in d.get("contacts", [])], key=lambda c: c["at"])
        for key, value in d.get("fill", {}).items():
            if getattr(p, key) is None:
                setattr(p, key, value)
    elif event.event == "merged":
        p.gone = True
    elif event.event == "forget":
        p.name, p.email, p.company, p.title, p.how = FORGOTTEN, None, None, None, None
        p.links, p.notes = [], []
        p.contacts = [{"at": c["at"], "text": FORGOTTEN} for c in p.contacts]
        p.forgotten = True
    return p


def replay_people(events: Iterable[PersonEvent]) -> dict[int, Person]:
    """Every person's record from logs ordered by (person id, seq)."""
    out: dict[int, Person] = {}
    for event in events:
        out[event.person_id] = apply_person(out.get(event.person_id), event)
    return out


def identity_key(name: str, email: str | None) -> str:
    """How interviews planned before people existed are grouped into people: one person per
    distinct email (any case), else per name (any case, spaces trimmed)."""
    key = email_key(email)
    return f"email:{key}" if key else "name:" + " ".join(name.split()).casefold()
