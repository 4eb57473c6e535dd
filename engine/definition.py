"""Workflow definition files: the pydantic models (which also give the JSON Schema), and the
loader that turns a YAML file into a checked, compiled `Workflow` or into every problem it has,
each with `file:line:col`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema, model_validator

from . import templates
from .blank import drop_blank, empty_if_blank, none_as_empty_list
from .durations import parse_at, parse_duration
from .errors import DefinitionError, Problem
from .meanings import MEANINGS, default_meaning
from .suggest import did_you_mean
from .workflow import DEFAULT_LATE, ActionCall, State, Timer, Transition, Workflow
from .yamlcache import load_source
from .yamlsource import Document, Path_

if TYPE_CHECKING:
    from .actions import ActionSpec, GuardSpec
    from .questions import QuestionSet
    from .templates import TemplateFieldSpec

NAME = r"^[a-z][a-z0-9_-]*$"
Name = Annotated[str, Field(pattern=NAME)]


def _listify(value: Any) -> Any:
    """One name is a list of one; no value is an empty list."""
    return [value] if isinstance(value, str) else none_as_empty_list(value)


# In files, where a list of names is allowed one name alone is too (`from: booked`).
_NAME_SCHEMA = {"type": "string", "pattern": NAME}
NameList = Annotated[list[Name], BeforeValidator(_listify), WithJsonSchema(
    {"anyOf": [_NAME_SCHEMA, {"type": "array", "items": _NAME_SCHEMA}]})]
TextList = Annotated[list[str], BeforeValidator(_listify), WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]

# An action is a one-key mapping: the action's name, and its parameters (or nothing to say).
ActionCalls = Annotated[list[dict[str, Any]], WithJsonSchema({"type": "array", "items": {
    "type": "object", "minProperties": 1, "maxProperties": 1,
    "additionalProperties": {"anyOf": [{"type": "object"}, {"type": "null"}]}}})]

# Checked by _Checker (so a misspelt meaning gets "did you mean" and every other problem is still
# reported); for editors, the schema lists the meanings, each with what it tells the plugins.
Means = Annotated[str | None, WithJsonSchema({
    "type": "string", "oneOf": [{"const": word, "description": text} for word, text in MEANINGS.items()]})]

# Paths a state's `requires` may name besides notes.<key> / evaluation.<key>.
REQUIRABLE_FIELDS = ("contact.email", "contact.company", "contact.title", "where", "goals")

SCHEMA_ID = "urn:infoview:schema:workflow"
# For editors, what engine/durations.py reads (its ten-year limit aside): `10m`, `1d12h`, `start - 1d`.
DURATION_PATTERN = r"^ *([0-9]{1,6} *[wdhms] *)+$"
AT_PATTERN = r"^\s*(start|end|entered)\s*([+-]\s*([0-9]{1,6}[wdhms])+)?\s*$"


class _Strict(BaseModel):
    # strict: `final: "yes"` is refused, as the schema says, rather than quietly read as true.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_default(cls, data: Any) -> Any:
        return drop_blank(cls, data)


_StrictT = TypeVar("_StrictT", bound=_Strict)

_DESCRIPTION = Field("", description="Free text for people reading the file.", examples=["Waiting for a reply"])


class StateDef(_Strict):
    """One state an interview can be in."""

    description: str = _DESCRIPTION
    final: bool = Field(False, description="No event leaves a final state.", examples=[True])
    requires: TextList = Field(default_factory=list, examples=[["notes.learned"]], description=(
        "Fields that must be filled to enter: notes.<key>, evaluation.<key>, " + ", ".join(REQUIRABLE_FIELDS) + "."))
    not_before: Literal["start", "end"] | None = Field(
        None, description="Refuse entering before the interview's start (or end).", examples=["start"])
    questions: NameList = Field(default_factory=list, description="Question sets attached to this state.",
                                examples=[["questions-to-ask"]])
    editable: bool | None = Field(None, examples=[True], description=(
        "Whether `infoview edit` may correct an interview in this state (contact, goals, place, notes...). "
        "Default: yes, unless the state is final."))
    means: Means = Field(None, examples=["confirmed"], description=(
        "What the state means to the calendar and the report. When left out: a state named after a meaning "
        "means that one; otherwise a final state is done, a state with not_before is held, the initial state "
        "is unconfirmed, and any other state is confirmed."))

    def meaning(self, name: str, initial: str) -> str:
        """The declared meaning, or the default for a state that says nothing."""
        return self.means or default_meaning(name, initial=name == initial, final=self.final,
                                             not_before=self.not_before)


class TransitionDef(_Strict):
    """An event that moves an interview from one or more states to another (or keeps it where it is)."""

    event: Name = Field(description="The event's name, as typed with `infoview fire ID EVENT`.", examples=["confirm"])
    from_: NameList = Field(alias="from", description="The state or states this event is allowed in.",
                            examples=["planned", ["planned", "confirmed"]])
    to: Name | None = Field(None, description="The state it leads to; omitted: the state does not change.",
                            examples=["confirmed"])
    moves: bool = Field(False, description="The event carries a new time (start, and optionally timezone, minutes).",
                        examples=[True])
    guards: NameList = Field(default_factory=list, description="Named guards (from plugins) that may refuse it.",
                             examples=[["has-email"]])
    do: ActionCalls = Field(default_factory=list, description="Actions to run after it is committed.",
                            examples=[[{"notify": {"tag": "reminders", "title": "Confirmed: {contact.name}"}}]])
    description: str = _DESCRIPTION


class TimerDef(_Strict):
    """A moment relative to the interview at which actions run (or an event is fired)."""

    id: Name = Field(description="The timer's name, unique in the file.", examples=["confirm-reminder"])
    at: str = Field(description="Anchor (start, end, entered) plus or minus an offset.", examples=["start - 1d"],
                    json_schema_extra={"pattern": AT_PATTERN})
    when: NameList = Field(description="The states in which the timer is armed.", examples=[["planned"]])
    every: str | None = Field(None, description="Repeat this often after the first time (1h or more).",
                              examples=["10w"], json_schema_extra={"pattern": DURATION_PATTERN})
    late: str | None = Field(None, examples=["12h"], json_schema_extra={"pattern": DURATION_PATTERN}, description=(
        "How late it may still fire after a pause (default 6h); past that it is recorded as missed."))
    unless: NameList = Field(default_factory=list, description="Events that, once they happened, disarm it.",
                             examples=[["thanked"]])
    do: ActionCalls = Field(default_factory=list, description="Actions to run when it fires.",
                            examples=[[{"remind": {"title": "Confirm with {contact.name}"}}]])
    fire: Name | None = Field(None, description="An event to fire on the interview instead of (or besides) actions.",
                              examples=["cancel"])
    description: str = _DESCRIPTION


class WorkflowDef(_Strict):
    """A workflow definition file."""

    name: Name = Field(description="The workflow's name, used with `infoview plan --workflow NAME`.",
                       examples=["coffee-chat"])
    title: str = Field("", description="A title for people; defaults to the name.", examples=["Coffee chat"])
    description: str = _DESCRIPTION
    initial: Name = Field(description="The state a new interview starts in.", examples=["planned"])
    default_minutes: int = Field(20, ge=5, le=480, description="How long an interview lasts unless --minutes says.",
                                 examples=[30])
    states: Annotated[dict[str, Annotated[StateDef, BeforeValidator(empty_if_blank)]],
                      BeforeValidator(empty_if_blank)] = Field(
        description="Every state, by name; a state with nothing to say is written `name: {}` or `name:`.",
        examples=[{"planned": {"means": "unconfirmed"}, "cancelled": {"final": True}}])
    transitions: Annotated[list[TransitionDef], BeforeValidator(none_as_empty_list)] = Field(
        description="The events and the states they lead from and to.",
        examples=[[{"event": "confirm", "from": "planned", "to": "confirmed"}]])
    timers: list[TimerDef] = Field(default_factory=list, description="Moments at which actions run or events fire.",
                                   examples=[[{"id": "nudge", "at": "start - 1d", "when": "planned",
                                               "do": [{"remind": {"title": "Tomorrow: {contact.name}"}}]}]])


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of workflow files, accepting what the loader accepts: a key
    written with no value wherever the key may be left out, a state with nothing to say."""
    schema = WorkflowDef.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    for model, where in ((WorkflowDef, schema), (StateDef, defs["StateDef"]), (TransitionDef, defs["TransitionDef"]),
                         (TimerDef, defs["TimerDef"])):
        for name, f in model.model_fields.items():
            prop = where["properties"][f.alias or name]
            prop.pop("title", None)
            prop.pop("default", None)
            if not f.is_required():
                _allow_null(prop)
    states = schema["properties"]["states"]
    states["additionalProperties"] = {"anyOf": [{"$ref": "#/$defs/StateDef"}, {"type": "null"}]}
    states["propertyNames"] = {"pattern": NAME}
    states["minProperties"] = 1
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **{k: v for k, v in schema.items() if k != "title"}, "title": "infoview workflow definition"}


