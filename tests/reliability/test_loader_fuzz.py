"""Random workflow files never crash the loader: they load, or raise DefinitionError whose
every problem has file:line:col. Generated valid files load; mutations of the shipped file
(deleted keys, misspelt states, wrong types, random bytes) are reported, not crashed on."""
from __future__ import annotations

import copy
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from infoview.definition import Workflow, load_workflow
from infoview.errors import DefinitionError
from infoview.yamlsource import load_file
from ruamel.yaml import YAML
from support import engine

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "workflows" / "informational-interview.yaml"
SHIPPED_DATA = load_file(SHIPPED).data
_CATALOG = None
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def catalog():
    global _CATALOG
    if _CATALOG is None:
        with tempfile.TemporaryDirectory() as tmp:
            _CATALOG = engine(Path(tmp)).registry.catalog
    return _CATALOG


def load_bytes(raw: bytes) -> Workflow | DefinitionError:
    """Load the bytes as a workflow file; return the workflow or the DefinitionError (anything
    else propagates and fails the test)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(raw)
        try:
            return load_workflow(path, catalog())
        except DefinitionError as e:
            assert e.problems, "a DefinitionError without problems"
            text = raw.decode("utf-8", "replace")
            lines = text.splitlines() or [""]
            for p in e.problems:
                assert p.file == str(path)
                assert p.line >= 1 and p.col >= 1, p
                assert p.line <= len(lines) + 1, (p, len(lines))
                assert p.message and "\n" not in p.message
                assert str(p).startswith(f"{path}:{p.line}:{p.col}: ")
            return e


def dump(data) -> bytes:
    """The data as block-style YAML 1.2, written by an independent emitter."""
    out = io.StringIO()
    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = False
    writer.dump(data, out)
    return out.getvalue().encode("utf-8")


def test_the_shipped_file_loads():
    assert isinstance(load_bytes(SHIPPED.read_bytes()), Workflow)


# ---- generated valid workflows -----------------------------------------------------------------

names = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)


@st.composite
def valid_workflows(draw):
    states = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    events = draw(st.lists(names.filter(lambda n: n != "plan"), min_size=len(states), max_size=len(states) + 4,
                           unique=True))
    transitions = []
    # a chain from the initial state makes every state reachable
    for i in range(1, len(states)):
        transitions.append({"event": events[i - 1], "from": states[i - 1], "to": states[i]})
    for event in events[len(states) - 1:]:
        src = draw(st.lists(st.sampled_from(states), min_size=1, max_size=len(states), unique=True))
        t = {"event": event, "from": src if len(src) > 1 else src[0]}
        if draw(st.booleans()):
            t["to"] = draw(st.sampled_from(states))
        transitions.append(t)
    timers = []
    for i in range(draw(st.integers(0, 3))):
        sign = draw(st.sampled_from(["+", "-"]))
        amount = draw(st.integers(0, 500))
        unit = draw(st.sampled_from("mhdw"))
        timer = {"id": f"t{i}", "at": f"{draw(st.sampled_from(['start', 'end', 'entered']))} {sign} {amount}{unit}",
                 "when": draw(st.lists(st.sampled_from(states), min_size=1, unique=True)),
                 "do": [{"remind": {"title": "Hello {contact.name} at {start:%H:%M}"}}]}
        if draw(st.booleans()):
            timer["late"] = f"{draw(st.integers(1, 48))}h"
        timers.append(timer)
    return {"name": draw(names), "initial": states[0], "default_minutes": draw(st.integers(5, 480)),
            "states": {s: {} for s in states}, "transitions": transitions, "timers": timers}


@FUZZ
@given(valid_workflows())
def test_generated_valid_workflows_load(data):
    result = load_bytes(dump(data))
    assert isinstance(result, Workflow), result
    assert set(result.states) == set(data["states"])


# ---- mutations of the shipped file -------------------------------------------------------------

def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(SHIPPED_DATA) if p]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                 st.text(max_size=20), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                                            st.integers(), max_size=3))


def _parent(data, path):
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw):
    data = copy.deepcopy(SHIPPED_DATA)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        kind = draw(st.sampled_from(["delete", "junk", "misspell", "rename-key"]))
        if kind == "delete":
            del parent[key]
        elif kind == "junk":
            parent[key] = draw(JUNK)
        elif kind == "misspell" and isinstance(parent[key], str) and parent[key]:
            s = parent[key]
            i = draw(st.integers(0, len(s) - 1))
            parent[key] = s[:i] + draw(st.sampled_from("xqz_")) + s[i + 1:]
        elif kind == "rename-key" and isinstance(parent, dict):
            parent[str(key) + draw(st.sampled_from(["s", "x", "_"]))] = parent.pop(key)
    return data


@FUZZ
@given(mutated())
def test_mutations_of_the_shipped_file_load_or_name_each_problem(data):
    load_bytes(dump(data))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader(raw):
    load_bytes(raw)


@FUZZ
@given(st.data())
def test_random_bytes_spliced_into_the_shipped_file(data):
    raw = SHIPPED.read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    cut = data.draw(st.integers(0, 40))
    load_bytes(raw[:at] + data.draw(st.binary(max_size=30)) + raw[at + cut:])
