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
              "mode", "where", "goals", "notes", "evaluation", "referred_by", "reason", "created", "updated"]


def export_json(engine: Any) -> dict[str, Any]:
    from ..model import iso

    by_id: dict[int, list[dict[str, Any]]] = {}
    for e in engine.store.events():
        by_id.setdefault(e.interview_id, []).append({
            "seq": e.seq, "event": e.event, "from": e.from_state, "to": e.to_state,
            "at": e.at.isoformat(), "data": e.data, "source": e.source})
    return {"format": FORMAT, "version": VERSION, "exported": iso(engine.clock.now()),
            "interviews": [{"id": i, "events": evs} for i, evs in sorted(by_id.items())]}


def export_csv(engine: Any) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for i in engine.interviews():
        d = i.to_dict()
        writer.writerow({key: _as_text(value) for key, value in {
            **{k: d[k] for k in ("id", "workflow", "state", "start", "end", "timezone", "minutes", "mode", "where",
                                 "referred_by", "reason", "created", "updated")},
            **{k: d["contact"][k] for k in ("name", "company", "title", "email")},
            "goals": "; ".join(i.goals),
            # every entry, with when it was added: as `show --json` has them
            "notes": json.dumps(d["notes"], ensure_ascii=False) if i.notes else "",
            "evaluation": json.dumps(d["evaluation"], ensure_ascii=False) if i.evaluation else "",
        }.items()})
    return out.getvalue()


# A cell a spreadsheet would take for a formula (OWASP's CSV injection guidance): `=`, `+`, `-`,
# `@`, a tab or a carriage return at its start. A leading `'` makes the spreadsheet show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _events(path: Path, doc: Any) -> dict[int, list[Event]]:
    """Validate the export's shape; every problem is one line naming the interview and event."""
    from ..model import Event

    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InfoviewError(f"{path}: not an infoview JSON export (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != VERSION:
        raise InfoviewError(f"{path}: export version {doc.get('version')!r} is not supported (this infoview reads {VERSION})")
    entries = doc.get("interviews")
    if not isinstance(entries, list):
        raise InfoviewError(f"{path}: \"interviews\" must be a list")
    out: dict[int, list[Event]] = {}
    for n, entry in enumerate(entries):
        try:
            interview_id = entry["id"]
            if not isinstance(interview_id, int) or isinstance(interview_id, bool) or interview_id < 1:
                raise ValueError(f"id must be a positive whole number, not {interview_id!r}")
            if interview_id in out:
                raise ValueError(f"interview {interview_id} appears twice")
            events = []
            for e in entry["events"]:
                if not isinstance(e["data"], dict) or not all(isinstance(e[k], str) for k in ("event", "to", "source")):
                    raise ValueError("an event needs text event/to/source and a data mapping")
                at = datetime.fromisoformat(e["at"])
                if at.tzinfo is None:
                    raise ValueError(f"event time {e['at']!r} has no offset")
                events.append(Event(interview_id, e["seq"], e["event"], e["from"], e["to"], at, e["data"], e["source"]))
            if [e.seq for e in events] != list(range(1, len(events) + 1)):
                raise ValueError("its events must be numbered 1, 2, 3 ... without gaps")
            if events[0].event != "plan":
                raise ValueError("its first event must be 'plan'")
        except (KeyError, TypeError, ValueError, IndexError) as e:
            what = f"interview {entry.get('id')!r}" if isinstance(entry, dict) else f"entry {n}"
            detail = f"missing {e}" if isinstance(e, KeyError) else str(e) or type(e).__name__
            raise InfoviewError(f"{path}: {what}: {detail}") from None
        out[interview_id] = events
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
    logs = _events(path, doc)
    return len(logs), engine.import_logs(logs, str(path))


def _write_private(target: Path, text: str) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


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
