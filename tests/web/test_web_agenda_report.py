"""The agenda and report pages read the store's stream (issue 19), plain HTTP: what they show."""
from __future__ import annotations

import pytest

from web_support import Web


@pytest.fixture
def web(shared_web: Web) -> Web:
    """One server, nothing changed: Jane Doe (1) held an hour ago, Sam Roe (2) in five days."""
    shared_web.sign_in()
    return shared_web


def test_the_agenda_shows_the_conversations_ahead_and_not_the_past_ones(web: Web):
    status, _, body = web.request("GET", "/agenda")
    assert status == 200
    assert "Conversation with Sam Roe" in body and "Conversation with Jane Doe" not in body


def test_the_report_counts_every_interview_and_draws_this_week(web: Web):
    status, _, body = web.request("GET", "/report")
    assert status == 200
    assert "<p>2 interviews.</p>" in body
    assert "Jane Doe</a>: was due to start" in body  # planned, an hour ago: mark it held, or reschedule
    assert "this week 08 Jun 1, 15 Jun 1, 22 Jun 0" in body  # the chart's title: Jane this week, Sam the next
