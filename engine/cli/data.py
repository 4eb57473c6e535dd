"""Your data out and back in: `infoview export --format json|csv [-o FILE]`, `infoview import FILE`.

JSON is the full record: every interview with every event of its log, at full time precision.
Importing it into an empty home replays each log into the same projections and history, and
re-arms timers (those already fired stay fired). The import is `Engine.import_logs`, one unit of
work of the store: all of it goes in, or nothing does. Ids that already exist are refused.

Both directions stream, so a home of any size round-trips in bounded memory: the export writes
each log as it is read (the people's, then the interviews'), the import parses the file
incrementally (ijson) in one pass and checks each entry as it comes
(`infoview.importcheck.check_interview` and `check_person`, the one place an entry is validated:
its bounds and that its workflow could have written its history) inside the import's
transaction. The import takes the people and the interviews in either order, so exports made
before the people moved to the front (people last, or none at all) import the same way.

CSV is one row per interview for spreadsheets, and export-only: it cannot carry the history.
"""
from __future__ import annotations

import csv
import json
import os
from itertools import groupby
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator

import click

from ..errors import InfoviewError

if TYPE_CHECKING:  # the model, the projection and the store are imported where used: not for --help
    from ..model import Event
    from ..people import PersonEvent

FORMAT = "infoview-export"
VERSION = 1
CSV_FIELDS = ["id", "workflow", "state", "name", "company", "title", "email", "start", "end", "timezone", "minutes",
              "mode", "where", "goals", "notes", "evaluation", "referred_by", "reason", "created", "updated", "person"]


def write_export_json(engine: Any, out: IO[str]) -> int:
    """Write the export to `out` as it is read; returns how many interviews. The text is what
    `json.dumps(document, indent=1)` gives for the whole document, written one log at a time:
    the people first, so that a reader meets every person before the interviews with them."""
    from ..model import iso

    head = {"format": FORMAT, "version": VERSION, "exported": iso(engine.clock.now())}
    out.write("{\n" + "".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in head.items()))
    people = groupby(engine.store.person_events(), key=lambda e: e.person_id)
    _write_list(out, "people", ({"id": person_id, "events": [{**e.to_dict(), "at": e.at.isoformat()} for e in events]}
                                for person_id, events in people))
    out.write(",\n")
    interviews = groupby(engine.store.events(), key=lambda e: e.interview_id)
    count = _write_list(out, "interviews", ({"id": interview_id, "events": [{
        "seq": e.seq, "event": e.event, "from": e.from_state, "to": e.to_state,
        "at": e.at.isoformat(), "data": e.data, "source": e.source} for e in events]}
        for interview_id, events in interviews))
    out.write("\n}\n")
    return count


def _write_list(out: IO[str], key: str, entries: Iterable[dict[str, Any]]) -> int:
    """One top-level list of the document, an entry at a time, as `json.dumps(indent=1)` has it."""
    out.write(f" {json.dumps(key)}: [")
    count = 0
    for entry in entries:
        out.write(("," if count else "") + "\n  " + json.dumps(entry, indent=1, ensure_ascii=False).replace("\n", "\n  "))
        count += 1
    out.write("\n ]" if count else "]")
    return count


def write_export_csv(engine: Any, out: IO[str]) -> int:
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for i in engine.store.interviews():
        d = i.to_dict()
        writer.writerow({key: _as_text(value) for key, value in {
            **{k: d[k] for k in ("id", "workflow", "state", "start", "end", "timezone", "minutes", "mode", "where",
                                 "referred_by", "reason", "created", "updated", "person")},
            **{k: d["contact"][k] for k in ("name", "company", "title", "email")},
            "goals": "; ".join(i.goals),
            # every entry, with when it was added: as `show --json` has them
            "notes": json.dumps(d["notes"], ensure_ascii=False) if i.notes else "",
            "evaluation": json.dumps(d["evaluation"], ensure_ascii=False) if i.evaluation else "",
        }.items()})
        count += 1
    return count


