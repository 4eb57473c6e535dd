"""The plugin host: loads every plugin (built-in or not, each an entry point of the group
`infoview`) and is the only caller of their hooks.

Each plugin is loaded in its own try, so one that fails to import is named in a warning and
skipped (INFOVIEW_STRICT_PLUGINS=1 makes that fatal). INFOVIEW_LOAD_PLUGINS=a,b loads only those
external plugins; INFOVIEW_DISABLE_PLUGINS=a,b blocks them; INFOVIEW_TRACE_PLUGINS=1 prints every
hook call to stderr (engine/hooktrace.py).

Core code calls hooks through one typed method per hook (`check_transition`, `event_committed`,
`calendar_components`, `register_commands`, `register_actions`, ...), all built on one isolated
loop (engine/hookcall.py): pluggy's order and wrappers, each implementation on its own, every
failure and every answer attributed to its plugin.
"""
from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple

import pluggy

from . import hookspecs, hooktrace
from .errors import InfoviewError, PluginFailed
from .hookcall import Caller, Outcome, call_each

if TYPE_CHECKING:
    from pathlib import Path

    import click

    from .machine import TransitionView
    from .model import Event, Interview

log = logging.getLogger("infoview.plugins")

# The built-in plugins are entry points of the `infoview` distribution itself, in the same group as
# every third-party plugin (see pyproject.toml); they load first, in this order.
BUILTIN_DISTRIBUTION = "infoview"
BUILTIN_ORDER: tuple[str, ...] = ("builtin", "questions", "notify", "calendar", "demo", "web")
_BUILTIN_PACKAGE = "infoview.plugins."
GROUP = "infoview"


@dataclass
class PluginInfo:
    name: str
    module: str
    distribution: str | None
    version: str | None
    builtin: bool
    registered: dict[str, list[str]] = field(default_factory=dict)  # kind -> names


class PluginError(InfoviewError):
    pass


class Registration(NamedTuple):  # a named tuple: cheap to define (see hookcall.py)
    """One thing a plugin registered, with the plugin. `default`: it came from a `trylast`
    implementation, so it gives way quietly to a registration of the same name made earlier."""

    plugin: str
    item: Any
    default: bool = False


Add = Callable[[Registration], None]


def named(plugin: str, dist: str | None) -> str:
    """How messages name a plugin: `plugin 'x' (distribution d)`."""
    return f"plugin '{plugin}'" + (f" (distribution {dist})" if dist else "")


def _builtin(ep: Any) -> bool:
    """An entry point of infoview's own plugins (their modules live in the package). Told by its
    module rather than its distribution's name: reading a distribution's metadata parses it with
    the `email` package, a tenth of `infoview --help`'s start-up for nothing."""
    return bool(ep.value.startswith(_BUILTIN_PACKAGE) and ep.name in BUILTIN_ORDER)


def _dist_name(ep: Any) -> str | None:
    return ep.dist.name if ep.dist else None


def _env_list(name: str, env: dict[str, str]) -> set[str] | None:
    value = env.get(name)
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


