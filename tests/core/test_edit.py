"""`infoview edit`: corrections as events, through the CLI."""
from __future__ import annotations

from pathlib import Path

from cli_support import CLI, write

START = "2026-03-10T13:05:00+00:00"   # five minutes after the interview began
LATER = "2026-03-10T15:00:00+00:00"


def test_edit_changes_the_details_and_is_an_event_in_the_history(iv: CLI) -> None:
    i = iv.plan("Jane Doe", "--email", "jane@acme.tset", "--goal", "how juniors get hired", "--goal", "tools")
    before = iv.show(i)
    r = iv.sub("edit", i, "--email", "jane@acme.test", "--company", "Acme", "--title", "Data Lead",
               "--goal", "what the team reads", "--drop-goal", "1", "--mode", "phone", "--where", "+49 30 1234").ok()
    assert r.out.startswith(f"interview {i}: edited (") and "email jane@acme.test" in r.out
    d = iv.show(i)
    assert d["contact"] == {"name": "Jane Doe", "company": "Acme", "title": "Data Lead", "email": "jane@acme.test"}
    assert d["goals"] == ["tools", "what the team reads"]
    assert (d["mode"], d["where"], d["state"]) == ("phone", "+49 30 1234", "planned")
    assert d["sequence"] == before["sequence"] + 1 and d["version"] == before["version"] + 1
    edit = iv.history(i)[-1]
    assert edit["event"] == "edit" and edit["from"] == edit["to"] == "planned"
    assert edit["data"]["contact"] == {"email": "jane@acme.test", "company": "Acme", "title": "Data Lead"}
    assert "edit         planned" in iv("history", i).ok().out and "email jane@acme.test" in iv("history", i).ok().out
    # A goal by its text, and an optional field cleared with ''
    iv("edit", i, "--drop-goal", "TOOLS", "--where", "").ok()
    d = iv.show(i)
    assert d["goals"] == ["what the team reads"] and d["where"] is None


def test_an_edit_that_changes_nothing_records_nothing(iv: CLI) -> None:
    i = iv.plan("Jane Doe", "--company", "Acme")
    events = len(iv.history(i))
    r = iv.sub("edit", i, "--company", "Acme", "--name", "Jane Doe").ok()
    assert r.out.strip() == f"interview {i}: nothing changed (it already says that); nothing was recorded"
    assert len(iv.history(i)) == events
    r = iv.sub("edit", i)
    assert r.code == 2 and r.line.startswith("nothing to edit: give what to change")
    r = iv.sub("edit", i, "--drop-goal", "nope")
    assert r.code == 2 and r.line == "--drop-goal: no goal 'nope'; its goals are: none"
    r = iv.sub("edit", i, "--email", "not-an-email")
    assert r.code == 2 and "--email: is not an email address" in r.line
    assert len(iv.history(i)) == events


def test_editing_the_length_rearms_the_timers_and_moves_the_feed(iv: CLI) -> None:
    i = iv.plan("Jane Doe")
    iv("confirm", i).ok()
    due = {a["timer"]: a["due"] for a in iv.agenda() if a["interview"] == i}
    iv("edit", i, "--minutes", "45").ok()
    moved = {a["timer"]: a["due"] for a in iv.agenda() if a["interview"] == i}
    assert due["times-up"] == "2026-03-10T14:20:00+01:00" and moved["times-up"] == "2026-03-10T14:45:00+01:00"
    assert moved["prepare"] == due["prepare"]   # the start did not move
    ics = iv.sub("calendar", "export").ok().out
    assert "SEQUENCE:2" in ics and "DTEND;TZID=Europe/Berlin:20260310T144500" in ics


def test_the_zone_changes_how_it_is_shown_not_when(iv: CLI) -> None:
    i = iv.plan("Jane Doe")
    iv("edit", i, "--zone", "America/New_York").ok()
    d = iv.show(i)
    assert d["timezone"] == "America/New_York" and d["start"] == "2026-03-10T09:00:00-04:00"
    r = iv.sub("edit", i, "--zone", "Europe/Berln")
    assert r.code == 2 and "did you mean 'Europe/Berlin'" in r.line


def test_a_final_state_refuses_edits_unless_the_workflow_allows_them(iv: CLI) -> None:
    i = iv.plan("Jane Doe")
    iv("cancel", i, "--reason", "ill").ok()
    r = iv.sub("edit", i, "--company", "Acme")
    assert r.code == 1 and r.line == (f"interview {i} is cancelled: workflow informational-interview does not allow "
                                      "editing in state 'cancelled' (final state); `editable: true` on the state "
                                      "allows it; allowed now: nothing (final state)")
    assert iv.history(i)[-1]["event"] == "cancel"
    wf = iv.home / "workflows" / "editable.yaml"
    write(wf, "name: editable\ninitial: planned\nstates:\n  planned: {editable: false}\n"
              "  done: {final: true, editable: true}\n"
              "transitions:\n  - {event: finish, from: planned, to: done}\n")
    j = iv.plan("Sam Roe", "--workflow", "editable")
    r = iv.sub("edit", j, "--company", "Acme")
    assert r.code == 1 and "does not allow editing in state 'planned' (not editable)" in r.line
    iv("fire", j, "finish").ok()
    iv("edit", j, "--company", "Acme").ok()
    assert iv.show(j)["contact"]["company"] == "Acme"


def test_edit_is_reserved_in_workflow_files(iv: CLI) -> None:
    write(iv.home / "workflows" / "bad.yaml", "name: bad\ninitial: a\nstates:\n  a: {}\n"
                                              "transitions:\n  - {event: edit, from: a}\n")
    r = iv.sub("workflow", "check", iv.home / "workflows" / "bad.yaml")
    assert r.code != 0 and "'edit' is the event `infoview edit` records" in r.out + r.err


