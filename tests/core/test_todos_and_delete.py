"""To-dos (from evaluations and `todo add`, listed, closed, reminded through a real HTTP receiver)
and `infoview delete`, through the CLI; those marked both_backends on SQLite and on PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import CLI

START = "2026-03-10T13:05:00+00:00"
LATER = "2026-03-10T15:00:00+00:00"


@pytest.fixture(autouse=True)
def your_zone_is_utc(iv: CLI) -> None:
    """Due dates are read in your zone: fixed here, whatever the machine's."""
    iv.home.mkdir(parents=True, exist_ok=True)
    (iv.home / "config.toml").write_text('timezone = "UTC"\n')


def evaluated(iv: CLI, *next_actions: str) -> int:
    i = iv.plan("Jane Doe", "--company", "Acme")
    iv("hold", i, now=START).ok()
    iv("note", i, "--learned", "x", now=LATER).ok()
    args = [a for n in next_actions for a in ("--next-action", n)]
    iv("evaluate", i, *args, now=LATER).ok()
    return i


@pytest.mark.both_backends
def test_next_actions_and_added_to_dos_are_listed_overdue_first(iv: CLI) -> None:
    i = evaluated(iv, "send my CV to Jane by 2026-03-12", "read the book she named")
    assert iv.sub("todo", "add", "ask Sam for an intro", "--due", "2026-03-11T17:00", now=LATER).ok().out == "3\n"
    assert iv("todo", "add", "update my CV", now=LATER).ok().out == "4\n"
    todos = iv("todo", "--json", now="2026-03-12T12:00:00+00:00").ok().json
    assert [(t["id"], t["text"], t["due"], t["overdue"], t["interview"], t["origin"]) for t in todos] == [
        (3, "ask Sam for an intro", "2026-03-11T17:00:00+00:00", True, None, "cli"),
        (1, "send my CV to Jane by 2026-03-12", "2026-03-12T09:00:00+00:00", True, i, "evaluation"),
        (2, "read the book she named", None, False, i, "evaluation"),
        (4, "update my CV", None, False, None, "cli"),
    ]
    text = iv("todo", now="2026-03-12T12:00:00+00:00").ok().out.splitlines()
    assert text[0] == "   3  OVERDUE due Wed 2026-03-11 17:00 ask Sam for an intro"
    assert text[1].endswith(f"send my CV to Jane by 2026-03-12  (interview {i})")
    assert iv.sub("todo", "done", 3).ok().out.strip() == "to-do 3 done"
    assert iv("todo", "done", 3).ok().out.strip() == "to-do 3 was done already"
    r = iv.sub("todo", "done", 99)
    assert r.code == 1 and r.line == "no to-do 99; `infoview todo` lists the open ones"
    assert [t["id"] for t in iv("todo", "--json").ok().json] == [1, 2, 4]
    assert [t["id"] for t in iv("todo", "--all", "--json").ok().json] == [3, 1, 2, 4]
    assert [t["id"] for t in iv("todo", "--interview", i, "--json").ok().json] == [1, 2]


def test_bad_to_do_input_is_one_line(iv: CLI) -> None:
    r = iv.sub("todo", "add", "x", "--due", "next week")
    assert r.code == 2 and r.line.startswith("--due: 'next week' is not a date; write e.g. 2026-04-01")
    r = iv.sub("todo", "add", "x", "--interview", "42")
    assert r.code == 1 and r.line.startswith("no interview 42")
    r = iv.sub("todo", "add", "  ")
    assert r.code == 2
    assert iv("todo", "--json").ok().json == []


@pytest.mark.both_backends
def test_the_report_shows_open_and_overdue_to_dos(iv: CLI) -> None:
    evaluated(iv, "send my CV by 2026-03-11")
    iv("todo", "add", "call Ana", now=LATER).ok()
    report = iv("report", "--json", now="2026-03-12T09:00:00+00:00").ok().json
    assert [(t["text"], t["overdue"]) for t in report["todos"]] == [("send my CV by 2026-03-11", True),
                                                                    ("call Ana", False)]
    text = iv("report", now="2026-03-12T09:00:00+00:00").ok().out
    assert "To-dos (2 open, 1 overdue):" in text and "OVERDUE since 2026-03-11 09:00 UTC send my CV" in text


