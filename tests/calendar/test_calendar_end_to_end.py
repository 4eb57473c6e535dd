"""From the CLI: plan, confirm, reschedule and cancel show up correctly in an exported file and in
the served feed, as read by ical.js, vobject and icalendar."""
from __future__ import annotations

import signal
import socket
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from cli_support import infoview, infoview_json, start_infoview
from ics_parsers import ALL

NOW = "2026-03-20T08:00Z"


def utc(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def lifecycle(home: Path) -> None:
    plan = ("plan", "--company", "Acme", "--tz")
    infoview(home, plan[0], "Jane Doe", *plan[1:], "Europe/Berlin", "--at", "2026-03-28T10:00", now=NOW, check=True)
    infoview(home, plan[0], "Sam Roe", *plan[1:], "America/New_York", "--at", "2026-03-08T01:30", "--past", now=NOW,
             check=True)
    infoview(home, plan[0], "Ana Li", *plan[1:], "Australia/Sydney", "--at", "2026-04-05T09:00", now=NOW, check=True)
    infoview(home, "confirm", "1", now=NOW, check=True)
    infoview(home, "reschedule", "1", "--at", "2026-03-30T10:00", now=NOW, check=True)  # across the clock change
    infoview(home, "confirm", "1", now=NOW, check=True)
    infoview(home, "cancel", "3", "--reason", "travel", now=NOW, check=True)


def expected(home: Path) -> dict[str, dict[str, object]]:
    status = {"planned": "TENTATIVE", "cancelled": "CANCELLED"}
    return {f"interview-{i['id']}@infoview": {"start": utc(i["start"]), "end": utc(i["end"]),
                                              "status": status.get(i["state"], "CONFIRMED"), "sequence": i["sequence"]}
            for i in infoview_json(home, "list")}


def test_exported_file_matches_the_store_in_every_parser(tmp_path: Path) -> None:
    lifecycle(tmp_path)
    out = tmp_path / "interviews.ics"
    infoview(tmp_path, "calendar", "export", "-o", str(out), check=True)
    data = out.read_bytes()
    want = expected(tmp_path)
    assert want["interview-1@infoview"]["sequence"] == 3 and want["interview-1@infoview"]["status"] == "CONFIRMED"
    assert want["interview-3@infoview"]["status"] == "CANCELLED"
    for name, parse in ALL.items():
        assert parse(data) == want, name
    again = tmp_path / "again.ics"
    infoview(tmp_path, "calendar", "export", "-o", str(again), check=True)
    assert again.read_bytes() == data  # an unchanged calendar is byte-identical, process after process


def test_export_to_an_unwritable_path_is_one_line(tmp_path: Path) -> None:
    result = infoview(tmp_path, "calendar", "export", "-o", str(tmp_path / "missing" / "x.ics"))
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_served_feed_follows_changes_with_etags_and_refuses_wrong_tokens(tmp_path: Path) -> None:
    lifecycle(tmp_path)
    port = _free_port()
    url = infoview(tmp_path, "calendar", "url", "--port", str(port), check=True).out.split()[0]
    server = start_infoview(tmp_path, "serve", "--port", str(port))
    try:
        assert f"127.0.0.1:{port}" in server.stdout.readline()  # it says where it listens, once ready
        with urllib.request.urlopen(url, timeout=20) as r:
            body, etag = r.read(), r.headers["ETag"]
            assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
        for name, parse in ALL.items():
            assert parse(body) == expected(tmp_path), name
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers={"If-None-Match": etag}), timeout=20)
            raise AssertionError("expected 304")
        except urllib.error.HTTPError as e:
            assert e.code == 304
        wrong = url.rsplit("/", 1)[0] + "/not-the-token.ics"
        try:
            urllib.request.urlopen(wrong, timeout=20)
            raise AssertionError("expected 404")
        except urllib.error.HTTPError as e:
            assert e.code == 404
        infoview(tmp_path, "cancel", "2", now=NOW, check=True)
        with urllib.request.urlopen(urllib.request.Request(url, headers={"If-None-Match": etag}), timeout=20) as r:
            changed = r.read()
            assert r.status == 200 and r.headers["ETag"] != etag
        assert ALL["ical.js"](changed)["interview-2@infoview"]["status"] == "CANCELLED"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            assert server.wait(20) == 0
        finally:
            server.kill()