def test_notes_add_up_and_single_entries_are_corrected(iv: CLI, tmp_path: Path) -> None:
    i = iv.plan("Jane Doe")
    iv("hold", i, now=START).ok()
    iv("note", i, "--learned", "they hire from support", "--issue", "churn", now=START).ok()
    iv("note", i, "--learned", "SQL matters most", now=LATER).ok()
    notes = iv.show(i)["notes"]
    assert notes == {"issues": [{"text": "churn", "at": START}],
                     "learned": [{"text": "they hire from support", "at": START},
                                 {"text": "SQL matters most", "at": LATER}]}
    shown = iv("show", i).ok().out
    assert "[1] issues           churn" in shown and "[3] learned          SQL matters most" in shown
    # The thank-you draft and the CSV export hold every entry
    draft = iv("thanks", i).ok().out
    assert "they hire from support" in draft and "SQL matters most" in draft
    csv = iv("export", "--format", "csv").ok().out
    assert "they hire from support" in csv and "SQL matters most" in csv
    # Replacing and removing are explicit, and numbered as `show` numbers them
    r = iv.sub("note", i, "--replace", "2", "they hire from the support team", "--remove", "1", now=LATER).ok()
    assert r.out.strip() == f"interview {i}: edited (notes learned replaced, notes issues removed)"
    notes = iv.show(i)["notes"]
    assert notes == {"learned": [{"text": "they hire from the support team", "at": START},
                                 {"text": "SQL matters most", "at": LATER}]}
    r = iv.sub("note", i, "--remove", "7")
    assert r.code == 2 and r.line == (f"note --remove 7: interview {i} has no notes entry 7 (its entries: 1 to 2; "
                                      f"`infoview show {i}` numbers them)")
    r = iv.sub("note", i, "--remove", "1", "--learned", "x")
    assert r.code == 2 and "not both" in r.line
    # The state requires notes.learned: removing every one is refused, and nothing changes
    r = iv.sub("note", i, "--remove", "1", "--remove", "2")
    assert r.code == 1 and "state 'noted' requires notes.learned, which this edit would leave empty" in r.line
    assert len(iv.show(i)["notes"]["learned"]) == 2
    # Evaluations add up the same way
    iv("evaluate", i, "--went-well", "kept to time", "--next-action", "apply", now=LATER).ok()
    iv("evaluate", i, "--went-well", "good questions", now=LATER).ok()
    assert [e["text"] for e in iv.show(i)["evaluation"]["went_well"]] == ["kept to time", "good questions"]
    iv("evaluate", i, "--replace", "3", "asked good questions", now=LATER).ok()
    assert [e["text"] for e in iv.show(i)["evaluation"]["went_well"]] == ["kept to time", "asked good questions"]


def test_a_rebuilt_home_gives_the_same_added_up_view(iv: CLI) -> None:
    i = iv.plan("Jane Doe", "--goal", "a")
    iv("edit", i, "--email", "jane@acme.test", "--goal", "b", "--minutes", "30").ok()
    iv("hold", i, now=START).ok()
    iv("note", i, "--learned", "one", now=START).ok()
    iv("note", i, "--learned", "two", "--issue", "x", now=LATER).ok()
    iv("note", i, "--remove", "1", "--replace", "2", "ONE", now=LATER).ok()
    before = iv.show(i)
    iv("db", "rebuild").ok()
    assert iv.show(i) == before
    assert [e["text"] for e in before["notes"]["learned"]] == ["ONE", "two"] and "issues" not in before["notes"]


def test_a_log_from_before_notes_added_up_rebuilds_added_up(iv: CLI, tmp_path: Path) -> None:
    # An older release replaced notes with the latest `note`; its log still has each one
    i = iv.plan("Jane Doe")
    iv("hold", i, now=START).ok()
    iv("note", i, "--learned", "first", now=START).ok()
    iv("note", i, "--learned", "second", now=LATER).ok()
    # the projection as the older release wrote it: the last answer only, without times
    import json
    doc = json.loads(iv.rows("SELECT doc FROM interviews WHERE id=?", i)[0][0])
    doc["notes"] = {"learned": ["second"]}
    import sqlite3
    conn = sqlite3.connect(iv.db)
    conn.execute("UPDATE interviews SET doc=? WHERE id=?", (json.dumps(doc), i))
    conn.commit()
    conn.close()
    assert iv.show(i)["notes"]["learned"] == [{"text": "second", "at": LATER}]   # still readable
    iv("db", "rebuild").ok()
    assert [e["text"] for e in iv.show(i)["notes"]["learned"]] == ["first", "second"]


def test_an_imported_edit_that_does_not_replay_is_refused_in_one_line(iv: CLI, tmp_path: Path) -> None:
    import json

    i = iv.plan("Jane Doe")
    iv("hold", i, now=START).ok()
    iv("note", i, "--learned", "one", "--learned", "two", now=LATER).ok()
    iv("note", i, "--remove", "1", now=LATER).ok()
    export = tmp_path / "export.json"
    iv("export", "--format", "json", "-o", export).ok()
    fresh = CLI(tmp_path / "fresh")
    assert fresh.sub("import", export).ok()   # a correct log imports and replays to the same view
    assert fresh.show(i)["notes"] == iv.show(i)["notes"]
    doc = json.loads(export.read_text())
    doc["interviews"][0]["events"][-1]["data"]["entries"][0]["index"] = 99
    export.write_text(json.dumps(doc))
    r = CLI(tmp_path / "other").sub("import", export)
    assert r.code == 1 and f"interview {i}: its events do not replay (IndexError" in r.line
