"""`infoview workflow check|schema|list|show`, and every class of workflow-file error with its
exact file:line:col."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import MINI_WORKFLOW as BASE, ROOT, write

SHIPPED = ROOT / "workflows" / "informational-interview.yaml"



def check(iv, tmp_path: Path, text: str, name: str = "wf.yaml") -> list[str]:
    """Run `workflow check` on the text; return the problem lines (with the file name cut to `F`)."""
    path = write(tmp_path / name, text)
    r = iv("workflow", "check", path)
    assert "Traceback" not in r.err
    if r.code == 0:
        return []
    assert r.code == 1 and r.out == ""
    lines = r.err.splitlines()
    assert all(line.startswith(f"{path}:") for line in lines), lines
    return [line.replace(str(path), "F", 1) for line in lines]


def test_check_accepts_the_shipped_workflow(iv):
    r = iv.sub("workflow", "check", SHIPPED).ok()
    assert r.out.strip() == f"{SHIPPED}: ok (informational-interview: 6 states, 16 transitions, 8 timers)"


def test_check_accepts_the_base_file(iv, tmp_path):
    assert check(iv, tmp_path, BASE) == []


def test_check_reports_every_problem_at_once(iv, tmp_path):
    text = """\
name: broken
initial: planned
states:
  planned:
    questions: [interview-note]
    requires: [notes.lerned]
  confirmed: {colur: red}
  cancelled: {final: true}
transitions:
  - {event: confirm, from: planned, to: confimed}
  - {event: cancel, from: [planned, confirmed], to: cancelled, gards: []}
  - {event: revive, from: cancelled, to: planned}
  - event: nag
    from: planned
    do:
      - remnd: {title: hi}
      - remind: {title: "Hi {contact.nam}"}
