"""Message templates over an interview's fields: `"Confirm tomorrow: {contact.name}"`.

Python's format syntax, but only named fields: the built-in ones below, `notes.<key>` and
`evaluation.<key>`, and those plugins register (`infoview_register_template_fields`, which the
registry collects and passes in as `fields`). No attribute access, no indexing, no conversions.
That keeps a workflow file from reaching anything but the interview's own data, and lets every
template be checked when the file is loaded, not when a reminder fires months later.

One addition to the format specs: an optional part. `{contact.company:? (%s)}` renders
" (Acme)" when the field has a value and nothing at all when it is empty, so a contact without a
company never reads "Jane ()". After the `?` comes the text to show, with `%s` standing for the
value. Python's own specs start with `?` only to pad with it (`?<10`, `?^8`): those keep their
meaning, so an optional text cannot begin with `<`, `>`, `=` or `^`.
"""
from __future__ import annotations

import string
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from .model import Contact, Interview, UTC
from .suggest import did_you_mean

Getter = Callable[[Interview], Any]


class TemplateFieldSpec(BaseModel):
    """A registration through `infoview_register_template_fields`: `{name}` in a template
    renders as `render(interview)`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
    render: Getter
    description: str = ""


# Registered fields by name: what the registry passes to check() and render().
Fields = Mapping[str, TemplateFieldSpec]

BUILTIN: Mapping[str, Getter] = MappingProxyType({
    "id": lambda i: i.id,
    "workflow": lambda i: i.workflow,
    "state": lambda i: i.state,
    "contact.name": lambda i: i.contact.name,
    "contact.company": lambda i: i.contact.company or "",
    "contact.title": lambda i: i.contact.title or "",
    "contact.email": lambda i: i.contact.email or "",
    "start": lambda i: i.local_start,
    "end": lambda i: i.local_end,
    "timezone": lambda i: i.timezone,
    "minutes": lambda i: i.minutes,
    "mode": lambda i: i.mode,
    "where": lambda i: i.where or "",
    "goals": lambda i: "; ".join(i.goals),
    "reason": lambda i: i.reason or "",
})
PREFIXES = ("notes.", "evaluation.")
OPTIONAL = "?"  # a format spec starting with it is an optional part (see the module's docstring)


def optional(format_spec: str) -> bool:
    """Whether a format spec is an optional part. `?<10` stays Python's own (pad with `?`), so a
    template that used `?` as a fill character reads as it always did."""
    return format_spec.startswith(OPTIONAL) and format_spec[1:2] not in ("<", ">", "=", "^")
MAX_LENGTH = 4000


def reserved(name: str) -> bool:
    """Names no plugin may register: the built-in fields and the notes/evaluation sections."""
    return name in BUILTIN or name.startswith(PREFIXES)


class _Formatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        return _lookup(kwargs["__interview__"], kwargs["__fields__"], field_name), field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            raise ValueError("conversions like !r are not allowed in templates")
        return value

    def format_field(self, value: Any, format_spec: str) -> Any:
        if optional(format_spec):
            text = "" if value is None else format(value, "")
            return format_spec[len(OPTIONAL):].replace("%s", text) if text.strip() else ""
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def _lookup(interview: Interview, fields: Fields, name: str) -> Any:
    if name in BUILTIN:
        return BUILTIN[name](interview)
    if name in fields:
        return fields[name].render(interview)
    for prefix in PREFIXES:
        if name.startswith(prefix):
            section = getattr(interview, prefix[:-1])
            value = section.get(name[len(prefix):], "")
            return "; ".join(value) if isinstance(value, list) else value
    raise KeyError(name)


def fields_used(template: str) -> list[str]:
    """Every field name the template refers to, in order (format specs included)."""
    names: list[str] = []
    for _, name, spec, _conv in string.Formatter().parse(template):
        if name is not None:
            names.append(name)
        if spec:
            names.extend(fields_used(spec))
    return names


def check(template: str, fields: Fields) -> list[str]:
    """Problems with a template, as messages; empty when it is fine. `fields`: the registered
    fields it may use besides the built-in ones."""
    if len(template) > MAX_LENGTH:
        return [f"template is longer than {MAX_LENGTH} characters"]
    try:
        names = fields_used(template)
    except ValueError as e:
        return [f"template does not parse: {e}; write literal braces as {{{{ and }}}}"]
    problems = []
    for name in names:
        if name == "" or name.isdigit():
            problems.append("template fields need a name, like {contact.name}")
        elif "[" in name or "__" in name:
            problems.append(f"template field '{name}' is not allowed: only plain field names")
        elif name not in BUILTIN and name not in fields and not (name.startswith(PREFIXES) and name.split(".", 1)[1]):
            problems.append(f"unknown template field '{name}'" + did_you_mean(name, [*BUILTIN, *fields]))
    if problems:
        return problems
    try:
        render(template, SAMPLE, fields)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        return [f"template cannot be rendered: {e}"]
    return []


def render(template: str, interview: Interview, fields: Fields) -> str:
    return _FORMATTER.vformat(template, (), {"__interview__": interview, "__fields__": fields})


_T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
SAMPLE = Interview(
    id=1, workflow="sample", state="planned", version=1,
    contact=Contact(name="Sample Person", company="Example Co", title="Engineer", email="s@example.test"),
    start=_T0 + timedelta(days=1), timezone="UTC", minutes=20, mode="video", where="https://example.test",
    goals=["learn"], created=_T0, updated=_T0, entered=_T0,
)
