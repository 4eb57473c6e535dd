"""Open referrals are matched by identity: a line in an interview's notes counts as planned only
when an interview was planned `--referred-by` that one and the line names its contact (by email
when the line has one, else by the whole name). The answer must be the one the plain all-pairs
comparison gives (hypothesis), and the work must follow the lines, not the square of the home."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infoview.model import Contact, Entry, Interview
from infoview.plugins.questions.report import open_referrals
from infoview.plugins.questions.thanks import referral_name

from conftest import START

NAMES = st.sampled_from(["Ana Ruiz", "ana ruiz", "Ana", "Bo Chen", "Sam Roebuck", "Sam"])
EMAILS = st.one_of(st.none(), st.sampled_from(["ana@x.test", "ANA@x.test", "bo@y.test"]))
LINES = st.tuples(NAMES, EMAILS).map(lambda ne: f"{ne[0]} <{ne[1]}>" if ne[1] else ne[0])


def _naive(interviews: list[Interview]) -> list[dict[str, Any]]:
    """The definition, comparing every line with every interview."""
    def names(line: str, other: Interview) -> bool:
        email = re.search(r"[^\s<>(),;]+@[^\s<>(),;]+", line)
        if email and other.contact.email:
            return email.group(0).lower() == other.contact.email.lower()
        return referral_name(line).lower() == " ".join(other.contact.name.split()).lower()
    out = []
    for i in interviews:
        for line in i.answers("notes", "referrals"):
            if not any(o.referred_by == i.id and names(line, o) for o in interviews):
                out.append({"from_id": i.id, "from_contact": i.contact.name, "referral": line})
    return out


def _interview(n: int, name: str, email: str | None, referrals: list[str], referred_by: int | None) -> Interview:
    return Interview(id=n, workflow="informational-interview", state="noted", version=1,
                     contact=Contact(name, None, None, email), start=START, timezone="UTC", minutes=20, mode="video",
                     where=None, goals=[], created=START - timedelta(days=7), updated=START, entered=START,
                     notes={"referrals": [Entry(line, START) for line in referrals]} if referrals else {},
                     referred_by=referred_by)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, EMAILS, st.lists(LINES, max_size=3), st.integers(0, 6)), max_size=6))
def test_open_referrals_are_those_the_all_pairs_definition_gives(
        people: list[tuple[str, str | None, list[str], int]]) -> None:
    interviews = [_interview(n + 1, name, email, refs, by or None)
                  for n, (name, email, refs, by) in enumerate(people)]
    assert open_referrals(interviews) == _naive(interviews)


def test_sam_is_not_sam_roebuck() -> None:
    a = _interview(1, "Ana Ruiz", None, ["Sam"], None)
    b = _interview(2, "Sam Roebuck", None, [], 1)
    assert [x["referral"] for x in open_referrals([a, b])] == ["Sam"]
    c = _interview(3, "sam", None, [], 1)
    assert open_referrals([a, b, c]) == []


def test_matching_does_not_compare_every_pair() -> None:
    """4,000 interviews, each referred by the one before and naming the next in its notes: the
    all-pairs comparison would make 16 million comparisons; by identity it makes one a line."""
    import time

    interviews = [_interview(n, f"Person {n:05d}", f"p{n:05d}@x.test", [f"Person {n + 1:05d} <p{n + 1:05d}@x.test>"],
                             n - 1 or None) for n in range(1, 4001)]
    started = time.process_time()
    assert [x["from_id"] for x in open_referrals(interviews)] == [4000]
    assert time.process_time() - started < 2.0  # CPU time of this process, not the wall clock
