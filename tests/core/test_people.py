"""People through the CLI: homes of the release before people, `plan --person`, `people`,
`person ID`, edit, log, merge, the keep-in-touch cadence and forget; each on SQLite and on
PostgreSQL."""
from __future__ import annotations

import json

import pytest
from cli_support import NOW, texts
from infoview.store.schema import VERSION
from test_store_layout import home_to_layout_3, layout_of

pytestmark = pytest.mark.both_backends


def people(iv, *search):
    return iv("people", *search, "--json").ok().json


def person(iv, person_id, now=NOW):
    return iv("person", person_id, "--json", now=now).ok().json


def by_name(iv):
    return {p["name"]: p for p in people(iv)}


def test_a_home_of_the_release_before_people_opens_and_shows_its_people(iv):
    jane = iv.plan("Jane Doe", "--email", "jane@acme.test", "--company", "Acme")
    jane2 = iv.plan("Jane D.", "--email", "JANE@Acme.test", "--title", "Data Lead", at="2026-04-10T14:00")
    sam = iv.plan("Sam Roe")
    sam2 = iv.plan("sam  roe", at="2026-05-10T14:00")
    bo = iv.plan("Bo Chen", "--referred-by", jane)
    iv("confirm", jane).ok()
    home_to_layout_3(iv)
    assert layout_of(iv) == 3

    found = by_name(iv)  # upgraded on open
    assert layout_of(iv) == VERSION
    assert sorted(found) == ["Bo Chen", "Jane D.", "Sam Roe"] or sorted(found) == ["Bo Chen", "Jane D.", "sam  roe"]
    jane_p = next(p for p in found.values() if p["email"])
    assert jane_p["conversations"] == [jane, jane2] and jane_p["title"] == "Data Lead"  # one per email, any case
    sam_p = next(p for n, p in found.items() if n.lower().startswith("sam"))
    assert sam_p["conversations"] == [sam, sam2]  # no email: one per name, any case
    assert iv.show(bo)["person"] == found["Bo Chen"]["id"]
    assert iv.show(jane)["state"] == "confirmed" and iv.show(jane)["contact"]["name"] == "Jane Doe"
    assert iv.history(jane)[-1]["event"] == "person"
    # the referral now links people by identity
    timeline = person(iv, jane_p["id"])
    assert [(r["interview"], r["person"]) for r in timeline["referrals_given"]] == [(bo, found["Bo Chen"]["id"])]
    assert person(iv, found["Bo Chen"]["id"])["referred_by"][0]["person"] == jane_p["id"]
    # replaying the logs gives the same people and interviews
    before = (people(iv), [iv.show(i) for i in (jane, jane2, sam, sam2, bo)])
    iv("db", "rebuild").ok()
    assert (people(iv), [iv.show(i) for i in (jane, jane2, sam, sam2, bo)]) == before
    # planning with a known email reuses the person, and says so
    r = iv("plan", "J. Doe", "--email", "jane@ACME.test", "--at", "2026-06-01T10:00", "--tz", "UTC").ok()
    again = int(r.out)
    assert f"is with person {jane_p['id']}" in r.err
    assert iv.show(again)["person"] == jane_p["id"]
    assert iv("agenda", "--days", "400").ok().out  # timers kept working


def test_plan_with_a_known_person_and_plan_refusals(iv):
    first = iv.plan("Ana Ruiz", "--email", "ana@ruiz.test", "--company", "Initech")
    ana = iv.show(first)["person"]
    r = iv("plan", "--person", ana, "--at", "2026-05-01T10:00", "--tz", "UTC").ok()
    second = int(r.out)
    shown = iv.show(second)
    assert shown["person"] == ana
    assert shown["contact"] == {"name": "Ana Ruiz", "company": "Initech", "title": None, "email": "ana@ruiz.test"}
    assert person(iv, ana)["summary"]["conversations"] == [first, second]

    before = iv.snapshot()
    r = iv("plan", "--person", 99, "--at", "2026-05-01T10:00", "--tz", "UTC")
    assert r.code == 1 and "no person 99" in r.err and "Traceback" not in r.err
    r = iv("plan", "--at", "2026-05-01T10:00", "--tz", "UTC")
    assert r.code == 2 and "NAME" in r.err
    assert iv.snapshot() == before