def _allow_null(prop: dict[str, Any]) -> None:
    """Let a property also be null (the file says nothing), keeping its description and examples."""
    keep: dict[str, Any] = {k: prop.pop(k) for k in ("description", "examples") if k in prop}
    if any(alt.get("type") == "null" for alt in prop.get("anyOf", [])):
        prop.update(keep)
        return
    alternatives = prop.pop("anyOf") if set(prop) == {"anyOf"} else [dict(prop)]
    prop.clear()
    prop.update({"anyOf": [*alternatives, {"type": "null"}], **keep})


# ---- loading and checking ----

@dataclass
class Catalog:
    """What a workflow file may refer to: registered actions, guards, question sets and
    template fields."""

    actions: dict[str, "ActionSpec"] = field(default_factory=dict)
    guards: dict[str, "GuardSpec"] = field(default_factory=dict)
    question_sets: dict[str, "QuestionSet"] = field(default_factory=dict)
    template_fields: dict[str, "TemplateFieldSpec"] = field(default_factory=dict)


def load_workflow(path: Path | Any, catalog: Catalog, label: str | None = None, home: Path | None = None) -> Workflow:
    """Load and check a workflow file (a Path or an importlib.resources file); `home`: parse it
    through that home's cache (engine/yamlcache.py)."""
    return compile_document(read_document(path, label, home), catalog)


