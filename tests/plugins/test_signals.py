"""The non-register hooks: infoview_event_committed (isolated per plugin), infoview_check_transition
(any reason refuses), infoview_calendar_components and infoview_register_commands."""
from __future__ import annotations

import textwrap
from pathlib import Path

from plugin_support import AT, add_distribution, plan, run, run_json

# Both plugins append to the same file, so the test sees who ran and in which order.
RECORDER = textwrap.dedent('''
    import os
    from infoview.hookspecs import hookimpl

    @hookimpl
    def infoview_event_committed(event, interview):
        with open(os.environ["SEEN_FILE"], "a") as f:
            f.write(f"{NAME} saw {event.event} #{event.seq}: {interview.state}\\n")
        if NAME == "raiser":
            raise RuntimeError("webhook down")
''')


def test_a_failing_event_committed_is_named_and_neither_undoes_the_commit_nor_stops_others(tmp_path: Path):
    site, home, seen = tmp_path / "site", tmp_path / "home", tmp_path / "seen.txt"
    # entry points load by name; pluggy calls the last loaded first: 'raiser' runs before 'keeper'
    add_distribution(site, "keeper-plugin", {"keeper": 'NAME = "keeper"\n' + RECORDER})
    add_distribution(site, "raiser-plugin", {"raiser": 'NAME = "raiser"\n' + RECORDER})
    env = {"SEEN_FILE": str(seen)}
    iv = plan(home, site, env=env)
    proc = run(home, site, "confirm", str(iv), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "plugin 'raiser' (distribution raiser-plugin) failed in infoview_event_committed: RuntimeError: webhook down" in proc.stderr
    assert seen.read_text().splitlines() == [
        "raiser saw plan #1: planned", "keeper saw plan #1: planned",
        "raiser saw confirm #2: confirmed", "keeper saw confirm #2: confirmed",
    ]
    assert run_json(home, site, "show", str(iv), env=env)["state"] == "confirmed"
    assert [e["event"] for e in run_json(home, site, "history", str(iv), env=env)] == ["plan", "confirm"]


VETO = '''
    from infoview.hookspecs import hookimpl

    @hookimpl
    def infoview_check_transition(interview, transition):
        if transition.event == "confirm" and transition.workflow == "informational-interview":
            return [f"{interview.contact.name} asked to be confirmed by phone, not from {transition.source}"]
        if transition.event == "cancel" and not transition.data.get("reason"):
            return "say why you cancel (--reason)"
        return None
'''


def test_check_transition_refuses_with_its_reason_and_leaves_the_store_untouched(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "veto-plugin", {"veto": VETO})
    iv = plan(home, site)
    before = run_json(home, site, "show", str(iv))
    proc = run(home, site, "confirm", str(iv))
    assert proc.returncode != 0
    assert "Jane Doe asked to be confirmed by phone, not from planned" in proc.stderr
    refused = run(home, site, "cancel", str(iv))
    assert refused.returncode != 0 and "say why you cancel (--reason)" in refused.stderr
    assert run_json(home, site, "show", str(iv)) == before
    assert [e["event"] for e in run_json(home, site, "history", str(iv))] == ["plan"]
    # None allows: the same plugin lets a cancel with a reason through
    run(home, site, "cancel", str(iv), "--reason", "they moved abroad", check=True)
    assert run_json(home, site, "show", str(iv))["state"] == "cancelled"


def test_calendar_components_can_adjust_the_interview_event_and_add_components(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "tagger-plugin", {"tagger": '''
        from icalendar import Todo
        from infoview.hookspecs import hookimpl

        @hookimpl
        def infoview_calendar_components(interview, calendar):
            uid = f"interview-{interview.id}@infoview"
            [event] = [c for c in calendar.walk("VEVENT") if str(c["UID"]) == uid]
            event.add("categories", ["Networking"])
            todo = Todo()
            todo.add("uid", f"research-{interview.id}@tagger")
            todo.add("summary", f"Research {interview.contact.company}")
            calendar.add_component(todo)
    '''})
    iv = plan(home, site, "--company", "Acme")
    ics = tmp_path / "out.ics"
    run(home, site, "calendar", "export", "-o", str(ics), check=True)
    text = ics.read_text().replace("\r\n", "\n")
    event = text.split("BEGIN:VEVENT", 1)[1].split("END:VEVENT", 1)[0]
    assert f"UID:interview-{iv}@infoview" in event and "CATEGORIES:Networking" in event
    assert f"UID:research-{iv}@tagger" in text and "SUMMARY:Research Acme" in text


def test_register_commands_adds_a_command_that_uses_the_engine(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "count-plugin", {"count": '''
        import click
        from infoview.hookspecs import hookimpl

        @hookimpl
        def infoview_register_commands(cli):
            @cli.command(name="count")
            @click.option("--state", default=None)
            @click.pass_obj
            def count(app, state):
                """How many interviews there are."""
                click.echo(len(app.engine.interviews([state] if state else None)))
    '''})
    assert "How many interviews there are." in run(home, site, "--help", check=True).stdout
    plan(home, site)
    plan(home, site)
    assert run(home, site, "count", check=True).stdout == "2\n"
    assert run(home, site, "count", "--state", "confirmed", check=True).stdout == "0\n"


def test_a_plugin_command_exit_code_reaches_the_shell(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "exit-plugin", {"exiter": '''
        import click
        from infoview.hookspecs import hookimpl

        @hookimpl
        def infoview_register_commands(cli):
            @cli.command(name="lint-contacts")
            @click.pass_context
            def lint(ctx):
                click.echo("2 contacts have no email", err=True)
                ctx.exit(3)
    '''})
    proc = run(home, site, "lint-contacts")
    assert (proc.returncode, proc.stderr) == (3, "2 contacts have no email\n")


BROKEN_CHECK = textwrap.dedent('''
    from infoview.hookspecs import hookimpl

    @hookimpl
    def infoview_check_transition(interview, transition):
        raise KeyError("a field this plugin expected")
''')


def test_a_check_transition_that_raises_names_the_plugin_and_changes_nothing(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "brittle-plugin", {"brittle": BROKEN_CHECK})
    refused = run(home, site, "plan", "Jane Doe", "--at", AT, "--tz", "UTC")  # plan is checked too
    assert refused.returncode == 1 and "plugin 'brittle' failed while checking 'plan'" in refused.stderr
    iv = plan(home, tmp_path / "no-plugins")  # planned without the plugin, to check a change
    assert iv == 1  # the refused plan left nothing, not even a used id
    before = run_json(home, site, "show", str(iv))
    proc = run(home, site, "confirm", str(iv))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "plugin 'brittle' failed while checking 'confirm'" in proc.stderr
    assert run_json(home, site, "show", str(iv)) == before
    assert [e["event"] for e in run_json(home, site, "history", str(iv))] == ["plan"]
