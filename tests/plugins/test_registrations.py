"""The register hooks as a plugin author meets them: actions (retried by the outbox), guards,
question sets and workflows from an installed plugin, invalid registrations skipped with a
warning, and `infoview plugins --json` telling who registered what."""
from __future__ import annotations

from pathlib import Path

from plugin_support import add_distribution, external, plan, run, run_json

PINGER = '''
    from pathlib import Path

    from infoview.actions import ActionResult, ActionSpec, GuardSpec
    from infoview.hookspecs import hookimpl

    def ping(ctx):
        # the outbox may call this again: log every attempt so the test can count them
        with (ctx.home / "ping.log").open("a") as f:
            f.write(f"job {ctx.job_id} attempt {ctx.attempt} {ctx.cause} {ctx.interview.contact.name}\\n")
        if ctx.attempt == 1:
            return ActionResult(ok=False, detail="server busy")
        return ActionResult(ok=True, detail="pinged")

    def has_email(interview, transition, now):
        return None if interview.contact.email else f"'{transition.event}' needs their email (plan with --email)"

    @hookimpl
    def infoview_register_actions(register):
        register(ActionSpec(name="ping", run=ping, description="Ping someone"))

    @hookimpl
    def infoview_register_guards(register):
        register(GuardSpec(name="has-email", check=has_email))

    @hookimpl
    def infoview_register_question_sets(register, home):
        register({"id": "pinger-questions", "title": "Pinger questions", "purpose": "ask",
                  "questions": [{"key": "why", "text": "Why did you reply to my ping?"}]})

    @hookimpl
    def infoview_register_workflows(register, home):
        register(Path(__file__).with_name("pinged.yaml"))
'''

PINGED_YAML = """\
name: pinged
title: Pinged conversation
initial: planned
states:
  planned:   {questions: [pinger-questions]}
  confirmed: {}
  cancelled: {final: true}
transitions:
  - {event: confirm, from: planned, to: confirmed, guards: [has-email], do: [{ping: {}}]}
  - {event: cancel,  from: [planned, confirmed], to: cancelled}
"""


def pinger(site: Path) -> None:
    add_distribution(site, "infoview-pinger", {"pinger": PINGER}, version="0.3.1")
    (site / "pinged.yaml").write_text(PINGED_YAML)


def test_an_action_that_fails_is_retried_by_the_outbox_and_never_run_again_once_done(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    pinger(site)
    iv = plan(home, site, "--workflow", "pinged", "--email", "jane@acme.test")
    run(home, site, "confirm", str(iv), check=True)
    [job] = run_json(home, site, "outbox")
    assert (job["action"], job["state"], job["attempts"], job["last_error"]) == ("ping", "pending", 1, "server busy")

    later = "2030-03-01T09:05"  # past the first backoff (1 minute)
    run(home, site, "tick", now=later, check=True)
    run(home, site, "tick", now="2030-03-02T09:00", check=True)  # done: a later tick must not run it again
    [job] = run_json(home, site, "outbox")
    assert (job["state"], job["attempts"]) == ("done", 2)
    assert (home / "ping.log").read_text().splitlines() == [
        f"job {job['id']} attempt 1 event:confirm Jane Doe",
        f"job {job['id']} attempt 2 event:confirm Jane Doe",
    ]


def test_a_guard_refuses_the_transition_with_its_reason_and_changes_nothing(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    pinger(site)
    iv = plan(home, site, "--workflow", "pinged")  # no email
    proc = run(home, site, "confirm", str(iv))
    assert proc.returncode != 0
    assert "'confirm' needs their email (plan with --email)" in proc.stderr
    assert [e["event"] for e in run_json(home, site, "history", str(iv))] == ["plan"]
    assert run_json(home, site, "show", str(iv))["state"] == "planned"
    assert run_json(home, site, "outbox") == []


def test_question_sets_and_workflows_from_a_plugin_are_usable(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    pinger(site)
    shown = run(home, site, "questions", "show", "pinger-questions", check=True).stdout
    assert "Why did you reply to my ping?" in shown
    assert "pinged" in run(home, site, "workflow", "list", check=True).stdout
    iv = plan(home, site, "--workflow", "pinged", "--email", "jane@acme.test")
    brief = run(home, site, "prep", str(iv), check=True).stdout
    assert "Why did you reply to my ping?" in brief


def test_plugins_json_shows_distribution_version_hooks_and_registrations(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    pinger(site)
    info = external(home, site)["pinger"]
    assert info["distribution"] == "infoview-pinger"
    assert info["version"] == "0.3.1"
    assert info["module"] == "pinger"
    assert info["hooks"] == ["infoview_register_actions", "infoview_register_guards",
                             "infoview_register_question_sets", "infoview_register_workflows"]
    assert info["registered"] == {"actions": ["ping"], "guards": ["has-email"],
                                  "question_sets": ["pinger-questions"], "workflows": ["pinged"]}


def test_a_duplicate_action_name_is_skipped_with_a_warning_naming_the_plugin(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "copycat-plugin", {"copycat": '''
        from infoview.actions import ActionResult, ActionSpec
        from infoview.hookspecs import hookimpl

        @hookimpl
        def infoview_register_actions(register):
            register(ActionSpec(name="remind", run=lambda ctx: ActionResult(ok=True, detail="copycat!")))
            register(ActionSpec(name="shout", run=lambda ctx: None))
    '''})
    proc = run(home, site, "plugins", "--json", check=True)
    warning = ("plugin 'copycat' (distribution copycat-plugin) registered something invalid: "
               "action 'remind' is already registered by plugin 'builtin'")
    assert warning in proc.stderr
    data = run_json(home, site, "plugins")
    assert warning in data["warnings"]
    by_name = {p["name"]: p for p in data["plugins"]}
    assert by_name["copycat"]["registered"] == {"actions": ["shout"]}   # its valid registration stays
    assert "remind" in by_name["builtin"]["registered"]["actions"]
    # the shipped workflow (which uses the built-in remind/notify actions) still loads and plans
    assert plan(home, site) == 1


def test_a_malformed_question_set_is_skipped_with_a_warning_and_the_rest_still_works(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "sloppy-plugin", {"sloppy": '''
        from infoview.hookspecs import hookimpl

        @hookimpl
        def infoview_register_question_sets(register, home):
            register({"id": "Sloppy Set", "title": "Sloppy", "purpose": "wonder", "questions": []})
    '''})
    proc = run(home, site, "questions", "list", check=True)
    assert "plugin 'sloppy' (distribution sloppy-plugin) registered something invalid:" in proc.stderr
    for problem in ("id: String should match pattern", "purpose: Input should be 'answer', 'ask', 'notes' or 'evaluate'",
                    "questions: Tuple should have at least 1 item"):
        assert problem in proc.stderr
    assert "questions-to-ask" in proc.stdout and "Sloppy" not in proc.stdout
    strict = run(home, site, "questions", "list", env={"INFOVIEW_STRICT_PLUGINS": "1"})
    assert strict.returncode != 0 and len(strict.stderr.splitlines()) == 1
    assert "[INFOVIEW_STRICT_PLUGINS is set]" in strict.stderr

