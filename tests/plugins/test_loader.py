"""Loading third-party plugins from entry points: a broken one is skipped and named, strict mode
makes that fatal, and the env switches choose which external plugins load."""
from __future__ import annotations

from pathlib import Path

from plugin_support import add_distribution, external, run

HELLO = """
    from infoview.hookspecs import hookimpl

    @hookimpl
    def infoview_register_commands(cli):
        @cli.command(name="hello-{name}")
        def hello():
            print("hello from {name}")
"""


def two_plugins(site: Path) -> None:
    add_distribution(site, "plugin-a", {"a": HELLO.format(name="a")}, version="1.2.3")
    add_distribution(site, "plugin-b", {"b": HELLO.format(name="b")})


def test_a_plugin_that_fails_to_import_is_skipped_with_a_warning_and_the_cli_still_works(tmp_path: Path):
    site = tmp_path / "site"
    add_distribution(site, "broken-plugin", {"broken": "import not_a_module_anywhere\n"})
    add_distribution(site, "plugin-a", {"a": HELLO.format(name="a")})
    proc = run(tmp_path / "home", site, "workflow", "list", check=True)
    assert "informational-interview" in proc.stdout
    assert ("plugin 'broken' (distribution broken-plugin) failed to load: ModuleNotFoundError: "
            "No module named 'not_a_module_anywhere'") in proc.stderr
    # the healthy plugin beside it is untouched
    assert run(tmp_path / "home", site, "hello-a", check=True).stdout == "hello from a\n"
    assert set(external(tmp_path / "home", site)) == {"a"}


def test_strict_mode_makes_a_broken_plugin_fatal_in_one_line(tmp_path: Path):
    site = tmp_path / "site"
    add_distribution(site, "broken-plugin", {"broken": "raise RuntimeError('half-installed')\n"})
    proc = run(tmp_path / "home", site, "workflow", "list", env={"INFOVIEW_STRICT_PLUGINS": "1"})
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "plugin 'broken' (distribution broken-plugin) failed to load: RuntimeError: half-installed "
        "[INFOVIEW_STRICT_PLUGINS is set]"]


def test_load_plugins_loads_only_the_named_external_plugin(tmp_path: Path):
    site = tmp_path / "site"
    two_plugins(site)
    env = {"INFOVIEW_LOAD_PLUGINS": "a"}
    assert set(external(tmp_path / "home", site, env=env)) == {"a"}
    assert run(tmp_path / "home", site, "hello-a", env=env, check=True).stdout == "hello from a\n"
    assert run(tmp_path / "home", site, "hello-b", env=env).returncode != 0
    # built-ins are never filtered out: the core workflow and the notify command are still there
    assert run(tmp_path / "home", site, "notify", "--help", env=env, check=True).returncode == 0
    # without the switch both load
    assert set(external(tmp_path / "home", site)) == {"a", "b"}


def test_load_plugins_accepts_the_distribution_name_too(tmp_path: Path):
    site = tmp_path / "site"
    two_plugins(site)
    assert set(external(tmp_path / "home", site, env={"INFOVIEW_LOAD_PLUGINS": "plugin-b"})) == {"b"}


def test_disable_plugins_blocks_the_named_plugin(tmp_path: Path):
    site = tmp_path / "site"
    two_plugins(site)
    env = {"INFOVIEW_DISABLE_PLUGINS": "a"}
    assert set(external(tmp_path / "home", site, env=env)) == {"b"}
    proc = run(tmp_path / "home", site, "hello-a", env=env)
    assert proc.returncode != 0 and "No such command 'hello-a'" in proc.stderr
    assert run(tmp_path / "home", site, "hello-b", env=env, check=True).stdout == "hello from b\n"


def test_a_plugin_implementing_an_unknown_hook_is_skipped_with_a_warning(tmp_path: Path):
    site = tmp_path / "site"
    add_distribution(site, "typo-plugin", {"typo": HELLO.format(name="typo") + """
    @hookimpl
    def infoview_register_command(cli):   # one letter short of the real hook
        pass
    """})
    proc = run(tmp_path / "home", site, "plugins", "--json", check=True)
    assert ("plugin 'typo' (distribution typo-plugin) failed to load: PluginValidationError: "
            "unknown hook 'infoview_register_command'") in proc.stderr
    assert external(tmp_path / "home", site) == {}
    # nothing of it was kept: its real hook did not add the command either
    assert run(tmp_path / "home", site, "hello-typo").returncode != 0
