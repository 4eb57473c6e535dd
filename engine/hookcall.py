"""The one loop every hook call goes through: each implementation on its own, in pluggy's order.

pluggy's own call (`pm.hook.name(...)`) stops at the first exception and cannot say who returned
what. This loop keeps pluggy's order and its new-style wrapper protocol (see pluggy's
`_execution.py`) but calls one implementation at a time, so that:

- an implementation that raises is recorded as a `Failure` of its plugin, and the others still
  run (the caller decides what a failure means: a warning, a log line, a refusal);
- every return value is an `Answer` carrying the plugin that gave it;
- each implementation gets only the arguments it asks for, plus any made for it alone (a
  register hook's `register` callback, which records who registered what).

Order, as pluggy's: wrappers outside everything else (`tryfirst` wrappers outermost), then the
plain implementations, `tryfirst` ones first, `trylast` ones last, and among equals the plugin
loaded last first. A wrapper is a generator that yields once: it receives the list of the inner
implementations' non-None results and returns that list, changed or not (returning None keeps it).
A wrapper that raises, before or after its yield, is a failure of its plugin: what the inner
implementations returned still counts.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Generator, Mapping, NamedTuple, Sequence

# Named tuples rather than dataclasses, and the protocols for type checkers only: every command
# that loads plugins (`infoview --help` too) imports this module, and building dataclass and
# Protocol classes at import cost --help a few per cent of its start-up.
if TYPE_CHECKING:
    from typing import Protocol

    class Impl(Protocol):
        """What the loop reads of a `pluggy.HookImpl`."""

        function: Callable[..., Any]
        argnames: tuple[str, ...]
        kwargnames: tuple[str, ...]
        plugin_name: str
        wrapper: bool
        trylast: bool

    class Tracer(Protocol):
        def __call__(self, hook: str, caller: Caller, distribution: str | None, args: Mapping[str, Any],
                     seconds: float, error: Exception | None, wrapper: bool) -> None: ...


class Answer(NamedTuple):
    """A non-None return value and the plugin that gave it."""

    plugin: str
    distribution: str | None
    value: Any


class Failure(NamedTuple):
    """An implementation that raised (or broke the wrapper protocol), and what it raised."""

    plugin: str
    distribution: str | None
    error: Exception
    wrapper: bool = False


class Outcome(NamedTuple):
    answers: list[Answer]
    failures: list[Failure]


class Caller(NamedTuple):
    """Who is being called, as the loop tells the per-implementation argument builder."""

    plugin: str
    default: bool  # marked trylast: a default that gives way to what others registered first


class WrapperError(Exception):
    """A wrapper that did not keep the protocol (yield exactly once)."""


def call_each(hook: str, impls: Sequence[Impl], args: Mapping[str, Any], *,
              own_args: Callable[[Caller], Mapping[str, Any]] | None = None,
              distribution: Callable[[str], str | None] = lambda plugin: None,
              tracer: Tracer | None = None,
              fatal: tuple[type[Exception], ...] = ()) -> Outcome:
    """Call every implementation of `hook` (`impls` as `HookCaller.get_hookimpls()` lists them).

    `own_args` adds arguments made for one implementation; `distribution` names a plugin's
    distribution; `tracer` is told about every call; exceptions of a `fatal` type are the host's
    own verdict (strict mode), not a plugin's failure, and stop the call."""
    failures: list[Failure] = []
    # (who, its arguments, its generator, seconds spent before its yield)
    open_wrappers: list[tuple[Caller, dict[str, Any], Generator[None, Any, Any], float]] = []
    answers: list[Answer] = []

    def fail(who: Caller, error: Exception, wrapper: bool) -> None:
        failures.append(Failure(who.plugin, distribution(who.plugin), error, wrapper))

    def trace(who: Caller, kwargs: Mapping[str, Any], seconds: float, error: Exception | None, wrapper: bool) -> None:
        if tracer is not None:
            tracer(hook, who, distribution(who.plugin), kwargs, seconds, error, wrapper)

    for impl in reversed(impls):  # pluggy lists them in reverse calling order
        who = Caller(impl.plugin_name, impl.trylast)
        offered = {**args, **(own_args(who) if own_args else {})}
        kwargs = {name: offered[name] for name in (*impl.argnames, *impl.kwargnames) if name in offered}
        started = time.perf_counter()
        try:
            if impl.wrapper:
                gen = impl.function(**kwargs)
                try:
                    next(gen)
                except StopIteration:
                    raise WrapperError("the wrapper did not yield") from None
                open_wrappers.append((who, kwargs, gen, time.perf_counter() - started))
                continue
            value = impl.function(**kwargs)
        except fatal:
            raise
        except Exception as e:
            fail(who, e, impl.wrapper)
            trace(who, kwargs, time.perf_counter() - started, e, impl.wrapper)
            continue
        if value is not None:
            answers.append(Answer(who.plugin, distribution(who.plugin), value))
        trace(who, kwargs, time.perf_counter() - started, None, False)

    for who, kwargs, gen, before in reversed(open_wrappers):  # innermost first
        resumed = time.perf_counter()
        try:
            answers = _finish_wrapper(gen, answers, who.plugin, distribution(who.plugin))
        except fatal:
            raise
        except Exception as e:
            fail(who, e, True)
            trace(who, kwargs, before + time.perf_counter() - resumed, e, True)
        else:
            trace(who, kwargs, before + time.perf_counter() - resumed, None, True)
        finally:
            gen.close()
    return Outcome(answers, failures)


def _finish_wrapper(gen: Generator[None, Any, Any], answers: list[Answer], plugin: str,
                    dist: str | None) -> list[Answer]:
    """Send the inner results into the wrapper; what it returns is the new result. Values it kept
    stay attributed to the plugins that gave them; values it added are attributed to it."""
    try:
        gen.send([a.value for a in answers])
    except StopIteration as stop:
        returned = stop.value
    else:
        raise WrapperError("the wrapper yielded more than once")
    if returned is None:
        return answers
    if not isinstance(returned, list):
        raise WrapperError(f"the wrapper returned {type(returned).__name__}, not the list of results")
    unused = list(answers)
    out = []
    for value in returned:
        given = next((a for a in unused if a.value is value), None)
        if given is None:
            out.append(Answer(plugin, dist, value))
        else:
            unused.remove(given)
            out.append(given)
    return [a for a in out if a.value is not None]
