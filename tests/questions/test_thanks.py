"""The thank-you draft: built from the notes, greets the contact by name, and a user's own
template in <home>/templates/ replaces the shipped one."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from infoview.errors import DefinitionError, InfoviewError
from infoview.model import Contact, Interview
from infoview.plugins.questions.thanks import draft_thanks, draft_thanks_for_home

MakeInterview = Callable[..., Interview]
NOTES = {
    "learned": ["Pricing is moving to usage-based", "SQL matters more than any tool"],
    "referrals": ["Ana Ruiz <ana@example.org>, runs the platform team", "Bo Chen"],
    "promises": ["send the pricing article by Friday"],
}


def test_text_draft_uses_the_notes_and_the_name(make_interview: MakeInterview) -> None:
    text = draft_thanks(make_interview(state="noted", notes=NOTES), "text")
    assert text.startswith("Subject: Thank you for your time, Sam\n\nDear Sam,\n")
    assert "on Tuesday about your work as Data Lead at Acme Analytics" in text
    assert "- Pricing is moving to usage-based\n- SQL matters more than any tool" in text
    assert "suggesting I speak with Ana Ruiz and Bo Chen" in text
    assert "ana@example.org" not in text                 # an address is not for the note
    assert "- send the pricing article by Friday" in text
    assert "job" not in text.lower()
    assert "\n\n\n" not in text


def test_sparse_notes_leave_no_empty_paragraphs(make_interview: MakeInterview) -> None:
    interview = make_interview(state="held", contact=Contact("Dr. Priya Nair"), notes={})
    text = draft_thanks(interview, "md")
    assert text.startswith("**Subject:** Thank you for your time, Dr. Priya Nair")
    assert "Dear Dr. Priya Nair," in text
    assert "on Tuesday about your work. I know your time" in text
    assert "I learned a great deal from our conversation." in text
    assert "suggesting I speak with" not in text and "follow up on" not in text
    assert "\n\n\n" not in text


def test_home_template_overrides_the_default(make_interview: MakeInterview, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "thanks.md").write_text(
        "Hi {contact.first_name}! Thanks for the chat.\n\n{thanks.learned}\n", encoding="utf-8")
    interview = make_interview(state="noted", notes=NOTES)
    md = draft_thanks_for_home(interview, tmp_path, "md")
    assert md.startswith("Hi Sam! Thanks for the chat.")
    assert "- SQL matters more than any tool" in md
    assert "Subject" not in md
    # Only a .md template: a text draft falls back to it rather than ignoring the user's wording.
    assert draft_thanks_for_home(interview, tmp_path, "text") == md


def test_without_home_template_the_default_is_used(make_interview: MakeInterview, tmp_path: Path) -> None:
    assert draft_thanks_for_home(make_interview(notes=NOTES), tmp_path, "text").startswith("Subject: ")


def test_bad_field_in_home_template_is_one_clear_line(make_interview: MakeInterview, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    path = tmp_path / "templates" / "thanks.txt"
    path.write_text("Dear {contact.nam},\n", encoding="utf-8")
    with pytest.raises(InfoviewError) as info:
        draft_thanks_for_home(make_interview(), tmp_path, "text")
    assert str(info.value) == (f"{path}: unknown template field 'contact.nam'; did you mean 'contact.name'?; "
                               "fix the template or delete it to use the default")


def test_home_template_that_is_not_utf8_is_reported(make_interview: MakeInterview, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "thanks.txt").write_bytes(b"Dear \xff\n")
    with pytest.raises(DefinitionError, match=r"thanks\.txt:1:6: not UTF-8"):
        draft_thanks_for_home(make_interview(), tmp_path, "text")
