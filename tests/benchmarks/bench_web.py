"""The web app's board: server time and page weight.

1. The board of 1,000 interviews (spread over every state, each moved there by the real Engine),
   rendered by the app in this process (Flask's test client: routing, the session and CSRF
   checks, the Engine's reads, the template) against `infoview list --json` of the same
   interviews in the same process (click's runner). Target: within 3x.
2. The weight of the board of 100 interviews: its HTML and the CSS and JavaScript it loads,
   against the 200 KB budget (printed in KB where the table says ms; within 1x of the budget).
"""
from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from dataset import T0, engine, plan_data, replicate
from figures import Figure, compare

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from infoview.cli import cli  # noqa: E402
from infoview.host import PluginHost  # noqa: E402
from infoview.plugins.web.app import create_app, listening  # noqa: E402
from infoview.plugins.web.site import Site  # noqa: E402

SEEDS = 100
BUDGET = 200 * 1024
PATHS = ((), ("confirm",), ("hold",), ("hold", "note"), ("hold", "note", "evaluate"), ("cancel",))
DATA = {"note": {"notes": {"learned": ["x"]}}, "evaluate": {"evaluation": {"next_actions": ["y"]}}}


def make_home(home: Path, n: int) -> None:
    """SEEDS interviews through the Engine, a sixth in each state, then copied up to n."""
    eng = engine(home, T0 - timedelta(days=30))
    for i in range(SEEDS):
        eng.plan(plan_data(i, T0 - timedelta(days=25) + timedelta(hours=4 * i)), dispatch=False)
    eng.clock.set(T0)
    for i in range(SEEDS):
        for event in PATHS[i % len(PATHS)]:
            eng.fire(i + 1, event, DATA.get(event, {}), dispatch=False)
    eng.store.close()
    if n > SEEDS:
        replicate(home / "infoview.db", SEEDS, n // SEEDS)


def client(home: Path):  # type: ignore[no-untyped-def]
    from infoview.clock import Clock

    site = Site(home, Clock(fixed=T0), PluginHost().load(), secret="s" * 43)
    app = create_app(site)
    listening(app, site, 8766)
    c = app.test_client()
    base = "http://127.0.0.1:8766"
    assert c.get("/login?token=" + site.secret, base_url=base).status_code == 303
    return c, base


def run() -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "thousand"
        make_home(home, 1000)
        c, base = client(home)
        runner = CliRunner()

        def board() -> None:
            resp = c.get("/", base_url=base)
            assert resp.status_code == 200 and resp.data.count(b'class="card"') == 1000

        def list_json() -> None:
            result = runner.invoke(cli, ["--home", str(home), "list", "--json"], obj=PluginHost())
            assert result.exit_code == 0 and result.output.count('"workflow"') == 1000

        figures.append(compare("web: board of 1,000 interviews vs `list --json` (same process)", board, list_json,
                               target=3.0, kind="within", repeats=7))

        small = Path(tmp) / "hundred"
        make_home(small, 100)
        c, base = client(small)
        html = c.get("/", base_url=base).data
        assert html.count(b'class="card"') == 100
        css = c.get("/static/style.css", base_url=base).data
        js = c.get("/static/copy.js", base_url=base).data
        weight = len(html) + len(css) + len(js)
        figures.append(Figure("web: board of 100 interviews, HTML+CSS+JS bytes vs 200 KB", weight / 1e6,
                              BUDGET / 1e6, 1.0, "within",
                              note=f"{len(html):,} B HTML + {len(css):,} B CSS + {len(js):,} B JS = {weight:,} B"))
    return figures
