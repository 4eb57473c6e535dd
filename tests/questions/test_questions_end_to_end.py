"""The question-set commands and the interactive prompts, through the real CLI."""
from __future__ import annotations

import os
import pty
import select
from pathlib import Path

from cli_support import infoview, infoview_json, start_infoview

PLAN = ("plan", "Jane Doe", "--company", "Acme", "--title", "Data Lead", "--at", "2026-12-01T10:00",
        "--tz", "Europe/Berlin", "--goal", "Learn how analysts become data engineers")
BEFORE, AFTER = "2026-11-25T09:00Z", "2026-12-01T09:30Z"


def held(home: Path) -> None:
    infoview(home, *PLAN, now=BEFORE, check=True)
    infoview(home, "hold", "1", now=AFTER, check=True)


def test_prep_shows_goals_contact_timing_and_the_attached_questions(tmp_path: Path) -> None:
    infoview(tmp_path, *PLAN, now=BEFORE, check=True)
    brief = infoview(tmp_path, "prep", "1", now=BEFORE, check=True).out
    assert "Jane Doe, Data Lead at Acme" in brief
    assert "Learn how analysts become data engineers" in brief
    assert "20 minutes" in brief
    shown = infoview_json(tmp_path, "questions", "show", "questions-to-ask")
    assert all(q["text"] in brief for q in shown["questions"])
    as_json = infoview(tmp_path, "prep", "1", "--format", "json", now=BEFORE, check=True).out
    assert '"goals"' in as_json


def test_questions_list_and_unknown_set(tmp_path: Path) -> None:
    ids = {s["id"] for s in infoview_json(tmp_path, "questions", "list")}
    assert {"prepare-answers", "ask-career-path", "ask-typical-week", "ask-industry", "ask-advice",
            "ask-referrals", "interview-notes", "evaluation"} <= ids
    bad = infoview(tmp_path, "questions", "show", "ask-industri")
    assert bad.code != 0 and "did you mean 'ask-industry'" in bad.err


def test_a_custom_set_in_the_home_is_listed_and_a_broken_one_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "mine.yaml").write_text(
        "id: career-changer\ntitle: For a career changer\npurpose: ask\nquestions:\n"
        "  - key: transferable\n    text: Which of my skills would count most in your field?\n")
    assert "career-changer" in {s["id"] for s in infoview_json(tmp_path, "questions", "list")}
    (tmp_path / "questions" / "broken.yaml").write_text("id: broken\ntitle: x\npurpose: ask\nquestions: []\n")
    result = infoview(tmp_path, "questions", "list")
    assert "broken.yaml:4:" in result.err


def test_thanks_draft_uses_the_notes_and_thanked_stops_the_reminder(tmp_path: Path) -> None:
    held(tmp_path)
    infoview(tmp_path, "note", "1", "--learned", "Pipelines beat dashboards", "--referral", "Sam Roe <sam@acme.test>",
             now=AFTER, check=True)
    draft = infoview(tmp_path, "thanks", "1", now=AFTER, check=True).out
    assert "Jane" in draft and "Pipelines beat dashboards" in draft
    timers = [row["timer"] for row in infoview_json(tmp_path, "agenda", "--days", "3", now=AFTER)]
    assert "thank-you" in timers
    infoview(tmp_path, "thanked", "1", now=AFTER, check=True)
    timers = [row["timer"] for row in infoview_json(tmp_path, "agenda", "--days", "3", now=AFTER)]
    assert "thank-you" not in timers


def test_report_counts_and_overdue(tmp_path: Path) -> None:
    held(tmp_path)
    infoview(tmp_path, "plan", "Sam Roe", "--at", "2026-12-02T10:00", "--tz", "UTC", "--referred-by", "1",
             now=BEFORE, check=True)
    report = infoview_json(tmp_path, "report", now="2026-12-02T09:30Z")
    assert report["counts"]["held"] == 1 and report["counts"]["planned"] == 1
    text = infoview(tmp_path, "report", now="2026-12-02T09:30Z", check=True).out
    assert "Sam Roe" in text  # unconfirmed within a day, and a referral


def _drive(home: Path, args: list[str], answers: list[str], timeout: float = 60) -> tuple[int, str]:
    """Run the CLI with a real pseudo-terminal as its stdin, stdout and stderr, answering each
    prompt as it appears. `timeout`: a safety bound on waiting for the next output."""
    leader, follower = pty.openpty()
    proc = start_infoview(home, *args, now=AFTER, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)  # the child holds the terminal now: reading gives EIO once it has exited
    output, pending = b"", list(answers)
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], timeout)
            assert ready, f"no output for {timeout} s; so far: {output!r}"
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if pending and output.rstrip().endswith((b">", b"-")):
                os.write(leader, (pending.pop(0) + "\n").encode())
        return proc.wait(timeout=timeout), output.decode(errors="replace")
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_note_on_a_terminal_asks_the_questions_and_stores_the_answers(tmp_path: Path) -> None:
    held(tmp_path)
    # learned (many: two lines then an empty one), issues (empty list), referrals (one), promises (none),
    # contact details (skipped)
    answers = ["Teams hire for SQL first", "Mentoring matters", "", "", "Sam Roe <sam@acme.test>", "", "", ""]
    code, out = _drive(tmp_path, ["note", "1"], answers)
    assert code == 0, out
    shown = infoview_json(tmp_path, "show", "1")
    assert shown["state"] == "noted"
    assert [e["text"] for e in shown["notes"]["learned"]] == ["Teams hire for SQL first", "Mentoring matters"]
    assert [e["text"] for e in shown["notes"]["referrals"]] == ["Sam Roe <sam@acme.test>"]
    # A second note on a terminal shows what is recorded, numbered, before it asks; its answers add up
    code, out = _drive(tmp_path, ["note", "1"], ["Budgets are set in spring", "", "", "", "", "", ""])
    assert code == 0, out
    recorded = out[out.index("Already recorded"):out.index("What did you learn")]
    assert "[1] learned          Teams hire for SQL first" in recorded
    assert "[3] referrals        Sam Roe <sam@acme.test>" in recorded
    shown = infoview_json(tmp_path, "show", "1")
    assert [e["text"] for e in shown["notes"]["learned"]] == ["Teams hire for SQL first", "Mentoring matters",
                                                              "Budgets are set in spring"]


def test_a_required_answer_cannot_be_skipped_and_nothing_is_saved(tmp_path: Path) -> None:
    held(tmp_path)
    code, out = _drive(tmp_path, ["note", "1"], ["", "", "", "", "", "", "", ""])
    assert code == 1 and "'learned' is required" in out
    assert infoview_json(tmp_path, "show", "1")["state"] == "held"


def test_without_a_terminal_and_without_answers_it_says_what_to_give(tmp_path: Path) -> None:
    held(tmp_path)
    result = infoview(tmp_path, "note", "1", now=AFTER, input="")
    assert result.code == 2 and "--learned" in result.err


