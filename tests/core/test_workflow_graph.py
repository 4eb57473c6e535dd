"""`infoview workflow graph NAME|FILE --format mermaid|dot`, read back by Mermaid's own parser and
drawn by Graphviz: every state shows under its own name, every arrow where the workflow has it."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cli_support import CLI, ROOT, write
from graph_readers import graphviz_texts, mermaid_reads
from infoview.engine import Engine
from infoview.graph import dot, mermaid
from infoview.workflow import State, Transition, Workflow

SHIPPED = ROOT / "workflows" / "informational-interview.yaml"
EXAMPLES = sorted((ROOT / "examples" / "workflows").glob("*.yaml"))

# Names Mermaid cannot take as ids: `-`, and its keywords `end`, `state`, `note`, `direction`.
AWKWARD = """\
name: awkward-names
title: Café "chat" \\ with ünïcode
initial: on-hold
states:
  on-hold:   {}
  end:       {}
  state:     {not_before: start}
  note:      {}
  direction: {}
  call-off:  {final: true, means: cancelled}
transitions:
  - {event: put-through, from: on-hold,          to: end}
  - {event: call-off,    from: [on-hold, end],   to: call-off}
  - {event: state,       from: end,              to: state}
  - {event: note,        from: [state, note],    to: note}
  - {event: end,         from: note,             to: direction}
  - {event: thanked,     from: [note, direction]}
"""


def expected_arrows(wf: Workflow) -> set[tuple[str, str, str]]:
    arrows = {("[*]", wf.initial, "")} | {(name, "[*]", "") for name, st in wf.states.items() if st.final}
    return arrows | {(src, t.to, event) for (src, event), t in wf.table.items()}


def registered(iv: CLI, name: str) -> Workflow:
    return Engine(iv.home).registry.workflow(name)


def assert_mermaid_draws(text: str, wf: Workflow) -> None:
    reading = mermaid_reads(text)
    assert reading.type == "stateDiagram"
    assert sorted(reading.states.values()) == sorted(wf.states)
    assert reading.named() == expected_arrows(wf)


def assert_graphviz_draws(text: str, wf: Workflow) -> None:
    texts = graphviz_texts(text)
    assert wf.title in texts
    assert set(wf.states) <= set(texts)
    assert {event for _, event in wf.table} <= set(texts)


def test_the_shipped_workflow_by_name_in_both_formats(iv: CLI) -> None:
    wf = registered(iv, "informational-interview")
    out = iv.sub("workflow", "graph", "informational-interview").ok().out
    assert_mermaid_draws(out, wf)
    named = mermaid_reads(out).named()
    assert {("[*]", "planned", ""), ("planned", "confirmed", "confirm"), ("confirmed", "planned", "reschedule"),
            ("noted", "noted", "thanked"), ("cancelled", "[*]", "")} <= named
    assert_graphviz_draws(iv("workflow", "graph", "informational-interview", "--format", "dot").ok().out, wf)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_workflow_by_file_in_both_formats(iv: CLI, example: Path) -> None:
    # installed too, so the registry's reading of it is what the drawing must show
    write(iv.home / "workflows" / example.name, example.read_text(encoding="utf-8"))
    wf = registered(iv, example.stem)
    assert_mermaid_draws(iv("workflow", "graph", example).ok().out, wf)
    assert_graphviz_draws(iv("workflow", "graph", example, "--format", "dot").ok().out, wf)


def test_awkward_state_names_and_title_through_the_cli(iv: CLI, tmp_path: Path) -> None:
    path = write(tmp_path / "awkward.yaml", AWKWARD)
    # the file being written, before it is installed: by its path
    mermaid_out = iv("workflow", "graph", path).ok().out
    dot_out = iv("workflow", "graph", path, "--format", "dot").ok().out
    write(iv.home / "workflows" / "awkward-names.yaml", AWKWARD)
    wf = registered(iv, "awkward-names")
    assert wf.title == 'Café "chat" \\ with ünïcode'
    assert_mermaid_draws(mermaid_out, wf)
    assert_graphviz_draws(dot_out, wf)
    assert iv("workflow", "graph", "awkward-names").ok().out == mermaid_out


def test_names_beyond_what_files_allow_still_draw(iv: CLI, tmp_path: Path) -> None:
    """The drawing does not lean on the loader's name rules: spaces, quotes, `#`, `;`, a backslash
    and other scripts come out as written in both tools."""
    write(iv.home / "workflows" / "awkward-names.yaml", AWKWARD)
    wf = registered(iv, "awkward-names")
    new = {"on-hold": "on hold", "end": 'end "for now"', "state": "état #1; ok", "note": "笔记 \\ n",
           "direction": "direction", "call-off": "call-off"}
    states: dict[str, State] = {new[name]: st for name, st in wf.states.items()}
    table: dict[tuple[str, str], Transition] = {
        (new[src], f"{event}: #{n};"): replace(t, source=new[src], to=new[t.to])
        for n, ((src, event), t) in enumerate(wf.table.items())}
    renamed = replace(wf, initial=new[wf.initial], states=states, table=table)
    assert_mermaid_draws(mermaid(renamed), renamed)
    assert_graphviz_draws(dot(renamed), renamed)


def test_a_file_with_problems_is_reported_as_check_does(iv: CLI, tmp_path: Path) -> None:
    path = write(tmp_path / "broken.yaml", AWKWARD.replace("to: direction", "to: directoin"))
    graph = iv("workflow", "graph", path)
    check = iv("workflow", "check", path)
    assert graph.code == 1 and graph.out == ""
    assert graph.err == check.err and "unknown state 'directoin'; did you mean 'direction'?" in graph.err
    assert graph.err.startswith(f"{path}:")


def test_unknown_names_missing_files_and_formats_are_one_line(iv: CLI, tmp_path: Path) -> None:
    r = iv.sub("workflow", "graph", "informational-interveiw")
    assert r.code == 1 and r.out == ""
    assert r.line.startswith("no workflow named 'informational-interveiw'; did you mean 'informational-interview'?")
    r = iv.sub("workflow", "graph", tmp_path / "nowhere.yaml")
    assert r.code == 1 and r.line == f"{tmp_path / 'nowhere.yaml'}:1:1: file not found"
    r = iv.sub("workflow", "graph", "informational-interview", "--format", "png")
    assert r.code == 2 and "'png' is not one of 'mermaid', 'dot'" in r.err


def test_a_relative_path_is_a_file_even_without_an_extension(iv: CLI) -> None:
    # Run next to the file, as an author in their folder would: a name never has a "/" in it.
    folder = iv.home.parent
    write(folder / "coffee", SHIPPED.read_text(encoding="utf-8").replace(
        "name: informational-interview", "name: coffee"))
    r = iv.sub("workflow", "graph", "./coffee")
    assert r.code == 0, r.err
    assert mermaid_reads(r.out).type == "stateDiagram"