"""
    path = write(tmp_path / "broken.yaml", text)
    r = iv.sub("workflow", "check", path)
    assert r.code == 1 and r.out == "" and "Traceback" not in r.err
    assert [line.replace(str(path), "F", 1) for line in r.err.splitlines()] == [
        "F:5:17: unknown question set 'interview-note'; did you mean 'interview-notes'? (at states.planned.questions[0])",
        "F:6:16: unknown notes key 'lerned'; did you mean 'learned'? (at states.planned.requires[0])",
        "F:7:15: unknown field 'colur'; known: description, editable, final, means, not_before, questions, requires "
        "(at states.confirmed.colur)",
        "F:10:41: unknown state 'confimed'; did you mean 'confirmed'? (at transitions[0].to)",
        "F:11:64: unknown field 'gards'; did you mean 'guards'? (at transitions[1].gards)",
        "F:12:27: state 'cancelled' is final: no event may leave it (at transitions[2].from)",
        "F:16:9: unknown action 'remnd'; did you mean 'remind'? (at transitions[3].do[0].remnd)",
        "F:17:25: unknown template field 'contact.nam'; did you mean 'contact.name'? (at transitions[3].do[1].remind.title)",
    ]  # no "'confirmed' cannot be reached": only the typo in transitions[0] makes it so


def test_unreachable_states_are_reported_once_the_transitions_are_right(iv, tmp_path):
    path = write(tmp_path / "island.yaml", BASE.replace("states:\n", "states:\n  island: {}\n", 1))
    r = iv.sub("workflow", "check", path)
    assert r.code == 1 and "state 'island' cannot be reached from 'planned'" in r.err


def test_check_of_a_home_file_lists_its_problems_once(iv):
    path = write(iv.home / "workflows" / "coffee.yml", BASE.replace("initial: planned", "initial: planed"))
    r = iv.sub("workflow", "check", path)
    assert r.code == 1 and "Traceback" not in r.err
    lines = r.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:") and "unknown state 'planed'" in lines[0]
    assert "warning" not in r.err


def test_several_files_one_bad(iv, tmp_path):
    good = write(tmp_path / "good.yaml", BASE)
    bad = write(tmp_path / "bad.yaml", BASE.replace("initial: planned", "initial: planed"))
    r = iv("workflow", "check", good, bad)
    assert r.code == 1
    assert r.out.strip() == f"{good}: ok (mini: 3 states, 3 transitions, 0 timers)"
    assert r.err.strip() == f"{bad}:2:10: unknown state 'planed'; did you mean 'planned'? (at initial)"


@pytest.mark.parametrize("old,new,expected", [
    ("from: [planned, confirmed]", "from: [planned, confirmd]",
     "F:9:37: unknown state 'confirmd'; did you mean 'confirmed'? (at transitions[1].from[1])"),
    ("initial: planned", "initial: planed", "F:2:10: unknown state 'planed'; did you mean 'planned'? (at initial)"),
    ("  cancelled: {final: true}\n", "  cancelled: {final: true}\n  lost: {}\n",
     "F:7:3: state 'lost' cannot be reached from 'planned' (at states.lost)"),
    ("  - {event: cancel", "  - {event: confirm, from: planned, to: cancelled}\n  - {event: cancel",
     "F:9:13: event 'confirm' from 'planned' is declared twice (at transitions[1].event)"),
    ("  - {event: cancel", "  - {event: undo, from: cancelled, to: planned}\n  - {event: cancel",
     "F:9:25: state 'cancelled' is final: no event may leave it (at transitions[1].from)"),
    ("  planned: {}", "  planned: {questons: [evaluation]}",
     "F:4:13: unknown field 'questons'; did you mean 'questions'? (at states.planned.questons)"),
    ("  planned: {}", "  planned: {questions: [prep-answers]}",
     "F:4:25: unknown question set 'prep-answers'; did you mean 'prepare-answers'? (at states.planned.questions[0])"),
    ("to: confirmed}", "to: confirmed, do: [{notifyy: {title: x}}]}",
     "F:8:58: unknown action 'notifyy'"),
    ("to: confirmed}", "to: confirmed, do: [{remind: {title: 'Hi {contact.firstname}'}}]}",
     "F:8:74: unknown template field 'contact.firstname'; did you mean 'contact.first_name'? "
     "(at transitions[0].do[0].remind.title)"),
    ("to: confirmed}", "to: confirmed, do: [{remind: {title: 'Hi {__class__}'}}]}",
     "F:8:74: template field '__class__' is not allowed: only plain field names (at transitions[0].do[0].remind.title)"),
    ("to: confirmed}", "to: confirmed, do: [{remind: {title: 'Hi {contact.name:>100000000}'}}]}",
     "F:8:74: width 100000000 in {contact.name:>100000000} is too large; at most 100 "
     "(at transitions[0].do[0].remind.title)"),
    ("to: confirmed}", "to: confirmed, do: [{remind: {title: '{minutes:.500f} minutes'}}]}",
     "F:8:74: precision 500 in {minutes:.500f} is too large; at most 100 (at transitions[0].do[0].remind.title)"),
    ("to: confirmed}", "to: confirmed, do: [{remind: {title: 'Hi {contact.name:>{notes.width}}'}}]}",
     "F:8:74: {contact.name:>{notes.width}}: a field may appear in a format only inside an optional part's text"),
    ("  confirmed: {}", "  confirmed: {requires: [notes.learnt]}",
     "F:5:26: unknown notes key 'learnt'; did you mean 'learned'? (at states.confirmed.requires[0])"),
    ("  confirmed: {}", "  confirmed: {requires: [phone]}",
     "F:5:26: cannot require 'phone'; use notes.<key>, evaluation.<key> or one of: contact.email, contact.company, "
     "contact.title, where, goals (at states.confirmed.requires[0])"),
    ("  confirmed: {}", "  confirmed: {final: maybe}",
     "F:5:22: should be true or false, not 'maybe' (at states.confirmed.final)"),
    ("  confirmed: {}", "  confirmed: {means: confirmd}",
     "F:5:22: unknown meaning 'confirmd'; did you mean 'confirmed'? (at states.confirmed.means)"),
    ("  confirmed: {}", "  confirmed: {meaning: confirmed}",
     "F:5:15: unknown field 'meaning'; did you mean 'means'? (at states.confirmed.meaning)"),
    ("  confirmed: {}", "  confirmed: {means: happened}",
     "F:5:22: unknown meaning 'happened'; known: cancelled, confirmed, done, held, noted, unconfirmed"),
    ("name: mini", "name: Mini Flow", "F:1:7: 'Mini Flow' is not a valid name: use lower-case letters, digits, - and _ (at name)"),
    ("initial: planned\n", "", "F:1:1: missing field 'initial'"),
])
def test_one_problem_exact_position(iv, tmp_path, old, new, expected):
    assert old in BASE
    lines = check(iv, tmp_path, BASE.replace(old, new, 1))
    assert len(lines) == 1, lines
    assert lines[0].startswith(expected), lines


def test_yaml_syntax_error(iv, tmp_path):
    lines = check(iv, tmp_path, BASE.replace("  confirmed: {}", "  confirmed: {final: true"))
    assert lines == ["F:6:12: expected ',' or '}' here, inside the mapping opened at line 5, column 14; "
                     "check for a missing '}' or comma"]


def test_duplicate_key(iv, tmp_path):
    lines = check(iv, tmp_path, BASE.replace("  cancelled: {final: true}", "  cancelled: {final: true}\n  planned: {}"))
    assert lines == ["F:7:3: duplicate key 'planned' (first on line 4); a key may appear once in a mapping "
                     "(at states.planned)"]


def test_yaml_1_1_booleans_are_text(iv, tmp_path):
    """`on`, `yes`, `no`, `off` are names here, not true/false (YAML 1.1 would break this file)."""
    text = """\
