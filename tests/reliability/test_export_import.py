"""Export and import round-trip a home (issue 19): export, import into an empty home, export again
gives the same file, on SQLite and on PostgreSQL; the people come first in the file, exports in the
older layout (people after the interviews) import the same, and the import reads its file once
(a pipe will do)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from cli_support import CLI, infoview

LATER = "2026-04-01T09:00:00+00:00"


@pytest.fixture
def other(tmp_path: Path, database: str | None, request: pytest.FixtureRequest) -> Iterator[CLI]:
    """A second, empty home on the same backend as `iv`."""
    if database is None:
        yield CLI(tmp_path / "other")
        return
    server = request.getfixturevalue("pg_server")
    url = server.fresh()
    yield CLI(tmp_path / "other", url)
    server.drop(url)


def lived_in(iv: CLI) -> None:
    """Interviews in several states with people: a cadence, a logged contact, a merge, a
    forgotten person, a referral, timers that fired and timers still armed."""
    ana = iv.plan("Ana Ruiz", "--email", "ana@ruiz.test", "--company", "Acme")
    iv.plan("A. Ruiz", "--email", "ana.r@home.test", at="2026-03-11T10:00")
    bo = iv.plan("Bo Chen", "--referred-by", str(ana), at="2026-03-12T09:00")
    gone = iv.plan("Cy Dee", "--email", "cy@dee.test", at="2026-03-20T16:00")
    iv.plan("Di Eve", at="2026-04-20T11:00")
    iv("confirm", ana).ok()
    iv("hold", ana, now="2026-03-10T13:30:00+00:00").ok()
    iv("note", ana, "--learned", "Most came from analytics", now="2026-03-10T14:30:00+00:00").ok()
    iv("cancel", bo, "--reason", "changed plans").ok()
    p_ana = iv.show(ana)["person"]
    iv("person", "edit", p_ana, "--every", "6 weeks", "--note", "met at PyCon").ok()
    iv("person", "log", p_ana, "Coffee chat", "--at", "2026-02-20T09:00", "--tz", "UTC").ok()
    iv("person", "merge", p_ana, iv.show(2)["person"]).ok()
    iv("person", "forget", iv.show(gone)["person"], "--yes").ok()
    iv("tick", now="2026-03-18T09:00:00+00:00").ok()


def views(iv: CLI) -> dict[str, Any]:
    out = {"list": iv("list", "--json", now=LATER).ok().json, "people": iv("people", "--json", now=LATER).ok().json,
           "agenda": iv("agenda", "--days", "400", "--json", now=LATER).ok().json}
    for i in out["list"]:
        out[f"history {i['id']}"] = iv("history", i["id"], "--json", now=LATER).ok().json
    return out


@pytest.mark.both_backends
def test_export_import_export_gives_the_same_file(iv: CLI, other: CLI, tmp_path: Path) -> None:
    lived_in(iv)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    iv("export", "-o", first, now=LATER).ok()
    assert other.sub("import", first, now=LATER).ok().out.startswith("imported 5 interviews")
    other.sub("export", "-o", second, now=LATER).ok()
    assert second.read_bytes() == first.read_bytes()
    assert views(other) == views(iv)  # the records rebuilt from the logs, keep-in-touch times included
    assert any(p["keep_in_touch_due"] for p in views(other)["people"])


def test_the_people_come_before_the_interviews(iv: CLI) -> None:
    lived_in(iv)
    doc = iv("export", now=LATER).ok().json
    assert list(doc) == ["format", "version", "exported", "people", "interviews"]
    assert len(doc["people"]) == 5 and len(doc["interviews"]) == 5


def test_an_export_with_its_people_last_imports_the_same(iv: CLI, tmp_path: Path) -> None:
    """The layout `export` wrote before the people moved to the front."""
    lived_in(iv)
    doc = iv("export", now=LATER).ok().json
    older = {k: doc[k] for k in ("format", "version", "exported", "interviews", "people")}
    (tmp_path / "older.json").write_text(json.dumps(older, indent=1))
    fresh = CLI(tmp_path / "fresh")
    assert fresh.sub("import", tmp_path / "older.json", now=LATER).ok().out.startswith("imported 5 interviews")
    assert views(fresh) == views(iv)
    assert fresh("export", now=LATER).ok().json == doc


def test_the_import_reads_its_file_once_so_a_pipe_will_do(iv: CLI, tmp_path: Path) -> None:
    lived_in(iv)
    text = iv("export", now=LATER).ok().out
    fresh = tmp_path / "fresh"
    done = infoview(fresh, "import", "/dev/stdin", now=LATER, input=text, check=True)
    assert done.out.startswith("imported 5 interviews")
    assert infoview(fresh, "export", now=LATER, check=True).out == text


def test_a_person_listed_twice_is_refused_in_one_line_and_nothing_stays(iv: CLI, tmp_path: Path) -> None:
    lived_in(iv)
    doc = iv("export", now=LATER).ok().json
    doc["people"].append(doc["people"][0])
    (tmp_path / "twice.json").write_text(json.dumps(doc))
    fresh = CLI(tmp_path / "fresh")
    r = fresh.sub("import", tmp_path / "twice.json", now=LATER)
    assert r.code == 1 and r.err.count("\n") == 1, r.err
    assert f"person {doc['people'][0]['id']}: it appears twice; nothing was imported" in r.err
    assert fresh("list", "--json").ok().json == [] and fresh("people", "--json").ok().json == []


def test_the_format_must_be_named_before_the_data(tmp_path: Path) -> None:
    bad = tmp_path / "late.json"
    bad.write_text('{"interviews": [], "format": "infoview-export", "version": 1}')
    r = infoview(tmp_path / "home", "import", str(bad))
    assert r.code == 1 and r.err.count("\n") == 1 and "before its data" in r.err, r.err
    bad.write_text('{"format": "infoview-export", "version": 1, "people": []}')
    r = infoview(tmp_path / "home", "import", str(bad))
    assert r.code == 1 and '"interviews" must be a list' in r.err, r.err


def test_an_export_from_before_people_gets_people_and_round_trips_on_a_clock_behind_it(iv: CLI, tmp_path: Path) -> None:
    """Linking each interview to a person is recorded after the last event of its log, even
    when the importing machine's clock is behind: the log stays in order and imports again."""
    lived_in(iv)
    doc = iv("export", now=LATER).ok().json
    del doc["people"]
    for entry in doc["interviews"]:
        entry["events"][0]["data"].pop("person")
        entry["events"] = [e for e in entry["events"] if e["event"] != "person"]
        for n, e in enumerate(entry["events"], start=1):
            e["seq"] = n
    (tmp_path / "older.json").write_text(json.dumps(doc))
    upgraded, fresh = CLI(tmp_path / "upgraded"), CLI(tmp_path / "fresh")
    behind = "2026-03-02T09:00:00+00:00"  # before most of the export's events
    upgraded.sub("import", tmp_path / "older.json", now=behind).ok()
    assert len(upgraded("people", "--json", now=LATER).ok().json) == 5  # one per distinct contact
    upgraded.sub("export", "-o", tmp_path / "again.json", now=LATER).ok()
    fresh.sub("import", tmp_path / "again.json", now=LATER).ok()
    assert views(fresh) == views(upgraded)