def declared_meanings(path: Path | Any, label: str | None = None) -> dict[str, str]:
    """What each state of a workflow file means (declared or by default), read from the file alone:
    for callers that show interviews without a registry at hand (see infoview.workflows)."""
    doc = read_document(path, label)
    try:
        model = WorkflowDef.model_validate(doc.data)
    except ValidationError as e:
        raise DefinitionError(_pydantic_problems(doc, e, ())) from None
    return {name: st.meaning(name, model.initial) for name, st in model.states.items()}


def read_document(path: Path | Any, label: str | None = None, home: Path | None = None) -> Document:
    """A workflow file read as YAML (a Path or an importlib.resources file), not yet checked;
    `home`: through that home's cache of parsed files."""
    return load_source(path, label or str(path), home)


def compile_document(doc: Document, catalog: Catalog) -> Workflow:
    """Check a workflow document and compile it, or raise with every problem it has, sorted by
    place: the schema's and the cross-checks' together."""
    if not isinstance(doc.data, dict):
        raise DefinitionError([doc.problem((), "a workflow file is a mapping with name, initial, states, transitions")])
    parts = _Parts(doc)
    checker = _Checker(doc, parts, catalog)
    workflow = checker.run()
    problems = parts.problems + checker.problems
    if problems:
        raise DefinitionError(sorted(problems, key=lambda p: (p.line, p.col)))
    assert workflow is not None
    return workflow


_SECTIONS = ("states", "transitions", "timers")
# What each part of a transition or timer decides about the others: an error there makes
# reachability and event names uncertain, so those checks are left out rather than guessed.
_STRUCTURAL = {"event", "from", "to"}


