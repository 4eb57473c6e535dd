"""How commands print: JSON for scripts, short aligned text for people.

Whatever a command prints may hold text a user or a file stored: a name, a note, an answer, a
reason. An escape sequence in it would reach the terminal as a command (move the cursor, rewrite
the window's title, hide the lines after it), so main() sends stdout and stderr through
`neutralised_streams()`: every control character but newline and tab is shown as the `\\u001b`
escape that JSON uses (an export, which is data, is written exactly: `echo_exact`). JSON output already escapes C0 characters that way and a JSON reader reads
the others back exactly, so `--json` keeps every value as stored.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TextIO

import click

if TYPE_CHECKING:  # every command module imports this one, `infoview --help` too: keep it light
    from ..model import Interview


# C0 controls but tab and newline, DEL and the C1 controls (U+0080-U+009F: some terminals take
# U+009B as the start of an escape sequence, like ESC [).
_NEUTRALISE = {c: f"\\u{c:04x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n"}


def neutralise(text: str) -> str:
    return text.translate(_NEUTRALISE)


class _Neutralised(io.TextIOBase):
    """A text stream that writes to `inner` with control characters neutralised. Bytes written
    to `buffer` (the calendar's .ics, exactly as rendered) pass untouched."""

    def __init__(self, inner: TextIO):
        self.inner = inner

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes with b"" to tell text streams from binary ones
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.inner.write(neutralise(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    # What click and input() encode for: the inner stream's own. Read-only here, as on io's own
    # streams, where typeshed declares them plain attributes.
    @property
    def encoding(self) -> Any:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> Any:  # type: ignore[override]
        return self.inner.errors

    @property
    def buffer(self) -> Any:
        return self.inner.buffer


@contextlib.contextmanager
def neutralised_streams() -> Iterator[None]:
    """stdout and stderr neutralised for as long as the block runs (a command), then as before."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Neutralised(sys.stdout), _Neutralised(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def echo_exact(text: str, nl: bool = True) -> None:
    """Text written past the neutralising: an export, which is data for a file and must hold every
    value as stored, and styling the CLI adds itself (the demo's headings)."""
    stream = sys.stdout
    click.echo(text, nl=nl, file=stream.inner if isinstance(stream, _Neutralised) else stream)


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def change_line(interview: Interview, event: Any) -> str:
    """What a change says, at the CLI and on the web: `interview 1: planned -> confirmed`."""
    moved = f", now {when(interview)}" if "start" in event.data else ""
    if event.from_state != event.to_state:
        return f"interview {interview.id}: {event.from_state} -> {event.to_state}{moved}"
    return f"interview {interview.id}: {event.event} recorded ({interview.state}){moved}"


def when(interview: Interview) -> str:
    return _when(interview.local_start, interview.timezone)


def _when(local: datetime, timezone: str) -> str:
    return f"{local:%a %Y-%m-%d %H:%M} {timezone}"


def list_line(row: tuple[int, str, str, str, str, str | None]) -> str:
    """One line of `infoview list` from a Store.listing() row, its start shown in the interview's
    zone as Interview.local_start shows it (the same instant, today's zone rules)."""
    from zoneinfo import ZoneInfo  # here, not at the top: `infoview --help` needs no zone

    interview_id, state, start, timezone, name, company = row
    local = datetime.fromisoformat(start).astimezone(ZoneInfo(timezone))
    return f"{interview_id:>4}  {state:<10} {_when(local, timezone):<36} {name}" + (f" ({company})" if company else "")


# How many lines a command prints by default where a long home would scroll for minutes; the
# rest is one option away, and a line on stderr says which.
SCREENFUL = 500
LIMIT = click.option("--limit", type=click.IntRange(0), default=None,
                     help=f"Show at most this many (0: all). Default: {SCREENFUL} as text, all with --json.")


def paged(items: Iterable[Any], limit: int | None, as_json: bool) -> tuple[Iterator[Any], Callable[[], bool]]:
    """`items` cut at the limit asked for (None: the default, 0: none), and a function that says,
    once they are consumed, whether more were left out."""
    cap = (None if as_json else SCREENFUL) if limit is None else (limit or None)
    it = iter(items)
    more: list[Any] = []

    def cut() -> Iterator[Any]:
        for n, item in enumerate(it):
            if cap is not None and n == cap:
                more.append(item)
                return
            yield item
    return cut(), lambda: bool(more)


def more_hint(shown: int, how: str) -> None:
    click.echo(f"showing the first {shown}; {how} shows the next ones, --limit 0 all of them", err=True)


def describe(i: Interview) -> str:
    c = i.contact
    lines = [f"interview {i.id}: {c.name}" + (f", {c.title}" if c.title else "") + (f" at {c.company}" if c.company else "")]
    lines.append(f"  state      {i.state} (workflow {i.workflow})")
    lines.append(f"  when       {when(i)}, {i.minutes} minutes, {i.mode}" + (f" at {i.where}" if i.where else ""))
    if c.email:
        lines.append(f"  email      {c.email}")
    if i.person is not None:
        lines.append(f"  person     {i.person} (`infoview person {i.person}`)")
    for n, goal in enumerate(i.goals, 1):
        lines.append(f"  goal {n:<5} {goal}")
    if i.referred_by:
        lines.append(f"  referred by interview {i.referred_by}")
    for section in ("notes", "evaluation"):
        shown = recorded(i, section)
        if shown:
            lines.append(f"  {section}:")
            lines.append(shown)
    if i.reason:
        lines.append(f"  reason     {i.reason}")
    return "\n".join(lines)


def exact_stdout() -> TextIO:
    """Standard output past the neutralising, for data written as it is read (an export)."""
    stream = sys.stdout
    return stream.inner if isinstance(stream, _Neutralised) else stream


def emit_json_stream(values: Iterable[Any], out: TextIO | None = None) -> int:
    """Write a JSON array as its items come, one at a time: the same text `emit_json` gives for
    the whole list, with memory for one item. Returns how many were written."""
    write = (out or sys.stdout).write
    count = 0
    for value in values:
        write(("," if count else "[") + "\n  " + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  "))
        count += 1
    write("\n]\n" if count else "[]\n")
    return count


def recorded(i: Interview, section: str) -> str:
    """The entries of `notes` or `evaluation`, numbered as --replace/--remove name them, each with
    the day it was added (in the interview's zone)."""
    from ..edits import numbered

    return "\n".join(f"    [{n}] {key:<16} {entry.text}  ({entry.at.astimezone(i.tz):%Y-%m-%d})"
                     for n, key, _, entry in numbered(getattr(i, section)))
