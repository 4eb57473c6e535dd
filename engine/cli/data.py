"""Your data out and back in: `infoview export --format json|csv [-o FILE]`, `infoview import FILE`.

JSON is the full record: every interview with every event of its log, at full time precision.
Importing it into an empty home replays each log into the same projections and history, and
re-arms timers (those already fired stay fired). The import is `Engine.import_logs`, one unit of
work of the store: all of it goes in, or nothing does. Ids that already exist are refused.

Both directions stream, so a home of any size round-trips in bounded memory: the export writes
each interview as its log is read (one cursor over the log, so the file is one consistent
moment), the import parses the file incrementally (ijson) and checks each entry as it comes
(`infoview.importcheck.check_interview`, the one place an entry is validated: its bounds and
that its workflow could have written its history) inside the import's transaction. The people's
logs follow the interviews in the file; they are read in a pass of their own, first.

CSV is one row per interview for spreadsheets, and export-only: it cannot carry the history.
"""
from __future__ import annotations

import csv
import json
import os
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator

import click

from ..errors import InfoviewError

if TYPE_CHECKING:  # the model, the projection and the store are imported where used: not for --help
    from ..model import Event

FORMAT = "infoview-export"
VERSION = 1
CSV_FIELDS = ["id", "workflow", "state", "name", "company", "title", "email", "start", "end", "timezone", "minutes",
              "mode", "where", "goals", "notes", "evaluation", "referred_by", "reason", "created", "updated", "person"]


def write_export_json(engine: Any, out: IO[str]) -> int:
    """Write the export to `out` as it is read; returns how many interviews. The text is what
    `json.dumps(document, indent=1)` gives for the whole document, written one interview at a time."""
    from ..model import iso

    head = {"format": FORMAT, "version": VERSION, "exported": iso(engine.clock.now())}
    out.write("{\n" + "".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in head.items())
              + ' "interviews": [')
    count = 0
    for interview_id, events in groupby(engine.store.events(), key=lambda e: e.interview_id):
        entry = {"id": interview_id, "events": [{
            "seq": e.seq, "event": e.event, "from": e.from_state, "to": e.to_state,
            "at": e.at.isoformat(), "data": e.data, "source": e.source} for e in events]}
        text = json.dumps(entry, indent=1, ensure_ascii=False).replace("\n", "\n  ")
        out.write(("," if count else "") + "\n  " + text)
        count += 1
    out.write("\n ],\n" if count else "],\n")
    _write_people(engine, out)
    return count


def _write_people(engine: Any, out: IO[str]) -> None:
    """The people's logs, after the interviews, one person at a time."""
    out.write(' "people": [')
    first = True
    for person_id, events in groupby(engine.store.person_events(), key=lambda e: e.person_id):
        entry = {"id": person_id, "events": [{**e.to_dict(), "at": e.at.isoformat()} for e in events]}
        out.write(("" if first else ",") + "\n  " + json.dumps(entry, indent=1, ensure_ascii=False).replace("\n", "\n  "))
        first = False
    out.write("]\n}\n" if first else "\n ]\n}\n")


def _person_events(path: Path, entries: Iterable[Any]) -> dict[int, list[Any]]:
    """The export's people (absent in exports made before people existed), checked like interviews."""
    from ..people import PersonEvent

    out: dict[int, list[PersonEvent]] = {}
    for entry in entries:
        try:
            person_id = entry["id"]
            if not isinstance(person_id, int) or isinstance(person_id, bool) or person_id < 1 or person_id in out:
                raise ValueError(f"id must be a positive whole number used once, not {person_id!r}")
            events = []
            for e in entry["events"]:
                if not isinstance(e["data"], dict) or not all(isinstance(e[k], str) for k in ("event", "source")):
                    raise ValueError("an event needs text event/source and a data mapping")
                at = datetime.fromisoformat(e["at"])
                if at.tzinfo is None:
                    raise ValueError(f"event time {e['at']!r} has no offset")
                events.append(PersonEvent(person_id, e["seq"], e["event"], at, e["data"], e["source"]))
            if [e.seq for e in events] != list(range(1, len(events) + 1)) or events[0].event != "create":
                raise ValueError("its events must be numbered 1, 2, 3 ... from a 'create'")
        except (KeyError, TypeError, ValueError, IndexError) as e:
            what = f"person {entry.get('id')!r}" if isinstance(entry, dict) else "a person"
            detail = f"missing {e}" if isinstance(e, KeyError) else str(e) or type(e).__name__
            raise InfoviewError(f"{path}: {what}: {detail}; nothing was imported") from None
        out[person_id] = events
    return out


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


def _header(path: Path, fh: IO[bytes], ijson: Any) -> None:
    """The export's "format" and "version", read from the file's top level as a stream: both come
    before "interviews" in what `export` writes, so this reads only its first lines."""
    found: dict[str, Any] = {}
    interviews = None
    for prefix, event, value in ijson.parse(fh, use_float=True):
        if prefix == "" and event != "map_key" and event not in ("start_map", "end_map"):
            break  # the document is not an object
        if prefix in ("format", "version") and event not in ("start_map", "start_array"):
            found[prefix] = value
        if prefix == "interviews" and interviews is None:
            interviews = event
        if len(found) == 2 and interviews is not None:
            break
    if found.get("format") != FORMAT:
        raise InfoviewError(f"{path}: not an infoview JSON export (no \"format\": \"{FORMAT}\")")
    if found.get("version") != VERSION:
        raise InfoviewError(f"{path}: export version {found.get('version')!r} is not supported (this infoview reads {VERSION})")
    if interviews != "start_array":
        raise InfoviewError(f"{path}: \"interviews\" must be a list")


def read_export(path: Path, fh: IO[bytes], workflows: Any, ijson: Any) -> Iterator[tuple[int, list[Event]]]:
    """Each interview of the export with its events, parsed and checked (engine/importcheck.py)
    as the file is read. An id listed twice right after itself is refused here; any other repeat
    finds its id taken in the home by then (`Engine.import_logs` refuses it), so no set of ids is kept.
    `ijson` is the parser backend."""
    from ..importcheck import check_interview

    _header(path, fh, ijson)
    fh.seek(0)
    last = 0
    for n, entry in enumerate(ijson.items(fh, "interviews.item", use_float=True)):
        events = check_interview(entry, workflows, str(path), n)
        interview_id = events[0].interview_id
        if interview_id == last:
            raise InfoviewError(f"{path}: interview {interview_id}: it appears twice; nothing was imported")
        last = interview_id
        yield interview_id, events


def read_people(path: Path, fh: IO[bytes], ijson: Any) -> dict[int, list[Any]]:
    """The export's people (after its interviews in the file), read in a pass of their own."""
    fh.seek(0)
    people = _person_events(path, ijson.items(fh, "people.item", use_float=True))
    fh.seek(0)
    return people


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
        people = read_people(path, fh, ijson)
        return engine.import_logs(read_export(path, fh, engine.registry.workflows, ijson),  # type: ignore[no-any-return]
                                  str(path), people)


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
