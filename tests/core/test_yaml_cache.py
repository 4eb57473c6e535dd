"""The home's cache of parsed workflow and question-set files (engine/yamlcache.py): a hit gives
exactly what parsing gives, an edit takes effect on the next command, a damaged or foreign entry is
ignored and written again, a mistake is reported at its file:line:col however often the file was
good before, and a home that cannot be written works without it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cli_support import _PYTHON_CLI, MINI_WORKFLOW, ROOT, clean_env, infoview, modules_after, write
from infoview import yamlcache, yamlsource
from infoview.errors import DefinitionError
from infoview.plugins.questions.setfiles import builtin_set_files

SHIPPED = ROOT / "workflows" / "informational-interview.yaml"


def entries(home: Path) -> list[Path]:
    folder = yamlcache.folder_of(home)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.mark.parametrize("source", [SHIPPED, *builtin_set_files()], ids=lambda s: s.name)
def test_a_cached_document_is_what_parsing_gives(tmp_path: Path, source):
    text = source.read_text(encoding="utf-8")
    parsed = yamlsource.load_text(text, "F")
    first = yamlcache.load_text(text, "F", tmp_path)   # parsed, then written
    assert len(entries(tmp_path)) == 1
    again = yamlcache.load_text(text, "F", tmp_path)   # read back from the entry
    for doc in (first, again):
        assert (doc.file, doc.data, doc.positions, doc.value_positions) == \
            (parsed.file, parsed.data, parsed.positions, parsed.value_positions)


def test_a_file_with_a_mistake_is_never_cached(tmp_path: Path):
    with pytest.raises(DefinitionError) as e:
        yamlcache.load_text("a: 1\na: 2\n", "F", tmp_path)
    assert str(e.value.problems[0]).startswith("F:2:1:")
    assert entries(tmp_path) == []


def test_old_entries_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yamlcache, "KEEP", 2)
    for i in range(4):
        yamlcache.load_text(f"n: {i}\n", "F", tmp_path)
    assert len(entries(tmp_path)) == 2


def test_confirm_reads_no_yaml_once_the_files_are_cached(iv):
    """Counted, not timed: the YAML parser is not even imported by a `confirm` (nor a `show`)
    once the home has parsed its files once; without the cache it is."""
    i = iv.plan()
    assert entries(iv.home)  # the plan parsed the workflow and the question sets, and kept them
    assert not any(m.startswith("ruamel") for m in modules_after(iv.home, "confirm", str(i)))
    assert not any(m.startswith("ruamel") for m in modules_after(iv.home, "show", str(i)))
    shutil.rmtree(iv.home / "cache")
    assert "ruamel.yaml" in modules_after(iv.home, "show", str(i))
    assert entries(iv.home)  # written again


def test_an_edited_workflow_takes_effect_on_the_next_command(iv):
    path = write(iv.home / "workflows" / "mini.yaml", MINI_WORKFLOW)
    assert "events: confirm, cancel" in iv("workflow", "show", "mini").ok().out
    write(path, MINI_WORKFLOW.replace("event: confirm", "event: agree"))  # same size, same second
    assert "events: agree, cancel" in iv("workflow", "show", "mini").ok().out


def test_a_mistake_is_reported_at_its_place_after_good_versions_were_cached(iv):
    path = write(iv.home / "workflows" / "mini.yaml", MINI_WORKFLOW)
    iv("workflow", "show", "mini").ok()
    write(path, MINI_WORKFLOW.replace("  confirmed: {}\n", "  confirmed: {}\n  confirmed: {}\n"))
    r = iv("workflow", "list")
    assert f"{path}:6:3: duplicate key 'confirmed'" in r.err
    write(path, MINI_WORKFLOW)
    r = iv("workflow", "show", "mini").ok()
    assert r.err == ""


def test_damaged_and_foreign_entries_are_ignored_and_written_again(iv):
    i = iv.plan()
    cached = entries(iv.home)
    assert len(cached) >= 2
    good = {p: p.read_bytes() for p in cached}
    cached[0].write_bytes(b"\x00not json")
    cached[1].write_bytes(good[cached[2 % len(cached)]] if len(cached) > 2 else b"{}")  # another file's entry
    for p in cached[2:]:
        p.write_text(json.dumps({"format": yamlcache.FORMAT, "digest": p.stem, "data": "nothing"}))  # invalid
    iv("confirm", i).ok()
    assert iv.show(i)["state"] == "confirmed"
    assert {p: p.read_bytes() for p in entries(iv.home)} == good


def test_a_read_only_home_without_a_cache_works_and_stays_as_it_was():
    folder = Path(tempfile.mkdtemp(prefix="infoview-ro-"))
    home = folder / "home"
    try:
        infoview(home, "plan", "Jane Doe", "--at", "2026-11-10T10:00", "--tz", "UTC", now="2026-11-01T09:00Z",
                 check=True)
        shutil.rmtree(home / "cache", ignore_errors=True)  # (the first command ran before the home was made)
        folder.chmod(0o755)
        home.chmod(0o555)
        for f in home.iterdir():
            f.chmod(0o444)
        before = sorted(p.name for p in home.iterdir())
        for command in (["show", "1"], ["workflow", "list"], ["questions", "list"]):
            argv = [*_PYTHON_CLI, "--home", str(home), "--now", "2026-11-01T09:00Z", *command]
            if os.geteuid() == 0:  # root writes through any mode bits: read as `nobody`
                argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]
            r = subprocess.run(argv, capture_output=True, text=True, env=clean_env(HOME="/tmp"), cwd="/",
                               stdin=subprocess.DEVNULL, timeout=120)
            assert r.returncode == 0 and r.stderr == "", r.stderr
        assert sorted(p.name for p in home.iterdir()) == before
    finally:
        home.chmod(0o755)
        shutil.rmtree(folder)
