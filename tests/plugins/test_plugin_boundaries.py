"""What a plugin raises in a command, an action, a question-set loader or a calendar component is
caught at the boundary, named by plugin and distribution, and becomes that kind's documented
outcome: one line and exit 1; a failed job; a skipped registration; a feed without its part
(issue 16, point 1). Never a traceback or exit 70 (except the traceback with --debug)."""
from __future__ import annotations

from pathlib import Path

from cli_support import infoview
from plugin_support import add_distribution, plan, run, run_json

BROKEN = '''
    from pathlib import Path

    import click
    from infoview.actions import ActionSpec
    from infoview.hookspecs import hookimpl

    class BrokenSource:
        """A question-set source whose reading breaks (as a plugin's own loader might)."""
        name = "broken.yaml"

        def read_text(self, encoding="utf-8"):
            raise RuntimeError("the set's file went away")

    def explode(ctx):
        raise ConnectionError("webhook unreachable")

    @hookimpl
    def infoview_register_commands(cli):
        @cli.command(name="crash")
        def crash():
            """Always breaks."""
            raise KeyError("no such thing")

    @hookimpl
    def infoview_register_actions(register):
        register(ActionSpec(name="explode", run=explode))

    @hookimpl
    def infoview_register_question_sets(register, home):
        register(BrokenSource())

    @hookimpl
    def infoview_register_workflows(register, home):
        register(Path(__file__).with_name("exploding.yaml"))

    @hookimpl
    def infoview_calendar_components(interview, calendar):
        raise ValueError(f"cannot decorate interview {interview.id}")
'''

EXPLODING = """\
name: exploding
initial: planned
states:
  planned:   {}
  confirmed: {}
transitions:
  - {event: confirm, from: planned, to: confirmed, do: [{explode: {}}]}
"""

WHO = "plugin 'broken' (distribution broken-plugin)"


def broken(site: Path) -> None:
    add_distribution(site, "broken-plugin", {"broken": BROKEN})
    (site / "exploding.yaml").write_text(EXPLODING)


def test_a_plugin_command_that_raises_is_one_line_naming_the_plugin_and_exit_1(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    broken(site)
    proc = run(home, site, "crash")
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == f"{WHO} failed in its command 'crash': KeyError: 'no such thing'"
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    debug = infoview(home, "crash", env={"PYTHONPATH": str(site)}, debug=True)
    assert debug.code == 1 and "Traceback" in debug.err


def test_an_action_that_raises_is_a_failed_job_naming_the_plugin_and_the_change_stands(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    broken(site)
    iv = plan(home, site, "--workflow", "exploding")
    proc = run(home, site, "confirm", str(iv))
    assert proc.returncode == 0, proc.stderr
    assert run_json(home, site, "show", str(iv))["state"] == "confirmed"
    [job] = run_json(home, site, "outbox")
    assert job["last_error"] == f"{WHO} failed in action 'explode': ConnectionError: webhook unreachable"


def test_a_question_set_loader_that_raises_is_a_warning_and_the_rest_loads(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    broken(site)
    proc = run(home, site, "plugins", "--json")
    assert proc.returncode == 0, proc.stderr
    assert (f"warning: {WHO} failed while its registration was loaded: RuntimeError: the set's file went away"
            in proc.stderr)
    iv = plan(home, site)  # the shipped workflow and its question sets still load
    assert run_json(home, site, "show", str(iv))["state"] == "planned"


def test_a_calendar_component_that_raises_is_skipped_with_one_warning(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    broken(site)
    first, second = plan(home, site), plan(home, site)
    ics = tmp_path / "feed.ics"
    proc = run(home, site, "calendar", "export", "-o", str(ics))
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "infoview_calendar_components" in line]
    assert warnings == [f"warning: {WHO} failed in infoview_calendar_components: ValueError: cannot decorate "
                        f"interview {first}; its calendar components are skipped"]
    text = ics.read_text()
    assert f"UID:interview-{first}@infoview" in text and f"UID:interview-{second}@infoview" in text
