"""A stand-in with the Engine API the calendar plugin uses (home, config, interviews,
change_marker, plugin_manager), holding interviews in memory. The plugin manager is a real
pluggy one with the real hookspecs and the calendar plugin registered, so hook calls are real."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pluggy

import engine.hookspecs
import plugins.calendar
from engine.clock import Clock
from engine.errors import NotFound
from engine.model import Interview


class MemoryEngine:
    def __init__(self, home: Path, interviews: list[Interview], config: dict[str, Any] | None = None):
        self.home = home
        self.clock = Clock()
        self.config = config or {}
        self._interviews = {iv.id: iv for iv in interviews}
        self._version = 0
        self._lock = threading.Lock()
        self.plugin_manager = pluggy.PluginManager("infoview")
        self.plugin_manager.add_hookspecs(engine.hookspecs)
        self.plugin_manager.register(plugins.calendar, name="calendar")

    def get(self, interview_id: int) -> Interview:
        try:
            return self._interviews[interview_id]
        except KeyError:
            raise NotFound(f"no interview {interview_id}") from None

    def interviews(self, states: list[str] | None = None) -> list[Interview]:
        with self._lock:
            return [iv for iv in self._interviews.values() if states is None or iv.state in states]

    def change_marker(self) -> tuple:
        return ("memory", self._version)

    def put(self, interview: Interview) -> None:
        """Commit a change: what Engine.fire does to the projection, as the feed sees it."""
        with self._lock:
            self._interviews[interview.id] = interview
            self._version += 1
