"""Read YAML written by people (workflow files, question sets, answers files) safely, keeping
where every value came from, so that every error can say `file:line:col`.

Why not `yaml.safe_load`: it forgets positions, reads `on:`/`yes:`/`no:` as booleans (YAML 1.1),
turns dates into datetime objects, silently keeps the last of duplicate keys, and expands aliases
(a "billion laughs" file takes all memory). Here: only plain scalars, lists and mappings; booleans
are only `true`/`false`; dates stay strings; duplicate keys, aliases and tags are errors; size and
depth are bounded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DefinitionError, Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000

Path_ = tuple[str | int, ...]


class _NotSupported(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's booleans (true/false only) and no timestamp resolution."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Refuse an alias where it is written (the composed node only knows its anchor's place).
        if self.check_event(yaml.AliasEvent):
            raise _NotSupported(problem="YAML aliases (*name) are not supported; write the value out",
                                problem_mark=self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
}


@dataclass
class Document:
    """Parsed data plus the position of every value, by its path in the document."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """The closest known position for a path (its own, else its nearest parent's)."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str) -> Problem:
        line, col = self.where(path)
        return Problem(self.file, line, col, message, format_path(path))


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: Path, label: str | None = None) -> str:
    """Read a file as UTF-8 text with one-line errors for the usual ways that fails."""
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DefinitionError([Problem(label, 1, 1, "file not found")]) from None
    except IsADirectoryError:
        raise DefinitionError([Problem(label, 1, 1, "is a directory, not a file")]) from None
    except OSError as e:
        raise DefinitionError([Problem(label, 1, 1, f"cannot read: {e.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise DefinitionError([Problem(label, 1, 1, f"file is larger than {MAX_BYTES // 1000} kB")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise DefinitionError([Problem(label, line, col, "not UTF-8 text; save the file as UTF-8")]) from None


def load_file(path: Path, label: str | None = None) -> Document:
    return load_text(read_text(path, label), label or str(path))


def load_text(text: str, label: str) -> Document:
    if len(text) > MAX_BYTES:
        raise DefinitionError([Problem(label, 1, 1, f"document is larger than {MAX_BYTES // 1000} kB")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # PyYAML's composer recurses per level: `[[[[...` thousands deep
        line, col = _too_deep(text)
        raise DefinitionError([Problem(label, line, col, f"document is nested deeper than {MAX_DEPTH} levels")]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        prefix = "" if isinstance(e, _NotSupported) else "YAML syntax: "
        raise DefinitionError([Problem(label, line, col, f"{prefix}{e.problem or e.context}")]) from None
    except yaml.reader.ReaderError as e:  # a control character: say where, on one line
        before = text[: e.position]
        line, col = before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1
        char = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise DefinitionError([Problem(label, line, col, f"character {char} is not allowed in YAML text")]) from None
    except yaml.YAMLError as e:
        message = " ".join(str(e).split())
        raise DefinitionError([Problem(label, 1, 1, f"YAML: {message}")]) from None
    doc = Document(label, None)
    if node is None:
        return doc
    counter = [0]
    doc.data = _convert(node, (), doc, 0, counter, set())
    return doc


def _too_deep(text: str) -> tuple[int, int]:
    """Where nesting first goes past MAX_DEPTH, found with the (iterative) event parser."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return 1, 1


def _fail(doc: Document, node: yaml.Node, message: str, path: Path_) -> DefinitionError:
    m = node.start_mark
    return DefinitionError([Problem(doc.file, m.line + 1, m.column + 1, message, format_path(path))])


def _convert(node: yaml.Node, path: Path_, doc: Document, depth: int, counter: list[int], seen: set[int]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _fail(doc, node, f"document has more than {MAX_NODES} values", path)
    if depth > MAX_DEPTH:
        raise _fail(doc, node, f"document is nested deeper than {MAX_DEPTH} levels", path)
    if id(node) in seen:  # the composer returns the same node object for an alias
        raise _fail(doc, node, "YAML aliases (*name) are not supported; write the value out", path)
    seen.add(id(node))
    doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _fail(doc, node, f"tag {node.tag} is not allowed", path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(doc, key_node, "YAML merge keys (<<) are not supported", path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(doc, key_node, "mapping keys must be plain text", path)
            key = str(_scalar(key_node, doc, path))
            if key in out:
                raise _fail(doc, key_node, f"duplicate key '{key}'", path + (key,))
            out[key] = _convert(value_node, path + (key,), doc, depth + 1, counter, seen)
            # Errors about a key point at the key, errors about its value at the value.
            doc.positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _fail(doc, node, f"tag {node.tag} is not allowed", path)
        return [_convert(child, path + (i,), doc, depth + 1, counter, seen) for i, child in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)  # the composer makes no other kind of node
    return _scalar(node, doc, path)


def _scalar(node: yaml.ScalarNode, doc: Document, path: Path_) -> Any:
    if node.tag not in _PLAIN_TAGS:
        raise _fail(doc, node, f"tag {node.tag} is not allowed; only plain text, numbers, true/false", path)
    value = node.value
    if node.tag == "tag:yaml.org,2002:str":
        return value
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    try:
        if len(value) > 40:  # no one writes such numbers by hand; refuse giant-int parsing costs
            return value
        if node.tag == "tag:yaml.org,2002:int":
            digits = value.replace("_", "")
            try:
                return int(digits, 10)  # YAML 1.2: 010 is ten
            except ValueError:
                return int(digits, 0)   # 0x1f, 0o17, 0b101
        return float(value.replace("_", ""))
    except ValueError:
        return value
