"""The README's first command: the demo shows every part of the product, quickly, and cleans up."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path


def test_demo_walks_the_whole_product_in_well_under_30_seconds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOVIEW_")}
    env["TMPDIR"] = str(tmp_path)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "infoview.cli", "demo"], capture_output=True, text=True,
                            env=env, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert elapsed < 30
    for seen in ("Jane Doe: confirm    planned -> confirmed", "Jane Doe: evaluate   noted -> evaluated",
                 "Priya Natarajan: cancel     planned -> cancelled", "Sam Roe: reschedule confirmed -> planned"):
        assert seen in out
    received = out.split("notifications that reached the local receiver")[1].split("==")[0]
    assert "Confirm tomorrow's conversation with Jane Doe (Acme) at 10:00" in received
    assert "Send Jane Doe a thank-you note today" in received
    assert re.search(r"-> 200, text/calendar; charset=utf-8, 3 events", out)
    assert "STATUS:CANCELLED" in out and "-> 304" in out
    assert "# Preparation brief: Sam Roe" in out and "referred by #1 Jane Doe" in out
    assert list(tmp_path.glob("infoview-demo-*")) == []  # the throwaway home is gone
