"""A field with nothing in it leaves nothing behind: the optional part `{field:? text %s}`, and the
shipped workflow's messages for contacts with and without a company, a title, an email, a place."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from cli_support import CLI, write
from infoview.engine import Engine
from infoview.templates import render

CONFIRM_DUE = "2026-03-09T13:05:00+00:00"   # the confirm reminder: AT (13:00 UTC) - 1 day, plus 5 minutes
DETAILS = {"--company": "Acme", "--title": "Data Lead", "--email": "jane@acme.test", "--where": "https://meet.test/a"}
# What an absent field used to leave: empty brackets, doubled or edge spaces, a separator with
# nothing after it ("at", ",", ":", "-", "(" at the end), or a separator right before punctuation.
DETAILS_ARGS = [part for item in DETAILS.items() for part in item]
STRAY = re.compile(r"\(\s*\)|\[\s*\]|\s{2}|^\s|\s$|(?:\bat|[,:(\-])$|\s[,.;:)]")


def planned_variants(iv: CLI) -> list[int]:
    """Jane planned once for every combination of the optional details, present or absent."""
    ids = []
    for present in itertools.product([False, True], repeat=len(DETAILS)):
        options = [part for (option, value), on in zip(DETAILS.items(), present, strict=True) if on for part in (option, value)]
        ids.append(iv.plan("Jane Doe", *options))
    return ids


def test_every_shipped_message_reads_cleanly_with_any_detail_missing(iv: CLI) -> None:
    ids = planned_variants(iv)
    engine = Engine(iv.home)
    wf, fields = engine.registry.workflow("informational-interview"), engine.registry.template_fields
    templates = [text for t in wf.timers for call in t.actions
                 for text in (call.params.title, call.params.body) if text]
    assert len(templates) == len(wf.timers)
    for interview_id, template in itertools.product(ids, templates):
        text = render(template, engine.get(interview_id), fields)
        assert not STRAY.search(text), (text, engine.get(interview_id).contact)


def test_the_confirm_reminder_with_and_without_a_company(iv: CLI) -> None:
    bare, full = iv.plan("Jane Doe"), iv.plan("Jane Doe", *DETAILS_ARGS)
    engine = Engine(iv.home)
    confirm = next(t for t in engine.registry.workflow("informational-interview").timers if t.id == "confirm")
    title = confirm.actions[0].params.title
    fields = engine.registry.template_fields
    # {when}: the start in the reader's zone; with none given, the interview's own (Berlin)
    assert render(title, engine.get(bare), fields) == \
        "Confirm tomorrow's conversation with Jane Doe at Tue 2026-03-10 14:00 CET"
    assert render(title, engine.get(full), fields) == \
        "Confirm tomorrow's conversation with Jane Doe (Acme) at Tue 2026-03-10 14:00 CET"


def test_a_reminder_for_a_contact_without_a_company_arrives_without_brackets(iv: CLI, http_receiver) -> None:
    write(iv.home / "apprise.yml", f"urls:\n  - {http_receiver.url('hook')}:\n      tag: reminders\n")
    write(iv.home / "config.toml", 'timezone = "Europe/Berlin"\n')  # the reader's zone, the interview's too
    iv.plan("Jane Doe")
    iv.sub("tick", now=CONFIRM_DUE).ok()
    [post] = http_receiver.wait_for(1)
    assert post.json["title"] == "Confirm tomorrow's conversation with Jane Doe at Tue 2026-03-10 14:00 CET"


@pytest.mark.parametrize(("template", "with_all", "with_none"), [
    ("{contact.name}{contact.company:? (%s)}", "Jane Doe (Acme)", "Jane Doe"),
    ("{contact.name}{contact.title:?, %s}{contact.company:? at %s}", "Jane Doe, Data Lead at Acme", "Jane Doe"),
    ("Join{where:? at %s}", "Join at https://meet.test/a", "Join"),
    ("{contact.email:?Write to %s. }Prepare.", "Write to jane@acme.test. Prepare.", "Prepare."),
    ("{contact.company:?(%s, {contact.title})}", "(Acme, Data Lead)", ""),
    ("{contact.company:?known}", "known", ""),
    ("{contact.name:?<10}|", "Jane Doe??|", "Jane Doe??|"),   # `?` as Python's fill character, as before
])
def test_an_optional_part_shows_only_with_a_value(iv: CLI, template: str, with_all: str, with_none: str) -> None:
    bare, full = iv.plan("Jane Doe"), iv.plan("Jane Doe", *DETAILS_ARGS)
    engine = Engine(iv.home)
    fields = engine.registry.template_fields
    assert render(template, engine.get(full), fields) == with_all
    assert render(template, engine.get(bare), fields) == with_none


def test_an_optional_part_is_checked_like_any_field(iv: CLI, tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "workflows" / "informational-interview.yaml"
    text = shipped.read_text(encoding="utf-8").replace("{contact.company:? (%s)}", "{contact.compnay:? (%s)}")
    r = iv("workflow", "check", write(tmp_path / "mine.yaml", text))
    assert r.code == 1 and "unknown template field 'contact.compnay'; did you mean 'contact.company'?" in r.err
