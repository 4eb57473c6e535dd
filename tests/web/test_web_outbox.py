"""The outbox page: a notification that failed shows with its reason (never the channel's URL)
and is sent again by Retry, through the Engine's outbox, once."""
from __future__ import annotations

from pathlib import Path

from cli_support import infoview, infoview_json
from web_support import start_web

PLAN = ("plan", "Jane Doe", "--company", "Acme", "--at", "2026-12-01T10:00", "--tz", "Europe/Berlin")
CONFIRM_DUE = "2026-11-30T09:05Z"   # the confirm reminder's time (start - 1 day), plus five minutes


def test_a_failed_reminder_is_shown_and_sent_again_by_retry(tmp_path: Path, http_receiver) -> None:
    home = tmp_path / "home"
    home.mkdir()
    http_receiver.script([500])
    (home / "apprise.yml").write_text(f"urls:\n  - {http_receiver.url('/secret-hook')}:\n      tag: reminders\n")
    infoview(home, *PLAN, now="2026-11-25T09:00Z", check=True)
    infoview(home, "tick", now=CONFIRM_DUE, check=True)
    [job] = infoview_json(home, "outbox", now=CONFIRM_DUE)
    assert job["state"] == "pending" and "500" in job["last_error"]
    for web in start_web(home, now=CONFIRM_DUE):
        web.sign_in()
        _, _, page = web.request("GET", "/outbox")
        assert "500" in page and "secret-hook" not in page and f"Retry job {job['id']}" in page
        status, headers, _ = web.request("POST", f"/outbox/{job['id']}/retry", body={"csrf": web.csrf})
        assert status == 303 and headers["location"].endswith("/outbox")
        _, _, page = web.request("GET", "/outbox")
        assert f"outbox job {job['id']}: done" in page
        assert [j["state"] for j in infoview_json(home, "outbox", now=CONFIRM_DUE)] == ["done"]
        assert len(http_receiver.wait_for(2)) == 2
        # delivered: a second retry is refused in the CLI's words, and nothing more is sent
        web.request("POST", f"/outbox/{job['id']}/retry", body={"csrf": web.csrf})
        _, _, page = web.request("GET", "/outbox")
        assert "was delivered already; it is never sent twice" in page
    assert len(http_receiver.items) == 2
