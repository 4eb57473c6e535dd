"""What became of each channel of a notify job, so that no channel gets a message twice, not even
when infoview is killed in the middle of a send.

Just before apprise is called, one commit marks every channel about to get the message
`started`. When apprise has answered and the job is not over (a channel refused, or another one
is unsure), one more commit marks those that accepted it `delivered` and forgets those that
refused it (they are tried again later). When every channel accepted it, the outbox's `done`,
committed right after, is the record. A channel still `started` when its job runs again was cut
off mid-send: it may or may not have the message, so it is not sent to again until the user
says so (`infoview outbox retry ID`).

Kept as the action's marks in the home's store (`ActionContext.marks`), keyed by a hash of the
channel URL (`Channel.key`, never the URL itself). Each commit survives the process being killed,
as the store's own commits do. Homes from releases that kept these in `notify-delivered.sqlite`
have them moved into the store when it is first opened.
"""
from __future__ import annotations

from infoview.marks import JobMarks
from infoview.store import Mark

from .channels import Channel

STARTED, DELIVERED = "started", "delivered"

__all__ = ["DELIVERED", "STARTED", "Mark", "settle", "starting"]


def starting(marks: JobMarks, channels: list[Channel]) -> None:
    """Commit that these channels are about to be sent the job's message. Called right before
    the network call: whatever is marked here may have arrived from then on."""
    marks.set([c.key for c in channels], STARTED)


def settle(marks: JobMarks, accepted: list[Channel], refused: list[Channel]) -> None:
    """Commit apprise's answer: `accepted` have the message, `refused` certainly do not."""
    marks.update({c.key: DELIVERED for c in accepted}, forget=[c.key for c in refused])
