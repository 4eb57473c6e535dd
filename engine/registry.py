"""Everything plugins registered: actions, guards, question sets, template fields and
workflows, with who gave what.

Built once per process on first need (the CLI's --help never needs it), through the plugin host's
register methods, in the order the hooks' implementations are called. Each registration is
validated; the first registration of a name keeps it. A later one is a duplicate, a plugin problem
(a warning naming the plugin, or fatal with INFOVIEW_STRICT_PLUGINS=1), never a crash; unless it
is a default (from a `trylast` implementation), which gives way quietly. Workflows are compiled
last, so that they may use everything registered, whoever registered it. A workflow file in the
user's home is the user's, not the plugin's that found it: its problems (a mistake, a name already
taken, NAME.yml beside NAME.yaml) are warnings at their file:line:col, and the file is left out.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Mapping

from pydantic import ValidationError

from .actions import ActionSpec, GuardSpec
from .definition import Catalog, compile_document, load_workflow, read_document
from .workflow import Workflow
from .errors import DefinitionError, NotFound, Problem
from .host import PluginError, PluginHost, Registration, named
from .questions import QuestionSet, load_sets
from .suggest import did_you_mean
from .templates import TemplateFieldSpec, reserved
from .yamlsource import twins_problem


class Registry:
    def __init__(self, host: PluginHost, home: Path, *, quiet: frozenset[Path] = frozenset()):
        """`quiet`: home files whose problems are not warned about (`workflow check` is about
        to list them itself)."""
        self.host, self.home, self.quiet = host, home, quiet
        self.catalog = Catalog()
        self.workflow_sources: list[Registration] = []
        self.workflows: dict[str, Workflow] = {}
        self.workflow_items: dict[str, Any] = {}  # name -> what was registered (a file's Path, or its text)
        self.origin: dict[tuple[str, str], str] = {}  # (kind, name) -> plugin
        self._build()

    @property
    def actions(self) -> dict[str, ActionSpec]:
        return self.catalog.actions

    @property
    def guards(self) -> dict[str, GuardSpec]:
        return self.catalog.guards

    @property
    def question_sets(self) -> dict[str, QuestionSet]:
        return self.catalog.question_sets

    @property
    def template_fields(self) -> dict[str, TemplateFieldSpec]:
        return self.catalog.template_fields

    def _guarded(self, add: Callable[[Registration], None]) -> Callable[[Registration], None]:
        """`add`, with an invalid registration turned into a plugin problem: the plugin's
        `register` call returns, and its next registrations still count."""
        def guarded(reg: Registration) -> None:
            try:
                add(reg)
            except PluginError:
                raise  # strict mode's verdict, not the plugin's failure
            except (ValidationError, DefinitionError, ValueError, TypeError) as e:
                self._problem(reg.plugin, f"registered something invalid: {_one_line(e)}")
            except Exception as e:  # a question-set loader (or any registration) that breaks
                self._problem(reg.plugin, f"failed while its registration was loaded: {type(e).__name__}: {e}")
        return guarded

    def _problem(self, plugin: str, message: str) -> None:
        info = self.host.info.get(plugin)
        self.host.problem(plugin, info.distribution if info else None, message)

    def _claim(self, kind: str, name: str, reg: Registration) -> bool:
        """Record that `reg.plugin` registered `name`; False for a default that gives way."""
        key = (kind, name)
        if key in self.origin:
            if reg.default:
                return False
            raise ValueError(f"{kind} '{name}' is already registered by plugin '{self.origin[key]}'")
        self.origin[key] = reg.plugin
        self.host.note(reg.plugin, kind + "s", name)
        return True

    def _build(self) -> None:
        def add_action(reg: Registration) -> None:
            item = reg.item
            spec = item if isinstance(item, ActionSpec) else ActionSpec.model_validate(item)
            if self._claim("action", spec.name, reg):
                self.catalog.actions[spec.name] = spec

        def add_guard(reg: Registration) -> None:
            item = reg.item
            spec = item if isinstance(item, GuardSpec) else GuardSpec.model_validate(item)
            if self._claim("guard", spec.name, reg):
                self.catalog.guards[spec.name] = spec

        def add_template_field(reg: Registration) -> None:
            item = reg.item
            spec = item if isinstance(item, TemplateFieldSpec) else TemplateFieldSpec.model_validate(item)
            if reserved(spec.name):
                raise ValueError(f"template field '{spec.name}' is built in")
            if self._claim("template_field", spec.name, reg):
                self.catalog.template_fields[spec.name] = spec

        def add_sets(reg: Registration) -> None:
            item = reg.item
            if isinstance(item, QuestionSet):
                sets = [item]
            elif isinstance(item, Mapping):
                sets = [QuestionSet.model_validate(dict(item))]
            else:
                sets = load_sets(item, home=self.home)
            for qset in sets:
                if self._claim("question_set", qset.id, reg):
                    self.catalog.question_sets[qset.id] = qset

        host, guarded = self.host, self._guarded
        host.register_actions(guarded(add_action))
        host.register_guards(guarded(add_guard))
        host.register_question_sets(guarded(add_sets), home=self.home)
        host.register_template_fields(guarded(add_template_field))
        # Workflow files are only collected here: compiling one needs every name registered above.
        host.register_workflows(self.workflow_sources.append, home=self.home)
        twins = _twins([reg.item for reg in self.workflow_sources if self._own(reg.item)])
        for reg in self.workflow_sources:
            if self._own(reg.item):
                self._add_own_workflow(reg, twins)
                continue
            try:
                wf = load_workflow(reg.item, self.catalog, label=_label(reg.item), home=self.home)
                if not self._claim("workflow", wf.name, reg):
                    continue
            except (DefinitionError, ValueError) as e:
                self._problem(reg.plugin, f"registered an invalid workflow: {_one_line(e)}")
                continue
            self.workflows[wf.name] = wf
            self.workflow_items[wf.name] = reg.item

    def _own(self, source: Any) -> bool:
        """A file in the user's home (rather than one a plugin ships)."""
        return isinstance(source, Path) and source.is_relative_to(self.home)

    def _add_own_workflow(self, reg: Registration, twins: dict[Path, Problem]) -> None:
        """A workflow file from the user's home: its problems are the user's to fix, so each is
        reported at its place in the file, never as a plugin's fault."""
        path: Path = reg.item
        if path in twins:
            if twins[path].file == str(path):
                self._warn(path, [twins[path]])
            return
        try:
            doc = read_document(path, home=self.home)
            wf = compile_document(doc, self.catalog)
        except DefinitionError as e:
            self._warn(path, e.problems, f"{path}: not loaded; `infoview workflow check {path}` lists its problems")
            return
        if ("workflow", wf.name) in self.origin:
            owner = self.origin[("workflow", wf.name)]
            other = self.workflows[wf.name].source if wf.name in self.workflows else ""
            taken = (f"the built-in workflow ({other})" if owner == "builtin" and not Path(other).is_absolute()
                     else other if Path(other).is_absolute() else f"plugin '{owner}'")
            self._warn(path, [doc.problem(("name",), f"workflow name '{wf.name}' is already used by {taken}; give "
                                                     "this workflow another name (this file is not loaded)",
                                          at_value=True)])
            return
        self._claim("workflow", wf.name, reg)
        self.workflows[wf.name] = wf
        self.workflow_items[wf.name] = reg.item

    def _warn(self, path: Path, problems: list[Problem], after: str = "") -> None:
        """Each problem of a user's file as one warning line (file:line:col first)."""
        if path.resolve() in self.quiet:
            return
        for p in problems:
            _log.warning("%s", p)
        if after:
            _log.warning("%s", after)

    def whose(self, kind: str, name: str) -> str:
        """`plugin 'x' (distribution d)`: who registered this action, guard, question set..."""
        plugin = self.origin.get((kind, name), "?")
        info = self.host.info.get(plugin)
        return named(plugin, info.distribution if info else None)

    def workflow(self, name: str) -> Workflow:
        wf = self.workflows.get(name)
        if wf is None:
            raise NotFound(f"no workflow named '{name}'" + did_you_mean(name, self.workflows)
                           + "; `infoview workflow list` shows them")
        return wf


# Not resolved: in a development install the package is a tree of links to the repository's files.
_PACKAGE = str(Path(__file__).parent) + "/"


def _label(source: Any) -> str:
    """Workflow files shipped inside infoview are named by their path in the package
    (workflows/...); any other file (a user's own, under <home>/workflows/) by its full path."""
    text = str(source)
    return text[len(_PACKAGE):] if text.startswith(_PACKAGE) else text


_log = logging.getLogger("infoview.workflows")


def _twins(paths: list[Path]) -> dict[Path, Problem]:
    """Files of one folder and one name, as NAME.yaml and NAME.yml: neither is loaded, and one
    problem (on the first) says so."""
    by_stem: dict[tuple[Path, str], list[Path]] = {}
    for path in paths:
        by_stem.setdefault((path.parent, path.stem), []).append(path)
    out: dict[Path, Problem] = {}
    for group in by_stem.values():
        if len(group) > 1:
            problem = twins_problem(sorted(group)[0])
            out.update({path: problem for path in group})
    return out


def _one_line(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
    return str(e).replace("\n", "; ")
