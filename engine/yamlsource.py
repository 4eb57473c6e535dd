"""Read YAML written by people (workflow files, question sets, answers files) safely, as YAML 1.2,
keeping where every key and value came from, so that every error can say `file:line:col`.

YAML 1.2 (ruamel.yaml's parser), not 1.1: `on:`/`yes:`/`no:` are text, only `true`/`false` are
booleans, `{text: Why?}` is a mapping with the text "Why?", and dates stay text. The document is
built here from the parser's events, not by a library constructor, so that the safety rules hold
whatever the library would do: only plain scalars, lists and mappings; aliases, tags other than the
standard ones and merge keys are refused where they are written; duplicate keys are errors; size,
depth and the number of values are bounded. ruamel.yaml is imported only when a file is read: the
CLI's start-up (`--help`, `list`) never pays for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DefinitionError, Problem

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null")}
# YAML 1.2's core schema, for plain (unquoted, untagged) scalars.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


@dataclass
class Document:
    """Parsed data plus positions, by path in the document: `positions` holds, for an entry of a
    mapping, where its key is written (errors about an entry point at its key), for a list item or
    the root, where the value starts; `value_positions` where each value starts."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    value_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """The closest known position for a path (its own, else its nearest parent's)."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def where_value(self, path: Path_) -> tuple[int, int]:
        """Where the value at the path starts (else as `where`)."""
        return self.value_positions.get(tuple(path)) or self.where(path)

    def problem(self, path: Path_, message: str, *, at_value: bool = False) -> Problem:
        line, col = self.where_value(path) if at_value else self.where(path)
        return Problem(self.file, line, col, message, format_path(path))


YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The YAML files in a folder (`.yaml` and `.yml`), by name; a `NAME.yml` beside a `NAME.yaml`
    is one problem, and neither is returned: which one is meant cannot be guessed."""
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix in YAML_SUFFIXES and path.is_file():
            found.setdefault(path.stem, []).append(path)
    files, problems = [], []
    for _stem, paths in sorted(found.items()):
        if len(paths) == 1:
            files.append(paths[0])
        else:
            problems.append(twins_problem(paths[0]))
    return files, problems


def twins_problem(first: Path) -> Problem:
    """NAME.yaml and NAME.yml in one folder: which one is meant cannot be guessed."""
    return Problem(str(first), 1, 1, f"{first.stem}.yaml and {first.stem}.yml are both in {first.parent}; "
                                     "keep one of them (neither is loaded)")


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
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    builder = _Builder(Document(label, None))
    try:
        # pure=True: the Python parser, whose events carry positions however the library is installed.
        for event in YAML(typ="safe", pure=True).parse(text):
            builder.feed(event)
    except MarkedYAMLError as e:
        line, col, message = syntax_problem(e)
        raise DefinitionError([Problem(label, line, col, message)]) from None
    except ReaderError as e:  # a control character: say where, on one line
        before = text[: e.position]
        line, col = before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1
        char = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise DefinitionError([Problem(label, line, col, f"character {char} is not allowed in YAML text; "
                                                         "remove it")]) from None
    except YAMLError:
        raise DefinitionError([Problem(label, 1, 1, "not readable as YAML; check the file's quoting and "
                                                    "indentation")]) from None
    return builder.doc


def syntax_problem(e: MarkedYAMLError) -> tuple[int, int, str]:
    """A parser error as (line, col, message in our words): what is wrong at that place and what to
    do. The library's own sentences are matched, never shown."""
    problem, context = e.problem or "", e.context or ""
    mark = e.problem_mark or e.context_mark
    opened = e.context_mark
    at = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    opened_at = f"line {opened.line + 1}, column {opened.column + 1}" if opened is not None else "above"
    found = re.search(r"found '?(<[\w ]+>|.)'?$", problem) or re.search(r"got '?(<[\w ]+>|.)'?$", problem)
    token = found.group(1) if found else ""
    if "mapping values are not allowed" in problem:
        message = ("unexpected ':' here; check the indentation of this line, or put the value in quotes "
                   "if it contains ': '")
    elif "could not find expected ':'" in problem and opened is not None:
        at, message = (opened.line + 1, opened.column + 1), \
            "this line is neither 'key: value' nor a list item ('- ...'); add the ':' or check the indentation"
    elif "'\\t'" in problem:
        message = "a tab character cannot indent YAML; indent with spaces"
    elif "cannot start any token" in problem:
        char = re.search(r"character '(.+?)' that", problem)
        message = f"a value cannot start with '{char.group(1) if char else token}'; put the value in quotes"
    elif "quoted scalar" in context and "end of stream" in problem and opened is not None:
        at, message = (opened.line + 1, opened.column + 1), \
            "this quoted text is never closed; add the closing quote"
    elif "escape character" in problem:
        message = ("unknown escape in double-quoted text; write \\\\ for a backslash, or use single quotes")
    elif "flow mapping" in context or "flow sequence" in context:
        closer = "}" if "mapping" in context else "]"
        if token == "<stream end>":
            message = f"the '{'{' if closer == '}' else '['}' at {opened_at} is never closed; add '{closer}'"
        else:
            message = (f"expected ',' or '{closer}' here, inside the {'mapping' if closer == '}' else 'list'} "
                       f"opened at {opened_at}; check for a missing '{closer}' or comma")
    elif "block" in context and token == "-":
        message = "a list item ('-') where a key was expected; check the indentation of this line"
    elif "block" in context and "expected <block end>" in problem:
        message = "this line does not line up with the lines above it; check its indentation"
    elif "expected the node content" in problem:
        message = f"expected a value here, not '{token}'; put the value in quotes if it is text"
    elif "document" in problem or "document" in context:
        message = "unexpected text after the end of the document; check the indentation of this line"
    else:
        message = "not valid YAML here; check the indentation and the quoting of this line"
    return at[0], at[1], message


class _Frame:
    """A mapping or list being filled, with where it sits in the document."""

    def __init__(self, path: Path_, value: dict[str, Any] | list[Any]):
        self.path, self.value = path, value
        self.key: str | None = None  # a mapping's key waiting for its value
        self.first_line: dict[str, int] = {}


class _Builder:
    """Builds the document from parser events (iteratively: any nesting is counted, never recursed)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.documents = 0

    def fail(self, event: Any, message: str, path: Path_ = ()) -> DefinitionError:
        m = event.start_mark
        return DefinitionError([Problem(self.doc.file, m.line + 1, m.column + 1, message, format_path(path))])

    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise self.fail(event, "a second YAML document ('---'); a file holds one document: remove "
                                       "the '---' line and everything after it, or move it to its own file")
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            self.stack.pop()
        elif kind == "AliasEvent":
            raise self.fail(event, "YAML aliases (*name) are not supported; write the value out", self.next_path())
        elif kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent"):
            self.node(event, kind)

    def next_path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return top.path + (len(top.value),)
        return top.path + ((top.key,) if top.key is not None else ())

    def node(self, event: Any, kind: str) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.value, dict) and top.key is None:
            self.key(event, kind, top)
            return
        path = self.next_path()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(event, f"document has more than {MAX_NODES} values", path)
        tag = event.tag
        m = event.start_mark
        self.doc.value_positions[path] = (m.line + 1, m.column + 1)
        if top is None or isinstance(top.value, list):
            self.doc.positions[path] = (m.line + 1, m.column + 1)
        value: Any
        if kind == "ScalarEvent":
            if tag is not None and tag not in _SCALAR_TAGS and tag != "!":
                raise self.fail(event, f"tag {tag} is not allowed; only plain text, numbers, true/false", path)
            value = _scalar(event.value, tag, event.style)
        else:
            expected = _STD + ("map" if kind == "MappingStartEvent" else "seq")
            if tag is not None and tag != expected:
                raise self.fail(event, f"tag {tag} is not allowed; only plain text, numbers, true/false, "
                                       "lists and mappings", path)
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(event, f"document is nested deeper than {MAX_DEPTH} levels", path)
            value = {} if kind == "MappingStartEvent" else []
        if top is None:
            self.doc.data = value
        elif isinstance(top.value, list):
            top.value.append(value)
        else:
            assert top.key is not None
            top.value[top.key] = value
            top.key = None
        if kind != "ScalarEvent":
            self.stack.append(_Frame(path, value))

    def key(self, event: Any, kind: str, top: _Frame) -> None:
        if kind != "ScalarEvent":
            raise self.fail(event, "a mapping key must be plain text, not a list or a mapping", top.path)
        if event.style is None and event.value == "<<" and event.tag is None:
            raise self.fail(event, "YAML merge keys (<<) are not supported; write the keys out", top.path)
        if event.tag is not None and event.tag != _STD + "str":
            raise self.fail(event, f"tag {event.tag} is not allowed on a key", top.path)
        # A key is the text as written: `1:` is the key "1", `on:` the key "on".
        key = str(event.value)
        m = event.start_mark
        assert isinstance(top.value, dict)
        if key in top.value:
            raise self.fail(event, f"duplicate key '{key}' (first on line {top.first_line[key]}); a key may "
                                   "appear once in a mapping", top.path + (key,))
        top.first_line[key] = m.line + 1
        self.doc.positions[top.path + (key,)] = (m.line + 1, m.column + 1)
        top.key = key


def _scalar(text: str, tag: str | None, style: str | None) -> Any:
    """A scalar's value: quoted (or `!!str`) is text; a plain one follows YAML 1.2's core schema."""
    if tag == _STD + "str" or (tag is None and style is not None) or tag == "!":
        return text
    if tag == _STD + "null" or (tag is None and _NULL.match(text)):
        return None
    if tag == _STD + "bool" or (tag is None and _BOOL.match(text)):
        return text.lower() == "true"
    if len(text) > 40:  # no one writes such numbers by hand; refuse giant-int parsing costs
        return text
    try:
        if tag == _STD + "int" or (tag is None and _INT.match(text)):
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)  # 010 is ten
        if tag == _STD + "float" or (tag is None and _FLOAT.match(text)):
            return float(text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                         .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
    except ValueError:
        pass
    return text