name: switch
initial: off
states:
  off: {}
  on: {}
  no: {final: true}
transitions:
  - {event: yes, from: off, to: on}
  - {event: n, from: [off, on], to: no}
"""
    assert check(iv, tmp_path, text) == []
    path = tmp_path / "wf.yaml"
    own = write(iv.home / "workflows" / "switch.yaml", path.read_text())
    assert own.exists()
    out = iv("workflow", "show", "switch").ok().out
    assert "  off          (initial) events: yes, n" in out


def test_python_tag_refused(iv, tmp_path):
    lines = check(iv, tmp_path, BASE.replace("name: mini", "name: !!python/object/apply:os.system [echo hi]"))
    assert lines == ["F:1:7: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed; only plain text, "
                     "numbers, true/false, lists and mappings (at name)"]


def test_python_scalar_tag_refused(iv, tmp_path):
    lines = check(iv, tmp_path, BASE.replace("name: mini", "name: !!python/name:os.system mini"))
    assert len(lines) == 1 and lines[0].startswith("F:1:7: tag tag:yaml.org,2002:python/name:os.system is not allowed")


def test_aliases_refused(iv, tmp_path):
    text = BASE.replace("  planned: {}", "  planned: &empty {}").replace("  confirmed: {}", "  confirmed: *empty")
    lines = check(iv, tmp_path, text)
    assert lines == ["F:5:14: YAML aliases (*name) are not supported; write the value out (at states.confirmed)"]


def test_merge_keys_refused(iv, tmp_path):
    text = BASE.replace("  planned: {}", "  planned: &e {final: false}").replace("  confirmed: {}", "  confirmed: {<<: *e}")
    lines = check(iv, tmp_path, text)
    assert len(lines) == 1 and "not supported" in lines[0]


def test_not_a_mapping_and_missing_file(iv, tmp_path):
    assert check(iv, tmp_path, "- a\n- b\n") == [
        "F:1:1: a workflow file is a mapping with name, initial, states, transitions"]
    r = iv("workflow", "check", tmp_path / "nope.yaml")
    assert r.code == 1 and r.err.strip() == f"{tmp_path / 'nope.yaml'}:1:1: file not found"


# ---- schema, graph, list, show ----



def test_workflow_list_and_show(iv):
    r = iv.sub("workflow", "list").ok()
    assert r.out.startswith("informational-interview      Informational interview  (workflows/informational-interview.yaml)")
    rows = iv("workflow", "list", "--json").ok().json
    assert rows == [{"name": "informational-interview", "title": "Informational interview",
                     "source": "workflows/informational-interview.yaml", "plugin": "builtin"}]
    out = iv("workflow", "show", "informational-interview").ok().out
    assert "  planned      (initial) events: confirm, reschedule, cancel, hold; questions prepare-answers, questions-to-ask" in out
    assert "  noted        events: note, evaluate, thanked, followed_up; requires notes.learned; questions interview-notes" in out
    assert "  cancelled    events: -; final" in out
    assert "  follow-up      end + 3w, then every 10w in evaluated, noted" in out


def test_show_says_what_each_state_means_declared_or_by_default(iv):
    """Unsaid, a state named after a meaning means it; otherwise a final state is done, a state
    with not_before is held, the initial state is unconfirmed, any other confirmed."""
    write(iv.home / "workflows" / "meanings.yaml", """\
name: meanings
initial: asked
states:
  asked: {}
  agreed: {}
  talked: {not_before: start}
  wrapped: {final: true}
  noted: {}
  dropped: {final: true, means: cancelled}
transitions:
  - {event: agree, from: asked, to: agreed}
  - {event: talk, from: agreed, to: talked}
  - {event: note, from: talked, to: noted}
  - {event: wrap, from: noted, to: wrapped}
  - {event: drop, from: [asked, agreed], to: dropped}