class PluginHost:
    def __init__(self, env: dict[str, str] | None = None, extra: tuple[str, ...] = ()):
        """`extra`: module names to load as plugins besides the entry points (for tests)."""
        self.env = dict(os.environ if env is None else env)
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.warnings: list[str] = []
        self.strict = self.env.get("INFOVIEW_STRICT_PLUGINS", "") not in ("", "0", "false")
        self.loaded = False
        self._extra = extra
        self._tracer = hooktrace.trace if hooktrace.wanted(self.env) else None
        self._failed_in: set[tuple[str, str]] = set()  # (hook, plugin) already warned about

    # ---- loading ----

    def load(self) -> "PluginHost":
        # Imported here: importlib.metadata costs a command that loads no plugins a sixth of its start-up.
        from importlib.metadata import entry_points

        self.loaded = True
        only = _env_list("INFOVIEW_LOAD_PLUGINS", self.env)
        blocked = _env_list("INFOVIEW_DISABLE_PLUGINS", self.env) or set()

        def order(ep: Any) -> tuple[int, int, str]:
            builtin = _builtin(ep)
            rank = BUILTIN_ORDER.index(ep.name) if builtin and ep.name in BUILTIN_ORDER else len(BUILTIN_ORDER)
            return (0 if builtin else 1, rank, ep.name)

        for ep in sorted(entry_points(group=GROUP), key=order):
            if _builtin(ep):
                self._load_one(ep.name, ep.load, BUILTIN_DISTRIBUTION, None, builtin=True)
                continue
            dist = _dist_name(ep)
            names = {ep.name, dist or ""}
            if names & blocked or (only is not None and not names & only):
                continue
            self._load_one(ep.name, ep.load, dist, ep.dist.version if ep.dist else None, builtin=False)
        for module in self._extra:
            self._load_one(module, partial(importlib.import_module, module), None, None, builtin=False)
        return self

    def _load_one(self, name: str, loader: Callable[[], Any], dist: str | None, version: str | None,
                  *, builtin: bool) -> None:
        try:
            plugin = loader()
            self.pm.register(plugin, name=name)
            self._validate(name)
        except Exception as e:  # a broken third-party plugin must not take the host down
            if self.pm.has_plugin(name):
                self.pm.unregister(name=name)
            self.problem(name, dist, f"failed to load: {type(e).__name__}: {e}")
            return
        module = getattr(plugin, "__name__", name)
        self.info[name] = PluginInfo(name, module, dist, version, builtin)

    def _validate(self, name: str) -> None:
        """Like pm.check_pending(), for one plugin: a hookimpl naming no known hook is an error,
        and so is an old-style `hookwrapper=True` (the loop speaks only `wrapper=True`)."""
        plugin = self.pm.get_plugin(name)
        for attr in dir(plugin):
            if attr.startswith("infoview_") and not hasattr(self.pm.hook, attr):
                raise pluggy.PluginValidationError(plugin, f"unknown hook '{attr}'")
        self.pm.check_pending()
        for caller in self.pm.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and impl.hookwrapper:
                    raise pluggy.PluginValidationError(
                        plugin, f"old-style hookwrapper=True on '{caller.name}' is not supported; "
                                "use @hookimpl(wrapper=True)")

    def problem(self, plugin: str, dist: str | None, message: str) -> None:
        """A plugin misbehaved: fatal when strict, else a warning and the plugin's part skipped."""
        text = f"{named(plugin, dist)} {message}"
        if self.strict:
            raise PluginError(text + " [INFOVIEW_STRICT_PLUGINS is set]")
        self.warnings.append(text)
        log.warning("%s", text)

    # ---- calling: the one loop (engine/hookcall.py), and the typed facade over it ----

    def _call(self, hook: str, own_args: Callable[[Caller], Mapping[str, Any]] | None = None,
              **args: Any) -> Outcome:
        """Call every implementation of `hook` on its own; see engine/hookcall.py. The only
        place that reads pluggy's hook callers."""
        return call_each(hook, getattr(self.pm.hook, hook).get_hookimpls(), args, own_args=own_args,
                         distribution=self._distribution, tracer=self._tracer, fatal=(PluginError,))

    def _distribution(self, plugin: str) -> str | None:
        info = self.info.get(plugin)
        return info.distribution if info else None

    def _log_failures(self, hook: str, outcome: Outcome, skipped: str = "") -> None:
        """One warning per plugin and hook in a process: a calendar hook runs once per interview,
        and a plugin that fails for one usually fails for all of them."""
        for f in outcome.failures:
            if (hook, f.plugin) in self._failed_in:
                continue
            self._failed_in.add((hook, f.plugin))
            log.error("%s failed in %s: %s: %s%s", named(f.plugin, f.distribution), hook, type(f.error).__name__,
                      f.error, skipped)

    def check_transition(self, interview: "Interview", transition: "TransitionView") -> list[str]:
        """Every plugin's reasons to refuse `transition` (empty: allowed). A plugin that raises
        (a wrapper too) refuses it with a PluginFailed naming the plugin; nothing has been
        written then."""
        outcome = self._call("infoview_check_transition", interview=interview, transition=transition)
        if outcome.failures:
            f = outcome.failures[0]
            raise PluginFailed(f"plugin '{f.plugin}' failed while checking '{transition.event}' on interview "
                               f"{interview.id}: {type(f.error).__name__}: {f.error}; nothing was changed") from f.error
        reasons: list[str] = []
        for answer in outcome.answers:
            if isinstance(answer.value, str):
                reasons.append(answer.value)
            elif isinstance(answer.value, (list, tuple)):
                reasons.extend(str(a) for a in answer.value if a)
        return [r for r in reasons if r]

    def event_committed(self, event: "Event", interview: "Interview") -> None:
        """Tell every plugin; one that raises is logged and never stops the others."""
        self._log_failures("infoview_event_committed",
                           self._call("infoview_event_committed", event=event, interview=interview))

    def calendar_components(self, interview: "Interview", calendar: Any) -> None:
        """Let every plugin add to or adjust the calendar; one that raises is named in a warning
        and the rest of the feed is served without what it would have added."""
        self._log_failures("infoview_calendar_components",
                           self._call("infoview_calendar_components", interview=interview, calendar=calendar),
                           "; its calendar components are skipped")

    def register_commands(self, cli: "click.Group") -> None:
        """Let every plugin add its CLI commands; one that fails is a plugin problem (a warning).
        Each command a plugin adds is wrapped (engine/plugincommands.py) so that what it raises
        when run is one line naming the plugin, exit 1."""
        from .plugincommands import Attribution

        added = Attribution(cli)

        def own_args(caller: Caller) -> dict[str, Any]:
            added.now_adding(named(caller.plugin, self._distribution(caller.plugin)))
            return {}

        outcome = self._call("infoview_register_commands", own_args, cli=cli)
        added.done()
        for f in outcome.failures:
            self.problem(f.plugin, f.distribution, f"failed to add its commands: {type(f.error).__name__}: {f.error}")

    # Register hooks: each implementation gets its own `register` callback, which hands every
    # item to `add` as a Registration naming the plugin. `add` validates and claims the name.

    def register_workflows(self, add: Add, home: Path) -> None:
        self._register("infoview_register_workflows", add, home=home)

    def register_question_sets(self, add: Add, home: Path) -> None:
        self._register("infoview_register_question_sets", add, home=home)

    def register_actions(self, add: Add) -> None:
        self._register("infoview_register_actions", add)

    def register_guards(self, add: Add) -> None:
        self._register("infoview_register_guards", add)

    def register_template_fields(self, add: Add) -> None:
        self._register("infoview_register_template_fields", add)

    def _register(self, hook: str, add: Add, **args: Any) -> None:
        def own_args(caller: Caller) -> dict[str, Any]:
            def register(item: Any) -> None:
                add(Registration(caller.plugin, item, default=caller.default))
            return {"register": register}

        for f in self._call(hook, own_args, **args).failures:
            self.problem(f.plugin, f.distribution, f"failed in {hook}: {type(f.error).__name__}: {f.error}")

    def hooks_of(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        return sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])

    def note(self, plugin: str, kind: str, item: str) -> None:
        if plugin in self.info:
            self.info[plugin].registered.setdefault(kind, []).append(item)
