"""The plugin manager: every plugin, built-in or not, is an entry point of the group `infoview`.

Each plugin is loaded in its own try, so one that fails to import is named in a warning and
skipped (INFOVIEW_STRICT_PLUGINS=1 makes that fatal). INFOVIEW_LOAD_PLUGINS=a,b loads only those
external plugins; INFOVIEW_DISABLE_PLUGINS=a,b blocks them. Hooks are called through `each()`,
which calls one implementation at a time: that gives per-plugin error isolation for signal hooks
and tells register hooks which plugin registered what.
"""
from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pluggy

from . import hookspecs
from .errors import InfoviewError

if TYPE_CHECKING:
    import click

    from .machine import TransitionView
    from .model import Event, Interview

log = logging.getLogger("infoview.plugins")

# The built-in plugins are entry points of the `infoview` distribution itself, in the same group as
# every third-party plugin (see pyproject.toml); they load first, in this order.
BUILTIN_DISTRIBUTION = "infoview"
BUILTIN_ORDER: tuple[str, ...] = ("builtin", "questions", "notify", "calendar", "demo")
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

    # ---- loading ----

    def load(self) -> "PluginHost":
        # Imported here: importlib.metadata costs a command that loads no plugins a sixth of its start-up.
        from importlib.metadata import entry_points

        self.loaded = True
        only = _env_list("INFOVIEW_LOAD_PLUGINS", self.env)
        blocked = _env_list("INFOVIEW_DISABLE_PLUGINS", self.env) or set()

        def order(ep: Any) -> tuple[int, int, str]:
            builtin = _dist_name(ep) == BUILTIN_DISTRIBUTION
            rank = BUILTIN_ORDER.index(ep.name) if builtin and ep.name in BUILTIN_ORDER else len(BUILTIN_ORDER)
            return (0 if builtin else 1, rank, ep.name)

        for ep in sorted(entry_points(group=GROUP), key=order):
            dist = _dist_name(ep)
            builtin = dist == BUILTIN_DISTRIBUTION
            names = {ep.name, dist or ""}
            if not builtin and (names & blocked or (only is not None and not names & only)):
                continue
            self._load_one(ep.name, ep.load, dist, ep.dist.version if ep.dist else None, builtin=builtin)
        for module in self._extra:
            self._load_one(module, lambda m=module: importlib.import_module(m), None, None, builtin=False)
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
        """Like pm.check_pending(), for one plugin: a hookimpl naming no known hook is an error."""
        plugin = self.pm.get_plugin(name)
        for attr in dir(plugin):
            if attr.startswith("infoview_") and not hasattr(self.pm.hook, attr):
                raise pluggy.PluginValidationError(plugin, f"unknown hook '{attr}'")
        self.pm.check_pending()

    def problem(self, plugin: str, dist: str | None, message: str) -> None:
        """A plugin misbehaved: fatal when strict, else a warning and the plugin's part skipped."""
        who = f"plugin '{plugin}'" + (f" (distribution {dist})" if dist else "")
        text = f"{who} {message}"
        if self.strict:
            raise PluginError(text + " [INFOVIEW_STRICT_PLUGINS is set]")
        self.warnings.append(text)
        log.warning("%s", text)

    # ---- calling ----

    def each(self, hook: str, **kwargs: Any) -> Iterator[tuple[str, Callable[[], Any]]]:
        """Yield (plugin name, call) for every implementation, in pluggy's calling order."""
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            yield impl.plugin_name, (lambda f=impl.function, a=args: f(**a))

    def signal(self, hook: str, **kwargs: Any) -> None:
        """Call every implementation; one that raises is logged with its name, the others still run."""
        for name, call in self.each(hook, **kwargs):
            try:
                call()
            except Exception as e:
                log.error("plugin '%s' failed in %s: %s: %s", name, hook, type(e).__name__, e)

    # ---- the typed facade: core code calls hooks only through these ----

    def check_transition(self, interview: "Interview", transition: "TransitionView") -> list[str]:
        """Every plugin's reasons to refuse `transition` (empty: allowed). A plugin that raises
        refuses it with an InfoviewError naming the plugin; nothing has been written then."""
        reasons: list[str] = []
        for plugin, call in self.each("infoview_check_transition", interview=interview, transition=transition):
            try:
                answer = call()
            except Exception as e:
                raise InfoviewError(f"plugin '{plugin}' failed while checking '{transition.event}' on interview "
                                    f"{interview.id}: {type(e).__name__}: {e}; nothing was changed") from e
            if isinstance(answer, str) and answer:
                reasons.append(answer)
            elif isinstance(answer, (list, tuple)):
                reasons.extend(str(a) for a in answer if a)
        return reasons

    def event_committed(self, event: "Event", interview: "Interview") -> None:
        """Tell every plugin; one that raises is logged and never stops the others."""
        self.signal("infoview_event_committed", event=event, interview=interview)

    def calendar_components(self, interview: "Interview", calendar: Any) -> None:
        """Let every plugin add to or adjust the calendar; one that raises is logged and skipped."""
        self.signal("infoview_calendar_components", interview=interview, calendar=calendar)

    def register_commands(self, cli: "click.Group") -> None:
        """Let every plugin add its CLI commands; one that fails is a plugin problem (a warning)."""
        for plugin, call in self.each("infoview_register_commands", cli=cli):
            try:
                call()
            except Exception as e:
                self.problem(plugin, None, f"failed to add its commands: {type(e).__name__}: {e}")

    def hooks_of(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        return sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])

    def note(self, plugin: str, kind: str, item: str) -> None:
        if plugin in self.info:
            self.info[plugin].registered.setdefault(kind, []).append(item)
