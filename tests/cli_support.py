"""Run the real `infoview` CLI as a subprocess, with its own home and clock."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TIMEOUT = 120


def infoview(home: Path, *args: str, now: str | None = None, input: str | None = None,
             env: dict[str, str] | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "engine.cli", "--home", str(home), *(["--now", now] if now else []), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, input=input, env=full_env, timeout=TIMEOUT)
    if check:
        assert proc.returncode == 0, f"{args} exited {proc.returncode}: {proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def infoview_json(home: Path, *args: str, now: str | None = None) -> Any:
    return json.loads(infoview(home, *args, "--json", now=now, check=True).stdout)
