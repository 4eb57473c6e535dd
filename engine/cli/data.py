"""Your data out and back in: `infoview export --format json|csv [-o FILE]`, `infoview import FILE`.

JSON is the full record: every interview with every event of its log, at full time precision.
Importing it into an empty home replays each log into the same projections and history, and
re-arms timers (those already fired stay fired). The file is checked here; the import itself is
`Engine.import_logs`, one unit of work of the store: all of it goes in, or nothing does. Ids that
already exist are refused.

CSV is one row per interview for spreadsheets, and export-only: it cannot carry the history.
"""
from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import InfoviewError
from .output import echo_exact

if TYPE_CHECKING:  # the model, the projection and the store are imported where used: not for --help
    from ..model import Event

FORMAT = "infoview-export"
VERSION = 1
MAX_IMPORT_BYTES = 200_000_000
CSV_FIELDS = ["id", "workflow", "state", "name", "company", "title", "email", "start", "end", "timezone", "minutes",
              "mode", "where", "goals", "notes", "evaluation", "referred_by", "reason", "created", "updated", "person"]


def export_json(engine: Any) -> dict[str, Any]:
    from ..model import iso

    by_id: dict[int, list[dict[str, Any]]] = {}
    for e in engine.store.events():
        by_id.setdefault(e.interview_id, []).append({
            "seq": e.seq, "event": e.event, "from": e.from_state, "to": e.to_state,
            "at": e.at.isoformat(), "data": e.data, "source": e.source})
    people: dict[int, list[dict[str, Any]]] = {}
    for pe in engine.store.person_events():
        people.setdefault(pe.person_id, []).append({**pe.to_dict(), "at": pe.at.isoformat()})
    return {"format": FORMAT, "version": VERSION, "exported": iso(engine.clock.now()),
            "interviews": [{"id": i, "events": evs} for i, evs in sorted(by_id.items())],
            "people": [{"id": p, "events": evs} for p, evs in sorted(people.items())]}


def _person_events(path: Path, doc: dict[str, Any]) -> dict[int, list[Any]]:
    """The export's people (absent in exports made before people existed), checked like interviews."""
    from ..people import PersonEvent

    out: dict[int, list[PersonEvent]] = {}
    entries = doc.get("people", [])
    if not isinstance(entries, list):
        raise InfoviewError(f"{path}: \"people\" must be a list")
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
            raise InfoviewError(f"{path}: {what}: {detail}") from None
        out[person_id] = events
    return out


def export_csv(engine: Any) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for i in engine.interviews():
        d = i.to_dict()
        writer.writerow({key: _as_text(value) for key, value in {
            **{k: d[k] for k in ("id", "workflow", "state", "start", "end", "timezone", "minutes", "mode", "where",
                                 "referred_by", "reason", "created", "updated", "person")},
            **{k: d["contact"][k] for k in ("name", "company", "title", "email")},
            "goals": "; ".join(i.goals),
            "notes": json.dumps(i.notes, ensure_ascii=False) if i.notes else "",
            "evaluation": json.dumps(i.evaluation, ensure_ascii=False) if i.evaluation else "",
        }.items()})
    return out.getvalue()


# A cell a spreadsheet would take for a formula (OWASP's CSV injection guidance): `=`, `+`, `-`,
# `@`, a tab or a carriage return at its start. A leading `'` makes the spreadsheet show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _events(path: Path, doc: Any, engine: Any) -> dict[int, list[Event]]:
    """Validate the export; each entry is checked on its own (engine/importcheck.py), and every
    problem is one line naming the interview and event."""
    from ..importcheck import check_interview

    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InfoviewError(f"{path}: not an infoview JSON export (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != VERSION:
        raise InfoviewError(f"{path}: export version {doc.get('version')!r} is not supported (this infoview reads {VERSION})")
    entries = doc.get("interviews")
    if not isinstance(entries, list):
        raise InfoviewError(f"{path}: \"interviews\" must be a list")
    workflows = engine.registry.workflows
    out: dict[int, list[Event]] = {}
    for n, entry in enumerate(entries):
        events = check_interview(entry, workflows, str(path), n)
        if events[0].interview_id in out:
            raise InfoviewError(f"{path}: interview {events[0].interview_id} appears twice; nothing was imported")
        out[events[0].interview_id] = events
    return out


def import_json(engine: Any, path: Path) -> tuple[int, int]:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InfoviewError(f"{path}: larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InfoviewError(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InfoviewError(f"{path}: not an infoview JSON export ({str(e).splitlines()[0]})") from None
    except RecursionError:
        raise InfoviewError(f"{path}: JSON nested too deeply") from None
    logs = _events(path, doc, engine)
    return len(logs), engine.import_logs(logs, str(path), _person_events(path, doc))


def _write_private(target: Path, text: str) -> None:
    """A new file, mode 0600; one that could not be written whole (a full disk) is removed."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


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
        text = (json.dumps(export_json(engine), indent=1, ensure_ascii=False) + "\n") if fmt == "json" \
            else export_csv(engine)
        if output is None:
            echo_exact(text, nl=False)  # data, like the file -o writes: every value as stored
            return
        try:
            _write_private(output, text)
        except FileExistsError:
            raise InfoviewError(f"{output} exists; choose a new file name") from None
        except OSError as e:
            raise InfoviewError(f"{output}: cannot write: {e.strerror}") from None
        click.echo(f"exported {len(engine.interviews())} interviews to {output}", err=True)

    @cli.command(name="import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    def import_(app: Any, file: Path) -> None:
        """Import a JSON export (all or nothing) into a home that has none of its interviews."""
        interviews, events = import_json(app.engine, file)
        click.echo(f"imported {interviews} interviews ({events} events) from {file}")
