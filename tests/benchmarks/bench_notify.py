"""1,000 notifications through the outbox vs apprise alone, to the same local receiver.

outbox:   1,000 notify jobs written in one transaction (as fire/tick write them), then
          `Engine.outbox.dispatch()`: per job a claim, the interview loaded, params validated,
          templates rendered, the cached channel config, apprise's notify, the result recorded.
action:   the notify action's run() alone (what the plugin adds, without the store).
baseline: Apprise.notify() on a ready Apprise object, with the same title, body and tag.

All send real HTTP POSTs to one json:// receiver on 127.0.0.1.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent / "notify")]

from figures import Figure, compare  # noqa: E402
from notify_support import context, write_yaml  # noqa: E402
from receivers import HttpReceiver  # noqa: E402

COUNT = 1000
TITLE = "Confirm tomorrow: {contact.name}"
BODY = "{contact.company} at {start:%H:%M} ({timezone})"


def _ours(home: Path) -> Callable[[], None]:
    from infoview.plugins.notify.action import run

    ctx = context(home, {"tag": "reminders", "title": TITLE, "body": BODY})

    def send_ours() -> None:
        for _ in range(COUNT):
            result = run(ctx)
            assert result.ok, result.detail
    return send_ours


def _outbox(home: Path) -> Callable[[], None]:
    from datetime import datetime, timezone

    from infoview.clock import Clock
    from infoview.engine import Engine

    now = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    engine = Engine(home, Clock(fixed=now))
    interview = engine.plan({"contact": {"name": "Jane Doe", "company": "Acme", "title": None, "email": None},
                             "start": "2026-12-01T09:00:00+00:00", "timezone": "Europe/Berlin", "mode": "video",
                             "where": None, "goals": []}, dispatch=False).interview
    params = {"notify": {"tag": "reminders", "title": TITLE, "body": BODY}}

    def send_through_outbox() -> None:
        with engine.store.transaction() as tx:
            for _ in range(COUNT):
                tx.enqueue(interview.id, interview.version, "notify", params, "bench", now)
        done = engine.outbox.dispatch()
        assert len(done) == COUNT and all(job.state == "done" for job in done), done[:1]
    return send_through_outbox


def _baseline(url: str, title: str, body: str) -> Callable[[], None]:
    import apprise

    sender = apprise.Apprise()
    sender.add(url, tag="reminders")

    def send_apprise() -> None:
        for _ in range(COUNT):
            assert sender.notify(body=body, title=title, tag="reminders")
    return send_apprise


def run() -> list[Figure]:
    receiver = HttpReceiver().start()
    try:
        with tempfile.TemporaryDirectory() as home:
            url = receiver.url("reminders")
            write_yaml(Path(home) / "apprise.yml", {url: "reminders", receiver.url("other"): "followups"})
            ctx = context(Path(home), {"tag": "reminders", "title": TITLE, "body": BODY})
            action, baseline = _ours(Path(home)), _baseline(url, ctx.render(TITLE), ctx.render(BODY))
            outbox = _outbox(Path(home))
            outbox(), action(), baseline()  # warm all: apprise's first add() and our first config load
            figures = [
                compare(f"notify: {COUNT} through the outbox vs Apprise.notify()", outbox, baseline,
                        target=1.5, kind="within", repeats=5, note="same json:// receiver on 127.0.0.1"),
                compare(f"notify: {COUNT} via the action's run() vs Apprise.notify()", action, baseline,
                        target=1.5, kind="within", repeats=5, note="the plugin alone, no store"),
            ]
            receiver.wait_for(COUNT * (2 * 5 + 2 * 5 + 3))
            return figures
    finally:
        receiver.stop()


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
