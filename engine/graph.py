"""A workflow drawn as a diagram: Mermaid's state diagram or Graphviz DOT.

Both name each state by a safe id and show its name as a label, so any name the loader accepts
(and anything a future loader might: spaces, quotes, other scripts) reads the same in either tool.
Mermaid ids may not contain `-` and several words are keywords there (`end`, `state`, `note`...),
hence `s0`, `s1`, ... in file order; DOT's quoted ids take anything once escaped.
"""
from __future__ import annotations

from .workflow import Workflow

FORMATS = ("mermaid", "dot")


def draw(wf: Workflow, fmt: str) -> str:
    """The workflow in `fmt` (one of FORMATS), as text ending without a newline."""
    return mermaid(wf) if fmt == "mermaid" else dot(wf)


def _ids(wf: Workflow) -> dict[str, str]:
    return {name: f"s{n}" for n, name in enumerate(wf.states)}


def _mermaid_text(text: str) -> str:
    """Mermaid reads `#name;` and `#123;` as entities: write `#` and `"` that way, and keep a label
    on its line (a line break ends a statement)."""
    text = " ".join(text.split())
    return "".join(f"#{ord(ch)};" if ch in '#";' else ch for ch in text)


def mermaid(wf: Workflow) -> str:
    ids = _ids(wf)
    lines = ["stateDiagram-v2"]
    lines += [f'    state "{_mermaid_text(name)}" as {sid}' for name, sid in ids.items()]
    lines.append(f"    [*] --> {ids[wf.initial]}")
    for (src, event), t in wf.table.items():
        lines.append(f"    {ids[src]} --> {ids[t.to]}: {_mermaid_text(event)}")
    lines += [f"    {ids[name]} --> [*]" for name, st in wf.states.items() if st.final]
    return "\n".join(lines)


def _dot_quoted(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped (a bare backslash would start one of
    Graphviz's label escapes such as \\N), line breaks as \\n."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "\\n".join(escaped.splitlines()) + '"'


def dot(wf: Workflow) -> str:
    ids = _ids(wf)
    lines = [f"digraph {_dot_quoted(wf.name)} {{", "    rankdir=LR;",
             f"    label={_dot_quoted(wf.title)};", "    labelloc=t;",
             # the dot the diagram starts from: an id no state has (state ids are s0, s1, ...)
             '    "start" [shape=point, label=""];']
    for name, st in wf.states.items():
        shape = "doublecircle" if st.final else "ellipse"
        lines.append(f'    "{ids[name]}" [label={_dot_quoted(name)}, shape={shape}];')
    lines.append(f'    "start" -> "{ids[wf.initial]}";')
    for (src, event), t in wf.table.items():
        lines.append(f'    "{ids[src]}" -> "{ids[t.to]}" [label={_dot_quoted(event)}];')
    lines.append("}")
    return "\n".join(lines)