def test_an_interview_whose_person_the_file_lacks_gets_one_from_its_contact(iv: CLI, tmp_path: Path) -> None:
    """An interview planned with a new person while an export ran can be in the file without that
    person. Its person id must not dangle (the next person planned would take it): the import
    gives it a person from its contact instead, and the file the home then exports imports again."""
    lived_in(iv)
    doc = iv("export", now=LATER).ok().json
    bo = next(e for e in doc["interviews"] if e["events"][0]["data"]["contact"]["name"] == "Bo Chen")
    missing = bo["events"][-1]["data"].get("person", bo["events"][0]["data"]["person"])
    doc["people"] = [p for p in doc["people"] if p["id"] != missing]
    (tmp_path / "torn.json").write_text(json.dumps(doc))
    fresh = CLI(tmp_path / "fresh")
    fresh.sub("import", tmp_path / "torn.json", now=LATER).ok()
    person = fresh.show(bo["id"])["person"]
    assert person != missing and fresh("person", person, "--json", now=LATER).ok().json["person"]["name"] == "Bo Chen"
    newcomer = fresh.plan("Ed Fox", at="2026-05-01T10:00")
    assert fresh.show(newcomer)["person"] not in (person, missing)
    fresh.sub("export", "-o", tmp_path / "again.json", now=LATER).ok()
    CLI(tmp_path / "third").sub("import", tmp_path / "again.json", now=LATER).ok()
