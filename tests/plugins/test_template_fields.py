"""infoview_register_template_fields: a plugin's field is usable in workflow files (checked when
they load, rendered when an action runs) and in the thank-you note; the built-in questions
plugin's fields are trylast defaults that a third-party plugin may replace."""
from __future__ import annotations

from pathlib import Path

from plugin_support import add_distribution, external, plan, run, run_json

ORG = '''
    from infoview import TemplateFieldSpec, hookimpl

    @hookimpl
    def infoview_register_template_fields(register):
        register(TemplateFieldSpec(name="org", render=lambda i: i.contact.company or i.contact.name,
                                   description="Their company, or their name"))
'''

WORKFLOW = """\
name: org-reminders
initial: planned
states: {planned: {}, confirmed: {}}
transitions:
  - event: confirm
    from: planned
    to: confirmed
    do: [{remind: {title: "Confirmed with %s; greet {contact.first_name}"}}]
"""


def home_workflow(home: Path, field: str) -> None:
    (home / "workflows").mkdir(parents=True, exist_ok=True)
    (home / "workflows" / "org.yaml").write_text(WORKFLOW % field)


def test_a_registered_field_is_checked_in_workflow_files_and_rendered_by_actions(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "org-plugin", {"org": ORG})
    home_workflow(home, "{org}")
    iv = plan(home, site, "--workflow", "org-reminders", "--company", "Acme")
    run(home, site, "confirm", str(iv), check=True)
    [job] = run_json(home, site, "outbox")
    # the remind action records its rendered title: the outbox rendered the plugin's field
    assert (job["state"], job["last_error"]) == ("done", "Confirmed with Acme; greet Jane")
    assert external(home, site)["org"]["registered"] == {"template_fields": ["org"]}


def test_a_misspelt_field_is_reported_when_the_workflow_loads(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "org-plugin", {"org": ORG})
    home_workflow(home, "{orgg}")
    proc = run(home, site, "workflow", "list", check=True)
    assert "unknown template field 'orgg'; did you mean 'org'?" in proc.stderr
    # without the plugin that registers it, the field is unknown too
    home_workflow(home, "{org}")
    proc = run(home, site, "workflow", "list", env={"INFOVIEW_DISABLE_PLUGINS": "org"}, check=True)
    assert "unknown template field 'org'" in proc.stderr and "org-reminders" not in proc.stdout


def test_a_third_party_field_replaces_a_trylast_default_without_a_warning(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    iv = plan(home, site, "--company", "Acme")
    assert run(home, site, "thanks", str(iv), check=True).stdout.splitlines()[2] == "Dear Jane,"
    add_distribution(site, "formal-plugin", {"formal": '''
        from infoview import TemplateFieldSpec, hookimpl

        @hookimpl
        def infoview_register_template_fields(register):
            register(TemplateFieldSpec(name="contact.first_name", render=lambda i: "Ms " + i.contact.name.split()[-1]))
    '''})
    proc = run(home, site, "thanks", str(iv), check=True)
    assert proc.stdout.splitlines()[2] == "Dear Ms Doe," and proc.stderr == ""
    data = run_json(home, site, "plugins")
    assert data["warnings"] == []
    by_name = {p["name"]: p for p in data["plugins"]}
    assert by_name["formal"]["registered"] == {"template_fields": ["contact.first_name"]}
    questions = by_name["questions"]["registered"]["template_fields"]
    assert "brief" in questions and "contact.first_name" not in questions


def test_a_built_in_field_name_cannot_be_registered(tmp_path: Path):
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "bold-plugin", {"bold": '''
        from infoview import TemplateFieldSpec, hookimpl

        @hookimpl
        def infoview_register_template_fields(register):
            register(TemplateFieldSpec(name="contact.name", render=lambda i: "someone else"))
            register({"name": "Loud Name", "render": str})
            register(TemplateFieldSpec(name="mood", render=lambda i: "curious"))
    '''})
    data = run_json(home, site, "plugins")
    assert data["warnings"][0] == ("plugin 'bold' (distribution bold-plugin) registered something invalid: "
                                   "template field 'contact.name' is built in")
    assert data["warnings"][1].startswith("plugin 'bold' (distribution bold-plugin) registered something invalid: "
                                          "name: String should match pattern")
    assert external(home, site)["bold"]["registered"] == {"template_fields": ["mood"]}


def test_a_field_that_fails_when_the_job_is_written_refuses_nothing_and_renders_when_run(tmp_path: Path):
    """The engine renders a job's templates as it writes the job; a plugin's field failing then
    must not refuse the user's change. That template is rendered when the job runs instead."""
    site, home = tmp_path / "site", tmp_path / "home"
    add_distribution(site, "org-plugin", {"org": '''
        import os
        from infoview import TemplateFieldSpec, hookimpl

        def org(interview):
            # Only for real interviews: loading the workflow renders a sample one to check it.
            if os.environ.get("ORG_DOWN") and interview.workflow != "sample":
                raise RuntimeError("the directory is down")
            return interview.contact.company or interview.contact.name

        @hookimpl
        def infoview_register_template_fields(register):
            register(TemplateFieldSpec(name="org", render=org))
    '''})
    home_workflow(home, "{org}")
    iv = plan(home, site, "--workflow", "org-reminders", "--company", "Acme")
    down = {"ORG_DOWN": "1"}
    run(home, site, "confirm", str(iv), env=down, check=True)  # not refused
    assert run_json(home, site, "show", str(iv))["state"] == "confirmed"
    [job] = run_json(home, site, "outbox")
    assert job["state"] == "pending" and job["last_error"] == (
        "plugin 'builtin' (distribution infoview) failed in action 'remind': RuntimeError: the directory is down")
    run(home, site, "outbox", "retry", str(job["id"]), check=True)
    [job] = run_json(home, site, "outbox")
    assert (job["state"], job["last_error"]) == ("done", "Confirmed with Acme; greet Jane")