""")
    out = iv("workflow", "show", "meanings").ok().out
    means = {line.split()[0]: line.rsplit("means ", 1)[1] for line in out.splitlines()[3:9]}
    assert means == {"asked": "unconfirmed", "agreed": "confirmed", "talked": "held", "wrapped": "done",
                     "noted": "noted", "dropped": "cancelled"}
    assert "  held         events: note, thanked; not before start; means held" in \
        iv("workflow", "show", "informational-interview").ok().out


def test_schema_describes_each_meaning(iv):
    schema = iv("workflow", "schema").ok().json
    means = schema["$defs"]["StateDef"]["properties"]["means"]
    [words] = [alt["oneOf"] for alt in means["anyOf"] if "oneOf" in alt]
    assert [m["const"] for m in words] == ["unconfirmed", "confirmed", "held", "noted", "done", "cancelled"]
    assert all(m["description"] for m in words) and "final state is done" in means["description"]


EXAMPLES = sorted((ROOT / "examples" / "workflows").glob("*.yaml"))
PLUGIN_EXAMPLE = ROOT / "examples/infoview-career-changer/src/infoview_career_changer/workflows/career-change.yaml"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_workflows_check(iv, path):
    iv("workflow", "check", path).ok()


@pytest.mark.parametrize("path", [SHIPPED, *EXAMPLES, PLUGIN_EXAMPLE], ids=lambda p: p.name)
def test_shipped_and_example_workflows_say_what_every_state_means(path):
    from infoview.yamlsource import load_file

    assert all("means" in state for state in load_file(path).data["states"].values())


# ---- a user's own workflow ----

OWN = """\
name: coffee-chat
title: Coffee chat
initial: asked
states:
  asked: {}
  agreed: {}
  met: {}
  dropped: {final: true}
transitions:
  - {event: agree, from: asked, to: agreed}
  - {event: meet, from: agreed, to: met}
  - {event: drop, from: [asked, agreed], to: dropped}
  - {event: move, from: [asked, agreed], to: asked, moves: true}
"""


def test_own_workflow_is_picked_up_and_driven_with_fire(iv, tmp_path):
    write(iv.home / "workflows" / "coffee.yaml", OWN)
    names = [w["name"] for w in iv("workflow", "list", "--json").ok().json]
    assert names == ["informational-interview", "coffee-chat"]
    r = iv.sub("plan", "Kim Park", "--at", "2026-03-05T08:00", "--tz", "UTC", "--workflow", "coffee-chat", "--json").ok()
    i = r.json["id"]
    assert r.json["workflow"] == "coffee-chat" and r.json["state"] == "asked"
    r = iv.sub("fire", i, "agree").ok()
    assert r.out.strip() == f"interview {i}: asked -> agreed"
    r = iv("confirm", i)
    assert r.code == 1 and r.line == (f"interview {i} is agreed: 'confirm' is not an event of workflow coffee-chat; "
                                      "known: agree, drop, meet, move; allowed now: meet, drop, move")
    data = write(tmp_path / "move.yaml", "start: 2026-03-06T08:30\nreason: rain\n")
    iv("fire", i, "move", "--data", data).ok()
    d = iv.show(i)
    assert d["state"] == "asked" and d["start"] == "2026-03-06T08:30:00+00:00" and d["reason"] == "rain"
    iv("fire", i, "agree").ok()
    iv("fire", i, "meet").ok()
    assert [e["event"] for e in iv.history(i)] == ["plan", "agree", "move", "agree", "meet"]


def test_broken_own_workflow_is_a_warning_naming_the_file_not_a_crash(iv):
    bad = write(iv.home / "workflows" / "bad.yaml", OWN.replace("initial: asked", "initial: askd"))
    r = iv.sub("workflow", "list", "--json")
    assert r.code == 0 and [w["name"] for w in json.loads(r.out)] == ["informational-interview"]
    assert "Traceback" not in r.err and "plugin" not in r.err
    assert r.err.splitlines() == [
        f"warning: {bad}:3:10: unknown state 'askd'; did you mean 'asked'? (at initial)",
        f"warning: {bad}: not loaded; `infoview workflow check {bad}` lists its problems",
    ]


def test_a_yml_file_loads_like_a_yaml_file(iv):
    write(iv.home / "workflows" / "coffee.yml", OWN)
    names = [w["name"] for w in iv("workflow", "list", "--json").ok().json]
    assert names == ["informational-interview", "coffee-chat"]


def test_a_yml_beside_a_yaml_of_the_same_name_is_one_problem(iv):
    yaml = write(iv.home / "workflows" / "coffee.yaml", OWN)
    write(iv.home / "workflows" / "coffee.yml", OWN.replace("coffee-chat", "coffee-break"))
    r = iv("workflow", "list", "--json")
    assert r.code == 0 and [w["name"] for w in r.json] == ["informational-interview"]
    assert r.err.splitlines() == [f"warning: {yaml}:1:1: coffee.yaml and coffee.yml are both in {yaml.parent}; "
                                  "keep one of them (neither is loaded)"]


def test_reusing_a_built_in_name_names_the_users_file(iv):
    own = write(iv.home / "workflows" / "mine.yaml", OWN.replace("name: coffee-chat", "name: informational-interview"))
    r = iv("workflow", "list", "--json")
    assert r.code == 0 and [w["plugin"] for w in r.json] == ["builtin"]
    assert r.err.splitlines() == [
        f"warning: {own}:1:7: workflow name 'informational-interview' is already used by the built-in workflow "
        "(workflows/informational-interview.yaml); give this workflow another name (this file is not loaded) (at name)"]


def test_two_own_files_with_one_name_name_both_files(iv):
    first = write(iv.home / "workflows" / "a.yaml", OWN)
    second = write(iv.home / "workflows" / "b.yaml", OWN)
    r = iv("workflow", "list", "--json")
    assert [w["name"] for w in r.json] == ["informational-interview", "coffee-chat"]
    assert r.err.splitlines() == [
        f"warning: {second}:1:7: workflow name 'coffee-chat' is already used by {first}; give this workflow "
        "another name (this file is not loaded) (at name)"]


# ---- every problem at once, schema and cross-checks together ----

def test_schema_errors_do_not_hide_the_other_problems(iv, tmp_path):
    text = """\
