"""The feed's secret: private file, stable until rotated."""
from __future__ import annotations

import os
import stat

import pytest

from infoview.errors import InfoviewError
from infoview.plugins.calendar.token import read_token, rotate_token, token_path


def test_token_is_made_once_private_and_kept(tmp_path):
    token = read_token(tmp_path)
    assert len(token) >= 40 and read_token(tmp_path) == token
    assert stat.S_IMODE(os.stat(token_path(tmp_path)).st_mode) == 0o600


def test_rotate_replaces_it_and_stays_private(tmp_path):
    old = read_token(tmp_path)
    new = rotate_token(tmp_path)
    assert new != old and read_token(tmp_path) == new
    assert stat.S_IMODE(os.stat(token_path(tmp_path)).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["calendar-token"]   # no temp file left


def test_a_damaged_token_file_says_how_to_fix_it(tmp_path):
    token_path(tmp_path).write_text("not a token!\n")
    with pytest.raises(InfoviewError, match="infoview calendar token --rotate"):
        read_token(tmp_path)


def test_a_token_that_cannot_be_written_leaves_no_empty_file(tmp_path):
    """A full disk, played by a file-size limit on the process: one line, and no empty token
    file that would make every later command say the token is invalid."""
    import resource
    import signal

    from cli_support import infoview, start_infoview

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (8, 8))

    home = tmp_path / "home"
    home.mkdir()
    proc = start_infoview(home, "calendar", "url", preexec_fn=full_disk)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and out == "" and "Traceback" not in err
    assert err.startswith(f"cannot use {token_path(home)}: ")
    assert sorted(p.name for p in home.iterdir()) == []
    assert infoview(home, "calendar", "url", check=True).out.startswith("http://127.0.0.1:")