@pytest.mark.both_backends
def test_a_due_to_do_is_reminded_once_through_the_outbox(iv: CLI, tmp_path: Path, http_receiver) -> None:
    (iv.home / "apprise.yml").write_text(f"urls:\n  - {http_receiver.url('/todo')}:\n      tag: followups\n")
    (iv.home / "config.toml").write_text('timezone = "Europe/Berlin"\n')   # due dates are read in your zone
    i = evaluated(iv, "read the book she named")  # no date in it: only the one added below is reminded
    deck = int(iv("todo", "add", "send the deck", "--due", "2026-03-20", "--interview", i, now=LATER).ok().out)
    early = int(iv("todo", "add", "done before it is due", "--due", "2026-03-20", now=LATER).ok().out)
    iv("todo", "done", early).ok()
    iv.sub("tick", now="2026-03-20T07:59:00+00:00").ok()   # 08:59 in Berlin: not yet
    assert all("send the deck" not in p.json["title"] for p in http_receiver.items)
    iv.sub("tick", now="2026-03-20T08:01:00+00:00").ok()
    [post] = [p for p in http_receiver.wait_for(1) if "deck" in p.json["title"]]
    assert post.json["title"] == ("To do: send the deck (due Fri 2026-03-20 09:00 CET) "
                                  f"- from interview {i} with Jane Doe")
    iv.sub("tick", now="2026-03-20T10:00:00+00:00").ok()   # once only
    assert sum("deck" in p.json["title"] for p in http_receiver.items) == 1
    assert not any("done before" in p.json["title"] for p in http_receiver.items)
    jobs = [j for j in iv("outbox", "--json").ok().json if j["cause"].startswith("todo:")]
    assert [(j["cause"], j["state"]) for j in jobs] == [(f"todo:{deck}", "done")]


@pytest.mark.both_backends
def test_delete_needs_yes_without_a_terminal_and_leaves_nothing(iv: CLI) -> None:
    keep = iv.plan("Sam Roe")
    gone = evaluated(iv, "send my CV by 2026-03-12")
    before = iv.sub("calendar", "export").ok().out
    assert f"interview-{gone}@infoview" in before
    r = iv.sub("delete", gone)   # stdin is not a terminal here
    assert r.code == 2 and r.line == f"deleting interview {gone} cannot be undone; add --yes to confirm"
    assert iv.show(gone)["state"] == "evaluated"
    assert iv.sub("delete", gone, "--yes").ok().out.strip() == f"interview {gone} deleted"
    assert [row["id"] for row in iv("list", "--json").ok().json] == [keep]
    assert iv("report", "--json").ok().json["total"] == 1
    assert iv("todo", "--json").ok().json == []
    ics = iv.sub("calendar", "export").ok().out
    assert f"interview-{gone}@infoview" not in ics and f"interview-{keep}@infoview" in ics
    for table, column in (("events", "interview_id"), ("outbox", "interview_id"), ("firings", "interview_id"),
                          ("todos", "interview_id")):
        assert iv.rows(f"SELECT COUNT(*) FROM {table} WHERE {column}=?", gone) == [(0,)]
    r = iv.sub("show", gone)
    assert r.code == 1 and r.line.startswith(f"no interview {gone}")
    # its id is never given to another interview (a calendar knew it by that UID)
    assert iv.plan("Ana Ruiz") == gone + 1
    r = iv.sub("delete", 99, "--yes")
    assert r.code == 1 and r.line.startswith("no interview 99")


def _on_a_terminal(iv: CLI, args: list[str], reply: str) -> str:
    """Run the CLI with a real pseudo-terminal, answer its question with `reply`, return all it wrote."""
    import os
    import pty
    import select

    from cli_support import start_infoview

    leader, follower = pty.openpty()
    proc = start_infoview(iv.home, *args, now="2026-03-01T09:00:00+00:00", stdin=follower, stdout=follower,
                          stderr=follower)
    os.close(follower)
    output, answered = b"", False
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, f"no output for 60 s; so far: {output!r}"
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if not answered and b"[y/N]" in output:
                os.write(leader, reply.encode() + b"\n")
                answered = True
        assert proc.wait(timeout=60) == 0, output
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return output.decode(errors="replace")


def test_delete_asks_on_a_terminal(iv: CLI) -> None:
    i = iv.plan("Jane Doe", "--company", "Acme")
    out = _on_a_terminal(iv, ["delete", str(i)], "n")
    assert f"Delete interview {i} with Jane Doe (Acme) and its whole history?" in out
    assert "nothing was deleted" in out and iv.show(i)["state"] == "planned"
    out = _on_a_terminal(iv, ["delete", str(i)], "y")
    assert f"interview {i} deleted" in out
    assert iv("list", "--json").ok().json == []