def test_people_lists_and_searches(iv):
    iv.plan("Ana Ruiz", "--company", "Initech")
    iv.plan("Bo Chen", "--company", "Globex")
    assert [p["name"] for p in people(iv)] == ["Ana Ruiz", "Bo Chen"]
    assert [p["name"] for p in people(iv, "globex")] == ["Bo Chen"]
    assert people(iv, "nobody") == []
    text = iv("people", "initech").ok().out
    assert "Ana Ruiz (Initech)" in text and "Bo Chen" not in text


def test_person_edit_and_log_keep_a_history(iv):
    i = iv.plan("Ana Ruiz", "--email", "ana@ruiz.test")
    other = iv.show(iv.plan("Bo Chen", "--email", "bo@chen.test"))["person"]
    ana = iv.show(i)["person"]
    iv("person", "edit", ana, "--company", "Initech", "--how", "alumni network", "--link", "https://x.test/ana",
       "--note", "writes about data quality").ok()
    iv("person", "log", ana, "Emailed her the article", "--at", "2026-03-05T10:00", "--tz", "UTC").ok()
    doc = person(iv, ana)
    p = doc["person"]
    assert (p["company"], p["how"], p["links"], p["notes"]) == \
        ("Initech", "alumni network", ["https://x.test/ana"], ["writes about data quality"])
    assert {"at": "2026-03-05T10:00:00+00:00", "kind": "contact", "text": "Emailed her the article",
            "interview": None} in doc["timeline"]
    assert iv.show(i)["contact"]["company"] is None  # the interview keeps its own snapshot
    text = iv("person", ana).ok().out
    assert "alumni network" in text and "Emailed her the article" in text

    before = iv.snapshot(), person(iv, ana)
    r = iv("person", "edit", ana, "--email", "BO@chen.test")
    assert r.code == 1 and f"person {other}" in r.err and f"person merge {ana} {other}" in r.err
    r = iv("person", "edit", ana, "--every", "3 monts")
    assert r.code == 2 and "--every" in r.err and "3 months" in r.err
    r = iv("person", "edit", ana, "--email", "not-an-email")
    assert r.code == 2 and "--email" in r.err
    r = iv("person", "edit", 42, "--name", "X")
    assert r.code == 1 and "no person 42" in r.err
    assert (iv.snapshot(), person(iv, ana)) == before


def test_merge_moves_interviews_and_history(iv):
    a_int = iv.plan("Ana Ruiz")
    b_int = iv.plan("A. Ruiz", "--email", "ana@ruiz.test", at="2026-04-10T14:00")
    a, b = iv.show(a_int)["person"], iv.show(b_int)["person"]
    iv("person", "log", b, "Called her").ok()
    iv("person", "edit", b, "--note", "prefers calls").ok()
    out = iv("person", "merge", a, b).ok().out
    assert f"person {b} merged into person {a}" in out
    assert iv.show(b_int)["person"] == a
    doc = person(iv, a)
    assert doc["summary"]["conversations"] == [a_int, b_int]
    assert doc["person"]["email"] == "ana@ruiz.test" and doc["person"]["notes"] == ["prefers calls"]
    assert any(e["kind"] == "contact" and e["text"] == "Called her" for e in doc["timeline"])
    assert [p["id"] for p in people(iv)] == [a]
    r = iv("person", b)
    assert r.code == 1 and f"no person {b}" in r.err
    # refusals leave nothing behind
    before = iv.snapshot()
    for args, code in (((a, 77), 1), ((a, a), 2), ((77, a), 1)):
        r = iv("person", "merge", *args)
        assert r.code == code and "Traceback" not in r.err, r.err
    assert iv.snapshot() == before
    iv("db", "rebuild").ok()
    assert person(iv, a)["person"] == doc["person"] and iv.show(b_int)["person"] == a


def _jobs(iv, now):
    return [j for j in iv("outbox", "--json", now=now).ok().json if j["cause"] == "timer:keep-in-touch"]


