"""Issue 19 on PostgreSQL: the commands that stream a whole home (`db copy` into the database,
`list --json`, `export`) keep a bounded peak memory on a mid-sized home, as they do on SQLite
(test_scale.py, whose home and measuring process this reuses). The server's memory is its own;
what is measured is the infoview process, which would grow with the home if it fetched a whole
table (a client-side cursor) or held a copy's rows before writing them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import infoview, infoview_json
from test_scale import NOW, PEAK_MIB, big_home, peak_mib

__all__ = ["big_home"]  # the module's fixture, shared with test_scale.py


@pytest.mark.slow  # builds a 20,000-interview home and copies it into the server
def test_copy_list_json_and_export_stream_in_bounded_memory_on_postgresql(big_home: Path, pg_url: str) -> None:
    # Before db copy streamed, it held every table at once: about 250 MiB on this home.
    assert peak_mib(big_home, "db", "copy", "--to", pg_url) < PEAK_MIB
    assert peak_mib(big_home, "--database", pg_url, "list", "--json") < PEAK_MIB
    assert peak_mib(big_home, "--database", pg_url, "export") < PEAK_MIB
    listed = infoview_json(big_home, "--database", pg_url, "list", now=NOW)
    assert len(listed) == 20_000 and listed[-1]["id"] == 20_000
    # the copy is whole: the same export as the SQLite home's (past its header of four lines)
    assert infoview(big_home, "--database", pg_url, "export", now=NOW).out.split("\n", 4)[4] == \
        infoview(big_home, "export", now=NOW).out.split("\n", 4)[4]
