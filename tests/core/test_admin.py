"""The database (rebuild, backup, file mode), start-up cost, plugins, and two processes at once."""
from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys

from cli_support import AT, NOW, TZ, clean_env, infoview, write

START = "2026-03-10T13:05:00+00:00"
LATER = "2026-03-10T15:00:00+00:00"


def _busy_home(iv) -> list[int]:
    """Several interviews carried through many events, timers included."""
    a = iv.plan("Ann Alder", "--company", "Acme", "--goal", "g")
    b = iv.plan("Ben Birch", at="2026-03-12T09:00", tz="America/Chicago")
    c = iv.plan("Cat Cole", "--referred-by", a)
    iv("confirm", a).ok()
    iv("reschedule", b, "--at", "2026-03-13T10:00", "--reason", "clash").ok()
    iv("confirm", b).ok()
    iv("cancel", c, "--reason", "no reply").ok()
    iv("tick", now="2026-03-09T13:30:00+00:00").ok()
    iv("hold", a, now=START).ok()
    iv("note", a, "--learned", "x", "--issue", "y", now=LATER).ok()
    iv("thanked", a, now=LATER).ok()
    iv("evaluate", a, "--next-action", "z", now=LATER).ok()
    iv("tick", now="2026-04-05T00:00:00+00:00").ok()
    return [a, b, c]


def test_db_rebuild_gives_identical_projections(iv):
    ids = _busy_home(iv)
    before = {i: iv("show", i, "--json").ok().out for i in ids}
    agenda = iv.agenda(days=400, now=LATER)
    snap = iv.snapshot()
    r = iv.sub("db", "rebuild").ok()
    assert r.out.strip() == "rebuilt 3 interviews from the event log"
    assert {i: iv("show", i, "--json").ok().out for i in ids} == before
    assert iv.snapshot()["interviews"] == snap["interviews"]  # projections and their armed timers
    assert iv.agenda(days=400, now=LATER) == agenda


def test_db_rebuild_repairs_a_damaged_projection(iv):
    i = iv.plan()
    iv("confirm", i).ok()
    want = iv.show(i)
    conn = sqlite3.connect(iv.db)
    conn.execute("UPDATE interviews SET state='cancelled'")
    conn.commit()
    conn.close()
    iv("db", "rebuild").ok()
    assert iv.show(i) == want


def test_db_backup_is_a_readable_copy(iv, tmp_path):
    ids = _busy_home(iv)
    target = tmp_path / "backup.db"
    r = iv.sub("db", "backup", target).ok()
    assert r.out.strip() == f"backed up to {target}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == len(ids)
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == len(iv.rows("SELECT * FROM events"))
    conn.close()
    # The copy is a working home.
    from cli_support import CLI

    copy = CLI(tmp_path / "restored")
    copy.home.mkdir()
    target.rename(copy.db)
    assert copy.show(ids[0]) == iv.show(ids[0])
    r = iv("db", "backup", copy.db)
    assert r.code == 1 and r.line == f"{copy.db} exists; choose a new file name"


