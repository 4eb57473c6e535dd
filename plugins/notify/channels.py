"""Where notifications go: the user's own apprise config file (YAML or TEXT, with tags).

We do not invent a format: people already keep apprise configs for their other tools. The file is
`<home>/apprise.yml`, `apprise.yaml` or `apprise.txt` (first that exists), or the path set in
config.toml as `[notify] config = "..."`. It is parsed by apprise itself, once per version of the
file: the loaded channels are cached by (path, mtime, size), so a thousand deliveries read it once.
"""
from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infoview import InfoviewError

from .redact import service_secrets, short_id

CANDIDATES = ("apprise.yml", "apprise.yaml", "apprise.txt")
DOCS = "see docs/notifications.md"


class NoChannelConfig(InfoviewError):
    """No apprise config file where we look: nothing can be notified (a permanent outcome)."""


class ChannelConfigError(InfoviewError):
    """The apprise config file exists but apprise cannot use it."""


@dataclass(frozen=True)
class Channel:
    """One notification service from the config. `id` is safe to show; `service` is not."""

    id: str
    tags: frozenset[str]
    secrets: tuple[str, ...]
    service: Any  # apprise NotifyBase, holds the full URL
    privacy_url: str  # apprise's own masking: not safe to show (see redact.py), used to match results
    key: str  # a hash of the full URL: names the channel in stored records without revealing it


@dataclass
class Channels:
    path: Path
    apprise: Any  # apprise.Apprise holding every channel
    channels: list[Channel]
    problems: list[str] = field(default_factory=list)  # entries apprise skipped while loading

    @property
    def tags(self) -> list[str]:
        return sorted({t for c in self.channels for t in c.tags})

    def tagged(self, tag: str) -> list[Channel]:
        # apprise also sends to services tagged "always"; so do we, to keep its meaning.
        return [c for c in self.channels if tag in c.tags or "always" in c.tags]

    def secrets(self) -> list[str]:
        return sorted({s for c in self.channels for s in c.secrets}, key=len, reverse=True)


def locate(home: Path, config: dict[str, Any]) -> Path:
    """The apprise config file to use, or NoChannelConfig naming where we looked."""
    section = config.get("notify") or {}
    configured = section.get("config") if isinstance(section, dict) else None
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise ChannelConfigError(
                f"config.toml: [notify] config must be a path to an apprise config file, got {configured!r}")
        path = Path(configured).expanduser()
        path = path if path.is_absolute() else home / path
        if not path.is_file():
            raise NoChannelConfig(
                f"apprise config {path} (set by [notify] config in config.toml) does not exist; "
                f"create it or fix the path ({DOCS})")
        return path
    for name in CANDIDATES:
        if (home / name).is_file():
            return home / name
    looked = ", ".join(str(home / n) for n in CANDIDATES)
    raise NoChannelConfig(
        f"no apprise config found (looked for {looked}); create one with tagged URLs ({DOCS})")


_cache: dict[Path, tuple[tuple[int, int], Channels]] = {}
_lock = threading.Lock()


def load(home: Path, config: dict[str, Any]) -> Channels:
    """The channels of the user's apprise config, parsed once per version of the file."""
    path = locate(home, config).resolve()
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    hit = _cache.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    with _lock:
        hit = _cache.get(path)
        if hit is None or hit[0] != key:
            hit = (key, _parse(path))
            _cache[path] = hit
    return hit[1]


_YAML_WHERE = re.compile(r"line (\d+), column (\d+)")
_ENTRY = re.compile(r"Could not load .*?(entry #\d+(?:, item #\d+)?)")


def _parse(path: Path) -> Channels:
    import apprise  # lazily: ~80 ms to import, kept off the CLI's start-up path

    reader = apprise.AppriseConfig()
    # apprise reports parse problems only through its log; keep them to explain an empty result.
    # Its DEBUG lines quote URLs from the file, so while we listen they go nowhere else.
    logger = apprise.logging.getLogger("apprise")
    propagate, logger.propagate = logger.propagate, False
    try:
        with apprise.LogCapture(level=apprise.logging.DEBUG) as captured:
            reader.add(str(path))
            services = reader.services()
    finally:
        logger.propagate = propagate
    log = captured.getvalue()
    # Only apprise's structural messages are kept: its other lines can quote a URL from the file.
    problems = [f"{m.group(1)} could not be loaded; check that URL" for m in _ENTRY.finditer(log)]
    if not services:
        raise ChannelConfigError(f"apprise config {path}: {_why_empty(log, problems)} ({DOCS})")
    sender = apprise.Apprise()
    sender.add(services)
    channels = []
    for service in services:
        privacy_url = service.url(privacy=True)
        key = hashlib.sha256(service.url(privacy=False).encode()).hexdigest()[:32]
        channels.append(Channel(id=short_id(privacy_url), tags=frozenset(str(t) for t in service.tags),
                                secrets=tuple(service_secrets(service)), service=service,
                                privacy_url=privacy_url, key=key))
    return Channels(path=path, apprise=sender, channels=channels, problems=problems)


def _why_empty(log: str, problems: list[str]) -> str:
    if "Invalid Apprise YAML" in log or "YAML Exception" in log:
        where = _YAML_WHERE.search(log)
        at = f" at line {where.group(1)}, column {where.group(2)}" if where else ""
        return f"not valid apprise YAML{at}"
    if problems:
        return "no URL in it could be loaded (" + "; ".join(problems) + ")"
    return "apprise found no notification URLs in it"
