"""Everything plugins registered: actions, guards, question sets and workflows, with who gave what.

Built once per process on first need (the CLI's --help never needs it). Each registration is
validated; a duplicate or an invalid one is a plugin problem (a warning naming the plugin, or
fatal with INFOVIEW_STRICT_PLUGINS=1), never a crash.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

from pydantic import ValidationError

from .actions import ActionSpec, GuardSpec
from .definition import Catalog, Workflow, load_workflow
from .errors import DefinitionError, NotFound
from .host import PluginError, PluginHost
from .questions import QuestionSet, load_sets
from .suggest import did_you_mean


class Registry:
    def __init__(self, host: PluginHost, home: Path):
        self.host, self.home = host, home
        self.catalog = Catalog()
        self.workflow_sources: list[tuple[str, Any]] = []
        self.workflows: dict[str, Workflow] = {}
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

    def _register_hook(self, hook: str, add: Callable[[str, Any], None]) -> None:
        caller = getattr(self.host.pm.hook, hook)
        # Built-ins register first (stable sort keeps pluggy's order otherwise): when a third-party
        # plugin reuses a built-in name, the third-party registration is the one refused and named.
        impls = sorted(reversed(caller.get_hookimpls()), key=lambda i: not self._builtin(i.plugin_name))
        for impl in impls:
            plugin = impl.plugin_name
            kwargs: dict[str, Any] = {"register": lambda item, _p=plugin: self._guarded(_p, add, item), "home": self.home}
            try:
                impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
            except PluginError:
                raise  # strict mode: already one readable line; wrapping it again would repeat it
            except Exception as e:
                self._problem(plugin, f"failed in {hook}: {type(e).__name__}: {e}")

    def _builtin(self, plugin: str) -> bool:
        info = self.host.info.get(plugin)
        return info is not None and info.builtin

    def _guarded(self, plugin: str, add: Callable[[str, Any], None], item: Any) -> None:
        try:
            add(plugin, item)
        except (ValidationError, DefinitionError, ValueError, TypeError) as e:
            self._problem(plugin, f"registered something invalid: {_one_line(e)}")

    def _problem(self, plugin: str, message: str) -> None:
        info = self.host.info.get(plugin)
        self.host.problem(plugin, info.distribution if info else None, message)

    def _claim(self, kind: str, name: str, plugin: str) -> None:
        key = (kind, name)
        if key in self.origin:
            raise ValueError(f"{kind} '{name}' is already registered by plugin '{self.origin[key]}'")
        self.origin[key] = plugin
        self.host.note(plugin, kind + "s", name)

    def _build(self) -> None:
        def add_action(plugin: str, item: Any) -> None:
            spec = item if isinstance(item, ActionSpec) else ActionSpec.model_validate(item)
            self._claim("action", spec.name, plugin)
            self.catalog.actions[spec.name] = spec

        def add_guard(plugin: str, item: Any) -> None:
            spec = item if isinstance(item, GuardSpec) else GuardSpec.model_validate(item)
            self._claim("guard", spec.name, plugin)
            self.catalog.guards[spec.name] = spec

        def add_sets(plugin: str, item: Any) -> None:
            if isinstance(item, QuestionSet):
                sets = [item]
            elif isinstance(item, Mapping):
                sets = [QuestionSet.model_validate(dict(item))]
            else:
                sets = load_sets(item)
            for qset in sets:
                self._claim("question_set", qset.id, plugin)
                self.catalog.question_sets[qset.id] = qset

        def add_workflow(plugin: str, item: Any) -> None:
            self.workflow_sources.append((plugin, item))

        self._register_hook("infoview_register_actions", add_action)
        self._register_hook("infoview_register_guards", add_guard)
        self._register_hook("infoview_register_question_sets", add_sets)
        self._register_hook("infoview_register_workflows", add_workflow)
        for plugin, source in self.workflow_sources:
            try:
                wf = load_workflow(source, self.catalog, label=_label(source))
                self._claim("workflow", wf.name, plugin)
            except (DefinitionError, ValueError) as e:
                self._problem(plugin, f"registered an invalid workflow: {_one_line(e)}")
                continue
            self.workflows[wf.name] = wf

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


def _one_line(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
    return str(e).replace("\n", "; ")