# A cell a spreadsheet would take for a formula (OWASP's CSV injection guidance): `=`, `+`, `-`,
# `@`, a tab or a carriage return at its start. A leading `'` makes the spreadsheet show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def read_export(path: Path, fh: IO[bytes], workflows: Any, ijson: Any) -> Iterator[list[Event] | list[PersonEvent]]:
    """Each log of the export, a person's or an interview's, parsed and checked
    (engine/importcheck.py) as the file is read, in one pass: the people and the interviews in
    the order the file has them (`export` writes the people first; older exports have them after
    the interviews, or none). "format" and "version" must come before either. An interview id
    listed twice right after itself is refused here; any other repeat finds its id taken in the
    home by then (`Engine.import_logs` refuses it), so no set of ids is kept. `ijson` is the
    parser backend."""
    from ..importcheck import check_interview, check_person

    events = iter(ijson.parse(fh, use_float=True))
    header: dict[str, Any] = {}
    sections: set[str] = set()
    key = None
    last = count = 0
    for prefix, event, value in events:
        if prefix == "":
            if event == "map_key":
                key = value
            elif event == "end_map":
                break
            elif event != "start_map":
                _refuse_header(path, header)  # the document is not an object
            continue
        if prefix != key:
            continue  # inside a value of a key this reads nothing of
        if key in ("format", "version") and event not in ("start_map", "start_array"):
            header[key] = value
        elif key in ("people", "interviews"):
            _refuse_header(path, header)
            if event != "start_array":
                raise InfoviewError(f"{path}: \"{key}\" must be a list")
            sections.add(key)
            for entry in ijson.items(_section(events, key), f"{key}.item"):
                if key == "people":
                    yield check_person(entry, str(path))
                    continue
                logged = check_interview(entry, workflows, str(path), count)
                if logged[0].interview_id == last:
                    raise InfoviewError(f"{path}: interview {last}: it appears twice; nothing was imported")
                last, count = logged[0].interview_id, count + 1
                yield logged
    if "interviews" not in sections:
        _refuse_header(path, header)
        raise InfoviewError(f"{path}: \"interviews\" must be a list")


def _section(events: Iterator[tuple[str, str, Any]], key: str) -> Iterator[tuple[str, str, Any]]:
    """The parser's events inside the top-level list `key`, up to its end."""
    for item in events:
        if item[0] == key:  # only the list's own end has this prefix
            return
        yield item


def _refuse_header(path: Path, header: dict[str, Any]) -> None:
    """Unless the export's "format" and "version", read so far, are ones this infoview reads."""
    if header.get("format") != FORMAT:
        raise InfoviewError(f"{path}: not an infoview JSON export (no \"format\": \"{FORMAT}\" before its data)")
    if header.get("version") != VERSION:
        raise InfoviewError(f"{path}: export version {header.get('version')!r} is not supported "
                            f"(this infoview reads {VERSION})")


def import_json(engine: Any, path: Path) -> tuple[int, int]:
    import ijson

    try:
        try:
            return _import_with(engine, path, ijson)
        except ijson.JSONError as e:
            if "integer overflow" not in str(e):
                raise
            # The fast C parser stops at a number past 64 bits, before anything can say where it
            # is; the pure-Python one reads it, so that the check names the interview and event.
            # The first attempt's transaction was rolled back.
            return _import_with(engine, path, ijson.get_backend("python"))
    except FileNotFoundError:
        raise InfoviewError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InfoviewError(f"{path}: is a folder, not a file") from None
    except (UnicodeDecodeError, ijson.JSONError) as e:
        raise InfoviewError(f"{path}: not an infoview JSON export ({str(e).splitlines()[0] if str(e) else 'broken JSON'});"
                            " nothing was imported") from None


def _import_with(engine: Any, path: Path, ijson: Any) -> tuple[int, int]:
    with path.open("rb") as fh:
        return engine.import_logs(read_export(path, fh, engine.registry.workflows, ijson), str(path))  # type: ignore[no-any-return]


def _write_to(output: Path | None, write: Callable[[IO[str]], int]) -> int:
    """Run `write` on standard output (exactly: data, not neutralised) or on a new private file,
    written under a temporary name and linked into place when complete."""
    if output is None:
        from .output import exact_stdout

        return write(exact_stdout())
    if output.exists():
        raise InfoviewError(f"{output} exists; choose a new file name")
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            count = write(fh)
        os.link(partial, output)  # never replaces a file made meanwhile
    except FileExistsError:
        raise InfoviewError(f"{output} exists; choose a new file name") from None
    except OSError as e:
        raise InfoviewError(f"{output}: cannot write: {e.strerror}; nothing was written") from None
    finally:
        partial.unlink(missing_ok=True)
    return count


def register(cli: click.Group) -> None:
    @cli.command(name="export")
    @click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True,
                  help="json: everything, for `infoview import`; csv: one row per interview (export only).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write to this new file (mode 0600) instead of standard output.")
    @click.pass_obj
    def export_(app: Any, fmt: str, output: Path | None) -> None:
        """Export every interview: JSON (with its whole history) or CSV (one row each)."""
        engine = app.engine
        count = _write_to(output, lambda out: (write_export_json if fmt == "json" else write_export_csv)(engine, out))
        if output is not None:
            click.echo(f"exported {count} interviews to {output}", err=True)

    @cli.command(name="import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    def import_(app: Any, file: Path) -> None:
        """Import a JSON export (all or nothing) into a home that has none of its interviews."""
        interviews, events = import_json(app.engine, file)
        click.echo(f"imported {interviews} interviews ({events} events) from {file}")
