"""Send one message to the channels of one tag and say, per channel, what happened."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .channels import Channel, Channels
from .redact import scrub

DEFAULT_TIMEOUT = 30.0  # seconds for the whole call: a hung service must not stall the outbox


@dataclass(frozen=True)
class Outcome:
    """One channel's answer. `channel` and `reason` are safe to store and show."""

    channel: str
    tag: str
    ok: bool
    reason: str = ""
    source: Channel | None = field(default=None, repr=False, compare=False)  # never shown

    def to_dict(self) -> dict[str, object]:
        return {"channel": self.channel, "tag": self.tag, "ok": self.ok, "reason": self.reason}


def send(channels: Channels, tag: str, title: str, body: str, *, only: Iterable[Channel] | None = None,
         timeout: float = DEFAULT_TIMEOUT, before: Callable[[list[Channel]], None] | None = None) -> list[Outcome]:
    """Notify the channels tagged `tag` (or just `only`, a subset of them). apprise refuses an
    empty body, so a title-only message is sent with the title as its body too. `before` gets
    the channels about to be sent to, once everything else is ready, just before apprise sends."""
    from apprise import Apprise  # lazily: see channels._parse

    targets = list(only) if only is not None else channels.tagged(tag)
    if not targets:
        return []
    sender = channels.apprise
    if only is not None:
        sender = Apprise()
        sender.add([c.service for c in targets])
    if before is not None:
        before(targets)
    result = sender.notify(body=body or title, title=title, tag=tag, timeout=timeout)
    secrets = channels.secrets()
    outcomes = []
    unmatched = list(targets)
    for service_result in result:
        channel = _which(service_result, unmatched)
        if channel is not None:
            unmatched.remove(channel)
        reason = "" if service_result else _reason(service_result, secrets)
        outcomes.append(Outcome(channel=channel.id if channel else scrub(service_result.url, secrets),
                                tag=tag, ok=bool(service_result), reason=reason, source=channel))
    if not outcomes and not result:
        # The call itself failed before any service ran (apprise refused the message).
        why = "; ".join(scrub(e.message, secrets) for e in result.logs()) or result.status.name.lower()
        outcomes = [Outcome(channel=c.id, tag=tag, ok=False, reason=why, source=c) for c in targets]
    return outcomes


def _which(service_result: object, targets: list[Channel]) -> Channel | None:
    # apprise 2.x results name a service by its privacy URL; match it back to our channel. Two
    # channels can share a privacy URL (apprise masks what differs); results come in the order
    # of the services, so the first channel not matched yet is the one.
    url = getattr(service_result, "url", "")
    return next((c for c in targets if c.privacy_url == url), None)


def _reason(service_result: object, secrets: list[str]) -> str:
    messages = [e.message for e in service_result.logs()]  # type: ignore[attr-defined]
    status = service_result.status.name.lower()  # type: ignore[attr-defined]
    text = "; ".join(dict.fromkeys(m.strip() for m in messages if m.strip())) or status
    return scrub(text, secrets)
