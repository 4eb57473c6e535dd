"""The whole interview lifecycle from the CLI: each command, its output, its refusals."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from cli_support import AT, TZ, texts, write

START = "2026-03-10T13:05:00+00:00"   # five minutes after the interview began
LATER = "2026-03-10T15:00:00+00:00"


def test_plan_prints_the_id_and_json_has_it(iv):
    r = iv.sub("plan", "Jane Doe", "--company", "Acme", "--title", "Data Lead", "--email", "jane@acme.test",
               "--at", AT, "--tz", TZ, "--minutes", "30", "--mode", "phone", "--where", "+49 30 1234",
               "--goal", "how juniors get hired", "--goal", "what the team does").ok()
    assert r.out == "1\n" and r.err == ""
    r = iv("plan", "Sam Lee", "--at", "2026-03-11T09:30", "--tz", "America/New_York", "--json").ok()
    assert r.json["id"] == 2
    assert r.json["start"] == "2026-03-11T09:30:00-04:00"  # New York is on summer time from 8 March

    d = iv.show(1)
    assert d["id"] == 1 and d["workflow"] == "informational-interview" and d["state"] == "planned"
    assert d["contact"] == {"name": "Jane Doe", "company": "Acme", "title": "Data Lead", "email": "jane@acme.test"}
    assert d["start"] == "2026-03-10T14:00:00+01:00" and d["end"] == "2026-03-10T14:30:00+01:00"
    assert d["timezone"] == TZ and d["minutes"] == 30 and d["mode"] == "phone" and d["where"] == "+49 30 1234"
    assert d["goals"] == ["how juniors get hired", "what the team does"]
    assert d["notes"] == {} and d["evaluation"] == {}


def test_plan_uses_the_workflow_default_length(iv):
    i = iv.plan()
    d = iv.show(i)
    assert d["minutes"] == 20 and d["end"] == "2026-03-10T14:20:00+01:00"


@pytest.mark.both_backends
def test_whole_lifecycle(iv):
    i = iv.plan("Jane Doe", "--company", "Acme")
    r = iv.sub("confirm", i).ok()
    assert r.out.strip() == f"interview {i}: planned -> confirmed"
    r = iv.sub("hold", i, now=START).ok()
    assert r.out.strip() == f"interview {i}: confirmed -> held"
    r = iv.sub("note", i, "--learned", "they hire from the support team", "--learned", "SQL matters most",
               "--issue", "churn", "--referral", "Sam Roe <sam@x.test>", "--promise", "send my CV by Friday",
               now=LATER).ok()
    assert r.out.strip() == f"interview {i}: held -> noted"
    r = iv.sub("thanked", i, now=LATER).ok()
    assert r.out.strip() == f"interview {i}: thanked recorded (noted)"
    r = iv.sub("evaluate", i, "--went-well", "kept to 20 minutes", "--do-differently", "ask fewer questions",
               "--next-action", "apply to the support role by 1 April", now=LATER).ok()
    assert r.out.strip() == f"interview {i}: noted -> evaluated"

    d = iv.show(i)
    assert d["state"] == "evaluated"
    texts = {s: {k: [e["text"] for e in v] for k, v in d[s].items()} for s in ("notes", "evaluation")}
    assert texts["notes"] == {"learned": ["they hire from the support team", "SQL matters most"], "issues": ["churn"],
                              "referrals": ["Sam Roe <sam@x.test>"], "promises": ["send my CV by Friday"]}
    assert texts["evaluation"] == {"went_well": ["kept to 20 minutes"], "do_differently": ["ask fewer questions"],
                                   "next_actions": ["apply to the support role by 1 April"]}
    assert {e["at"] for v in d["notes"].values() for e in v} == {datetime.fromisoformat(LATER).isoformat()}
    h = iv.history(i)
    assert [(e["seq"], e["event"], e["from"], e["to"]) for e in h] == [
        (1, "plan", None, "planned"), (2, "confirm", "planned", "confirmed"), (3, "hold", "confirmed", "held"),
        (4, "note", "held", "noted"), (5, "thanked", "noted", "noted"), (6, "evaluate", "noted", "evaluated")]
    assert h[0]["at"] == "2026-03-01T09:00:00+00:00" and h[2]["at"] == START
    assert h[3]["data"]["notes"]["issues"] == ["churn"]
    assert set(h[0]) >= {"seq", "event", "from", "to", "at", "data"}


def test_hold_before_start_is_refused_with_one_line(iv):
    i = iv.plan()
    r = iv.sub("hold", i)
    assert r.code == 1 and r.out == ""
    assert r.line == (f"interview {i} is planned: 'hold' is too early: the interview starts at 2026-03-10 14:00 CET; "
                      "allowed now: confirm, reschedule, cancel")
    assert "Traceback" not in r.err


def test_event_from_the_wrong_state_names_what_is_allowed(iv):
    i = iv.plan()
    r = iv("evaluate", i, "--next-action", "x")
    assert r.code == 1
    assert r.line == (f"interview {i} is planned: 'evaluate' needs state noted or evaluated; "
                      "allowed now: confirm, reschedule, cancel, hold")


def test_note_requires_learned(iv):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    r = iv("note", i, "--issue", "churn", now=LATER)
    assert r.code == 1
    assert r.line == (f"interview {i} is held: 'note' needs an answer for 'learned': give --learned or the key "
                      "'learned' in --answers FILE; allowed now: thanked")
    r = iv("note", i, now=LATER)  # nothing at all, and no terminal to prompt on
    assert r.code == 2 and r.line.startswith("no notes given: use --learned")
    assert iv.show(i)["state"] == "held"


def test_note_answers_file_yaml(iv, tmp_path):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    y = write(tmp_path / "notes.yaml", "learned:\n  - yes, they mentor\n  - on call is shared\nissues: no budget\n")
    iv.sub("note", i, "--answers", y, now=LATER).ok()
    assert texts(iv.show(i)["notes"]) == {"learned": ["yes, they mentor", "on call is shared"], "issues": ["no budget"]}


def test_note_answers_file_json_merges_with_flags(iv, tmp_path):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    j = write(tmp_path / "notes.json", json.dumps({"learned": ["from the file"], "promises": "CV by Friday"}))
    iv("note", i, "--answers", j, "--issue", "from a flag", now=LATER).ok()
    assert texts(iv.show(i)["notes"]) == {"learned": ["from the file"], "promises": ["CV by Friday"],
                                         "issues": ["from a flag"]}


def test_unknown_answer_key_is_refused_with_a_suggestion(iv, tmp_path):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    y = write(tmp_path / "notes.yaml", "learned: a lot\nisues: churn\n")
    r = iv("note", i, "--answers", y, now=LATER)
    assert r.code == 1
    assert r.line == f"interview {i} is held: unknown notes key 'isues'; did you mean 'issues'?; allowed now: thanked"
    assert iv.show(i)["state"] == "held"


def test_bad_answers_files(iv, tmp_path):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    bad_json = write(tmp_path / "a.json", '{"learned": ["x",]}')
    r = iv("note", i, "--answers", bad_json, now=LATER)
    assert r.code == 1 and r.line.startswith(f"{bad_json}:1:") and "not valid JSON" in r.line
    tagged = write(tmp_path / "a.yaml", "learned: !!python/object:os.system x\n")
    r = iv("note", i, "--answers", tagged, now=LATER)
    assert r.code == 1 and r.line.startswith(f"{tagged}:1:10: tag") and "not allowed" in r.line
    r = iv("note", i, "--answers", tmp_path / "missing.yaml", now=LATER)
    assert r.code == 1 and r.line == f"{tmp_path / 'missing.yaml'}:1:1: file not found"
    assert "Traceback" not in r.err


def test_evaluate_needs_next_actions(iv):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    iv("note", i, "--learned", "x", now=LATER).ok()
    r = iv.sub("evaluate", i, "--went-well", "fine", now=LATER)
    assert r.code == 1
    assert r.line == (f"interview {i} is noted: 'evaluate' needs an answer for 'next_actions': give --next-action "
                      "or the key 'next_actions' in --answers FILE; allowed now: note, thanked, followed_up")
    iv("evaluate", i, "--next-action", "apply", now=LATER).ok()
    assert texts(iv.show(i)["evaluation"]) == {"next_actions": ["apply"]}


@pytest.mark.both_backends
def test_reschedule_moves_the_start_back_to_planned_and_grows_sequence(iv):
    i = iv.plan()
    iv("confirm", i).ok()
    before = iv.show(i)
    r = iv.sub("reschedule", i, "--at", "2026-03-12T16:30", "--reason", "they are travelling").ok()
    assert r.out.strip() == f"interview {i}: confirmed -> planned, now Thu 2026-03-12 16:30 {TZ}"
    d = iv.show(i)
    assert d["state"] == "planned"
    assert d["start"] == "2026-03-12T16:30:00+01:00" and d["end"] == "2026-03-12T16:50:00+01:00"
    assert d["sequence"] > before["sequence"]
    assert d["reason"] == "they are travelling"
    r = iv("reschedule", i, "--at", "2026-03-13T10:00", "--tz", "Europe/London", "--minutes", "45").ok()
    d2 = iv.show(i)
    assert d2["start"] == "2026-03-13T10:00:00+00:00" and d2["timezone"] == "Europe/London" and d2["minutes"] == 45
    assert d2["sequence"] > d["sequence"]
    h = iv.history(i)
    assert h[-2]["data"] == {"start": "2026-03-12T15:30:00+00:00", "reason": "they are travelling"}


def test_reschedule_needs_at_and_minutes_in_range(iv):
    i = iv.plan()
    r = iv("reschedule", i)
    assert r.code == 2 and "Missing option '--at'" in r.err and "Traceback" not in r.err
    r = iv("reschedule", i, "--at", "2026-03-12T16:30", "--minutes", "1000")
    assert r.code == 2 and r.line == "--minutes: should be between 5 and 480"


def test_cancel_keeps_the_reason_and_is_final(iv):
    i = iv.plan()
    r = iv.sub("cancel", i, "--reason", "they changed jobs").ok()
    assert r.out.strip() == f"interview {i}: planned -> cancelled"
    d = iv.show(i)
    assert d["state"] == "cancelled" and d["reason"] == "they changed jobs" and d["allowed"] == []
    assert iv.history(i)[-1]["data"] == {"reason": "they changed jobs"}
    for args in (("confirm", i), ("hold", i), ("cancel", i), ("reschedule", i, "--at", "2026-03-20T10:00"),
                 ("thanked", i), ("note", i, "--learned", "x")):
        r = iv(*args, now=LATER)
        assert r.code == 1, args
        assert r.line.startswith(f"interview {i} is cancelled: ") and r.line.endswith("allowed now: nothing (final state)")


def test_thanked_only_after_the_conversation(iv):
    i = iv.plan()
    r = iv.sub("thanked", i)
    assert r.code == 1 and r.line == (f"interview {i} is planned: 'thanked' needs state held or noted or evaluated; "
                                      "allowed now: confirm, reschedule, cancel, hold")
    iv("hold", i, now=START).ok()
    iv("thanked", i, now=LATER).ok()
    assert "thanked" in iv.show(i)["happened"]


def test_fire_with_data_file(iv, tmp_path):
    i = iv.plan()
    iv("hold", i, now=START).ok()
    data = write(tmp_path / "d.yaml", "notes:\n  learned: [one thing]\n  issues: [budget]\n")
    r = iv.sub("fire", i, "note", "--data", data, "--json", now=LATER).ok()
    assert r.json["state"] == "noted" and texts(r.json["notes"]) == {"learned": ["one thing"], "issues": ["budget"]}
    r = iv("fire", i, "evaluat", now=LATER)
    assert r.code == 1 and "'evaluat' is not an event of workflow informational-interview; did you mean 'evaluate'?" in r.line
    extra = write(tmp_path / "e.yaml", "colour: blue\n")
    r = iv("fire", i, "thanked", "--data", extra, now=LATER)
    assert r.code == 1 and "'thanked' does not take 'colour'" in r.line


def test_fire_with_a_start_moves_the_interview(iv, tmp_path):
    i = iv.plan()
    data = write(tmp_path / "d.json", json.dumps({"start": "2026-03-20T09:00", "reason": "moved"}))
    iv("fire", i, "reschedule", "--data", data).ok()
    assert iv.show(i)["start"] == "2026-03-20T09:00:00+01:00"


@pytest.mark.both_backends
def test_list_with_state_filter_and_json(iv):
    a = iv.plan("Ann Alder", "--company", "Acme")
    b = iv.plan("Ben Birch")
    c = iv.plan("Cat Cole")
    iv("confirm", b).ok()
    iv("cancel", c).ok()
    r = iv.sub("list").ok()
    lines = r.out.splitlines()
    assert len(lines) == 3
    assert re.match(rf"\s*{a}\s+planned\s+Tue 2026-03-10 14:00 {TZ}\s+Ann Alder \(Acme\)$", lines[0])
    assert iv("list", "--state", "confirmed", "--json").ok().json[0]["id"] == b
    assert [d["id"] for d in iv("list", "--state", "planned", "--state", "cancelled", "--json").ok().json] == [a, c]
    assert iv("list", "--state", "evaluated").ok().out.startswith("no interviews in state evaluated")


def test_list_lines_and_json_say_what_show_says_for_unusual_interviews(iv):
    """`list` picks its fields out of the stored rows instead of loading each interview: every line
    and every JSON entry must still agree with `show` (names JSON has to escape, no company, a
    half-hour zone, a move across a daylight-saving change into another zone)."""
    ids = [iv.plan('Zoë "Z" Ångström \\ 北京 🙂', "--company", "Ünïcode (Labs)", at="2026-03-29T01:30",
                   tz="Asia/Kolkata"),
           iv.plan("Bo", at="2026-03-07T23:45", tz="America/St_Johns"),
           iv.plan("Cy", "--company", "", "--title", "CTO")]
    iv("reschedule", ids[1], "--at", "2026-03-09T00:15", "--tz", "America/New_York").ok()
    iv("cancel", ids[2], "--reason", "no longer needed").ok()
    shown = [iv.show(i) for i in ids]
    lines = iv("list").ok().out.splitlines()
    assert len(lines) == len(ids)
    for line, d in zip(lines, shown, strict=False):
        start = datetime.fromisoformat(d["start"])  # `show` gives the start in the interview's zone
        company = f" ({d['contact']['company']})" if d["contact"]["company"] else ""
        when = f"{start:%a %Y-%m-%d %H:%M} {d['timezone']}"
        assert line == f"{d['id']:>4}  {d['state']:<10} {when:<36} {d['contact']['name']}{company}"
    assert iv("list", "--json").ok().json == [
        {k: v for k, v in d.items() if k not in ("referrals_planned", "allowed")} for d in shown]


def test_list_in_an_empty_home(iv):
    r = iv("list").ok()
    assert r.out.startswith("no interviews; plan one with")


def test_show_json_documented_fields(iv):
    i = iv.plan("Jane Doe", "--company", "Acme", "--title", "CTO", "--email", "j@acme.test", "--where", "Room 4",
                "--goal", "g1")
    r = iv.sub("show", i, "--json").ok()
    d = r.json
    for key in ("id", "workflow", "state", "contact", "start", "end", "timezone", "minutes", "mode", "where", "goals",
                "notes", "evaluation"):
        assert key in d, key
    assert set(d["contact"]) == {"name", "company", "title", "email"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00", d["start"])
    r = iv("show", i).ok()
    assert r.out.splitlines()[0] == f"interview {i}: Jane Doe, CTO at Acme"
    assert "next       confirm, reschedule, cancel, hold" in r.out


def test_history_text_and_json(iv):
    i = iv.plan()
    iv("cancel", i, "--reason", "sick", now="2026-03-02T10:00:00+00:00").ok()
    r = iv.sub("history", i, "--json").ok()
    assert [{k: e[k] for k in ("seq", "event", "from", "to", "at", "data")} for e in r.json][1] == {
        "seq": 2, "event": "cancel", "from": "planned", "to": "cancelled", "at": "2026-03-02T10:00:00+00:00",
        "data": {"reason": "sick"}}
    lines = iv("history", i).ok().out.splitlines()
    assert lines[1].split() == ["2", "2026-03-02", "11:00", "cancel", "planned", "->", "cancelled", "sick"]


@pytest.mark.both_backends
def test_referred_by_links_both_ways(iv):
    a = iv.plan("Ann Alder")
    b = iv.sub("plan", "Ben Birch", "--at", AT, "--tz", TZ, "--referred-by", a).ok().out.strip()
    b = int(b)
    assert iv.show(b)["referred_by"] == a
    assert iv.show(a)["referrals_planned"] == [b]
    assert f"referred by interview {a}" in iv("show", b).ok().out
    assert f"referred you to interviews {b}" in iv("show", a).ok().out
    r = iv("plan", "Cat Cole", "--at", AT, "--tz", TZ, "--referred-by", 99)
    assert r.code == 1 and r.line == "no interview 99; `infoview list` shows the ids"
    assert len(iv("list", "--json").ok().json) == 2


@pytest.mark.both_backends
def test_refused_event_leaves_the_store_untouched(iv):
    i = iv.plan()
    iv("confirm", i).ok()
    before = iv.snapshot()
    for args in (("hold", i), ("confirm", i), ("evaluate", i, "--next-action", "x"), ("fire", i, "nonsense")):
        r = iv.sub(*args) if args[0] == "hold" else iv(*args)
        assert r.code == 1
    assert iv.snapshot() == before
