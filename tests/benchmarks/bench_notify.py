"""1,000 notifications through the `notify` action vs apprise alone, to the same local receiver.

ours:     the action's run() per notification: template rendering, the cached channel config
          (one stat of the file per call), the tag's channels, apprise's notify, the result.
baseline: Apprise.notify() on a ready Apprise object, with the same title, body and tag.

Both send real HTTP POSTs to one json:// receiver on 127.0.0.1, so the figure says what the
plugin adds on top of apprise. To measure through the outbox instead, replace `send_ours` with
a function that fires the events and ticks the dispatcher; the rest stays as it is.
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
    from plugins.notify.action import run

    ctx = context(home, {"tag": "reminders", "title": TITLE, "body": BODY})

    def send_ours() -> None:
        for _ in range(COUNT):
            result = run(ctx)
            assert result.ok, result.detail
    return send_ours


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
            ours, baseline = _ours(Path(home)), _baseline(url, ctx.render(TITLE), ctx.render(BODY))
            ours(), baseline()  # warm both: apprise's first add() and our first config load
            figure = compare(f"notify: {COUNT} sends via action run() vs Apprise.notify()", ours, baseline,
                             target=1.5, kind="within", repeats=5,
                             note="same json:// receiver on 127.0.0.1")
            expected = COUNT * 2 * (5 + 1)
            receiver.wait_for(expected)
            return [figure]
    finally:
        receiver.stop()


if __name__ == "__main__":
    for fig in run():
        print(fig.to_dict())
