"""Builders shared by the notify tests: an interview, an action context, a config file."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from infoview.actions import ActionContext
from infoview.marks import JobMarks
from infoview.model import Contact, Interview
from infoview.store import open_store
from infoview.templates import SAMPLE

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

INTERVIEW: Interview = dataclasses.replace(
    SAMPLE, id=7, contact=Contact(name="Ada Lovelace", company="Analytical Engines Ltd"),
    start=datetime(2026, 3, 3, 14, 0, tzinfo=timezone.utc), timezone="Europe/Paris",
)


def context(home: Path, params: dict[str, Any], *, config: dict[str, Any] | None = None,
            job_id: int = 1, attempt: int = 1) -> ActionContext:
    from infoview.plugins.notify.params import NotifyParams

    return ActionContext(job_id=job_id, action="notify", interview=INTERVIEW,
                         params=NotifyParams.model_validate(params), attempt=attempt, now=NOW,
                         home=home, config=config or {}, cause="timer:confirm-reminder",
                         marks=JobMarks(open_store(home), "notify", job_id))


def write_yaml(path: Path, channels: dict[str, str]) -> Path:
    """An apprise YAML config: {url: "tag1, tag2"}."""
    lines = ["urls:"]
    for url, tags in channels.items():
        lines += [f'  - "{url}":', f"      tag: {tags}"]
    path.write_text("\n".join(lines) + "\n")
    return path
