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

Two bounds keep a template from costing more than a notification is worth: a width or precision
over MAX_WIDTH (`{contact.name:>100000000}` would allocate that many characters at every render)
is refused when the file is loaded, and what a template renders is cut at MAX_OUTPUT characters,
so a long stored note cannot blow up a message.
"""
from __future__ import annotations

import re
import string
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from .config import yours_and_theirs
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
    # the interview's own zone (theirs); `{when}` reads in yours
    "start": lambda i: i.local_start,
    "end": lambda i: i.local_end,
    "when": lambda i: yours_and_theirs(i.start, i.timezone, i.timezone),
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


MAX_LENGTH = 4000  # characters in a template
MAX_WIDTH = 100  # in a format spec's width or precision
MAX_OUTPUT = 8000  # characters a template renders, and each field in it; the rest is cut, CUT marks where
CUT = "… [cut]"

# Python's standard format spec (what str, int and float take): [[fill]align][sign][z][#][0]
# [width][grouping][.precision][type]. A spec that does not match it, like `%H:%M` for a date,
# belongs to the value's own format, which allocates no more than the spec asks for.
_STANDARD_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?[bcdeEfFgGnosxX%]?", re.DOTALL)


def reserved(name: str) -> bool:
    """Names no plugin may register: the built-in fields and the notes/evaluation sections."""
    return name in BUILTIN or name.startswith(PREFIXES)


class _Formatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        interview, zone = kwargs["__interview__"], kwargs["__zone__"]
        if field_name == "when" and zone is not None:
            return yours_and_theirs(interview.start, interview.timezone, zone), field_name
        return _lookup(interview, kwargs["__fields__"], field_name), field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            raise ValueError("conversions like !r are not allowed in templates")
        return value

    def format_field(self, value: Any, format_spec: str) -> Any:
        if optional(format_spec):
            text = "" if value is None else _cut(format(value, ""))
            return format_spec[len(OPTIONAL):].replace("%s", text) if text.strip() else ""
        # check() refuses these at load; this catches a spec that only a field's value made wide
        too_wide = spec_problem(format_spec)
        if too_wide:
            raise ValueError(too_wide.format(field="{" + f"?:{format_spec}" + "}"))
        return _cut(super().format_field(value, format_spec))


_FORMATTER = _Formatter()


def _lookup(interview: Interview, fields: Fields, name: str) -> Any:
    if name in BUILTIN:
        return BUILTIN[name](interview)
    if name in fields:
        return fields[name].render(interview)
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return "; ".join(interview.answers(prefix[:-1], name[len(prefix):]))
    raise KeyError(name)


def spec_problem(format_spec: str) -> str | None:
    """Why a format spec asks for too much, with `{field}` left for the caller to fill in; None
    when it is fine."""
    spec = _STANDARD_SPEC.fullmatch(format_spec)
    if spec is None:
        return None
    for part in ("width", "precision"):
        digits = spec.group(part)
        if digits is not None and int(digits) > MAX_WIDTH:
            return f"{part} {digits} in {{field}} is too large; at most {MAX_WIDTH}"
    return None


def _spec_problems(template: str) -> list[str]:
    """Format specs that ask for too much, and fields inside a spec anywhere but an optional
    part's text: a stored value there could turn `{x:?{notes.y}}` into a width of its choosing."""
    problems = []
    for _, name, spec, _conv in string.Formatter().parse(template):
        if name is None or not spec:
            continue
        shown = "{" + f"{name}:{spec}" + "}"
        if "{" in spec and not (optional(spec) and spec[1:2] != "{"):
            problems.append(f"{shown}: a field may appear in a format only inside an optional part's text, "
                            "as in {contact.company:? ({contact.title} at %s)}")
            continue
        too_wide = spec_problem(spec)
        if too_wide:
            problems.append(too_wide.format(field=shown))
        problems.extend(_spec_problems(spec))
    return problems


def _cut(text: str) -> str:
    if len(text) <= MAX_OUTPUT:
        return text
    return text[:MAX_OUTPUT] + CUT


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
    problems.extend(_spec_problems(template))
    if problems:
        return problems
    try:
        render(template, SAMPLE, fields)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        return [f"template cannot be rendered: {e}"]
    return []


def render(template: str, interview: Interview, fields: Fields, zone: str | None = None) -> str:
    """The template with the interview's values, at most MAX_OUTPUT characters and a CUT marker.
    Each field is cut on its own first, so that a template naming a long note many times does not
    build a huge string only to throw most of it away. `zone`: the reader's (the engine's `zone`
    at render time), which `{when}` shows first; None: the interview's own, as in a note to them."""
    return _cut(_FORMATTER.vformat(template, (), {"__interview__": interview, "__fields__": fields,
                                                  "__zone__": zone}))


_T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
SAMPLE = Interview(
    id=1, workflow="sample", state="planned", version=1,
    contact=Contact(name="Sample Person", company="Example Co", title="Engineer", email="s@example.test"),
    start=_T0 + timedelta(days=1), timezone="UTC", minutes=20, mode="video", where="https://example.test",
    goals=["learn"], created=_T0, updated=_T0, entered=_T0,
)
