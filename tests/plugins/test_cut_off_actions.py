"""A third-party action cut off by kill -9, as its author meets it: one that ignores
`ctx.interrupted` is simply run again by the next tick (the default); one that answers
`unsure=True` is left `unsure`, never run again on its own, and run by `infoview outbox retry`
with `ctx.resend` set."""
from __future__ import annotations

import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import pytest

from cli_support import start_infoview
from plugin_support import BEFORE, add_distribution, plan, run, run_json

CUT_OFF = '''
    import socket

    from infoview.actions import ActionResult, ActionSpec
    from infoview.hookspecs import hookimpl

    def log(ctx):
        with (ctx.home / "calls.log").open("a") as f:
            f.write(f"{ctx.action} attempt {ctx.attempt} interrupted {ctx.interrupted} resend {ctx.resend}\\n")

    def hang_the_first_time(ctx):
        # the test's listener never answers: the test kills this process while it waits here
        if not (ctx.interrupted or ctx.resend):
            port = int((ctx.home / "hang.port").read_text())
            socket.create_connection(("127.0.0.1", port)).recv(1)

    def plain(ctx):
        log(ctx)
        hang_the_first_time(ctx)
        return ActionResult(ok=True, detail="done")

    def careful(ctx):
        log(ctx)
        if ctx.interrupted:
            return ActionResult(ok=False, unsure=True,
                                detail=f"cut off; `infoview outbox retry {ctx.job_id}` does it again")
        hang_the_first_time(ctx)
        return ActionResult(ok=True, detail="done")

    @hookimpl
    def infoview_register_actions(register):
        register(ActionSpec(name="plain", run=plain))
        register(ActionSpec(name="careful", run=careful))

    @hookimpl
    def infoview_register_workflows(register, home):
        from pathlib import Path

        register(Path(__file__).with_name("cut-off.yaml"))
'''

WORKFLOW = """\
name: cut-off
initial: planned
states:
  planned: {}
  done: {final: true}
transitions:
  - {event: plain, from: planned, to: done, do: [{plain: {}}]}
  - {event: careful, from: planned, to: done, do: [{careful: {}}]}
"""


@pytest.fixture
def hang() -> Iterator[tuple[int, threading.Event]]:
    """A listener that accepts one connection and never answers: its port, and an event set
    once it has accepted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted = threading.Event()
    held: list[socket.socket] = []

    def accept_and_hold() -> None:
        # Keep the accepted socket referenced: dropped, it would be closed, the action's recv()
        # would return at once, and the action could finish before the test kills it.
        held.append(listener.accept()[0])
        accepted.set()

    threading.Thread(target=accept_and_hold, daemon=True).start()
    yield listener.getsockname()[1], accepted
    for conn in held:
        conn.close()
    listener.close()


def killed_mid_action(tmp_path: Path, hang: tuple[int, threading.Event], event: str) -> tuple[Path, Path]:
    """Fire EVENT of a new interview in a process of its own; kill -9 it inside the action."""
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "infoview-cut-off", {"cut-off": CUT_OFF})
    (site / "cut-off.yaml").write_text(WORKFLOW)
    interview = plan(home, site, "--workflow", "cut-off")
    port, accepted = hang
    (home / "hang.port").write_text(str(port))
    proc = start_infoview(home, "fire", interview, event, now=BEFORE, env={"PYTHONPATH": str(site)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert accepted.wait(30), "the action never ran"
    finally:
        proc.kill()
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    return site, home


def test_an_action_that_ignores_interrupted_is_run_again_after_a_kill(tmp_path: Path, hang) -> None:
    site, home = killed_mid_action(tmp_path, hang, "plain")
    tick = run(home, site, "tick", check=True)
    run(home, site, "tick", check=True)
    [job] = run_json(home, site, "outbox")
    assert (job["state"], job["attempts"]) == ("done", 1)
    assert "unsure" not in tick.stderr
    assert (home / "calls.log").read_text().splitlines() == [
        "plain attempt 1 interrupted False resend False",
        "plain attempt 1 interrupted True resend False",
    ]


def test_an_action_that_answers_unsure_waits_for_outbox_retry(tmp_path: Path, hang) -> None:
    site, home = killed_mid_action(tmp_path, hang, "careful")
    tick = run(home, site, "tick", check=True)
    assert "1 outbox job was cut off mid-send" in tick.stderr and tick.returncode == 0
    run(home, site, "tick", now="2030-03-02T09:00", check=True)  # a day later: still not run again
    [job] = run_json(home, site, "outbox")
    assert (job["state"], job["attempts"]) == ("unsure", 1)
    assert job["last_error"] == f"cut off; `infoview outbox retry {job['id']}` does it again"

    retry = run(home, site, "outbox", "retry", str(job["id"]), check=True)
    assert retry.stdout == f"outbox job {job['id']}: done\n"
    [job] = run_json(home, site, "outbox")
    assert (job["state"], job["attempts"]) == ("done", 2)
    assert (home / "calls.log").read_text().splitlines() == [
        "careful attempt 1 interrupted False resend False",
        "careful attempt 1 interrupted True resend False",
        "careful attempt 2 interrupted False resend True",
    ]
