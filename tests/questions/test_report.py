"""The report for a hand-built set of interviews at a fixed `now`: counts, what is overdue and
why, referrals, follow-ups due this week."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from infoview.model import Contact, Interview
from infoview.plugins.questions.report import build_report, render_report_text

MakeInterview = Callable[..., Interview]
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)
STATES = ["planned", "confirmed", "held", "noted", "evaluated", "cancelled"]
H, D = timedelta(hours=1), timedelta(days=1)


def ended(ago: timedelta) -> datetime:
    """A start time such that a 20-minute interview ended `ago` before NOW."""
    return NOW - ago - timedelta(minutes=20)


def people(make: MakeInterview) -> list[Interview]:
    def c(name: str) -> Contact:
        return Contact(name, "Acme", None, name.split()[0].lower() + "@acme.test")
    thanked = {"thanked": NOW - 10 * D}
    return [
        make(1, "planned", NOW + 5 * H, contact=c("Ada Planned")),                         # confirm now
        make(2, "planned", NOW + 3 * D, contact=c("Ben Later")),                           # nothing yet
        make(3, "confirmed", NOW + 5 * H, contact=c("Cy Confirmed")),                      # fine
        make(4, "held", ended(30 * H), contact=c("Di Held")),                              # notes + thanks
        make(5, "held", ended(10 * H), contact=c("Ed Recent")),                            # fine, too soon
        make(6, "noted", ended(4 * D), contact=c("Flo Noted"), entered=NOW - 3 * D, happened=dict(thanked),
             notes={"learned": ["x"], "referrals": ["Ana Ruiz <ana@ruiz.test>", "Bo Chen, at Initech"]}),
        make(7, "evaluated", ended(22 * D), contact=c("Gil Overdue"), happened=dict(thanked)),
        make(8, "evaluated", ended(16 * D), contact=c("Hal Soon"), happened=dict(thanked)),
        make(9, "evaluated", ended(10 * D), contact=c("Ivy NotYet"), happened=dict(thanked)),
        make(10, "evaluated", ended(100 * D), contact=c("Jo Followed"),
             happened={"thanked": NOW - 99 * D, "followed_up": NOW - 20 * D}),
        make(11, "cancelled", NOW - 2 * D, contact=c("Kim Cancelled")),
        make(12, "planned", NOW + 6 * D, contact=Contact("Ana Ruiz", email="ana@ruiz.test"), referred_by=6),
        make(13, "planned", NOW - 2 * H, contact=c("Lu Forgotten")),                       # started, still planned
    ]


def report(make: MakeInterview) -> dict[str, Any]:
    return build_report(people(make), NOW, STATES)


def test_counts_by_state_include_empty_states(make_interview: MakeInterview) -> None:
    r = report(make_interview)
    assert r["counts"] == {"planned": 4, "confirmed": 1, "held": 2, "noted": 1, "evaluated": 4, "cancelled": 1}
    assert r["total"] == 13
    assert build_report([], NOW, STATES)["counts"]["planned"] == 0


def test_overdue_items_and_only_those(make_interview: MakeInterview) -> None:
    got = {(x["id"], x["kind"]) for x in report(make_interview)["overdue"]}
    assert got == {(1, "confirm"), (13, "held-or-reschedule"), (4, "notes"), (4, "thanks"), (6, "evaluate")}


def test_overdue_messages_say_what_to_do(make_interview: MakeInterview) -> None:
    text = render_report_text(report(make_interview))
    assert "#1 Ada Planned: starts in 5 h and is not confirmed" in text
    assert "#4 Di Held: held 30 h ago and no notes yet" in text
    assert "#4 Di Held: no thank-you note recorded" in text
    assert "#6 Flo Noted: notes written 3 days ago but not evaluated" in text
    assert "#13 Lu Forgotten: was due to start 2 h ago: mark it held, or reschedule" in text


def test_thanked_interviews_are_not_nagged(make_interview: MakeInterview) -> None:
    one = make_interview(4, "held", ended(30 * H), notes={"learned": ["x"]}, happened={"thanked": NOW - 5 * H})
    assert [x["kind"] for x in build_report([one], NOW)["overdue"]] == ["notes"]


def test_follow_ups_due_this_week(make_interview: MakeInterview) -> None:
    ups = report(make_interview)["follow_ups"]
    assert [(x["id"], x["overdue"]) for x in ups] == [(7, True), (8, False)]
    # Three weeks after the talk ended (16 days ago): due in 5 days.
    assert ups[1]["due"] == "2026-05-09T09:00:00+00:00"
    assert ups[1]["last_contact"] == "2026-04-18T09:00:00+00:00"
    text = render_report_text(report(make_interview))
    assert "#7 Gil Overdue: overdue since" in text and "#8 Hal Soon: due 2026-05-09" in text
    assert "Ivy NotYet" not in text.split("Follow-ups")[1].split("Interviews that came")[0]
    assert "Jo Followed" not in text    # followed up 20 days ago: next one is in about two months


def test_referrals_made_and_still_open(make_interview: MakeInterview) -> None:
    r = report(make_interview)
    assert r["referred"] == [{"id": 12, "contact": "Ana Ruiz", "state": "planned", "referred_by": 6,
                              "referred_by_contact": "Flo Noted"}]
    assert r["open_referrals"] == [{"from_id": 6, "from_contact": "Flo Noted", "referral": "Bo Chen, at Initech"}]
    text = render_report_text(r)
    assert "#12 Ana Ruiz (planned), referred by #6 Flo Noted" in text
    assert "Bo Chen, at Initech (from #6 Flo Noted)" in text


def test_report_is_json_ready(make_interview: MakeInterview) -> None:
    r = report(make_interview)
    assert json.loads(json.dumps(r)) == r


def test_a_noted_referral_is_planned_only_by_identity_never_by_part_of_a_name(make_interview: MakeInterview) -> None:
    notes = {"learned": ["x"], "referrals": ["Sam", "Ana Ruiz <ana@ruiz.test>", "Bo Chen, at Initech"]}
    source = make_interview(1, "noted", ended(4 * D), contact=Contact("Flo Noted"), notes=notes)
    others = [
        make_interview(2, "planned", NOW + D, contact=Contact("Sam Roebuck"), referred_by=1),  # "Sam" is not him
        make_interview(3, "planned", NOW + D, contact=Contact("A. Ruiz", email="ANA@ruiz.test"), referred_by=1),
        make_interview(4, "planned", NOW + D, contact=Contact("Bo Chen")),  # same name, but no referral from 1
    ]
    still_open = [x["referral"] for x in build_report([source, *others], NOW)["open_referrals"]]
    assert still_open == ["Sam", "Bo Chen, at Initech"]
