"""Finding and reading the user's apprise config file."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from notify_support import write_yaml
from infoview.plugins.notify.channels import ChannelConfigError, NoChannelConfig, load, locate


def test_home_files_are_tried_in_order(tmp_path: Path) -> None:
    (tmp_path / "apprise.txt").write_text("reminders=json://localhost/\n")
    assert locate(tmp_path, {}) == tmp_path / "apprise.txt"
    write_yaml(tmp_path / "apprise.yaml", {"json://localhost/": "reminders"})
    assert locate(tmp_path, {}) == tmp_path / "apprise.yaml"
    write_yaml(tmp_path / "apprise.yml", {"json://localhost/": "reminders"})
    assert locate(tmp_path, {}) == tmp_path / "apprise.yml"


def test_configured_path_is_relative_to_home_and_expands_tilde(tmp_path: Path, monkeypatch) -> None:
    write_yaml(tmp_path / "channels.yml", {"json://localhost/": "reminders"})
    assert locate(tmp_path, {"notify": {"config": "channels.yml"}}) == tmp_path / "channels.yml"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert locate(tmp_path / "elsewhere", {"notify": {"config": "~/channels.yml"}}) == tmp_path / "channels.yml"


def test_missing_configured_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(NoChannelConfig, match=r"apprise config .*nope\.yml \(set by \[notify\] config"):
        locate(tmp_path, {"notify": {"config": "nope.yml"}})


def test_config_path_of_wrong_type_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ChannelConfigError, match=r"\[notify\] config must be a path"):
        locate(tmp_path, {"notify": {"config": 3}})


def test_unparseable_yaml_names_file_and_line_without_echoing_it(tmp_path: Path) -> None:
    path = tmp_path / "apprise.yml"
    path.write_text("urls:\n  - json://user:TOPSECRET@localhost/:\n      tag: [reminders\n")
    with pytest.raises(ChannelConfigError) as caught:
        load(tmp_path, {})
    message = str(caught.value)
    assert str(path) in message and "not valid apprise YAML at line" in message
    assert "TOPSECRET" not in message and "\n" not in message


def test_file_without_usable_urls_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "apprise.txt").write_text("# nothing here yet\n")
    with pytest.raises(ChannelConfigError, match="apprise found no notification URLs"):
        load(tmp_path, {})


def test_loaded_once_per_version_of_the_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "apprise.yml", {"json://localhost/a": "reminders"})
    first = load(tmp_path, {})
    assert load(tmp_path, {}) is first
    write_yaml(path, {"json://localhost/a": "reminders", "json://localhost/b": "followups"})
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # a new mtime even on coarse clocks
    second = load(tmp_path, {})
    assert second is not first and second.tags == ["followups", "reminders"]


def test_entries_apprise_rejects_are_reported_without_their_url(tmp_path: Path) -> None:
    write_yaml(tmp_path / "apprise.yml", {"json://localhost/ok": "reminders",
                                          "mailto://user:SECRETPW@127.0.0.1?from=a@b.c": "reminders"})
    channels = load(tmp_path, {})
    assert [c.id for c in channels.channels] == ["json://localhost/..."]
    assert channels.problems == ["entry #2, item #1 could not be loaded; check that URL"]
