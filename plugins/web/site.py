"""What the web app serves from: the home, the clock, the address it is bound to, and an Engine
per worker thread (the SQLite store is not shared across threads; each engine is one more client
of the home, like another CLI process, so a CLI change shows on the next load)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECRET_FILE = "web-secret"


@dataclass
class Site:
    home: Path
    clock: Any                  # infoview.clock.Clock, shared: --now freezes the pages' "now" too
    host: Any                   # the loaded PluginHost, shared by every engine
    bound: str = "127.0.0.1"    # the address listened on
    port: int = 0               # set once listening
    secret: str = ""
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def engine(self) -> Any:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            from infoview.engine import Engine

            engine = self._local.engine = Engine(self.home, self.clock, self.host)
        return engine

    @property
    def base_url(self) -> str:
        from infoview.plugins.calendar.urls import base_url

        return base_url(self.bound, self.port)

    def login_url(self) -> str:
        return f"{self.base_url}/login?token={self.secret}"

    def host_names(self) -> set[str]:
        """The Host header values a page may be asked with: the bound address and, for a loopback
        one, its usual names. Anything else is a DNS rebinding attempt or a misdirected request."""
        names = {self.bound}
        if self.bound in ("127.0.0.1", "::1", "localhost"):
            names |= {"127.0.0.1", "localhost", "::1"}
        if self.bound in ("", "0.0.0.0", "::"):
            import socket

            names |= {socket.getfqdn(), socket.gethostname(), "127.0.0.1", "localhost"}
        out = set()
        for name in names:
            shown = f"[{name}]" if ":" in name else name
            out |= {f"{shown}:{self.port}".lower()}
        return out