name: Broken Name
initial: planned
default_minutes: lots
states:
  planned:
  confirmed: {final: maybe}
  cancelled: {final: true, means: canceled}
transitions:
  - {event: confirm, from: planned, to: confirmd}
  - {event: cancel, from: [planned, confirmed], to: cancelled, moves: sometimes}
  - {from: planned, to: confirmed}
timers:
  - {id: t1, at: start - 1x, when: planned, do: [{remind: {title: hi}}]}
  - {id: t2, at: start, when: [planned], do: [{remind: {titel: hi}}]}
  - {id: T3, at: start, when: planned, fire: cancel}
"""
    assert check(iv, tmp_path, text) == [
        "F:1:7: 'Broken Name' is not a valid name: use lower-case letters, digits, - and _ (at name)",
        "F:3:18: should be a whole number, not 'lots' (at default_minutes)",
        "F:6:22: should be true or false, not 'maybe' (at states.confirmed.final)",
        "F:7:35: unknown meaning 'canceled'; did you mean 'cancelled'? (at states.cancelled.means)",
        "F:9:41: unknown state 'confirmd'; did you mean 'confirmed'? (at transitions[0].to)",
        "F:10:71: should be true or false, not 'sometimes' (at transitions[1].moves)",
        "F:11:5: missing field 'event' (at transitions[2])",
        "F:13:18: '1x' is not a duration; write e.g. 10m, 1h, 1d, 3w or 1d12h (at timers[0].at)",
        "F:14:48: missing field 'title' (at timers[1].do[0].remind)",
        "F:14:57: unknown field 'titel'; did you mean 'title'? (at timers[1].do[0].remind.titel)",
        "F:15:10: 'T3' is not a valid name: use lower-case letters, digits, - and _ (at timers[2].id)",
    ]


def test_a_section_of_the_wrong_kind_is_one_problem_among_the_others(iv, tmp_path):
    text = BASE.replace("initial: planned", "initial: planed") + "timers: soon\n"
    assert check(iv, tmp_path, text) == [
        "F:2:10: unknown state 'planed'; did you mean 'planned'? (at initial)",
        "F:10:1: 'timers' should be a list, not 'soon' (at timers)",
    ]


# ---- nothing to say ----

def test_a_state_or_key_written_with_no_value_says_nothing(iv, tmp_path):
    """`planned:` is a state with nothing to say; `requires:` with nothing is no requirement."""
    text = BASE.replace("  planned: {}", "  planned:").replace("  confirmed: {}", "  confirmed:\n    requires:\n"
                                                                                   "    description:")
    path = write(tmp_path / "blank.yaml", text + "timers:\n")
    assert iv("workflow", "check", path).ok().out.strip() == f"{path}: ok (mini: 3 states, 3 transitions, 0 timers)"
    write(iv.home / "workflows" / "blank.yaml", text)
    out = iv("workflow", "show", "mini").ok().out
    assert "  planned      (initial) events: confirm, cancel; means unconfirmed" in out