class _Parts:
    """The file validated piece by piece (the head, each state, each transition, each timer), so
    that one piece's schema error neither hides another's nor stops the cross-checks: a piece with
    an error is checked without the keys at fault, or left out when it cannot stand without them."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        self.complete = True  # every transition's event, from and to are known
        data: dict[str, Any] = doc.data
        head_raw = {k: v for k, v in data.items() if k not in _SECTIONS}
        bad = self._errors(WorkflowDef, {**head_raw, "states": {}, "transitions": [], "timers": []}, ())
        self.initial_known = "initial" in head_raw and "initial" not in bad
        head = {k: v for k, v in head_raw.items() if k not in bad}
        # Stand-ins for a name or initial state at fault (already reported): never shown.
        head.setdefault("name", "unnamed")
        head.setdefault("initial", "unknown")
        self.head = WorkflowDef.model_validate(drop_blank(WorkflowDef, head)
                                               | {"states": {}, "transitions": [], "timers": []})
        self.states: dict[str, StateDef] = {}
        for name, raw in self._section(data, "states", dict).items():
            self.states[str(name)] = self._part(StateDef, empty_if_blank(raw), ("states", name)) or StateDef.model_validate({})
        self.transitions: list[tuple[int, TransitionDef]] = []
        for i, raw in enumerate(self._section(data, "transitions", list)):
            t = self._part(TransitionDef, raw, ("transitions", i))
            if t is None:
                self.complete = False
            else:
                self.transitions.append((i, t))
        self.timers: list[tuple[int, TimerDef]] = []
        for i, raw in enumerate(self._section(data, "timers", list)):
            timer = self._part(TimerDef, raw, ("timers", i))
            if timer is not None:
                self.timers.append((i, timer))

    def _section(self, data: dict[str, Any], key: str, kind: type) -> Any:
        value = data.get(key)
        if value is None:
            if key not in data and key != "timers":
                self.problems.append(self.doc.problem((), f"missing field '{key}'"))
            return kind()
        if not isinstance(value, kind):
            what = "a mapping of state names to states" if kind is dict else "a list"
            self.problems.append(self.doc.problem((key,), f"'{key}' should be {what}, not {_shown(value)}"))
            return kind()
        return value

    def _errors(self, model: type[_Strict], raw: Any, prefix: Path_) -> set[str]:
        """Validate; report the problems; return the keys at fault ({""} when the piece itself is)."""
        try:
            model.model_validate(raw)
        except ValidationError as e:
            fields = {f.alias or name for name, f in model.model_fields.items()}
            self.problems.extend(_pydantic_problems(self.doc, e, prefix, fields))
            return {str(err["loc"][0]) if err["loc"] else "" for err in e.errors()}
        return set()

    def _part(self, model: type[_StrictT], raw: Any, prefix: Path_) -> _StrictT | None:
        bad = self._errors(model, raw, prefix)
        if not bad:
            return model.model_validate(raw)
        if model is TransitionDef and bad & (_STRUCTURAL | {""}):
            self.complete = False
        if not isinstance(raw, dict):
            return None
        try:
            return model.model_validate({k: v for k, v in raw.items() if k not in bad})
        except ValidationError:
            return None  # a required key at fault: the piece cannot stand without it


_ALL_FIELDS = {
    name if f.alias is None else f.alias
    for m in (StateDef, TransitionDef, TimerDef, WorkflowDef)
    for name, f in m.model_fields.items()
}


def _loc_to_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """pydantic's `loc` may contain union branch labels; keep only the parts that exist in the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(part, str) and part.endswith("_") and isinstance(node, dict) and part[:-1] in node:
            node = node[part[:-1]]
            path.append(part[:-1])
        elif isinstance(node, dict) and isinstance(part, str) and not part.startswith(("list[", "str", "function")):
            path.append(part)  # a missing or extra key: point at its parent, name it
            break
    return tuple(path)


def _pydantic_problems(doc: Document, error: ValidationError, prefix: Path_, fields: set[str] | None = None) -> list[Problem]:
    problems = []
    known = fields or _ALL_FIELDS
    for err in error.errors():
        loc = tuple(err["loc"])
        path = prefix + _loc_to_path(_get(doc.data, prefix), loc)
        kind = err["type"]
        name = str(loc[-1]) if loc else ""
        if kind == "extra_forbidden":
            message = f"unknown field '{name}'" + did_you_mean(name, known)
        elif kind == "missing":
            message = f"missing field '{name.rstrip('_')}'"
            path = path[:-1] if path and path[-1] == name else path
        elif kind == "bool_type":
            message = f"should be true or false, not {_shown(err.get('input'))}"
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            message = f"should be a whole number, not {_shown(err.get('input'))}"
        elif kind == "string_type":
            message = f"should be text, not {_shown(err.get('input'))}; put it in quotes"
        elif kind == "string_pattern_mismatch":
            message = f"'{err.get('input')}' is not a valid name: use lower-case letters, digits, - and _"
        else:
            message = err["msg"].replace("Input should be", "should be")
        # An unknown or missing key is about the key (or its mapping); anything else about the value.
        problems.append(doc.problem(path, message, at_value=kind not in ("extra_forbidden", "missing")))
    return problems


def _shown(value: Any) -> str:
    """A value as the user wrote it, briefly."""
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = "true" if value is True else "false" if value is False else str(value)
    return repr(text[:40])


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


