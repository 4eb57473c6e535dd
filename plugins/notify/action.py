"""The `notify` action: a workflow's `do: [{notify: {tag: reminders, title: "..."}}]`."""
from __future__ import annotations

from engine.actions import ActionContext, ActionResult

from . import delivered
from .channels import ChannelConfigError, NoChannelConfig, load
from .params import NotifyParams
from .send import DEFAULT_TIMEOUT, send


def run(ctx: ActionContext) -> ActionResult:
    params = ctx.params if isinstance(ctx.params, NotifyParams) else NotifyParams.model_validate(ctx.params)
    title, body = ctx.render(params.title), ctx.render(params.body)
    try:
        channels = load(ctx.home, ctx.config)
    except NoChannelConfig as e:
        return ActionResult(ok=False, retry=False, state="no-channel", detail=str(e))
    except ChannelConfigError as e:
        # Retried: once the user fixes the file, the message still goes out.
        return ActionResult(ok=False, retry=True, detail=str(e))
    targets = channels.tagged(params.tag)
    if not targets:
        return ActionResult(ok=False, retry=False, state="no-channel",
                            detail=f"no channel is tagged '{params.tag}' in {channels.path}")
    done = delivered.already(ctx.home, ctx.job_id) if ctx.attempt > 1 else set()
    pending = [c for c in targets if delivered.key(c) not in done] if done else targets
    if not pending:
        return ActionResult(ok=True, detail=f"already sent to every channel tagged '{params.tag}'")
    outcomes = send(channels, params.tag, title, body, only=None if pending is targets else pending,
                    timeout=_timeout(ctx.config))
    failed = [o for o in outcomes if not o.ok]
    if not failed and outcomes:
        return ActionResult(ok=True, detail=f"sent to {', '.join(o.channel for o in outcomes)}")
    accepted = [o.source for o in outcomes if o.ok and o.source is not None]
    if accepted:
        delivered.remember(ctx.home, ctx.job_id, accepted)
    why = "; ".join(f"{o.channel}: {o.reason}" for o in failed) or "apprise sent to no channel"
    return ActionResult(ok=False, retry=True, detail=f"{len(failed)} of {len(pending)} channels failed: {why}")


def _timeout(config: dict) -> float:
    value = (config.get("notify") or {}).get("timeout", DEFAULT_TIMEOUT)
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_TIMEOUT