def test_database_file_is_private(iv):
    iv.plan()
    assert stat.S_IMODE(iv.db.stat().st_mode) == 0o600
    fresh = iv.home / "nested" / "home"
    r = iv.sub("--home", fresh, "list")
    assert r.code == 0
    assert stat.S_IMODE((fresh / "infoview.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


def test_home_from_environment(iv, tmp_path):
    other = tmp_path / "envhome"
    r = infoview(None, "plan", "Jane", "--at", AT, "--tz", TZ, now=NOW, env={"INFOVIEW_HOME": str(other)})
    assert r.code == 0 and r.out.strip() == "1"
    assert (other / "infoview.db").exists() and not iv.db.exists()


def _imports(iv, *args: str) -> str:
    # its own process: the interpreter option -X importtime goes before -m
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "infoview.cli", "--home", str(iv.home), *args],
                       capture_output=True, text=True, env=clean_env(), timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stderr


def test_help_and_list_do_not_import_apprise_or_icalendar(iv):
    iv.plan()
    for args in (("--help",), ("list",)):
        imported = {line.split("|")[-1].strip().split(".")[0] for line in _imports(iv, *args).splitlines()
                    if line.startswith("import time:")}
        assert "click" in imported and "infoview" in imported  # the check itself works
        assert "apprise" not in imported, args
        assert "icalendar" not in imported, args


def test_list_loads_no_plugin_and_help_still_lists_every_command(iv):
    iv.plan()
    # sys.modules after the command, not -X importtime: that does not see importlib.import_module
    code = (f"import sys; from infoview.cli import main; main(['--home', {str(iv.home)!r}, 'list']); "
            "print(*sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=60)
    imported = set(r.stderr.split())
    assert r.stdout.startswith("   1  planned") and "infoview.cli.inspect" in imported
    assert not {m for m in imported if m.startswith("infoview.plugins")}
    assert "importlib.metadata" not in imported and "infoview.engine" not in imported
    listed = iv("--help").ok().out
    for name in ("plan", "list", "export", "db", "workflow", "notify", "calendar", "questions", "demo", "web"):
        assert f"\n  {name} " in listed, name


def test_plugins_lists_builtins_with_hooks_and_registrations(iv):
    r = iv.sub("plugins", "--json").ok()
    data = r.json
    by_name = {p["name"]: p for p in data["plugins"]}
    core = by_name["builtin"]
    assert core["builtin"] is True
    assert core["hooks"] == ["infoview_register_actions", "infoview_register_workflows"]
    assert core["registered"] == {"actions": ["remind"], "workflows": ["informational-interview"]}
    questions = by_name["questions"]
    assert "infoview_register_question_sets" in questions["hooks"]
    assert {"interview-notes", "evaluation", "prepare-answers"} <= set(questions["registered"]["question_sets"])
    assert data["warnings"] == []
    text = iv("plugins").ok().out
    assert "builtin  (built-in)\n    hooks: infoview_register_actions, infoview_register_workflows\n" in text
    assert "    workflows: informational-interview" in text


def test_broken_module_is_skipped_with_a_warning(tmp_path, monkeypatch):
    from infoview.host import PluginHost

    write(tmp_path / "broken_plugin_mod.py", "raise RuntimeError('half-installed')\n")
    write(tmp_path / "wrong_hook_mod.py",
          "from infoview.hookspecs import hookimpl\n@hookimpl\ndef infoview_register_widgets(register):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    host = PluginHost(env={}, extra=("broken_plugin_mod", "wrong_hook_mod")).load()
    assert list(host.info) == ["builtin", "questions", "notify", "calendar", "demo", "web"]
    assert host.warnings[0] == "plugin 'broken_plugin_mod' failed to load: RuntimeError: half-installed"
    assert host.warnings[1].startswith("plugin 'wrong_hook_mod' failed to load: ")
    assert "infoview_register_widgets" in host.warnings[1]
    strict = PluginHost(env={"INFOVIEW_STRICT_PLUGINS": "1"}, extra=("broken_plugin_mod",))
    try:
        strict.load()
    except Exception as e:
        assert "broken_plugin_mod" in str(e) and "INFOVIEW_STRICT_PLUGINS" in str(e)
    else:
        raise AssertionError("strict mode should refuse a broken plugin")


def test_broken_entry_point_plugin_is_skipped_by_the_cli(iv, tmp_path):
    """A real installed distribution (dist-info with an entry point) whose module fails to import."""
    site = tmp_path / "site"
    write(site / "brokenplug.py", "import does_not_exist_anywhere\n")
    write(site / "brokenplug-0.1.dist-info" / "METADATA", "Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n")
    write(site / "brokenplug-0.1.dist-info" / "entry_points.txt", "[infoview]\nbroken = brokenplug\n")
    env = {"PYTHONPATH": str(site)}
    r = iv.sub("plugins", "--json", env=env)
    assert r.code == 0 and "Traceback" not in r.err
    warning = ("plugin 'broken' (distribution brokenplug) failed to load: ModuleNotFoundError: "
               "No module named 'does_not_exist_anywhere'")
    assert r.json["warnings"] == [warning]
    assert r.err.strip() == f"warning: {warning}"
    assert "broken" not in {p["name"] for p in r.json["plugins"]}
    r = iv.sub("plan", "Jane", "--at", AT, "--tz", TZ, env=env)
    assert r.code == 0 and r.out.strip() == "1"
    r = iv.sub("list", env={**env, "INFOVIEW_DISABLE_PLUGINS": "brokenplug"})
    assert r.code == 0 and r.err == ""
    r = iv.sub("list", env={**env, "INFOVIEW_STRICT_PLUGINS": "1"})
    assert r.code == 1 and r.line == warning + " [INFOVIEW_STRICT_PLUGINS is set]"


def test_two_processes_confirm_at_once(iv):
    for _ in range(3):
        i = iv.plan()
        procs = [iv.popen("confirm", i) for _ in range(2)]
        results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 1], results
        ok = next(r for r in results if r[0] == 0)
        refused = next(r for r in results if r[0] == 1)
        assert ok[1].strip() == f"interview {i}: planned -> confirmed"
        assert "Traceback" not in refused[2]
        line = refused[2].strip()
        assert line in (f"interview {i} is confirmed: 'confirm' needs state planned; "
                        "allowed now: reschedule, cancel, hold",
                        f"interview {i} changed meanwhile; try again")
        assert [e["event"] for e in iv.history(i)].count("confirm") == 1


def test_a_backup_that_cannot_be_written_leaves_nothing_behind(iv, tmp_path):
    """A full disk, played by a file-size limit on the backup's process: one clear line, exit 1,
    and no partial or empty file where the backup was to go."""
    import resource
    import signal as signals

    from cli_support import start_infoview

    for n in range(60):
        iv.plan(f"Person {n}", "--goal", "x" * 2000)
    size = iv.db.stat().st_size
    limit = 64 * 1024  # above SQLite's 32 KiB shared-memory file, well below the database
    assert size > 2 * limit, size

    def full_disk() -> None:
        signals.signal(signals.SIGXFSZ, signals.SIG_IGN)  # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    folder = tmp_path / "backups"
    folder.mkdir()
    proc = start_infoview(iv.home, "db", "backup", folder / "copy.db", preexec_fn=full_disk)
    out, err = proc.communicate(timeout=60)
    assert out == ""
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert err.startswith(f"{folder / 'copy.db'}: cannot write the backup: ") and err.endswith("nothing was written\n")
    assert list(folder.iterdir()) == []
    assert iv.sub("db", "backup", folder / "copy.db").ok().out.strip() == f"backed up to {folder / 'copy.db'}"
