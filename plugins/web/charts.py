"""Bar charts as plain geometry for the report's inline SVG (drawn on the server: readable with
JavaScript off, and by a screen reader through each chart's title and the table beside it)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from infoview import Interview

WIDTH = 480
ROW = 26
LABEL = 170   # room for the labels left of the bars


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    css: str = ""
    x: int = LABEL   # where the bar starts; its label ends just before, its number follows it


def bars(rows: Iterable[tuple[str, int]], css: str = "") -> tuple[list[Bar], int]:
    """Horizontal bars scaled to the largest value; returns the bars and the chart's height."""
    rows = list(rows)
    top = max((v for _, v in rows), default=0) or 1
    room = WIDTH - LABEL - 40
    out = [Bar(label, value, i * ROW, round(room * value / top), css) for i, (label, value) in enumerate(rows)]
    return out, max(1, len(out)) * ROW


def per_week(interviews: Iterable[Interview], now: datetime, back: int = 8, ahead: int = 4,
             skip: frozenset[str] = frozenset({"cancelled"})) -> list[tuple[str, int]]:
    """Conversations by the week they start in (Monday first), from `back` weeks ago to `ahead`."""
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    weeks = [monday + timedelta(weeks=k) for k in range(-back, ahead + 1)]
    counts = dict.fromkeys(weeks, 0)
    for i in interviews:
        if i.state in skip:
            continue
        start = i.start.astimezone(now.tzinfo)
        week = (start - timedelta(days=start.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        if week in counts:
            counts[week] += 1
    return [(("this week " if w == monday else "") + f"{w:%d %b}", n) for w, n in counts.items()]