def test_keep_in_touch_restarts_from_the_latest_contact(iv):
    i = iv.plan("Ana Ruiz")
    ana = iv.show(i)["person"]
    iv("cancel", i).ok()  # no workflow follow-up to lean on
    iv("person", "edit", ana, "--every", "2 weeks").ok()
    assert people(iv)[0]["keep_in_touch_due"] == "2026-03-15T09:00:00+00:00"  # two weeks after she became known
    iv("person", "log", ana, "Coffee chat", "--at", "2026-03-10T09:00", "--tz", "UTC").ok()
    assert people(iv)[0]["keep_in_touch_due"] == "2026-03-24T09:00:00+00:00"
    assert "nothing due" in iv("tick", now="2026-03-20T09:00:00+00:00").ok().out
    out = iv("tick", now="2026-03-24T10:00:00+00:00").ok().out
    assert f"person {ana}  keep-in-touch  fired" in out
    jobs = _jobs(iv, "2026-03-24T10:00:00+00:00")
    assert len(jobs) == 1 and jobs[0]["action"] == "notify"
    title = iv.rows("SELECT params FROM outbox WHERE id=?", jobs[0]["id"])[0][0]
    assert "Stay in touch with Ana Ruiz" in title and "2026-03-10" in title
    assert "nothing due" in iv("tick", now="2026-03-24T10:00:00+00:00").ok().out  # once
    assert people(iv)[0]["keep_in_touch_due"] == "2026-04-07T09:00:00+00:00"
    # after a long pause: recorded missed once, and the rhythm resumes ahead of now
    out = iv("tick", now="2026-09-01T09:30:00+00:00").ok().out
    assert f"person {ana}  keep-in-touch  missed" in out
    assert people(iv)[0]["keep_in_touch_due"] == "2026-09-08T09:00:00+00:00"
    assert "nothing due" in iv("tick", now="2026-09-01T09:30:00+00:00").ok().out
    iv("person", "edit", ana, "--every", "never").ok()
    assert people(iv)[0]["keep_in_touch_due"] is None


def test_a_held_conversation_and_a_thank_you_restart_the_cadence(iv):
    i = iv.plan("Ana Ruiz")  # 2026-03-10 13:00-13:20 UTC
    ana = iv.show(i)["person"]
    iv("person", "edit", ana, "--every", "30d").ok()
    assert people(iv)[0]["keep_in_touch_due"] == "2026-03-31T09:00:00+00:00"
    iv("hold", i, now="2026-03-10T13:30:00+00:00").ok()
    assert people(iv)[0]["keep_in_touch_due"] == "2026-04-09T13:20:00+00:00"
    iv("thanked", i, now="2026-03-11T08:00:00+00:00").ok()
    assert people(iv)[0]["keep_in_touch_due"] == "2026-04-10T08:00:00+00:00"


def test_no_keep_in_touch_reminder_while_a_follow_up_is_pending(iv):
    i = iv.plan("Ana Ruiz")
    ana = iv.show(i)["person"]
    iv("hold", i, now="2026-03-10T13:30:00+00:00").ok()
    iv("note", i, "--learned", "a lot", now="2026-03-10T14:00:00+00:00").ok()
    iv("person", "edit", ana, "--every", "3 months", now="2026-03-10T14:00:00+00:00").ok()
    due = people(iv)[0]["keep_in_touch_due"]
    assert due == "2026-06-08T13:20:00+00:00"  # 90 days after the talk
    # the workflow's follow-up fires three weeks after the talk, then every ten weeks
    assert "follow-up" in iv("tick", now="2026-03-31T13:30:00+00:00").ok().out
    out = iv("tick", now="2026-06-08T13:30:00+00:00").ok().out
    assert f"person {ana}  keep-in-touch  skipped (a follow-up reminder of theirs is due first)" in out
    assert _jobs(iv, "2026-06-08T13:30:00+00:00") == []
    assert person(iv, ana, now="2026-06-08T13:30:00+00:00")["follow_ups_due"][0]["timer"] == "follow-up"


