"""Hook wrappers (`@hookimpl(wrapper=True)`) and tryfirst/trylast order, as installed plugins
meet them: one loop calls every hook, so both hold for register, collected and signal hooks, and
a wrapper that raises is named and skipped while what the others returned still counts."""
from __future__ import annotations

import json
from pathlib import Path

from plugin_support import add_distribution, plan, run, run_json

VETO = '''
    from infoview import hookimpl

    @hookimpl
    def infoview_check_transition(interview, transition):
        return "the calendar is full that week" if transition.event == "confirm" else None
'''

GATE = '''
    from infoview import hookimpl

    @hookimpl(wrapper=True)
    def infoview_check_transition(interview, transition):
        reasons = yield   # what every other plugin answered
        if transition.event == "confirm" and not interview.contact.email:
            reasons.append("confirm by email: plan with --email first")
        return reasons
'''


def test_a_wrapper_around_check_transition_adds_a_reason_after_the_others(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "veto-plugin", {"veto": VETO})
    add_distribution(site, "gate-plugin", {"gate": GATE})
    iv = plan(home, site)  # no email
    proc = run(home, site, "confirm", str(iv))
    assert proc.returncode == 1
    assert proc.stderr == (f"interview {iv} is planned: the calendar is full that week; confirm by email: plan "
                           "with --email first; allowed now: reschedule, cancel, hold\n")
    with_email = plan(home, site, "--email", "jane@acme.test")
    proc = run(home, site, "confirm", str(with_email))
    assert "the calendar is full that week; allowed now" in proc.stderr   # the wrapper added nothing
    assert [e["event"] for e in run_json(home, site, "history", str(iv))] == ["plan"]


def test_a_wrapper_around_check_transition_that_raises_refuses_naming_its_plugin(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "shaky-plugin", {"shaky": '''
        from infoview import hookimpl

        @hookimpl(wrapper=True)
        def infoview_check_transition(interview, transition):
            reasons = yield
            if transition.event == "confirm":
                raise LookupError("no rules file")
            return reasons
    '''})
    iv = plan(home, site)
    proc = run(home, site, "confirm", str(iv))
    assert proc.returncode == 1
    assert proc.stderr == (f"plugin 'shaky' failed while checking 'confirm' on interview {iv}: LookupError: "
                           "no rules file; nothing was changed\n")
    assert run_json(home, site, "show", str(iv))["state"] == "planned"


def test_a_wrapper_around_a_register_hook_registers_before_and_after_the_others(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "audit-plugin", {"audit": '''
        from infoview import ActionSpec, hookimpl

        @hookimpl(wrapper=True)
        def infoview_register_actions(register):
            register(ActionSpec(name="audit-first", run=lambda ctx: None))
            result = yield        # every other plugin registers its actions here
            register(ActionSpec(name="audit-last", run=lambda ctx: None))
            return result
    '''})
    # A wrapper that breaks after its yield: named, and what it and the others registered stays.
    add_distribution(site, "clumsy-plugin", {"clumsy": '''
        from infoview import hookimpl

        @hookimpl(wrapper=True)
        def infoview_register_question_sets(register):
            register({"id": "clumsy-set", "title": "Clumsy", "purpose": "ask",
                      "questions": [{"key": "why", "text": "Why?"}]})
            yield
            raise RuntimeError("lost the list")
    '''})
    proc = run(home, site, "plugins", "--json", check=True)
    data = json.loads(proc.stdout)
    warning = ("plugin 'clumsy' (distribution clumsy-plugin) failed in infoview_register_question_sets: "
               "RuntimeError: lost the list")
    assert data["warnings"] == [warning]
    by_name = {p["name"]: p for p in data["plugins"]}
    assert by_name["audit"]["registered"] == {"actions": ["audit-first", "audit-last"]}
    assert by_name["clumsy"]["registered"] == {"question_sets": ["clumsy-set"]}
    assert "questions-to-ask" in by_name["questions"]["registered"]["question_sets"]
    assert by_name["builtin"]["registered"]["actions"] == ["remind"]
    strict = run(home, site, "plugins", env={"INFOVIEW_STRICT_PLUGINS": "1"})
    assert (strict.returncode, strict.stderr) == (1, warning + " [INFOVIEW_STRICT_PLUGINS is set]\n")


ORDER = '''
    import os
    from infoview import hookimpl

    def note(text):
        with open(os.environ["SEEN_FILE"], "a") as f:
            f.write(text + "\\n")

    @hookimpl({mark})
    def infoview_event_committed(event):
        note("{name} " + event.event)
'''

WRAP = '''
    import os
    from infoview import hookimpl

    @hookimpl(wrapper=True)
    def infoview_event_committed(event):
        with open(os.environ["SEEN_FILE"], "a") as f:
            f.write("wrap before\\n")
        result = yield
        with open(os.environ["SEEN_FILE"], "a") as f:
            f.write("wrap after\\n")
        return result
'''


def test_tryfirst_trylast_and_wrappers_set_the_order_whatever_the_load_order(tmp_path: Path):
    site, home, seen = tmp_path / "site", tmp_path / "home", tmp_path / "seen.txt"
    # entry points load by name (a, b, c, d); without marks pluggy calls the last loaded first
    add_distribution(site, "order-plugins", {
        "a-last": ORDER.format(mark="trylast=True", name="last"),
        "b-plain": ORDER.format(mark="", name="plain"),
        "c-first": ORDER.format(mark="tryfirst=True", name="first"),
        "d-wrap": WRAP,
    })
    plan(home, site, env={"SEEN_FILE": str(seen)})
    assert seen.read_text().splitlines() == ["wrap before", "first plan", "plain plan", "last plan", "wrap after"]


def test_an_old_style_hookwrapper_is_refused_at_load_with_a_warning(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "vintage-plugin", {"vintage": '''
        from infoview import hookimpl

        @hookimpl(hookwrapper=True)
        def infoview_event_committed(event, interview):
            outcome = yield
    '''})
    proc = run(home, site, "plugins", "--json", check=True)
    assert ("plugin 'vintage' (distribution vintage-plugin) failed to load: PluginValidationError: old-style "
            "hookwrapper=True on 'infoview_event_committed' is not supported; use @hookimpl(wrapper=True)"
            ) in proc.stderr
    assert "vintage" not in {p["name"] for p in json.loads(proc.stdout)["plugins"]}
