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
