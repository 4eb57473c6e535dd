"""Durations and timer times as people write them: `1d`, `2h30m`, `3w`, `start - 1d`, `end + 24h`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"^(\d{1,6}[wdhms])+$")
_PART = re.compile(r"(\d+)([wdhms])")
_AT = re.compile(r"^\s*([a-z_]+)\s*(?:([+-])\s*(\S+))?\s*$")
MAX = timedelta(days=3660)  # ten years: further than any reminder is worth
ANCHORS = ("start", "end", "entered")


def _shown(text: object, limit: int = 40) -> str:
    """The user's text for an error message, cut short: a 10 kB value stays a one-line error."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "..."


def parse_duration(text: str) -> timedelta:
    """`1d`, `90m`, `1w2d`, `0s`. Raises ValueError with a message that says what is accepted."""
    compact = str(text).replace(" ", "")
    if not _DURATION.match(compact):
        raise ValueError(f"'{_shown(text)}' is not a duration; write e.g. 10m, 1h, 1d, 3w or 1d12h")
    seconds = sum(int(n) * _UNITS[u] for n, u in _PART.findall(compact))
    if seconds > MAX.total_seconds():
        raise ValueError(f"'{_shown(text)}' is longer than ten years")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class At:
    """A point in time relative to one of the interview's anchors."""

    anchor: str
    offset: timedelta

    def __str__(self) -> str:
        if not self.offset:
            return self.anchor
        sign = "-" if self.offset < timedelta(0) else "+"
        return f"{self.anchor} {sign} {format_duration(abs(self.offset))}"


def parse_at(text: str) -> At:
    """`start - 1d`, `end + 24h`, `entered + 3w`, `start`."""
    m = _AT.match(str(text))
    if not m:
        raise ValueError(f"'{_shown(text)}' is not a timer time; write e.g. 'start - 1d' or 'end + 24h'")
    anchor, sign, amount = m.groups()
    if anchor not in ANCHORS:
        from .suggest import did_you_mean

        raise ValueError(f"unknown anchor '{_shown(anchor)}'" + did_you_mean(anchor, ANCHORS))
    offset = parse_duration(amount) if amount else timedelta(0)
    return At(anchor, -offset if sign == "-" else offset)


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "0s"
    out = ""
    for unit, size in _UNITS.items():
        if unit == "w" and seconds % size:
            continue  # 10d reads better than 1w3d
        n, seconds = divmod(seconds, size)
        if n:
            out += f"{n}{unit}"
    return out