class _Checker:
    """Everything pydantic cannot see: cross-references, reachability, templates, time offsets."""

    def __init__(self, doc: Document, parts: _Parts, catalog: Catalog):
        self.doc, self.parts, self.catalog = doc, parts, catalog
        self.model = parts.head.model_copy(update={"states": parts.states})
        self.problems: list[Problem] = []

    def add(self, path: Path_, message: str, *, at_value: bool = False) -> None:
        """A problem at the path: at its key, or (at_value) at the value the problem is about."""
        self.problems.append(self.doc.problem(path, message, at_value=at_value))

    def state(self, name: str, path: Path_) -> bool:
        if name in self.model.states:
            return True
        self.add(path, f"unknown state '{name}'" + did_you_mean(name, self.model.states), at_value=True)
        return False

    def run(self) -> Workflow | None:
        m = self.model
        for name in m.states:
            if not re.match(NAME, name):
                self.add(("states", name), f"'{name}' is not a valid state name: use lower-case letters, digits, - and _")
        if not m.states:
            self.add(("states",), "a workflow needs at least one state")
        if self.parts.initial_known:
            self.state(m.initial, ("initial",))
        sections = self._check_states()
        known = len(self.problems)
        table, events, allowed = self._check_transitions(sections)
        # Reachability follows the transitions: with one of them wrong (an unknown state, say),
        # "cannot be reached" would only repeat that mistake elsewhere.
        if self.parts.complete and self.parts.initial_known and len(self.problems) == known:
            self._check_reachable(table)
        timers = self._check_timers(events)
        if self.problems:
            return None
        states = {
            name: State(description=st.description, final=st.final, requires=tuple(st.requires),
                        not_before=st.not_before, questions=tuple(st.questions), means=st.meaning(name, m.initial),
                        editable=not st.final if st.editable is None else st.editable)
            for name, st in m.states.items()
        }
        return Workflow(
            name=m.name, title=m.title or m.name, description=m.description, initial=m.initial,
            default_minutes=m.default_minutes, states=states, table=table, events=events,
            allowed=allowed, timers=timers, source=self.doc.file,
        )

    def _check_states(self) -> dict[str, dict[str, frozenset[str]]]:
        """Check states; return, per state, the answer keys its question sets define, by section."""
        out: dict[str, dict[str, frozenset[str]]] = {}
        for name, st in self.model.states.items():
            keys: dict[str, set[str]] = {}
            for i, set_id in enumerate(st.questions):
                qset = self.catalog.question_sets.get(set_id)
                if qset is None:
                    self.add(("states", name, "questions", i),
                             f"unknown question set '{set_id}'" + did_you_mean(set_id, self.catalog.question_sets))
                elif qset.section:
                    keys.setdefault(qset.section, set()).update(qset.keys())
            out[name] = {k: frozenset(v) for k, v in keys.items()}
            for i, req in enumerate(st.requires):
                self._check_requirement(req, ("states", name, "requires", i))
            if st.means is not None and st.means not in MEANINGS:
                self.add(("states", name, "means"), f"unknown meaning '{st.means}'" + did_you_mean(st.means, MEANINGS), at_value=True)
        return out

    def _check_requirement(self, req: str, path: Path_) -> None:
        section, _, key = req.partition(".")
        if section in ("notes", "evaluation") and key:
            known = {k for s in self.catalog.question_sets.values() if s.section == section for k in s.keys()}
            if key not in known:
                self.add(path, f"unknown {section} key '{key}'" + did_you_mean(key, known))
        elif req not in REQUIRABLE_FIELDS:
            self.add(path, f"cannot require '{req}'; use notes.<key>, evaluation.<key> or one of: "
                     + ", ".join(REQUIRABLE_FIELDS))

    def _actions(self, calls: list[dict[str, Any]], path: Path_) -> tuple[ActionCall, ...]:
        out = []
        for i, call in enumerate(calls):
            here = path + (i,)
            if not isinstance(call, dict) or len(call) != 1:
                self.add(here, "an action is written as a one-key mapping, e.g. {notify: {tag: reminders, title: ...}}")
                continue
            (name, params), = call.items()
            spec = self.catalog.actions.get(name)
            if spec is None:
                self.add(here + (name,), f"unknown action '{name}'" + did_you_mean(name, self.catalog.actions))
                continue
            params = {} if params is None else params
            validated: Any = params
            if spec.params is not None:
                try:
                    validated = spec.params.model_validate(params)
                except ValidationError as e:
                    fields = set(spec.params.model_fields)
                    self.problems.extend(_pydantic_problems(self.doc, e, here + (name,), fields))
                    continue
            for tname in spec.templates:
                text = params.get(tname) if isinstance(params, dict) else None
                if isinstance(text, str):
                    for msg in templates.check(text, self.catalog.template_fields):
                        self.add(here + (name, tname), msg, at_value=True)
            out.append(ActionCall(name, validated, {name: params}))
        return tuple(out)

    def _check_transitions(
        self, sections: dict[str, dict[str, frozenset[str]]]
    ) -> tuple[dict[tuple[str, str], Transition], dict[str, list[str]], dict[str, list[str]]]:
        m = self.model
        table: dict[tuple[str, str], Transition] = {}
        events: dict[str, list[str]] = {}
        allowed: dict[str, list[str]] = {s: [] for s in m.states}
        for i, t in self.parts.transitions:
            path: Path_ = ("transitions", i)
            to_ok = t.to is None or self.state(t.to, path + ("to",))
            for guard_i, g in enumerate(t.guards):
                if g not in self.catalog.guards:
                    self.add(path + ("guards", guard_i), f"unknown guard '{g}'" + did_you_mean(g, self.catalog.guards))
            actions = self._actions(t.do, path + ("do",))
            for j, src in enumerate(t.from_):
                if not self.state(src, path + ("from", j) if len(t.from_) > 1 else path + ("from",)):
                    continue
                if m.states[src].final:
                    self.add(path + ("from",), f"state '{src}' is final: no event may leave it", at_value=True)
                if (src, t.event) in table:
                    self.add(path + ("event",), f"event '{t.event}' from '{src}' is declared twice", at_value=True)
                    continue
                if not to_ok:
                    continue
                target = t.to or src
                st = m.states[target]
                table[(src, t.event)] = Transition(
                    event=t.event, source=src, to=target, moves=t.moves, guards=tuple(t.guards), actions=actions,
                    requires=tuple(st.requires) if target != src or t.to is not None else (),
                    not_before=st.not_before if target != src else None,
                    answer_keys=sections.get(target, {}),
                )
                events.setdefault(t.event, []).append(src)
                allowed[src].append(t.event)
        if "plan" in events:
            self.add(("transitions",), "'plan' is the event that creates an interview; it cannot be a transition")
        if "edit" in events:
            self.add(("transitions",), "'edit' is the event `infoview edit` records; it cannot be a transition "
                     "(a state's `editable:` says where it is allowed)")
        return table, events, allowed

    def _check_reachable(self, table: dict[tuple[str, str], Transition]) -> None:
        m = self.model
        if m.initial not in m.states:
            return
        seen, todo = {m.initial}, [m.initial]
        while todo:
            here = todo.pop()
            for (src, _), t in table.items():
                if src == here and t.to not in seen:
                    seen.add(t.to)
                    todo.append(t.to)
        for name in m.states:
            if name not in seen:
                self.add(("states", name), f"state '{name}' cannot be reached from '{m.initial}'")

    def _check_timers(self, events: dict[str, list[str]]) -> list[Timer]:
        out: list[Timer] = []
        seen: set[str] = set()
        for i, t in self.parts.timers:
            path: Path_ = ("timers", i)
            if t.id in seen:
                self.add(path + ("id",), f"timer id '{t.id}' is used twice", at_value=True)
            seen.add(t.id)
            at = every = late = None
            try:
                at = parse_at(t.at)
            except ValueError as e:
                self.add(path + ("at",), str(e), at_value=True)
            for fname in ("every", "late"):
                value = getattr(t, fname)
                if value is not None:
                    try:
                        parsed = parse_duration(value)
                        if fname == "every" and parsed < timedelta(hours=1):
                            raise ValueError(f"'{value}' repeats too often; use 1h or more")
                        every, late = (parsed, late) if fname == "every" else (every, parsed)
                    except ValueError as e:
                        self.add(path + (fname,), str(e), at_value=True)
            for j, st in enumerate(t.when):
                self.state(st, path + ("when", j))
            for j, ev in enumerate(t.unless):
                if ev not in events and self.parts.complete:
                    self.add(path + ("unless", j), f"unknown event '{ev}'" + did_you_mean(ev, events))
            if t.fire is not None and t.fire not in events and self.parts.complete:
                self.add(path + ("fire",), f"unknown event '{t.fire}'" + did_you_mean(t.fire, events), at_value=True)
            if not t.do and t.fire is None:
                self.add(path, "a timer needs `do:` (actions) or `fire:` (an event)")
            actions = self._actions(t.do, path + ("do",))
            if at is not None:
                out.append(Timer(
                    id=t.id, at=at, when=frozenset(t.when), every=every, late=late or DEFAULT_LATE,
                    unless=frozenset(t.unless), actions=actions, fire=t.fire, description=t.description,
                ))
        return out
