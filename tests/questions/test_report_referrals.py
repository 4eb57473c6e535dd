"""Open referrals are found by looking each referral line up, not by comparing it with every
interview: the answer must be the one the plain all-pairs comparison gives (hypothesis), and the
work must follow the lines, not the square of the home."""
from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infoview.model import Contact, Interview
from infoview.plugins.questions.report import open_referrals
from infoview.plugins.questions.thanks import referral_name

from conftest import START

WORDS = st.sampled_from(["ana", "Ana Ruiz", "bo", "Bo Chen", "ana@x.test", "bo@y.test", "ruiz", "<", ">", ",", " "])


def _naive(interviews: list[Interview]) -> list[dict[str, Any]]:
    """The definition: a line is planned when it names another interview's contact (name or email
    occurring in it, or the line's own name part equal to the contact's name)."""
    def mentions(line: str, other: Interview) -> bool:
        text, name, email = line.lower(), other.contact.name.lower(), (other.contact.email or "").lower()
        return bool(name and name in text) or bool(email and email in text) or referral_name(line).lower() == name
    out = []
    for i in interviews:
        items = i.notes.get("referrals") or []
        for line in [items] if isinstance(items, str) else items:
            if not any(o.id != i.id and mentions(line, o) for o in interviews):
                out.append({"from_id": i.id, "from_contact": i.contact.name, "referral": line})
    return out


def _interview(n: int, name: str, email: str | None, referrals: list[str]) -> Interview:
    from datetime import timedelta
    return Interview(id=n, workflow="informational-interview", state="noted", version=1,
                     contact=Contact(name, None, None, email), start=START, timezone="UTC", minutes=20, mode="video",
                     where=None, goals=[], created=START - timedelta(days=7), updated=START, entered=START,
                     notes={"referrals": referrals})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(WORDS, min_size=1, max_size=3).map("".join),
                          st.one_of(st.none(), st.sampled_from(["ana@x.test", "bo@y.test", "cy@z.test"])),
                          st.lists(st.lists(WORDS, min_size=1, max_size=5).map("".join), max_size=3)),
                max_size=6))
def test_open_referrals_are_those_the_all_pairs_definition_gives(people: list[tuple[str, str | None, list[str]]]) -> None:
    interviews = [_interview(n + 1, name, email, refs) for n, (name, email, refs) in enumerate(people)]
    assert open_referrals(interviews) == _naive(interviews)


def test_matching_does_not_compare_every_pair() -> None:
    """4,000 interviews with a referral each: the old all-pairs matching made 16 million
    comparisons (about 9 s here); looking lines up makes a few hundred per line."""
    import time

    interviews = [_interview(n, f"Person {n:05d}", f"p{n:05d}@x.test", [f"Person {n + 1:05d} <p{n + 1:05d}@x.test>"])
                  for n in range(1, 4001)]
    started = time.process_time()
    assert [x["from_id"] for x in open_referrals(interviews)] == [4000]
    assert time.process_time() - started < 2.0  # CPU time of this process, not the wall clock
