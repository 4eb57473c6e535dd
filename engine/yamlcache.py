"""Parsed workflow and question-set files kept in `<home>/cache/yaml/`, so that a file that has not
changed is not parsed again by every process.

Parsing YAML with positions (engine/yamlsource.py) is the slowest part of starting a command: the
pure-Python parser takes tens of milliseconds per file, and a home reads ten of them. Checking the
parsed document (pydantic, cross-references) is cheap and is still done every time, so an entry
depends on nothing but the file's text: it is named by the SHA-256 of that text and of the
loader's own source file (its size and modification time: an edited or upgraded loader never reads
an entry written by another). An entry holds the document's data and the line:col of every key
and value, so every problem is still reported at its place in the file.

Only a document that parsed is kept (a file with a YAML mistake is parsed, and reported, every
time). The cache is never needed: an entry that cannot be read, does not validate or belongs to
other text is ignored and written again; a home that cannot be written (read-only, full) simply
parses every time. Deleting the folder is always safe.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from . import yamlsource
from .yamlsource import Document, Path_

FOLDER = ("cache", "yaml")
# Bump when what a Document holds changes shape (the loader's own file is part of the key as well).
FORMAT = 1
# Entries beyond this many are pruned, oldest first, when a new one is written: each edit of a
# file leaves its old entry behind.
KEEP = 200

JSONPath = list[str | int]
Spot = tuple[JSONPath, int, int]


class Entry(BaseModel):
    """One cached document as stored (the file is JSON: the data of a YAML document is JSON's)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    format: int
    digest: str
    data: object
    positions: list[Spot]
    value_positions: list[Spot]


def folder_of(home: Path) -> Path:
    return home.joinpath(*FOLDER)


def load_source(source: Path | Traversable, label: str, home: Path | None) -> Document:
    """A workflow or question-set file (a Path, or a file inside an installed package), parsed
    through the cache of `home` (None: no cache)."""
    if isinstance(source, Path):
        text = yamlsource.read_text(source, label)  # its one-line errors for a missing or binary file
    else:
        text = source.read_text(encoding="utf-8")
    return load_text(text, label, home)


def load_text(text: str, label: str, home: Path | None) -> Document:
    """`yamlsource.load_text`, through the cache of `home` (None: no cache)."""
    if home is None:
        return yamlsource.load_text(text, label)
    digest = _digest(text)
    path = folder_of(home) / f"{digest}.json"
    doc = _read(path, digest, label)
    if doc is None:
        doc = yamlsource.load_text(text, label)  # a mistake raises here: nothing is cached
        _write(path, digest, doc)
    return doc


def _digest(text: str) -> str:
    loader = Path(yamlsource.__file__)
    try:
        st = loader.stat()
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "?"
    h = hashlib.sha256(f"{FORMAT}\0{stamp}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _read(path: Path, digest: str, label: str) -> Document | None:
    try:
        entry = Entry.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError):  # missing, unreadable or damaged: parse instead
        return None
    if entry.format != FORMAT or entry.digest != digest:
        return None
    return Document(label, entry.data, _positions(entry.positions), _positions(entry.value_positions))


def _positions(spots: list[Spot]) -> dict[Path_, tuple[int, int]]:
    return {tuple(path): (line, col) for path, line, col in spots}


def _spots(positions: dict[Path_, tuple[int, int]]) -> list[list[object]]:
    return [[list(path), line, col] for path, (line, col) in positions.items()]


def _write(path: Path, digest: str, doc: Document) -> None:
    """Write the entry atomically (a reader sees the old state or the whole new file); any failure
    leaves the cache as it was."""
    import json

    body = json.dumps({"format": FORMAT, "digest": digest, "data": doc.data,
                       "positions": _spots(doc.positions), "value_positions": _spots(doc.value_positions)},
                      separators=(",", ":"))
    tmp = None
    try:
        for folder in (path.parent.parent, path.parent):  # cache/ and cache/yaml/, private as the home
            folder.mkdir(exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")  # 0600
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent)
    except OSError:  # a read-only or full home: the next process parses again
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(folder: Path) -> None:
    entries = [p for p in folder.iterdir() if p.suffix == ".json"]
    if len(entries) <= KEEP:
        return
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    for p in sorted(entries, key=age)[: len(entries) - KEEP]:
        p.unlink(missing_ok=True)