def test_forget_erases_them_everywhere(iv):
    jane = iv.plan("Jane Doe", "--email", "jane@acme.test", "--company", "Acme", "--where", "+1 555 0100",
                   "--goal", "ask Jane Doe about Acme")
    bo = iv.plan("Bo Chen", at="2026-04-10T14:00")
    iv("hold", jane, now="2026-03-10T13:30:00+00:00").ok()
    iv("note", jane, "--learned", "Jane moved from analytics", now="2026-03-10T14:00:00+00:00").ok()
    iv("hold", bo, now="2026-04-10T13:30:00+00:00").ok()
    iv("note", bo, "--learned", "Data quality matters", "--referral", "Jane Doe <jane@acme.test>",
       "--referral", "Cy Park", now="2026-04-10T14:00:00+00:00").ok()
    iv("tick", now="2026-03-09T13:30:00+00:00").ok()  # reminders naming her are in the outbox
    pid = iv.show(jane)["person"]
    iv("person", "log", pid, "Jane sent slides").ok()
    export = iv("export").ok().out
    assert "jane@acme.test" in export and "Jane Doe" in export

    r = iv("person", "forget", pid)  # not a terminal: refused without --yes
    assert r.code == 2 and "--yes" in r.err
    iv("person", "forget", pid, "--yes").ok()

    def clean(text: str) -> None:
        low = text.lower()
        assert "jane" not in low and "acme" not in low and "555 0100" not in low

    clean(iv("export").ok().out)
    clean(iv("export", "--format", "csv").ok().out)
    iv("calendar", "export", "-o", iv.home / "feed.ics", now="2026-04-11T09:00:00+00:00").ok()
    feed = (iv.home / "feed.ics").read_text()
    assert "BEGIN:VEVENT" in feed
    clean(feed)
    clean(json.dumps(iv.rows("SELECT params FROM outbox")))
    clean(json.dumps(iv.rows("SELECT data FROM person_events")))
    assert texts(iv.show(bo)["notes"])["referrals"] == ["Cy Park"]  # the line naming her is gone, the other stays
    assert texts(iv.show(bo)["notes"])["learned"] == ["Data quality matters"]
    shown = iv.show(jane)
    assert shown["contact"]["name"] == "(forgotten)" and shown["notes"] == {} and shown["state"] == "noted"
    assert [p["forgotten"] for p in people(iv)] == [True, False]  # an anonymous count stays
    for f in iv.home.glob("infoview.db*"):  # nor in the file's free pages or its write-ahead log
        raw = f.read_bytes().lower()
        assert b"jane@acme.test" not in raw and b"jane doe" not in raw, f.name
    iv("db", "rebuild").ok()
    clean(iv("export").ok().out)
    assert iv.show(jane)["state"] == "noted" and len(iv.history(jane)) > 3
    r = iv("person", "forget", pid, "--yes")
    assert r.code == 1 and "already" in r.err


def test_an_export_with_people_imports_into_an_empty_home(iv, tmp_path):
    from cli_support import infoview

    a = iv.plan("Ana Ruiz", "--email", "ana@ruiz.test")
    pid = iv.show(a)["person"]
    iv("person", "edit", pid, "--note", "met at PyCon", "--every", "8 weeks").ok()
    iv("export", "-o", tmp_path / "out.json").ok()
    other = tmp_path / "other"
    infoview(other, "import", tmp_path / "out.json", now=NOW).ok()
    got = infoview(other, "person", pid, "--json", now=NOW).ok().json
    assert got["person"] == person(iv, pid)["person"]


def test_an_export_made_before_people_existed_imports_with_its_people(iv, tmp_path):
    from cli_support import infoview

    a = iv.plan("Ana Ruiz", "--email", "ana@ruiz.test")
    b = iv.plan("A. Ruiz", "--email", "ANA@ruiz.test", at="2026-04-10T14:00")
    c = iv.plan("Bo Chen")
    doc = iv("export").ok().json
    del doc["people"]  # as the release before people wrote it
    for entry in doc["interviews"]:
        entry["events"][0]["data"].pop("person")
    (tmp_path / "old.json").write_text(json.dumps(doc))
    other = tmp_path / "other"
    infoview(other, "import", tmp_path / "old.json", now=NOW).ok()
    got = infoview(other, "people", "--json", now=NOW).ok().json
    assert [(p["name"], p["conversations"]) for p in got] == [("Ana Ruiz", [a, b]), ("Bo Chen", [c])]


def test_forgetting_a_short_name_cuts_whole_words_only(iv):
    al = iv.plan("Al")
    bo = iv.plan("Bo Chen", at="2026-04-10T14:00")
    iv("hold", bo, now="2026-04-10T13:30:00+00:00").ok()
    iv("note", bo, "--learned", "Talk to Al about the plan", "--issue", "already overloaded",
       now="2026-04-10T14:00:00+00:00").ok()
    iv("person", "forget", iv.show(al)["person"], "--yes").ok()
    notes = texts(iv.show(bo)["notes"])
    assert notes.get("learned", []) == []  # a list item naming them goes
    assert notes["issues"] == ["already overloaded"]
