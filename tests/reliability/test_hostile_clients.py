"""The stress drills against `infoview serve` (tests/stress/drills.py), small: slowloris
connections past the connection cap while a good client fetches the feed, and a header flood.
Outcomes are counted; nothing here times the server."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "stress"))

import drills
from cli_support import infoview


@pytest.mark.slow
def test_slow_clients_past_the_cap_never_keep_a_good_client_out(tmp_path: Path):
    f = drills.slow_clients(tmp_path, slow=6, cap=3, deadline=1, seconds=4)
    assert f["good"] > 0 and f["good 200"] == f["good"], f
    assert f["slow opened"] > 3 and f["slow closed"] > 0, f   # more than the cap got in, and were cut off
    assert f["server died"] == 0 and f["tracebacks"] == 0, f


def test_a_header_flood_is_refused_and_leaves_memory_and_the_feed_as_they_were(tmp_path: Path):
    f = drills.header_flood(tmp_path, clients=2, rounds=3)
    assert f["sent"] == 6 and f["431"] + f["400"] + f["closed"] == 6, f
    assert f["other"] == 0, f
    assert f["peak kb after"] - f["peak kb before"] < drills.FLOOD_GROWTH_KB, f
    assert f["good 200"] == f["good"] == 2, f
    assert f["server died"] == 0 and f["tracebacks"] == 0, f


@pytest.mark.parametrize("value", ["abc", "0", "101", "-5"])
def test_a_bad_tighter_limit_is_refused_in_one_line(tmp_path: Path, value: str):
    r = infoview(tmp_path / "home", "serve", "--port", "0", env={"INFOVIEW_HTTP_CONNECTIONS": value})
    assert r.code in (1, 2) and "Traceback" not in r.err
    assert r.line.startswith("INFOVIEW_HTTP_CONNECTIONS=") and "1 to 100" in r.line, r.err
